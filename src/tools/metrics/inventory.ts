/**
 * The metric inventory every metrics tool starts from: the provider's metric list, each metric classified by the
 * catalog and attributed to the entity its dimensions name; selection by service and kind; and fetching series
 * for a window. One listMetrics call per tool call.
 */
import { chooseStat, classifyMetric, type MetricKind, type MetricProfile, type MetricRole } from '../../analyzers/metrics/catalog.ts';
import {
  entityKey,
  entityOf,
  groupByEntity,
  reconcileEntities,
  selectForService,
  type Entity,
} from '../../analyzers/metrics/catalog-service.ts';
import { type Series, toSeries } from '../../analyzers/metrics/series.ts';
import type { MetricQuery, MetricsProvider } from '../../providers/metrics/port.ts';

export interface CatalogedMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Statistics the backend has for it (fixtures: those recorded). */
  stats: string[];
  /** Seconds between datapoints. */
  period: number;
  profile: MetricProfile | undefined;
  entity: Entity;
}

export async function loadInventory(provider: MetricsProvider): Promise<CatalogedMetric[]> {
  const listed = await provider.listMetrics();
  const entities = reconcileEntities(listed.map((m) => entityOf(m.dimensions)));
  return listed
    .map((m, i) => ({
      namespace: m.namespace,
      metricName: m.metricName,
      dimensions: { ...m.dimensions },
      stats: [...m.stats],
      period: m.period,
      profile: classifyMetric(m.namespace, m.metricName),
      entity: entities[i]!,
    }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.metricName.localeCompare(b.metricName) || dimsText(a).localeCompare(dimsText(b)));
}

function dimsText(m: { dimensions: Record<string, string> }): string {
  return Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface EntityGroup {
  entity: Entity;
  items: CatalogedMetric[];
}

/**
 * The metrics passing `keep`, for one service (best-matching dimension sets) or for every entity, grouped by
 * entity, at the coarsest granularity per metric so nothing is counted twice.
 */
export function selectGroups(inventory: readonly CatalogedMetric[], keep: (m: CatalogedMetric) => boolean, service?: string): EntityGroup[] {
  const pool = inventory.filter(keep);
  const chosen = service ? selectForService(pool, service) : pool;
  return groupByEntity(chosen);
}

export const hasKind =
  (...kinds: MetricKind[]) =>
  (m: CatalogedMetric): boolean =>
    !!m.profile && kinds.includes(m.profile.kind) && m.profile.role !== 'capacity';

export const hasRole =
  (...roles: MetricRole[]) =>
  (m: CatalogedMetric): boolean =>
    !!m.profile && roles.includes(m.profile.role);

/** The statistic to read a metric with: the catalog's preference among those it has. */
export function statOf(m: CatalogedMetric): string {
  return chooseStat(m.profile, m.stats);
}

/**
 * A period giving at most ~1,440 datapoints over the span, rounded up to one CloudWatch keeps (1 min for 15
 * days, 5 min for 63 days, 1 h beyond).
 */
export function choosePeriod(spanMs: number): number {
  const wanted = Math.ceil(spanMs / 1000 / 1440);
  return [60, 300, 900, 3600, 21600, 86400].find((p) => p >= wanted) ?? 86400;
}

export interface Fetched {
  item: CatalogedMetric;
  stat: string;
  series: Series;
  period: number;
  label: string;
  statusCode: string;
}

/**
 * One GetMetricData call for all the given metric/stat pairs over [start, end]; series cleaned with toSeries.
 * The period defaults to one suiting the span (a long history fetched for context may pass a finer one).
 */
export async function fetchSeries(
  provider: MetricsProvider,
  requests: ReadonlyArray<{ item: CatalogedMetric; stat?: string }>,
  start: number,
  end: number,
  periodSeconds?: number,
): Promise<Fetched[]> {
  if (requests.length === 0) return [];
  const period = periodSeconds ?? choosePeriod(end - start);
  const queries: MetricQuery[] = requests.map(({ item, stat }) => ({
    namespace: item.namespace,
    metricName: item.metricName,
    dimensions: item.dimensions,
    stat: stat ?? statOf(item),
    period: Math.max(period, item.period),
  }));
  const results = await provider.getMetricData(queries, start, end);
  return requests.map(({ item }, i) => {
    const r = results[i];
    return {
      item,
      stat: r?.stat ?? queries[i]!.stat,
      series: r ? toSeries(r.timestamps, r.values) : { timestamps: [], values: [] },
      period: r?.period ?? queries[i]!.period ?? item.period,
      label: r?.label ?? item.metricName,
      statusCode: r?.statusCode ?? 'Complete',
    };
  });
}

/** Names of services that have metrics, for "nothing matched" notes. */
export function knownServices(inventory: readonly CatalogedMetric[], max = 15): string[] {
  const names = new Map<string, string>();
  for (const m of inventory) {
    if (m.entity.type === 'cluster' || m.entity.type === 'other' || m.entity.type === 'namespace') continue;
    names.set(entityKey(m.entity), m.entity.namespace && m.entity.type === 'service' ? `${m.entity.namespace}/${m.entity.name}` : m.entity.name);
  }
  const all = [...new Set(names.values())].sort();
  return all.length > max ? [...all.slice(0, max), `... (${all.length - max} more)`] : all;
}

/** The note for an empty answer: nothing matched the service, or there is no such data at all. */
export function emptyNote(inventory: readonly CatalogedMetric[], what: string, service?: string): string {
  if (inventory.length === 0) return 'No CloudWatch metrics are available.';
  if (service) {
    const known = knownServices(inventory);
    return `No ${what} metric matched service '${service}'.${known.length ? ` Services and resources with metrics: ${known.join(', ')}.` : ''}`;
  }
  return `No ${what} metrics were found; list_metrics shows what exists.`;
}
