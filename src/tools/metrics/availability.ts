/**
 * get_availability_metrics: per service, availability from request success, healthy load-balancer targets and
 * ready replicas / running pods, with the periods it was down.
 */
import type { MetricRole } from '../../analyzers/metrics/catalog.ts';
import type { Entity } from '../../analyzers/metrics/catalog-service.ts';
import { type Series, sliceByTime } from '../../analyzers/metrics/series.ts';
import { describeSeries } from '../../analyzers/metrics/stats.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { errorFamilies, familySeries, rateExpression } from './error-families.ts';
import { ERROR_ROLES } from './errors.ts';
import { compact, entityFields, iso, metricRef, num, windowOut } from './format.ts';
import { emptyNote, fetchSeries, hasRole, loadInventory, selectGroups, type Fetched } from './inventory.ts';

const HOUR = 3_600_000;
/** A period in which at least this share of requests failed counts as down. */
export const DOWN_FAILURE_SHARE = 0.5;

const SIGNALS: Partial<Record<MetricRole, string>> = {
  availability_percent: 'reported_availability_percent',
  downtime: 'downtime',
  healthy_hosts: 'healthy_hosts',
  unhealthy_hosts: 'unhealthy_hosts',
  ready_replicas: 'ready_replicas',
  desired_replicas: 'desired_replicas',
  unavailable_replicas: 'unavailable_replicas',
  running_pods: 'running_pods',
  running_containers: 'running_containers',
  desired_containers: 'desired_containers',
  pod_state: 'pods_failing',
  restarts: 'restarts',
  crash_loop: 'crash_loop',
  nodes: 'nodes',
  failed_nodes: 'failed_nodes',
  node_ready: 'node_ready',
  node_pressure: 'node_pressure',
  instance_status: 'instance_status',
};
const SIGNAL_ROLES = Object.keys(SIGNALS) as MetricRole[];

interface Args {
  service?: string;
  time_window?: string;
  limit: number;
}

export async function getAvailabilityMetrics(args: Args, ctx: OperationContext<MetricsProvider>) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { window: 'time_window' }, HOUR);
  const inventory = await loadInventory(ctx.provider);
  const groups = selectGroups(inventory, hasRole(...SIGNAL_ROLES, ...ERROR_ROLES), args.service);
  const fetched = await fetchSeries(ctx.provider, groups.flatMap((g) => g.items.map((item) => ({ item }))), window.start, window.end);
  const byItem = new Map(fetched.map((f) => [f.item, f]));
  const rows = groups
    .map((g) => availabilityRow(g.entity, g.items.map((i) => byItem.get(i)!), window.start, window.end))
    .filter((row): row is NonNullable<typeof row> => row !== undefined)
    .sort((a, b) => (a.availability_percentage ?? 101) - (b.availability_percentage ?? 101) || b.down_periods - a.down_periods);
  const page = bounded(rows, args.limit);
  return compact({
    service: args.service,
    window: windowOut(window),
    availability_metrics: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
    note: rows.length === 0 ? emptyNote(inventory, 'availability', args.service) : undefined,
  });
}

interface SignalOut {
  signal: string;
  current?: number;
  minimum?: number;
  maximum?: number;
  average?: number;
  metric: ReturnType<typeof metricRef>;
}

