/**
 * Series to analyse (analyze_trends, detect_metric_anomalies): concrete CloudWatch metrics, or the error rate
 * derived per service and metric source. Each comes with its entity, its reference for citing and its unit.
 */
import { canonicalUnit, type MetricKind, type MetricProfile } from '../../analyzers/metrics/catalog.ts';
import type { Entity } from '../../analyzers/metrics/catalog-service.ts';
import type { Series } from '../../analyzers/metrics/series.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { errorFamilies, familySeries, rateExpression, reportedRateAsFraction } from './error-families.ts';
import { ERROR_ROLES } from './errors.ts';
import { metricRef, type MetricRefOut } from './format.ts';
import { fetchSeries, hasRole, selectGroups, type CatalogedMetric, type EntityGroup } from './inventory.ts';

export interface SeriesTarget {
  entity: Entity;
  metric: MetricRefOut;
  kind?: MetricKind;
  /** Unit of `series` values after `factor` is applied. */
  unit: string;
  /** Multiply raw values by this for output (seconds -> milliseconds). */
  factor: number;
  worse: MetricProfile['worse'];
  series: Series;
}

/** Fetches the given metrics over [start, end] as analysis targets. */
export async function metricTargets(
  provider: MetricsProvider,
  entries: ReadonlyArray<{ entity: Entity; item: CatalogedMetric; stat?: string }>,
  start: number,
  end: number,
  periodSeconds?: number,
): Promise<SeriesTarget[]> {
  const fetched = await fetchSeries(provider, entries, start, end, periodSeconds);
  return entries.map((e, i) => {
    const f = fetched[i]!;
    const profile = e.item.profile;
    const { unit, factor } = profile ? canonicalUnit(profile) : { unit: 'None', factor: 1 };
    return {
      entity: e.entity,
      metric: metricRef(e.item, f.stat, f.period),
      ...(profile ? { kind: profile.kind } : {}),
      unit,
      factor,
      worse: profile?.worse ?? 'either',
      series: f.series,
    };
  });
}

export function groupEntries(groups: readonly EntityGroup[]): Array<{ entity: Entity; item: CatalogedMetric }> {
  return groups.flatMap((g) => g.items.map((item) => ({ entity: g.entity, item })));
}

/** The error rate in percent per service and metric source, derived from error and request counts. */
export async function errorRateTargets(
  provider: MetricsProvider,
  inventory: readonly CatalogedMetric[],
  service: string | undefined,
  start: number,
  end: number,
  periodSeconds?: number,
): Promise<SeriesTarget[]> {
  const groups = selectGroups(inventory, hasRole(...ERROR_ROLES), service);
  const fetched = await fetchSeries(provider, groupEntries(groups), start, end, periodSeconds);
  const byItem = new Map(fetched.map((f) => [f.item, f]));
  const out: SeriesTarget[] = [];
  for (const group of groups) {
    for (const family of errorFamilies(group.items.map((i) => byItem.get(i)!))) {
      const s = familySeries(family);
      const reported = family.reportedRates[0];
      const rate = s.rate ?? (reported ? reportedRateAsFraction(reported) : undefined);
      if (!rate) continue;
      const anchor = s.rate ? family.requests[0]! : reported!;
      out.push({
        entity: group.entity,
        metric: {
          ...metricRef(anchor.item, s.rate ? 'Sum' : anchor.stat, anchor.period, s.rate ? `100 * ${rateExpression(family)}` : undefined),
          metric_name: s.rate ? 'error_rate' : anchor.item.metricName,
        },
        kind: 'errors',
        unit: 'Percent',
        factor: 1,
        worse: 'up',
        series: { timestamps: rate.timestamps, values: rate.values.map((v) => 100 * v) },
      });
    }
  }
  return out;
}
