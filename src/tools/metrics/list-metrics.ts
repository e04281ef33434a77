/** list_metrics: the metric inventory with the catalog's classification, filtered and bounded. */
import { nameTokens, type MetricKind } from '../../analyzers/metrics/catalog.ts';
import { matchService } from '../../analyzers/metrics/catalog-service.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { compact } from './format.ts';
import { loadInventory, type CatalogedMetric } from './inventory.ts';

interface Args {
  namespace?: string;
  metric_name?: string;
  dimension_name?: string;
  dimension_value?: string;
  service?: string;
  metric_type?: MetricKind;
  limit: number;
}

export async function listMetrics(args: Args, ctx: OperationContext<MetricsProvider>) {
  const inventory = await loadInventory(ctx.provider);
  const name = args.metric_name?.trim().toLowerCase();
  const words = args.metric_name ? nameTokens(args.metric_name) : [];
  const dimValue = args.dimension_value?.toLowerCase();
  const keep = (m: CatalogedMetric): boolean => {
    if (args.namespace && m.namespace.toLowerCase() !== args.namespace.toLowerCase()) return false;
    if (name && !m.metricName.toLowerCase().includes(name) && !(words.length && words.every((w) => nameTokens(m.metricName).includes(w)))) return false;
    if (args.dimension_name && !(args.dimension_name in m.dimensions)) return false;
    if (dimValue !== undefined) {
      const values = args.dimension_name ? [m.dimensions[args.dimension_name] ?? ''] : Object.values(m.dimensions);
      if (!values.some((v) => v.toLowerCase() === dimValue)) return false;
    }
    if (args.metric_type && (m.profile?.kind !== args.metric_type || m.profile.role === 'capacity')) return false;
    if (args.service && !matchService(args.service, m.dimensions)) return false;
    return true;
  };
  const matched = inventory.filter(keep);
  const namespaces = new Map<string, number>();
  for (const m of matched) namespaces.set(m.namespace, (namespaces.get(m.namespace) ?? 0) + 1);
  const page = bounded(matched, args.limit);
  return {
    metrics: page.items.map((m) =>
      compact({
        namespace: m.namespace,
        metric_name: m.metricName,
        dimensions: { ...m.dimensions },
        stats: [...m.stats],
        period_seconds: Math.round(m.period),
        metric_type: m.profile && m.profile.role !== 'capacity' ? m.profile.kind : undefined,
        unit: m.profile?.unit,
        service: m.entity.name,
        entity_type: m.entity.type,
      }),
    ),
    total_count: page.total_count,
    truncated: page.truncated,
    namespaces: [...namespaces.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([namespace, count]) => ({ namespace, count })),
  };
}
