/**
 * Contract of the metrics tools over every bundled scenario: each operation with several argument sets
 * (defaults, filters, relative windows, limits) must succeed and match its response schema; then windows,
 * filters and limits must visibly do what they say. Also checks openapi/metrics.yaml itself: a valid OpenAPI
 * 3.0.3 document written to AgentCore Gateway's rules.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import type { ScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { createFixtureMetricsProvider } from '../../src/providers/metrics/fixture.ts';
import { entityOf } from '../../src/analyzers/metrics/catalog-service.ts';
import { classifyMetric } from '../../src/analyzers/metrics/catalog.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { type JsonSchema, loadOpenApiDocument, loadToolDefinitions, openApiDir } from '../../src/tools/openapi.ts';
import { metricsBackend } from '../../src/tools/metrics/backend.ts';
import { type ArgumentCases, assertEveryOperationCovered, bundledScenarios, runContract } from './harness.ts';

const scenarios = bundledScenarios();
const MINUTE = 60_000;
const iso = (t: number) => new Date(t).toISOString();

function invokerFor(scenario: ScenarioMeta) {
  return createToolInvoker(metricsBackend, {
    provider: () => createFixtureMetricsProvider(scenario.dir),
    clock: () => scenario.now,
    onInternalError: (error) => {
      throw error;
    },
  });
}

/** Things that exist in the scenario, so that cases exercise real data rather than empty answers. */
async function pick(scenario: ScenarioMeta) {
  const provider = createFixtureMetricsProvider(scenario.dir);
  const metrics = await provider.listMetrics();
  const withData = [];
  for (const m of metrics) {
    const [s] = await provider.getMetricData([{ ...m, stat: m.stats[0]! }], scenario.now - 3 * 60 * MINUTE, scenario.now);
    if (s && s.values.length > 1) withData.push(m);
  }
  const metric = withData[0] ?? metrics[0];
  const serviceMetric = withData.find((m) => entityOf(m.dimensions).type === 'service');
  const service = serviceMetric ? entityOf(serviceMetric.dimensions).name : undefined;
  const alarm = (await provider.describeAlarms())[0];
  const kinded = metrics.find((m) => classifyMetric(m.namespace, m.metricName));
  return { metric, service, alarm: alarm?.alarmName, kind: kinded ? classifyMetric(kinded.namespace, kinded.metricName)!.kind : undefined };
}

