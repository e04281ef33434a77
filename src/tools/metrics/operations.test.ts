/**
 * The metrics operations end to end over a recorded scenario written here: GetMetricData files and a
 * DescribeAlarms file in the production shapes, read by the fixture provider, every response checked against
 * openapi/metrics.yaml. Incident: checkout-api starts failing and slowing down at 11:45; its targets are all
 * unhealthy from 11:50 to 11:54.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureMetricsProvider } from '../../providers/metrics/fixture.ts';
import { createToolInvoker, type ToolInvoker } from '../invoke.ts';
import { loadToolDefinitions } from '../openapi.ts';
import { metricsBackend } from './backend.ts';

const MINUTE = 60_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');
const INCIDENT = Date.parse('2026-03-10T11:45:00Z');
const START = NOW - 3 * 60 * MINUTE;
const iso = (t: number) => new Date(t).toISOString();

const TG = 'targetgroup/k8s-checkout-checkout-2b8e4f61a9/5e7d2c9b1f0a3d84';
const LB = 'app/k8s-shop-0c8d2f7a1e/6e1b9f0c3d2a4b57';
const ALB_DIMS = [
  { Name: 'TargetGroup', Value: TG },
  { Name: 'LoadBalancer', Value: LB },
];
const POD_DIMS = [
  { Name: 'ClusterName', Value: 'prod' },
  { Name: 'Namespace', Value: 'checkout' },
  { Name: 'PodName', Value: 'checkout-api' },
];

interface Recorded {
  namespace: string;
  name: string;
  dims: Array<{ Name: string; Value: string }>;
  stat: string;
  value: (t: number, i: number) => number | undefined;
}

/** One datapoint a minute from START to NOW - 1 min; undefined values are omitted, as CloudWatch omits them. */
function metricsFile(recorded: Recorded[]) {
  const queries = recorded.map((r, i) => ({ Id: `m${i}`, MetricStat: { Metric: { Namespace: r.namespace, MetricName: r.name, Dimensions: r.dims }, Period: 60, Stat: r.stat }, ReturnData: true }));
  const results = recorded.map((r, i) => {
    const timestamps: string[] = [];
    const values: number[] = [];
    for (let t = NOW - MINUTE, k = 0; t >= START; t -= MINUTE, k++) {
      const v = r.value(t, k);
      if (v !== undefined) {
        timestamps.push(iso(t));
        values.push(v);
      }
    }
    return { Id: `m${i}`, Label: r.name, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
  });
  return { MetricDataQueries: queries, MetricDataResults: results };
}

const after = (t: number, at: number) => t >= at;
// Deterministic jitter so baselines have a spread.
const wobble = (t: number, amplitude: number) => amplitude * Math.sin(t / MINUTE);

const ALB: Recorded[] = [
  { namespace: 'AWS/ApplicationELB', name: 'RequestCount', dims: ALB_DIMS, stat: 'Sum', value: (t) => Math.round(100 + wobble(t, 5)) },
  { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', dims: ALB_DIMS, stat: 'Sum', value: (t) => (after(t, INCIDENT) ? 30 : t % (17 * MINUTE) === 0 ? 1 : undefined) },
  { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_ELB_5XX_Count', dims: [{ Name: 'LoadBalancer', Value: LB }], stat: 'Sum', value: (t) => (after(t, INCIDENT + 5 * MINUTE) && t < INCIDENT + 10 * MINUTE ? 20 : undefined) },
  { namespace: 'AWS/ApplicationELB', name: 'TargetResponseTime', dims: ALB_DIMS, stat: 'Average', value: (t) => (after(t, INCIDENT) ? 1.5 : 0.2 + wobble(t, 0.01)) },
  { namespace: 'AWS/ApplicationELB', name: 'TargetResponseTime', dims: ALB_DIMS, stat: 'p99', value: (t) => (after(t, INCIDENT) ? 3 : 0.5 + wobble(t, 0.02)) },
  {
    namespace: 'AWS/ApplicationELB',
    name: 'HealthyHostCount',
    dims: ALB_DIMS,
    stat: 'Minimum',
    value: (t) => (t >= INCIDENT + 5 * MINUTE && t < INCIDENT + 10 * MINUTE ? 0 : after(t, INCIDENT) ? 1 : 3),
  },
];
const CONTAINER_INSIGHTS: Recorded[] = [
  { namespace: 'ContainerInsights', name: 'pod_cpu_utilization', dims: POD_DIMS, stat: 'Average', value: (t) => 40 + wobble(t, 2) },
  { namespace: 'ContainerInsights', name: 'pod_memory_utilization_over_pod_limit', dims: POD_DIMS, stat: 'Average', value: (t) => 50 + wobble(t, 1) },
  { namespace: 'ContainerInsights', name: 'pod_cpu_limit', dims: POD_DIMS, stat: 'Average', value: () => 2000 },
  { namespace: 'ContainerInsights', name: 'node_cpu_utilization', dims: [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'NodeName', Value: 'ip-10-0-1-12' }, { Name: 'InstanceId', Value: 'i-0abc' }], stat: 'Average', value: (t) => 30 + wobble(t, 3) },
];
const APP: Recorded[] = [
  { namespace: 'Shop/Payments', name: 'Requests', dims: [{ Name: 'Service', Value: 'payment-gateway' }], stat: 'Sum', value: () => 50 },
  { namespace: 'Shop/Payments', name: 'Errors', dims: [{ Name: 'Service', Value: 'payment-gateway' }], stat: 'Sum', value: (t) => (t % (10 * MINUTE) === 0 ? 1 : 0) },
  { namespace: 'AWS/RDS', name: 'FreeStorageSpace', dims: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }], stat: 'Minimum', value: (t) => 5e10 - (t - START) * 10 },
];

