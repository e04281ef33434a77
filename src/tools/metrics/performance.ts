/** get_performance_metrics: latency, throughput, CPU and memory per service over a time range. */
import { aggregationOf, canonicalUnit, percentileStats, type MetricRole } from '../../analyzers/metrics/catalog.ts';
import { describeSeries } from '../../analyzers/metrics/stats.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { compact, entityFields, metricRef, num, statsFields, windowOut } from './format.ts';
import { type CatalogedMetric, emptyNote, fetchSeries, hasRole, loadInventory, selectGroups, statOf } from './inventory.ts';
import type { Entity } from '../../analyzers/metrics/catalog-service.ts';

const HOUR = 3_600_000;

export const PERFORMANCE_TYPES = ['response_time', 'throughput', 'cpu_usage', 'memory_usage'] as const;
type PerformanceType = (typeof PERFORMANCE_TYPES)[number];

const ROLES: Readonly<Record<PerformanceType, MetricRole[]>> = {
  response_time: ['latency'],
  throughput: ['requests'],
  cpu_usage: ['cpu'],
  memory_usage: ['memory'],
};

interface Args {
  metric_type?: PerformanceType;
  start_time?: string;
  end_time?: string;
  service?: string;
  limit: number;
}

/** Latency rows report the average (the sample API's `value`) when there is one, percentiles beside it. */
function primaryStat(type: PerformanceType, item: CatalogedMetric): string {
  if (type === 'response_time') {
    const average = item.stats.find((s) => s.toLowerCase() === 'average');
    if (average) return average;
  }
  return statOf(item);
}

export async function getPerformanceMetrics(args: Args, ctx: OperationContext<MetricsProvider>) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { start: 'start_time', end: 'end_time' }, HOUR);
  const types = args.metric_type ? [args.metric_type] : [...PERFORMANCE_TYPES];
  const inventory = await loadInventory(ctx.provider);

  const wanted: Array<{ type: PerformanceType; entity: Entity; item: CatalogedMetric; stat: string }> = [];
  for (const type of types) {
    for (const group of selectGroups(inventory, hasRole(...ROLES[type]), args.service)) {
      for (const item of group.items) wanted.push({ type, entity: group.entity, item, stat: primaryStat(type, item) });
    }
  }
  // Percentile statistics of latency metrics, fetched beside the primary one in the same call.
  const extra = wanted.flatMap((w, index) =>
    w.type === 'response_time' ? percentileStats(w.item.stats).filter((p) => p !== w.stat).map((stat) => ({ index, item: w.item, stat })) : [],
  );
  const fetched = await fetchSeries(ctx.provider, [...wanted, ...extra], window.start, window.end);
  const percentiles = new Map<number, Record<string, number>>();
  extra.forEach((e, i) => {
    const stats = describeSeries(fetched[wanted.length + i]!.series);
    const factor = canonicalUnit(e.item.profile!).factor;
    if (stats) percentiles.set(e.index, { ...(percentiles.get(e.index) ?? {}), [e.stat]: num(stats.current * factor)! });
  });

  const rows = wanted.map((w, i) => {
    const f = fetched[i]!;
    const stats = describeSeries(f.series);
    const { unit, factor } = canonicalUnit(w.item.profile!);
    const isTotal = aggregationOf(f.stat) === 'sum';
    const ownPercentile = /^p\d/i.test(f.stat) && stats ? { [f.stat]: num(stats.current * factor)! } : {};
    const merged: Record<string, number> = { ...ownPercentile, ...(percentiles.get(i) ?? {}) };
    const pct = Object.fromEntries(percentileStats(Object.keys(merged)).map((k) => [k, merged[k]!]));
    return compact({
      ...entityFields(w.entity),
      metric_type: w.type,
      metric: metricRef(w.item, f.stat, f.period),
      unit,
      ...statsFields(stats, factor),
      percentiles: Object.keys(pct).length ? pct : undefined,
      total: isTotal && stats ? num(stats.sum) : undefined,
      average_per_second: isTotal && stats ? num(stats.sum / (stats.n * f.period)) : undefined,
      current_per_second: isTotal && stats ? num(stats.current / f.period) : undefined,
    });
  });
  const page = bounded(rows, args.limit);
  return compact({
    metric_type: args.metric_type ?? 'all',
    service: args.service,
    window: windowOut(window),
    metrics: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
    note: rows.length === 0 ? emptyNote(inventory, args.metric_type ? args.metric_type.replace('_', ' ') : 'performance', args.service) : undefined,
  });
}