const cases: Record<string, ArgumentCases> = {
  get_performance_metrics: async (s) => {
    const { service } = await pick(s);
    return [
      {},
      { metric_type: 'response_time' },
      { metric_type: 'throughput', start_time: '30m' },
      { metric_type: 'cpu_usage', start_time: iso(s.now - 2 * 60 * MINUTE), end_time: iso(s.now - 60 * MINUTE) },
      { metric_type: 'memory_usage', limit: 1 },
      ...(service ? [{ service }, { service, metric_type: 'response_time', start_time: '6h' }] : []),
    ];
  },
  get_error_rates: async (s) => {
    const { service } = await pick(s);
    return [{}, { time_window: '30m' }, { time_window: '6h', limit: 1 }, { time_window: '24h' }, ...(service ? [{ service }] : [{ service: 'no-such-service' }])];
  },
  get_resource_metrics: async (s) => {
    const { service } = await pick(s);
    return [{}, { resource_type: 'cpu' }, { resource_type: 'memory', time_window: '15m' }, { resource_type: 'disk', limit: 2 }, { resource_type: 'network' }, ...(service ? [{ service, time_window: '6h' }] : [])];
  },
  get_availability_metrics: async (s) => {
    const { service } = await pick(s);
    return [{}, { time_window: '30m' }, { time_window: '7d', limit: 1 }, ...(service ? [{ service }] : [])];
  },
  analyze_trends: async (s) => {
    const { metric, service, kind } = await pick(s);
    return [
      { metric_name: 'response_time' },
      { metric_name: 'error_rate', time_window: '6h' },
      { metric_name: 'cpu', anomaly_threshold: 99, limit: 2 },
      { metric_name: 'memory', anomaly_threshold: 100 },
      ...(kind ? [{ metric_name: kind, time_window: '30m', anomaly_threshold: 50 }] : []),
      ...(metric ? [{ metric_name: metric.metricName }, { metric_name: metric.metricName.toLowerCase(), time_window: '2h' }] : []),
      ...(metric && service ? [{ metric_name: metric.metricName, service }] : []),
    ];
  },
  get_metric_data: async (s) => {
    const { metric } = await pick(s);
    if (!metric) return [{ namespace: 'AWS/ApplicationELB', metric_name: 'RequestCount' }];
    const base = { namespace: metric.namespace, metric_name: metric.metricName, dimensions: metric.dimensions };
    return [
      base,
      { ...base, stat: metric.stats[0], start_time: '3h', limit: 10 },
      { ...base, start_time: '6h', period: 300 },
      { ...base, start_time: iso(s.now - 90 * MINUTE), end_time: '30m' },
      { namespace: metric.namespace, metric_name: metric.metricName, dimensions: { Nope: 'x' } },
    ];
  },
  list_metrics: async (s) => {
    const { metric, service } = await pick(s);
    return [
      {},
      { limit: 1 },
      { metric_type: 'latency' },
      { metric_type: 'errors', limit: 5 },
      ...(metric ? [{ namespace: metric.namespace }, { metric_name: metric.metricName.slice(0, 6) }] : []),
      ...(metric && Object.keys(metric.dimensions)[0] ? [{ dimension_name: Object.keys(metric.dimensions)[0] }] : []),
      ...(service ? [{ service }] : []),
    ];
  },
  detect_metric_anomalies: async (s) => {
    const { metric, service } = await pick(s);
    return [
      {},
      { anomalous_only: true, limit: 5 },
      { start_time: '1h', baseline_start: '6h', baseline_end: '1h' },
      { metric_type: 'latency' },
      ...(service ? [{ service }, { service, start_time: '15m' }] : []),
      ...(metric ? [{ metrics: [{ namespace: metric.namespace, metric_name: metric.metricName, dimensions: metric.dimensions }] }] : []),
      ...(metric ? [{ metrics: [{ namespace: metric.namespace, metric_name: metric.metricName, stat: metric.stats[0] }], end_time: '10m' }] : []),
    ];
  },
  describe_alarms: async (s) => {
    const { alarm } = await pick(s);
    return [{}, { state: 'ALARM' }, { include_metric_data: false, limit: 1 }, { alarm_name_prefix: 'a' }, ...(alarm ? [{ alarm_name: alarm }] : [])];
  },
};