const ALARMS = {
  MetricAlarms: [
    {
      AlarmName: 'checkout-api-target-5xx',
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (10.0).',
      StateUpdatedTimestamp: '2026-03-10T11:48:10.123000+00:00',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: ALB_DIMS,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
    },
    { AlarmName: 'orders-db-storage', StateValue: 'OK', Namespace: 'AWS/RDS', MetricName: 'FreeStorageSpace', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }], Statistic: 'Minimum', Period: 60, EvaluationPeriods: 1, Threshold: 1e9, ComparisonOperator: 'LessThanThreshold' },
  ],
};

/** Tool results: checked against the response schema by the invoker, read loosely here. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let tools: ToolInvoker;

async function call(name: string, args: Record<string, unknown> = {}): Promise<Json> {
  const out = await tools.invoke(name, args);
  if (!out.ok) throw new Error(`${name} failed: ${JSON.stringify(out.error)}`);
  return out.result as Json;
}
async function callError(name: string, args: Record<string, unknown>) {
  const out = await tools.invoke(name, args);
  if (out.ok) throw new Error(`${name} unexpectedly succeeded`);
  return out.error;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-ops-'));
  const files: Record<string, unknown> = {
    'cloudwatch/metrics/alb.json': metricsFile(ALB),
    'cloudwatch/metrics/container-insights.json': metricsFile(CONTAINER_INSIGHTS),
    'cloudwatch/metrics/app.json': metricsFile(APP),
    'cloudwatch/alarms.json': ALARMS,
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), JSON.stringify(content));
  }
  tools = createToolInvoker(metricsBackend, {
    provider: () => createFixtureMetricsProvider(dir),
    clock: () => NOW,
    validateResponses: true,
    definitions: loadToolDefinitions(['metrics'], resolve(import.meta.dirname, '../../../openapi')),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('get_performance_metrics', () => {
  it('reports latency in milliseconds with percentiles, measured on the investigation clock', async () => {
    const r = await call('get_performance_metrics', { metric_type: 'response_time', service: 'checkout-api', start_time: '30m' });
    expect(r.window).toEqual({ start: iso(NOW - 30 * MINUTE), end: iso(NOW) });
    expect(r.metrics).toHaveLength(1);
    const row = r.metrics[0];
    expect(row).toMatchObject({ service: 'checkout-api', k8s_namespace: 'checkout', metric_type: 'response_time', unit: 'Milliseconds', current: 1500, max: 1500, current_at: iso(NOW - MINUTE) });
    expect(row.metric).toMatchObject({ namespace: 'AWS/ApplicationELB', metric_name: 'TargetResponseTime', stat: 'Average', dimensions: { TargetGroup: TG, LoadBalancer: LB } });
    expect(row.percentiles).toEqual({ p99: 3000 });
    expect(row.min).toBeLessThan(300);
  });

  it('gives throughput totals and rates, and every type with no filter', async () => {
    const r = await call('get_performance_metrics', { metric_type: 'throughput', start_time: '10m' });
    const row = r.metrics.find((m: Json) => m.metric.metric_name === 'RequestCount');
    expect(row.datapoints).toBe(10);
    expect(row.total).toBeGreaterThan(900);
    expect(row.average_per_second).toBeCloseTo(row.total / 600, 2);
    const all = await call('get_performance_metrics', {});
    expect(new Set(all.metrics.map((m: Json) => m.metric_type))).toEqual(new Set(['response_time', 'throughput', 'cpu_usage', 'memory_usage']));
    // Limits are configuration, not usage.
    expect(all.metrics.some((m: Json) => m.metric.metric_name === 'pod_cpu_limit')).toBe(false);
  });

  it('bounds rows and says when nothing matched the service', async () => {
    const r = await call('get_performance_metrics', { limit: 1 });
    expect(r).toMatchObject({ truncated: true });
    expect(r.total_count).toBeGreaterThan(1);
    const none = await call('get_performance_metrics', { service: 'inventory' });
    expect(none.metrics).toEqual([]);
    expect(none.note).toContain('checkout/checkout-api');
  });
});

describe('get_error_rates', () => {
  it('computes the error rate per service and source, worst first, with the onset of the rise', async () => {
    const r = await call('get_error_rates', { time_window: '30m' });
    const [first, ...rest] = r.error_rates;
    expect(first).toMatchObject({ service: 'checkout-api', cloudwatch_namespace: 'AWS/ApplicationELB', current_error_rate_percent: expect.any(Number) });
    expect(first.error_rate_percent).toBeGreaterThan(10);
    expect(first.peak_error_rate_percent).toBeGreaterThanOrEqual(first.error_rate_percent);
    expect(first.onset).toBe(iso(INCIDENT));
    // The background error every 17 minutes (at 11:35) comes first; the rise is dated by the onset.
    expect(first.first_error_at).toBe('2026-03-10T11:35:00.000Z');
    expect(first.status_codes[0]).toMatchObject({ code: '5XX', source: 'target', metric_name: 'HTTPCode_Target_5XX_Count' });
    expect(first.request_metric.metric_name).toBe('RequestCount');
    const payments = rest.find((row: Json) => row.service === 'payment-gateway');
    expect(payments).toMatchObject({ cloudwatch_namespace: 'Shop/Payments', total_requests: 1500 });
    expect(payments.error_rate_percent).toBeLessThan(1);
    expect(payments.onset).toBeUndefined();
  });

  it('keeps load-balancer 5XX apart from the target group it cannot be attributed to', async () => {
    const r = await call('get_error_rates', { time_window: '30m' });
    const lb = r.error_rates.find((row: Json) => row.entity_type === 'load_balancer');
    expect(lb.status_codes).toEqual([{ code: '5XX', source: 'load_balancer', count: 100, metric_name: 'HTTPCode_ELB_5XX_Count' }]);
  });

  it('honours the window: before the incident there is no onset', async () => {
    const narrow = await tools.invoke('get_error_rates', { time_window: '10m', service: 'payment-gateway' });
    expect(narrow.ok && (narrow.result as Json).error_rates[0].total_requests).toBe(500);
    const err = await callError('get_error_rates', { time_window: 'soon' });
    expect(err).toMatchObject({ type: 'InvalidArgument', field: 'time_window' });
  });
});

describe('get_availability_metrics', () => {
  it('finds the minutes without a healthy target and the request success', async () => {
    const r = await call('get_availability_metrics', { service: 'checkout-api', time_window: '30m' });
    const row = r.availability_metrics[0];
    expect(row).toMatchObject({ service: 'checkout-api', basis: 'requests', down_periods: 5, downtime_seconds: 300, last_down_at: iso(INCIDENT + 5 * MINUTE) });
    expect(row.availability_percentage).toBeLessThan(90);
    expect(row.uptime_percentage).toBeCloseTo((100 * 25) / 30, 1);
    const healthy = row.signals.find((s: Json) => s.signal === 'healthy_hosts');
    expect(healthy).toMatchObject({ minimum: 0, current: 1, maximum: 3 });
    expect(row.signals[0]).toMatchObject({ signal: 'request_success_percent' });
    expect(row.signals[0].metric.expression).toContain('HTTPCode_Target_5XX_Count / RequestCount');
  });
});

describe('get_resource_metrics', () => {
  it('lists usage, not limits, and free storage as such', async () => {
    const memory = await call('get_resource_metrics', { resource_type: 'memory' });
    expect(memory.metrics.map((m: Json) => m.metric.metric_name)).toEqual(['pod_memory_utilization_over_pod_limit']);
    const disk = await call('get_resource_metrics', { resource_type: 'disk' });
    expect(disk.metrics[0]).toMatchObject({ service: 'orders-db', entity_type: 'database', measure: 'free', dependency: true, unit: 'Bytes' });
    const cpu = await call('get_resource_metrics', { resource_type: 'cpu', time_window: '15m' });
    expect(cpu.metrics.map((m: Json) => m.entity_type).sort()).toEqual(['node', 'service']);
    expect(cpu.metrics.every((m: Json) => m.datapoints === 15)).toBe(true);
  });
});

describe('analyze_trends', () => {
  it('resolves kinds, exact names and parts of names', async () => {
    expect((await call('analyze_trends', { metric_name: 'response_time' })).resolved_as).toBe('kind latency');
    expect((await call('analyze_trends', { metric_name: 'targetresponsetime' })).resolved_as).toBe('metric TargetResponseTime');
    expect((await call('analyze_trends', { metric_name: '5XX' })).resolved_as).toBe('kind errors');
    const part = await call('analyze_trends', { metric_name: 'target 5xx' });
    expect(part.resolved_as).toBe('metrics matching target 5xx');
    expect(part.series.map((s: Json) => s.metric.metric_name)).toEqual(['HTTPCode_Target_5XX_Count']);
    const contains = await call('analyze_trends', { metric_name: 'ResponseTime' });
    expect(contains.series.map((s: Json) => s.metric.metric_name)).toEqual(['TargetResponseTime']);
    const err = await callError('analyze_trends', { metric_name: 'flux_capacitor' });
    expect(err).toMatchObject({ type: 'NotFound', field: 'metric_name' });
    expect(err.message).toContain('TargetResponseTime');
  });

  it('reports the shift, its onset, the trend and the anomalous datapoints', async () => {
    const r = await call('analyze_trends', { metric_name: 'TargetResponseTime', service: 'checkout-api', time_window: '30m' });
    const p99 = r.series.find((s: Json) => s.metric.stat === 'p99');
    expect(p99).toMatchObject({ trend: 'increasing', unit: 'Milliseconds', current: 3000 });
    expect(p99.baseline).toMatchObject({ source: 'preceding_window', samples: 30 });
    expect(p99.change).toMatchObject({ anomalous: true, direction: 'up', onset: iso(INCIDENT) });
    expect(p99.anomaly_count).toBe(15);
    expect(p99.anomalies[0].deviation_percentage).toBeGreaterThan(400);
  });

  it('flags fewer datapoints at a higher threshold and none at 100', async () => {
    const count = async (t: number) =>
      (await call('analyze_trends', { metric_name: 'pod_cpu_utilization', time_window: '1h', anomaly_threshold: t })).series[0].anomaly_count as number;
    const none = await call('analyze_trends', { metric_name: 'pod_cpu_utilization', anomaly_threshold: 100 });
    expect(none.z_threshold).toBeUndefined();
    expect(none.series[0].anomalies).toEqual([]);
    expect(await count(0)).toBeGreaterThanOrEqual(await count(99.9));
  });
});

describe('detect_metric_anomalies', () => {
  it('finds what changed for a service, most anomalous first, with onsets', async () => {
    const r = await call('detect_metric_anomalies', { service: 'checkout-api' });
    expect(r.window).toEqual({ start: iso(NOW - 30 * MINUTE), end: iso(NOW) });
    expect(r.baseline_window).toEqual({ start: iso(NOW - 210 * MINUTE), end: iso(NOW - 30 * MINUTE) });
    const names = r.results.filter((x: Json) => x.anomalous).map((x: Json) => `${x.metric.metric_name}/${x.metric.stat}`);
    // One series per metric, read with its preferred statistic (p99 for latency).
    expect(names.sort()).toEqual(['HTTPCode_Target_5XX_Count/Sum', 'HealthyHostCount/Minimum', 'TargetResponseTime/p99', 'error_rate/Sum']);
    expect(r.results[0].anomalous).toBe(true);
    const latency = r.results.find((x: Json) => x.metric.metric_name === 'TargetResponseTime' && x.metric.stat === 'p99');
    expect(latency).toMatchObject({ concerning: true, direction: 'up', onset: iso(INCIDENT), unit: 'Milliseconds' });
    expect(latency.baseline.median).toBeCloseTo(500, -1);
    const healthy = r.results.find((x: Json) => x.metric.metric_name === 'HealthyHostCount');
    expect(healthy).toMatchObject({ direction: 'down', concerning: true });
    const cpu = r.results.find((x: Json) => x.metric.metric_name === 'pod_cpu_utilization');
    expect(cpu.anomalous).toBe(false);
    expect(r.anomalous_count).toBe(r.results.filter((x: Json) => x.anomalous).length);
  });

  it('analyses named metrics by a subset of their dimensions and honours the windows', async () => {
    const r = await call('detect_metric_anomalies', {
      metrics: [{ namespace: 'AWS/ApplicationELB', metric_name: 'TargetResponseTime', dimensions: { TargetGroup: TG } }],
      start_time: iso(INCIDENT - 30 * MINUTE),
      end_time: iso(INCIDENT - MINUTE),
      baseline_start: '3h',
    });
    expect(r.analyzed_count).toBe(1);
    expect(r.results[0]).toMatchObject({ anomalous: false, metric: { stat: 'p99' } });
    const only = await call('detect_metric_anomalies', { anomalous_only: true, limit: 2 });
    expect(only.results.every((x: Json) => x.anomalous)).toBe(true);
    expect(only.results).toHaveLength(2);
    expect(only.truncated).toBe(true);
  });

  it('rejects a baseline that does not precede the incident window, naming the argument', async () => {
    expect(await callError('detect_metric_anomalies', { baseline_start: '10m' })).toMatchObject({ type: 'InvalidArgument', field: 'baseline_start' });
    expect(await callError('detect_metric_anomalies', { baseline_start: '2h', baseline_end: '3h' })).toMatchObject({ field: 'baseline_start' });
    expect(await callError('detect_metric_anomalies', { start_time: 'yesterday' })).toMatchObject({ field: 'start_time' });
  });
});

describe('get_metric_data', () => {
  const base = { namespace: 'AWS/ApplicationELB', metric_name: 'HTTPCode_Target_5XX_Count', dimensions: { TargetGroup: TG, LoadBalancer: LB } };

  it('returns the most recent datapoints within the limit', async () => {
    const r = await call('get_metric_data', { ...base, metric_name: 'RequestCount', start_time: '20m', limit: 5 });
    expect(r).toMatchObject({ total_count: 20, truncated: true, status_code: 'Complete', metric: { stat: 'Sum', period_seconds: 60 }, metric_type: 'throughput' });
    expect(r.datapoints.map((d: Json) => d.timestamp)).toEqual([5, 4, 3, 2, 1].map((k) => iso(NOW - k * MINUTE)));
    expect(r.summary.datapoints).toBe(20);
    // A count CloudWatch omits in periods without any: fewer datapoints than periods.
    expect((await call('get_metric_data', { ...base, start_time: '20m' })).total_count).toBe(15);
  });

  it("aggregates to a longer period with the statistic's own arithmetic", async () => {
    const r = await call('get_metric_data', { ...base, start_time: iso(INCIDENT), end_time: iso(INCIDENT + 10 * MINUTE - 1), period: 300 });
    expect(r.datapoints).toEqual([
      { timestamp: iso(INCIDENT), value: 150 },
      { timestamp: iso(INCIDENT + 5 * MINUTE), value: 150 },
    ]);
    expect(r.metric.period_seconds).toBe(300);
  });

  it('lists the dimension sets that exist when the query matches none', async () => {
    const r = await call('get_metric_data', { namespace: 'AWS/ApplicationELB', metric_name: 'HTTPCode_Target_5XX_Count', dimensions: { TargetGroup: TG } });
    expect(r.datapoints).toEqual([]);
    expect(r.candidates).toEqual([{ namespace: 'AWS/ApplicationELB', metric_name: 'HTTPCode_Target_5XX_Count', dimensions: { TargetGroup: TG, LoadBalancer: LB }, stats: ['Sum'] }]);
    expect(await callError('get_metric_data', { metric_name: 'x' })).toMatchObject({ type: 'InvalidArgument', field: 'namespace' });
  });
});

describe('list_metrics', () => {
  it('filters by kind, service, name and dimension, and counts per namespace', async () => {
    const latency = await call('list_metrics', { metric_type: 'latency' });
    expect(latency.metrics.map((m: Json) => m.metric_name)).toEqual(['TargetResponseTime']);
    expect(latency.metrics[0]).toMatchObject({ stats: ['Average', 'p99'], unit: 'Seconds', service: 'checkout-api', entity_type: 'service', period_seconds: 60 });
    const forService = await call('list_metrics', { service: 'checkout/checkout-api' });
    expect(forService.metrics.every((m: Json) => m.namespace !== 'Shop/Payments')).toBe(true);
    expect(forService.total_count).toBe(7);
    expect((await call('list_metrics', { metric_name: 'free storage' })).metrics.map((m: Json) => m.metric_name)).toEqual(['FreeStorageSpace']);
    expect((await call('list_metrics', { dimension_name: 'PodName', dimension_value: 'CHECKOUT-API' })).total_count).toBe(3);
    const page = await call('list_metrics', { limit: 2 });
    expect(page).toMatchObject({ truncated: true, total_count: 12 });
    expect(page.metrics).toHaveLength(2);
    expect(page.namespaces).toEqual([
      { namespace: 'AWS/ApplicationELB', count: 5 },
      { namespace: 'ContainerInsights', count: 4 },
      { namespace: 'Shop/Payments', count: 2 },
      { namespace: 'AWS/RDS', count: 1 },
    ]);
  });
});

describe('describe_alarms', () => {
  it('explains the alarm, its metric and when the breach began', async () => {
    const r = await call('describe_alarms', { alarm_name: 'checkout-api-target-5xx' });
    const a = r.alarms[0];
    expect(a).toMatchObject({
      state: 'ALARM',
      state_updated_at: '2026-03-10T11:48:10.123Z',
      metric_type: 'errors',
      service: 'checkout-api',
      k8s_namespace: 'checkout',
      condition: 'Sum of HTTPCode_Target_5XX_Count > 10 for 3 of 3 period(s) of 60 s',
    });
    // The last hour: the 15 incident minutes and 3 background errors (minutes without errors have no datapoint).
    expect(a.metric_data).toMatchObject({ total_count: 18, truncated: false, current_value: 30, breaching_count: 15, first_breach_at: iso(INCIDENT) });
    expect(a.metric_data.window).toEqual({ start: iso(NOW - 60 * MINUTE), end: iso(NOW) });
    expect(a.metric_data.datapoints[0]).toMatchObject({ value: 1, breaching: false });
    expect(a.metric_data.datapoints.at(-1)).toEqual({ timestamp: iso(NOW - MINUTE), value: 30, breaching: true });
  });

  it('orders alarms in ALARM first, filters by state and prefix, and names the missing one', async () => {
    const all = await call('describe_alarms', { include_metric_data: false });
    expect(all.alarms.map((a: Json) => a.alarm_name)).toEqual(['checkout-api-target-5xx', 'orders-db-storage']);
    expect(all.alarms[0].metric_data).toBeUndefined();
    expect((await call('describe_alarms', { state: 'OK' })).alarms.map((a: Json) => a.alarm_name)).toEqual(['orders-db-storage']);
    expect((await call('describe_alarms', { alarm_name_prefix: 'orders' })).total_count).toBe(1);
    const err = await callError('describe_alarms', { alarm_name: 'nope' });
    expect(err).toMatchObject({ type: 'NotFound', field: 'alarm_name' });
    expect(err.message).toContain('checkout-api-target-5xx');
  });
});
