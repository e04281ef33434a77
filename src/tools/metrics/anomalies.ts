/**
 * detect_metric_anomalies: an incident window against a pre-incident baseline, for named metrics, a service's
 * golden signals and saturation, or every metric the catalog knows; most anomalous first.
 */
import { aggregationOf, classifyMetric, type MetricKind, type MetricRole } from '../../analyzers/metrics/catalog.ts';
import { entityOf, matchService } from '../../analyzers/metrics/catalog-service.ts';
import { MIN_BASELINE_SAMPLES, summarizeChange, type ChangeSummary } from '../../analyzers/metrics/change.ts';
import { WEEK_MS } from '../../analyzers/metrics/seasonality.ts';
import { InputError } from '../../domain/errors.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded, resolveWindow, timeArgument } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { cappedScore, changePercent, compact, entityFields, num, windowOut } from './format.ts';
import { choosePeriod, emptyNote, loadInventory, selectGroups, type CatalogedMetric } from './inventory.ts';
import { errorRateTargets, groupEntries, metricTargets, type SeriesTarget } from './targets.ts';
import { changeOut } from './trends.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Earlier days fetched to tell a daily pattern (a nightly batch, the morning peak) from an incident. */
// A week and a bit: the recurrence test looks for the same deviation yesterday and on the same weekday last week.
const HISTORY_MS = WEEK_MS + HOUR;
/** At most this many series are analysed in one call when no metric is named. */
export const MAX_ANALYZED = 400;

/** Golden signals and saturation: what a service's health is judged by. Status breakdowns are left to get_error_rates. */
const GOLDEN_EXCLUDED_ROLES: ReadonlySet<MetricRole> = new Set(['capacity', 'success', 'server_errors_code', 'requests_per_target', 'desired_replicas', 'desired_containers']);

interface Selector {
  namespace: string;
  metric_name: string;
  dimensions?: Record<string, string>;
  stat?: string;
}

interface Args {
  metrics?: Selector[];
  service?: string;
  metric_type?: MetricKind;
  start_time?: string;
  end_time?: string;
  baseline_start?: string;
  baseline_end?: string;
  anomalous_only: boolean;
  limit: number;
}

export async function detectMetricAnomalies(args: Args, ctx: OperationContext<MetricsProvider>) {
  const raw = args as unknown as Record<string, unknown>;
  const window = resolveWindow(raw, ctx.now, { start: 'start_time', end: 'end_time' }, 30 * MINUTE);
  const baselineEnd = timeArgument(raw, 'baseline_end', ctx.now) ?? window.start;
  const baselineStart = timeArgument(raw, 'baseline_start', ctx.now) ?? baselineEnd - 3 * HOUR;
  if (baselineStart >= baselineEnd) {
    throw new InputError(`the baseline window must start before it ends (baseline_start ${new Date(baselineStart).toISOString()}, baseline_end ${new Date(baselineEnd).toISOString()})`, 'baseline_start');
  }
  if (baselineStart >= window.start) {
    throw new InputError('the baseline window must start before the incident window (start_time)', 'baseline_start');
  }
  const fetchStart = Math.min(baselineStart, window.start - HISTORY_MS);
  // Resolution of the baseline and incident windows, kept over the longer history fetched for recurrence.
  const period = choosePeriod(window.end - baselineStart);
  const inventory = await loadInventory(ctx.provider);

  const notes: string[] = [];
  let targets: SeriesTarget[];
  if (args.metrics?.length) {
    targets = await selectorTargets(args, inventory, ctx.provider, fetchStart, window.end, period, notes);
  } else {
    const kinds = args.metric_type ? [args.metric_type] : undefined;
    const keep = (m: CatalogedMetric) =>
      !!m.profile && !GOLDEN_EXCLUDED_ROLES.has(m.profile.role) && (!kinds || kinds.includes(m.profile.kind));
    let entries = groupEntries(selectGroups(inventory, keep, args.service));
    if (entries.length > MAX_ANALYZED) {
      notes.push(`${entries.length} series match; the first ${MAX_ANALYZED} were analysed. Name a service or metric_type to narrow.`);
      entries = entries.slice(0, MAX_ANALYZED);
    }
    targets = await metricTargets(ctx.provider, entries, fetchStart, window.end, period);
    if (!kinds || kinds.includes('errors')) targets.push(...(await errorRateTargets(ctx.provider, inventory, args.service, fetchStart, window.end, period)));
  }

  const analysed = targets.map((t) => analyse(t, { baselineStart, baselineEnd, start: window.start, end: window.end }));
  analysed.sort(
    (a, b) =>
      Number(b.change.anomalous) - Number(a.change.anomalous) ||
      Number(b.row.concerning) - Number(a.row.concerning) ||
      Number(b.stopped) - Number(a.stopped) ||
      Number(!!(a.change.recursDaily ?? a.change.recursWeekly)) - Number(!!(b.change.recursDaily ?? b.change.recursWeekly)) ||
      Math.abs(b.sortScore) - Math.abs(a.sortScore),
  );
  const anomalousCount = analysed.filter((a) => a.change.anomalous).length;
  const shown = args.anomalous_only ? analysed.filter((a) => a.change.anomalous) : analysed;
  const page = bounded(
    shown.map((a) => a.row),
    args.limit,
  );
  if (targets.length === 0) notes.push(emptyNote(inventory, args.metric_type ?? 'matching', args.service));
  return compact({
    service: args.service,
    window: windowOut(window),
    baseline_window: windowOut({ start: baselineStart, end: baselineEnd }),
    analyzed_count: targets.length,
    anomalous_count: anomalousCount,
    results: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
    note: notes.length ? notes.join(' ') : undefined,
  });
}