describe('openapi/metrics.yaml', () => {
  it('is a valid OpenAPI 3.0.3 document', async () => {
    const doc = await SwaggerParser.validate(`${openApiDir()}/metrics.yaml`);
    expect((doc as { openapi: string }).openapi).toBe('3.0.3');
  });

  it('follows the AgentCore Gateway rules', () => {
    const doc = loadOpenApiDocument('metrics');
    const text = JSON.stringify(doc);
    for (const banned of ['"oneOf"', '"anyOf"', '"allOf"', '"nullable"', '"style"', '"explode"']) expect(text).not.toContain(banned);
    const paths = doc.paths as Record<string, Record<string, JsonSchema>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z0-9_]{1,48}$/);
        expect(((op.responses as JsonSchema).default as JsonSchema | undefined)?.$ref, where).toBe('#/components/responses/ToolError');
        expect(String(op.summary ?? '').includes('\n'), where).toBe(false);
        const shared = (doc.components as { parameters: Record<string, JsonSchema> }).parameters;
        for (const p of (op.parameters as JsonSchema[] | undefined) ?? []) {
          const param = p.$ref ? shared[String(p.$ref).split('/').pop()!]! : p;
          // Arrays and objects travel in a JSON body, never in the query string.
          expect(['string', 'number', 'integer', 'boolean', undefined], `${where} ${String(param.name)}`).toContain((param.schema as JsonSchema).type);
          if (/_time$|^baseline_/.test(String(param.name))) expect((param.schema as JsonSchema).format).toBeUndefined();
        }
        const body = (op.requestBody as JsonSchema | undefined)?.content as Record<string, unknown> | undefined;
        if (body) expect(Object.keys(body)).toEqual(['application/json']);
      }
    }
  });

  it('keeps the sample API names and parameters of the five parity operations', () => {
    const defs = new Map(loadToolDefinitions(['metrics']).map((d) => [d.operationId, d]));
    const params = (op: string) => Object.keys(defs.get(op)!.inputSchema.properties);
    expect(params('get_performance_metrics')).toEqual(expect.arrayContaining(['metric_type', 'start_time', 'end_time', 'service']));
    expect(params('get_error_rates')).toEqual(expect.arrayContaining(['time_window', 'service']));
    expect(params('get_resource_metrics')).toEqual(expect.arrayContaining(['resource_type', 'service', 'time_window']));
    expect(params('get_availability_metrics')).toEqual(expect.arrayContaining(['service', 'time_window']));
    expect(params('analyze_trends')).toEqual(expect.arrayContaining(['metric_name', 'service', 'time_window', 'anomaly_threshold']));
    expect(defs.get('analyze_trends')!.inputSchema.required).toEqual(['metric_name']);
    for (const op of ['get_performance_metrics', 'get_error_rates', 'get_resource_metrics', 'get_availability_metrics', 'analyze_trends']) {
      expect(defs.get(op)!.method).toBe('GET');
    }
    // Time inputs are plain strings (no format), so relative times are accepted.
    expect(defs.get('get_performance_metrics')!.inputSchema.properties.start_time).toMatchObject({ type: 'string' });
    expect(defs.get('get_performance_metrics')!.inputSchema.properties.start_time!.format).toBeUndefined();
  });
});

