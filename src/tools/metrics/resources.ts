/** get_resource_metrics: CPU, memory, disk and network usage per entity over the last time window. */
import { canonicalUnit, type MetricKind, type MetricRole } from '../../analyzers/metrics/catalog.ts';
import { describeSeries } from '../../analyzers/metrics/stats.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { compact, entityFields, metricRef, statsFields, windowOut } from './format.ts';
import { emptyNote, fetchSeries, loadInventory, selectGroups, type CatalogedMetric } from './inventory.ts';

const HOUR = 3_600_000;

export const RESOURCE_TYPES = ['cpu', 'memory', 'disk', 'network'] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Usage roles only: limits and reservations are not usage, restarts and pod states are availability. */
const MEASURE: Partial<Record<MetricRole, string>> = {
  cpu: 'usage',
  memory: 'usage',
  memory_free: 'free',
  oom_kills: 'oom_kills',
  disk: 'usage',
  disk_free: 'free',
  disk_io: 'io',
  network: 'usage',
};

interface Args {
  resource_type?: ResourceType;
  service?: string;
  time_window?: string;
  limit: number;
}

export async function getResourceMetrics(args: Args, ctx: OperationContext<MetricsProvider>) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { window: 'time_window' }, HOUR);
  const types: readonly MetricKind[] = args.resource_type ? [args.resource_type] : RESOURCE_TYPES;
  const inventory = await loadInventory(ctx.provider);
  const keep = (m: CatalogedMetric) => !!m.profile && types.includes(m.profile.kind) && MEASURE[m.profile.role] !== undefined;
  const wanted = selectGroups(inventory, keep, args.service).flatMap((g) => g.items.map((item) => ({ entity: g.entity, item })));
  const order = (kind: MetricKind) => RESOURCE_TYPES.indexOf(kind as ResourceType);
  wanted.sort((a, b) => order(a.item.profile!.kind) - order(b.item.profile!.kind));
  const fetched = await fetchSeries(ctx.provider, wanted, window.start, window.end);
  const rows = wanted.map(({ entity, item }, i) => {
    const f = fetched[i]!;
    const { unit, factor } = canonicalUnit(item.profile!);
    return compact({
      ...entityFields(entity),
      resource_type: item.profile!.kind,
      measure: MEASURE[item.profile!.role],
      metric: metricRef(item, f.stat, f.period),
      unit,
      dependency: item.profile!.dependency,
      ...statsFields(describeSeries(f.series), factor),
    });
  });
  const page = bounded(rows, args.limit);
  return compact({
    resource_type: args.resource_type ?? 'all',
    service: args.service,
    window: windowOut(window),
    metrics: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
    note: rows.length === 0 ? emptyNote(inventory, args.resource_type ?? 'resource', args.service) : undefined,
  });
}
