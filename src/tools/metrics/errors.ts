/** get_error_rates: server errors and error rates per service and metric source, worst first. */
import type { Entity } from '../../analyzers/metrics/catalog-service.ts';
import { median } from '../../analyzers/metrics/baseline.ts';
import { summarizeChange } from '../../analyzers/metrics/change.ts';
import { type Series, sliceByTime } from '../../analyzers/metrics/series.ts';
import { describeSeries } from '../../analyzers/metrics/stats.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { errorFamilies, familySeries, reportedRateAsFraction, type ErrorFamily } from './error-families.ts';
import { compact, entityFields, iso, metricRef, num, windowOut } from './format.ts';
import { emptyNote, fetchSeries, hasRole, loadInventory, selectGroups, type Fetched } from './inventory.ts';

const HOUR = 3_600_000;

export const ERROR_ROLES = ['requests', 'server_errors', 'server_errors_code', 'client_errors', 'success', 'error_rate', 'connection_errors'] as const;

const CODE_OF_ROLE: Readonly<Record<string, string>> = { connection_errors: 'connection_error', success: 'success', client_errors: '4XX' };

interface Args {
  time_window?: string;
  service?: string;
  limit: number;
}

export async function getErrorRates(args: Args, ctx: OperationContext<MetricsProvider>) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { window: 'time_window' }, HOUR);
  const length = window.end - window.start;
  const inventory = await loadInventory(ctx.provider);
  const groups = selectGroups(inventory, hasRole(...ERROR_ROLES), args.service);
  const requests = groups.flatMap((g) => g.items.map((item) => ({ item })));
  // The preceding window of the same length is the baseline the onset is measured against.
  const fetched = await fetchSeries(ctx.provider, requests, window.start - length, window.end);
  const byItem = new Map(fetched.map((f) => [f.item, f]));

  const rows: Array<Record<string, unknown> & { sortKey: number }> = [];
  for (const group of groups) {
    const families = errorFamilies(group.items.map((item) => byItem.get(item)!));
    for (const family of families) rows.push(familyRow(group.entity, family, window.start, window.end));
  }
  rows.sort((a, b) => b.sortKey - a.sortKey);
  const page = bounded(
    rows.map(({ sortKey: _sortKey, ...row }) => row),
    args.limit,
  );
  return compact({
    service: args.service,
    window: windowOut(window),
    error_rates: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
    note: rows.length === 0 ? emptyNote(inventory, 'error or request', args.service) : undefined,
  });
}

function familyRow(entity: Entity, family: ErrorFamily, start: number, end: number): Record<string, unknown> & { sortKey: number } {
  const length = end - start;
  const s = familySeries(family);
  const inWindow = (series: Series | undefined) => (series ? sliceByTime(series, start, end) : undefined);
  const errors = inWindow(s.errors);
  const requests = inWindow(s.requests);
  const clientErrors = inWindow(s.clientErrors);
  const errorCount = errors ? sum(errors) : undefined;
  const requestCount = requests ? sum(requests) : undefined;
  const clientCount = clientErrors ? sum(clientErrors) : undefined;

  // The rate per period: derived from counts, else what a reported error-rate metric says.
  let rateFull = s.rate;
  if (!rateFull && family.reportedRates.length) rateFull = reportedRateAsFraction(family.reportedRates[0]!);
  const rate = inWindow(rateFull);
  const rateStats = rate ? describeSeries(rate) : undefined;
  const overall =
    errorCount !== undefined && requestCount !== undefined && requestCount > 0
      ? errorCount / requestCount
      : !s.rate && rateStats
        ? rateStats.mean
        : undefined;

  const trendSeries = rateFull ?? s.errors;
  let onset: number | undefined;
  let baselineRate: number | undefined;
  if (trendSeries) {
    const change = summarizeChange(trendSeries, { baselineStart: start - length, baselineEnd: start, start, end });
    if (change.anomalous && change.direction === 'up') onset = change.onset;
    if (rateFull) {
      const before = sliceByTime(rateFull, start - length, start - 1);
      if (before.values.length) baselineRate = median(before.values);
    }
  }
  const firstErrorIndex = errors ? errors.values.findIndex((v) => v > 0) : -1;

  const statusCodes = [...family.errors, ...family.breakdown]
    .map((f) => ({ f, count: sum(sliceByTime(f.series, start, end)) }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => b.count - a.count)
    .map(({ f, count }) => ({
      code: f.item.profile?.statusClass ?? CODE_OF_ROLE[f.item.profile?.role ?? ''] ?? 'error',
      source: f.item.profile?.source ?? 'application',
      count: num(count)!,
      metric_name: f.item.metricName,
    }));
  const errorMetrics = (family.errors.length ? family.errors : family.reportedRates).map((f) => ref(f));

  const row = compact({
    ...entityFields(entity),
    cloudwatch_namespace: family.namespace,
    total_requests: num(requestCount),
    error_count: num(errorCount),
    error_rate_percent: pct(overall),
    current_error_rate_percent: pct(rateStats?.current),
    peak_error_rate_percent: pct(rateStats?.max),
    peak_at: rateStats && rateStats.max > 0 ? iso(rateStats.maxAt) : undefined,
    client_error_count: num(clientCount),
    client_error_rate_percent: clientCount !== undefined && requestCount ? pct(clientCount / requestCount) : undefined,
    first_error_at: firstErrorIndex >= 0 ? iso(errors!.timestamps[firstErrorIndex]!) : undefined,
    baseline_error_rate_percent: pct(baselineRate),
    onset: onset !== undefined ? iso(onset) : undefined,
    status_codes: statusCodes,
    request_metric: family.requests[0] ? ref(family.requests[0]) : undefined,
    error_metrics: errorMetrics,
  });
  return { ...row, sortKey: (overall ?? -1) * 1e12 + (errorCount ?? 0) };
}

function ref(f: Fetched) {
  return metricRef(f.item, f.stat, f.period);
}

function sum(series: Series): number {
  return series.values.reduce((a, b) => a + b, 0);
}

function pct(fraction: number | undefined): number | undefined {
  return fraction === undefined ? undefined : num(100 * fraction);
}