describe('metrics tools contract', () => {
  it('covers every operation of the spec', () => {
    assertEveryOperationCovered('metrics', cases);
  });

  it('has scenarios to run on', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  for (const scenario of scenarios) {
    describe(scenario.id, () => {
      it('answers every case within its response schema', async () => {
        const results = await runContract(invokerFor(scenario), scenario, cases);
        expect(Object.keys(results).length).toBeGreaterThan(0);
      });

      it('measures relative windows from the scenario clock, not the wall clock', async () => {
        const tools = invokerFor(scenario);
        const perf = await tools.invoke('get_performance_metrics', { start_time: '30m' });
        expect(perf.ok && (perf.result as { window: unknown }).window).toEqual({ start: iso(scenario.now - 30 * MINUTE), end: iso(scenario.now) });
        const errors = await tools.invoke('get_error_rates', { time_window: '6h' });
        expect(errors.ok && (errors.result as { window: unknown }).window).toEqual({ start: iso(scenario.now - 360 * MINUTE), end: iso(scenario.now) });
        const anomalies = await tools.invoke('detect_metric_anomalies', { start_time: '20m', baseline_start: '2h' });
        expect(anomalies.ok && (anomalies.result as { baseline_window: unknown }).baseline_window).toEqual({ start: iso(scenario.now - 120 * MINUTE), end: iso(scenario.now - 20 * MINUTE) });
      });

      it('returns a subset for a narrower window and never data after its end', async () => {
        const { metric } = await pick(scenario);
        if (!metric) return;
        const tools = invokerFor(scenario);
        const base = { namespace: metric.namespace, metric_name: metric.metricName, dimensions: metric.dimensions, stat: metric.stats[0], limit: 1440 };
        const wide = await tools.invoke('get_metric_data', { ...base, start_time: '3h' });
        const narrow = await tools.invoke('get_metric_data', { ...base, start_time: '45m', end_time: '15m' });
        if (!wide.ok || !narrow.ok) expect.fail('get_metric_data failed');
        const wideTimes = new Set((wide.result as { datapoints: Array<{ timestamp: string }> }).datapoints.map((d) => d.timestamp));
        const narrowPoints = (narrow.result as { datapoints: Array<{ timestamp: string }> }).datapoints;
        expect(narrowPoints.length).toBeLessThanOrEqual(wideTimes.size);
        for (const d of narrowPoints) {
          expect(wideTimes.has(d.timestamp)).toBe(true);
          expect(Date.parse(d.timestamp)).toBeGreaterThanOrEqual(scenario.now - 45 * MINUTE);
          expect(Date.parse(d.timestamp)).toBeLessThanOrEqual(scenario.now - 15 * MINUTE);
        }
      });

      it('bounds lists: a limit of 1 truncates when there is more', async () => {
        const tools = invokerFor(scenario);
        const all = await tools.invoke('list_metrics', {});
        const one = await tools.invoke('list_metrics', { limit: 1 });
        if (!all.ok || !one.ok) expect.fail('list_metrics failed');
        const total = (all.result as { total_count: number }).total_count;
        expect(one.result).toMatchObject({ total_count: total, truncated: total > 1 });
        expect((one.result as { metrics: unknown[] }).metrics).toHaveLength(Math.min(1, total));
        const anomalies = await tools.invoke('detect_metric_anomalies', { limit: 1 });
        if (!anomalies.ok) expect.fail('detect_metric_anomalies failed');
        const a = anomalies.result as { total_count: number; truncated: boolean; results: unknown[] };
        expect(a.results.length).toBeLessThanOrEqual(1);
        expect(a.truncated).toBe(a.total_count > 1);
      });

      it('narrows to a service', async () => {
        const { service } = await pick(scenario);
        if (!service) return;
        const tools = invokerFor(scenario);
        const all = await tools.invoke('list_metrics', { limit: 1000 });
        const some = await tools.invoke('list_metrics', { service, limit: 1000 });
        if (!all.ok || !some.ok) expect.fail('list_metrics failed');
        const count = (r: unknown) => (r as { total_count: number }).total_count;
        expect(count(some.result)).toBeGreaterThan(0);
        expect(count(some.result)).toBeLessThanOrEqual(count(all.result));
        const none = await tools.invoke('get_performance_metrics', { service: 'zz-no-such-service-zz' });
        expect(none.ok && (none.result as { metrics: unknown[]; note?: string })).toMatchObject({ metrics: [], note: expect.stringContaining('zz-no-such-service-zz') });
      });
    });
  }
});

describe('metrics tool errors', () => {
  const scenario = scenarios[0]!;

  it('names the offending argument', async () => {
    const tools = invokerFor(scenario);
    expect(await tools.invoke('get_metric_data', { metric_name: 'RequestCount' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'namespace' } });
    expect(await tools.invoke('get_error_rates', { time_window: 'a while' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'time_window' } });
    expect(await tools.invoke('analyze_trends', { metric_name: 'cpu', anomaly_threshold: 150 })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'anomaly_threshold' } });
    expect(await tools.invoke('get_performance_metrics', { metric_type: 'disk' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'metric_type' } });
    expect(await tools.invoke('get_performance_metrics', { start_time: '10m', end_time: '1h' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'start_time' } });
    expect(await tools.invoke('list_metrics', { limit: 0 })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'limit' } });
    expect(await tools.invoke('list_metrics', { colour: 'red' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'colour' } });
  });

  it('reports unknown tools', async () => {
    const tools = invokerFor(scenario);
    expect(await tools.invoke('metrics___delete_metrics', {})).toMatchObject({ ok: false, error: { type: 'UnknownTool', retryable: false } });
    expect(await tools.invoke('logs___get_error_rates', {})).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
  });
});