/** Named metrics: every inventory series with that namespace and name whose dimensions include those given. */
async function selectorTargets(
  args: Args,
  inventory: readonly CatalogedMetric[],
  provider: MetricsProvider,
  start: number,
  end: number,
  period: number,
  notes: string[],
): Promise<SeriesTarget[]> {
  const entries: Array<{ entity: CatalogedMetric['entity']; item: CatalogedMetric; stat?: string }> = [];
  for (const sel of args.metrics ?? []) {
    const dims = sel.dimensions ?? {};
    let items = inventory.filter(
      (m) =>
        m.namespace.toLowerCase() === sel.namespace.toLowerCase() &&
        m.metricName.toLowerCase() === sel.metric_name.toLowerCase() &&
        Object.entries(dims).every(([k, v]) => m.dimensions[k] === v),
    );
    if (args.service) items = items.filter((m) => matchService(args.service!, m.dimensions));
    if (items.length === 0) {
      // Not in the inventory (ListMetrics only knows recently active metrics): ask for exactly what was named.
      const profile = classifyMetric(sel.namespace, sel.metric_name);
      items = [{ namespace: sel.namespace, metricName: sel.metric_name, dimensions: { ...dims }, stats: sel.stat ? [sel.stat] : [], period: 60, profile, entity: entityOf(dims) }];
    }
    for (const item of items) entries.push({ entity: item.entity, item, ...(sel.stat ? { stat: sel.stat } : {}) });
  }
  const targets = await metricTargets(provider, entries, start, end, period);
  const empty = targets.filter((t) => t.series.values.length === 0);
  if (empty.length) {
    notes.push(`No data for: ${empty.map((t) => `${t.metric.namespace}/${t.metric.metric_name} ${JSON.stringify(t.metric.dimensions)} (${t.metric.stat})`).join('; ')}.`);
  }
  return targets;
}

function analyse(target: SeriesTarget, window: { baselineStart: number; baselineEnd: number; start: number; end: number }) {
  const change: ChangeSummary = summarizeChange(target.series, window);
  const f = target.factor;
  const b = change.baseline;
  const r = change.recent;
  const concerning = change.anomalous && (target.worse === 'either' || target.worse === change.direction);
  const counts = aggregationOf(target.metric.stat) === 'sum';
  const stopped = r.n === 0 && b.n > 0 && !counts;
  const note =
    r.n === 0 && b.n > 0
      ? counts
        ? 'No datapoint in the incident window: CloudWatch publishes none for a count in periods without any, so none occurred.'
        : 'No datapoint in the incident window although the baseline has some: the metric stopped reporting.'
      : r.n === 0
        ? 'No data in either window.'
        : b.n < MIN_BASELINE_SAMPLES
          ? `Only ${b.n} baseline datapoint(s): too few to judge a change.`
          : change.recursDaily
            ? 'The same deviation recurs at this time on earlier days: a daily pattern, unlikely to be the cause.'
            : change.recursWeekly
              ? 'The same deviation happened at this time on the same weekday of earlier weeks: a weekly pattern, unlikely to be the cause.'
              : undefined;
  const { anomalous: _a, direction: _d, score: _s, ...changeDetail } = changeOut(change, f);
  const row = compact({
    metric: target.metric,
    metric_type: target.kind,
    ...entityFields(target.entity),
    unit: target.unit,
    anomalous: change.anomalous,
    concerning,
    direction: change.direction,
    score: cappedScore(change.score),
    baseline: compact({ median: num(b.median * f), q1: num(b.q1 * f), q3: num(b.q3 * f), iqr: num(b.iqr * f), samples: b.n }),
    recent: compact({ median: num(r.median * f), min: num(r.min * f), max: num(r.max * f), last: num(r.last * f), samples: r.n }),
    change_percent: changePercent(r.median, b.median),
    ...changeDetail,
    note,
  });
  return { row, change, stopped, sortScore: cappedScore(change.score) };
}
