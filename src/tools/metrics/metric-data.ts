/** get_metric_data: the raw datapoints of one CloudWatch metric, optionally re-aggregated to a longer period. */
import { aggregationOf, chooseStat, classifyMetric } from '../../analyzers/metrics/catalog.ts';
import { toSeries } from '../../analyzers/metrics/series.ts';
import { describeSeries, resample } from '../../analyzers/metrics/stats.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { compact, iso, metricRef, num, statsFields, windowOut } from './format.ts';
import { choosePeriod, loadInventory, statOf, type CatalogedMetric } from './inventory.ts';

const HOUR = 3_600_000;
const MAX_CANDIDATES = 10;

interface Args {
  namespace: string;
  metric_name: string;
  dimensions?: Record<string, string>;
  stat?: string;
  period?: number;
  start_time?: string;
  end_time?: string;
  limit: number;
}

export async function getMetricData(args: Args, ctx: OperationContext<MetricsProvider>) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { start: 'start_time', end: 'end_time' }, HOUR);
  const dimensions = args.dimensions ?? {};
  const inventory = await loadInventory(ctx.provider);
  const same = (m: CatalogedMetric) => m.namespace === args.namespace && m.metricName === args.metric_name;
  const known = inventory.find((m) => same(m) && sameDimensions(m.dimensions, dimensions));
  const profile = known?.profile ?? classifyMetric(args.namespace, args.metric_name);
  const stat = args.stat ?? (known ? statOf(known) : chooseStat(profile, []));

  const [result] = await ctx.provider.getMetricData(
    [{ namespace: args.namespace, metricName: args.metric_name, dimensions, stat, period: args.period ?? choosePeriod(window.end - window.start) }],
    window.start,
    window.end,
  );
  let series = result ? toSeries(result.timestamps, result.values) : { timestamps: [], values: [] };
  let period = result?.period ?? args.period ?? 60;
  if (args.period && args.period > period) {
    series = resample(series, args.period * 1000, aggregationOf(stat));
    period = args.period;
  }
  const total = series.timestamps.length;
  const from = Math.max(0, total - args.limit);
  const datapoints = series.timestamps.slice(from).map((t, i) => ({ timestamp: iso(t), value: num(series.values[from + i]!)! }));

  let candidates: Array<{ namespace: string; metric_name: string; dimensions: Record<string, string>; stats: string[] }> | undefined;
  let note: string | undefined;
  if (total === 0) {
    const lowerName = args.metric_name.toLowerCase();
    const related = inventory.filter((m) => m.namespace.toLowerCase() === args.namespace.toLowerCase() && m.metricName.toLowerCase() === lowerName);
    const similar = related.length ? related : inventory.filter((m) => m.metricName.toLowerCase().includes(lowerName) || lowerName.includes(m.metricName.toLowerCase()));
    candidates = similar.slice(0, MAX_CANDIDATES).map((m) => ({ namespace: m.namespace, metric_name: m.metricName, dimensions: { ...m.dimensions }, stats: [...m.stats] }));
    note = known
      ? `No datapoints for statistic ${stat} in the window; this metric has ${known.stats.join(', ')}.`
      : candidates.length
        ? 'No datapoints: CloudWatch matches the complete dimension set exactly; candidates lists the sets that exist.'
        : 'No such metric; list_metrics shows what exists.';
  }
  return compact({
    metric: metricRef({ namespace: args.namespace, metricName: args.metric_name, dimensions }, result?.stat ?? stat, period),
    metric_type: profile?.kind,
    unit: profile?.unit,
    label: result?.label ?? args.metric_name,
    status_code: result?.statusCode ?? 'Complete',
    window: windowOut(window),
    datapoints,
    total_count: total,
    truncated: total > args.limit,
    summary: statsFields(describeSeries(series)),
    candidates,
    note,
  });
}

function sameDimensions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