function availabilityRow(entity: Entity, fetched: readonly Fetched[], start: number, end: number) {
  const signals: SignalOut[] = [];
  const byRole = (role: MetricRole) => fetched.filter((f) => f.item.profile?.role === role).map((f) => sliceByTime(f.series, start, end));
  // Per timestamp: why the service was down then.
  const down = new Set<number>();
  const periods = new Set<number>();
  let periodSeconds = Number.POSITIVE_INFINITY;

  for (const f of fetched) {
    const signal = f.item.profile ? SIGNALS[f.item.profile.role] : undefined;
    if (!signal) continue;
    const series = sliceByTime(f.series, start, end);
    const stats = describeSeries(series);
    signals.push(compact({ signal, current: num(stats?.current), minimum: num(stats?.min), maximum: num(stats?.max), average: num(stats?.mean), metric: metricRef(f.item, f.stat, f.period) }));
  }

  const markDown = (series: Series, isDown: (value: number, t: number) => boolean, period: number) => {
    series.timestamps.forEach((t, i) => {
      periods.add(t);
      if (isDown(series.values[i]!, t)) down.add(t);
    });
    if (series.timestamps.length) periodSeconds = Math.min(periodSeconds, period);
  };
  const valueAt = (series: readonly Series[], t: number): number | undefined => {
    let total: number | undefined;
    for (const s of series) {
      const i = s.timestamps.indexOf(t);
      if (i >= 0) total = (total ?? 0) + s.values[i]!;
    }
    return total;
  };
  const periodOf = (role: MetricRole) => fetched.find((f) => f.item.profile?.role === role)?.period ?? 60;

  // Zero of something that should be there: desired > 0 at that time, or (without a desired count) > 0 earlier.
  const zeroOfExpected = (role: MetricRole, desiredRole: MetricRole | undefined) => {
    const series = byRole(role);
    const desired = desiredRole ? byRole(desiredRole) : [];
    for (const s of series) {
      const everUp = s.values.some((v) => v > 0);
      markDown(s, (v, t) => {
        if (v > 0) return false;
        const want = desired.length ? valueAt(desired, t) : undefined;
        return want !== undefined ? want > 0 : everUp;
      }, periodOf(role));
    }
  };
  zeroOfExpected('healthy_hosts', undefined);
  zeroOfExpected('ready_replicas', 'desired_replicas');
  zeroOfExpected('running_pods', 'desired_replicas');
  zeroOfExpected('running_containers', 'desired_containers');
  zeroOfExpected('node_ready', undefined);
  for (const s of byRole('instance_status')) markDown(s, (v) => v > 0, periodOf('instance_status'));

  let totalRequests = 0;
  let failedRequests = 0;
  for (const family of errorFamilies(fetched)) {
    const fs = familySeries(family);
    if (!fs.requests || !fs.errors) continue;
    const requests = sliceByTime(fs.requests, start, end);
    const errors = sliceByTime(fs.errors, start, end);
    totalRequests += requests.values.reduce((a, b) => a + b, 0);
    failedRequests += errors.values.reduce((a, b) => a + b, 0);
    const rate = sliceByTime(fs.rate!, start, end);
    markDown(rate, (v) => v >= DOWN_FAILURE_SHARE, family.requests[0]?.period ?? 60);
    const success = { timestamps: rate.timestamps, values: rate.values.map((v) => 100 * (1 - v)) };
    const stats = describeSeries(success);
    const first = family.requests[0]!;
    signals.unshift(
      compact({
        signal: 'request_success_percent',
        current: num(stats?.current),
        minimum: num(stats?.min),
        maximum: num(stats?.max),
        average: num(stats?.mean),
        metric: metricRef(first.item, first.stat, first.period, `100 * (1 - ${rateExpression(family)})`),
      }),
    );
  }

  if (signals.length === 0) return undefined;
  const timeline = [...periods].sort((a, b) => a - b);
  const downTimes = timeline.filter((t) => down.has(t));
  let lastDownAt: number | undefined;
  for (let i = timeline.length - 1; i >= 0; i--) {
    if (!down.has(timeline[i]!)) {
      if (lastDownAt !== undefined) break;
      continue;
    }
    lastDownAt = timeline[i];
  }
  const uptime = timeline.length ? (100 * (timeline.length - downTimes.length)) / timeline.length : undefined;
  const requestBased = totalRequests > 0;
  // An application's own availability gauge, when it publishes one and there are no request counts.
  const reported = byRole('availability_percent').flatMap((s) => s.values);
  const reportedMean = reported.length ? reported.reduce((a, b) => a + b, 0) / reported.length : undefined;
  const basis = requestBased ? 'requests' : reportedMean !== undefined ? 'reported' : uptime !== undefined ? 'uptime' : 'none';
  return compact({
    ...entityFields(entity),
    availability_percentage: num(
      basis === 'requests' ? 100 * (1 - Math.min(1, failedRequests / totalRequests)) : basis === 'reported' ? reportedMean : uptime,
    ),
    basis,
    uptime_percentage: num(uptime),
    total_requests: requestBased ? num(totalRequests) : undefined,
    failed_requests: requestBased ? num(failedRequests) : undefined,
    down_periods: downTimes.length,
    downtime_seconds: Number.isFinite(periodSeconds) ? downTimes.length * periodSeconds : 0,
    last_down_at: lastDownAt !== undefined ? iso(lastDownAt) : undefined,
    signals,
  });
}
