/**
 * Contract of the logs tools over every bundled scenario, and over a synthetic scenario written here with the
 * shapes the bundled ones may lack (split stack traces, several pods, a raw text group): each operation with
 * several argument sets (defaults, filters, relative windows, limits) must succeed and match its response
 * schema; then windows, filters, limits and pivots must visibly do what they say, measured on the scenario
 * clock, and bad arguments must name the offending field.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { joinMultiline, levelRank, parseLogEvent } from '../../src/analyzers/logs/index.ts';
import type { LogLevel } from '../../src/analyzers/logs/index.ts';
import { loadScenarioMeta, type ScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { createFixtureLogsProvider } from '../../src/providers/logs/fixture.ts';
import { createToolInvoker, type ToolInvocation } from '../../src/tools/invoke.ts';
import { logsToolBackend } from '../../src/tools/logs/index.ts';
import { type ArgumentCases, assertEveryOperationCovered, bundledScenarios, runContract } from './harness.ts';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function invokerFor(scenario: ScenarioMeta) {
  const provider = createFixtureLogsProvider(scenario.dir);
  return createToolInvoker(logsToolBackend, {
    provider: () => provider,
    clock: () => scenario.now,
    onInternalError: (error) => {
      throw error;
    },
  });
}

/** Names that logged in the hour before the scenario's clock, so that cases exercise real sources. */
async function pick(scenario: ScenarioMeta) {
  const provider = createFixtureLogsProvider(scenario.dir);
  const { events } = await provider.queryEvents({ start: scenario.now - HOUR, end: scenario.now, limit: 100_000 });
  const records = joinMultiline(events.map(parseLogEvent));
  const withPod = records.find((r) => r.pod && r.workload);
  return {
    service: records[0]?.service,
    group: records[0]?.logGroup,
    pod: withPod?.pod,
    workload: withPod?.workload?.name,
    error: records.find((r) => levelRank(r.level) >= levelRank('ERROR')),
  };
}

const cases: Record<string, ArgumentCases> = {
  search_logs: async (s) => {
    const { service, group, error } = await pick(s);
    return [
      { pattern: 'e' },
      { pattern: 'error', start_time: '2h', limit: 5 },
      { pattern: '/time(d)? ?out|refused|fail/i', log_level: 'WARN' },
      { pattern: 'a', start_time: iso(s.now - 45 * 60_000), end_time: iso(s.now - 15 * 60_000) },
      ...(service ? [{ pattern: 'e', service, limit: 3 }] : []),
      ...(group ? [{ pattern: 'e', log_group: group }] : []),
      ...(error ? [{ pattern: error.message.slice(0, 20) }] : []),
    ];
  },
  get_error_logs: async (s) => {
    const { service } = await pick(s);
    return [{}, { since: '2h', limit: 1 }, { since: iso(s.now - 30 * 60_000), end_time: '5m' }, ...(service ? [{ service }] : [])];
  },
  analyze_log_patterns: async (s) => {
    const { service } = await pick(s);
    return [
      {},
      { time_window: '2h', pivot_time: '30m', min_occurrences: 2 },
      { time_window: '6h', limit: 3, log_level: 'WARN' },
      { time_window: '30m', end_time: '10m' },
      ...(service ? [{ service, pivot_time: iso(s.now - 10 * 60_000) }] : []),
    ];
  },
  get_recent_logs: async (s) => {
    const { service } = await pick(s);
    return [{}, { limit: 1 }, { log_level: 'ERROR', since: '24h' }, ...(service ? [{ service, limit: 10 }] : [])];
  },
  count_log_events: async (s) => {
    const { service, pod, workload } = await pick(s);
    return [
      { event_type: 'error' },
      { event_type: '*', group_by: 'service' },
      { event_type: '*', group_by: 'level', time_window: '2h' },
      { event_type: '/fail|refused/i', group_by: 'minute', time_window: '30m' },
      { event_type: '*', group_by: '5m', limit: 3 },
      { event_type: '*', group_by: 'hour', time_window: '24h' },
      { event_type: 'e', group_by: 'pod', log_level: 'INFO' },
      { event_type: '*', group_by: 'workload' },
      ...(service ? [{ event_type: '*', service, group_by: 'container' }] : []),
      ...(pod ? [{ event_type: '*', pod, group_by: 'namespace' }] : []),
      ...(workload ? [{ event_type: '*', workload, group_by: 'log_group' }] : []),
    ];
  },
  query_logs: async (s) => {
    const { service } = await pick(s);
    return [
      {},
      { filter: { log_level: 'WARN' }, fields: ['level', 'exception', 'status'], limit: 5 },
      { stats: { by: ['service', 'level'] } },
      { stats: { bin: '5m' }, start_time: '2h' },
      { stats: { by: ['service'], bin: '10m', function: 'count' }, sort: 'time_desc' },
      { stats: { by: ['condition'] }, filter: { log_level: 'WARN' } },
      { stats: { by: ['service'], function: 'p99', field: 'latency_ms' } },
      { filter: { text: 'e', exclude_text: '/health/i' }, sort: 'time_asc', limit: 3 },
      ...(service ? [{ filter: { service }, stats: { by: ['pod'] } }] : []),
    ];
  },
  summarize_error_signatures: async (s) => {
    const { service } = await pick(s);
    return [{}, { time_window: '2h', pivot_time: '20m' }, { kind: 'condition', limit: 3 }, ...(service ? [{ service }] : [])];
  },
  list_log_sources: () => [{}, { time_window: '24h' }, { limit: 1 }, { time_window: '15m', end_time: '5m' }],
};

// ---- a synthetic scenario with every shape the tools parse ----------------------------------------------

const NOW = Date.parse('2026-03-14T10:32:00Z');
const GROUP = '/aws/containerinsights/prod-eks/application';
const RAW_GROUP = '/eks/prod-eks/orders';
const POD_A = 'checkout-api-7f9c6d5b4-x2k4p';
const POD_B = 'checkout-api-7f9c6d5b4-q8z2m';

function ci(t: number, pod: string, log: string, stream = 'stdout') {
  return {
    logStreamName: `ip-10-0-1-12.ec2.internal-application.var.log.containers.${pod}_checkout_checkout-api-${'a'.repeat(64)}.log`,
    timestamp: t,
    message: JSON.stringify({
      time: iso(t),
      stream,
      _p: 'F',
      log: `${log}\n`,
      kubernetes: { pod_name: pod, namespace_name: 'checkout', container_name: 'checkout-api', container_image: 'registry/checkout-api:v1.42.0', labels: { app: 'checkout-api', 'pod-template-hash': '7f9c6d5b4' } },
    }),
  };
}

function syntheticScenario(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logs-contract-'));
  const ciEvents = [];
  // Steady traffic for the whole hour from two pods.
  for (let m = 59; m >= 1; m--) {
    const t = NOW - m * 60_000;
    ciEvents.push(ci(t, m % 2 ? POD_A : POD_B, `{"level":"info","msg":"order created","latency_ms":${100 + m},"status":200}`));
  }
  // From 10:20 the database refuses connections; the trace arrives one line per event.
  for (let i = 0; i < 6; i++) {
    const t = NOW - 12 * 60_000 + i * 60_000;
    const pod = i % 2 ? POD_A : POD_B;
    ciEvents.push(ci(t, pod, `${iso(t)} ERROR 1 --- [checkout-api] [exec-${i}] c.e.OrderRepository : order query failed`));
    ciEvents.push(ci(t + 1, pod, 'org.postgresql.util.PSQLException: Connection to orders-db.orders.svc.cluster.local:5432 refused.'));
    ciEvents.push(ci(t + 2, pod, '\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:342)'));
    ciEvents.push(ci(t + 3, pod, 'Caused by: java.net.ConnectException: Connection refused'));
  }
  ciEvents.push(ci(NOW - 30 * 60_000, POD_A, '{"level":"warn","msg":"slow query","latency_ms":2100}'));
  const rawEvents = [
    { logStreamName: 'orders-db/orders-db-0', timestamp: NOW - 13 * 60_000, message: '2026-03-14 10:19:00.000 UTC [1] FATAL:  could not write to file "pg_wal/xlogtemp.44": No space left on device' },
    { logStreamName: 'orders-db/orders-db-0', timestamp: NOW - 50 * 60_000, message: '2026-03-14 09:42:00.000 UTC [1] LOG:  checkpoint complete' },
  ];
  mkdirSync(join(dir, 'cloudwatch', 'logs'), { recursive: true });
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ id: 'synthetic-logs', title: 'synthetic', now: iso(NOW), cluster: 'prod-eks', region: 'us-east-1', trigger: { type: 'question', question: 'why?' } }));
  writeFileSync(join(dir, 'cloudwatch', 'logs', 'ci-1.json'), JSON.stringify({ logGroupName: GROUP, events: ciEvents.slice(0, 30) }));
  writeFileSync(join(dir, 'cloudwatch', 'logs', 'ci-2.json'), JSON.stringify({ logGroupName: GROUP, events: ciEvents.slice(30) }));
  writeFileSync(join(dir, 'cloudwatch', 'logs', 'raw.json'), JSON.stringify({ logGroupName: RAW_GROUP, events: rawEvents }));
  return dir;
}

const syntheticDir = syntheticScenario();
afterAll(() => rmSync(syntheticDir, { recursive: true, force: true }));
const synthetic = loadScenarioMeta(syntheticDir);
const scenarios = [...bundledScenarios(), synthetic];

// ---- helpers for the assertions --------------------------------------------------------------------------

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function ok(invoker: ReturnType<typeof invokerFor>, tool: string, args: Record<string, unknown>): Promise<Json> {
  const outcome: ToolInvocation = await invoker.invoke(tool, args);
  if (!outcome.ok) expect.fail(`${tool}(${JSON.stringify(args)}) failed: ${outcome.error.type}: ${outcome.error.message}`);
  return outcome.result as Json;
}

async function fails(invoker: ReturnType<typeof invokerFor>, tool: string, args: Record<string, unknown>) {
  const outcome = await invoker.invoke(tool, args);
  if (outcome.ok) expect.fail(`${tool}(${JSON.stringify(args)}) should have failed`);
  return outcome.error;
}

const within = (line: Json, start: number, end: number) => {
  const t = Date.parse(line.timestamp);
  return t >= start && t <= end;
};

// ---- tests -------------------------------------------------------------------------------------------------

describe('logs tools contract', () => {
  it('covers every operation of openapi/logs.yaml', () => {
    assertEveryOperationCovered('logs', cases);
  });

  for (const scenario of scenarios) {
    describe(scenario.id, () => {
      const invoker = invokerFor(scenario);

      it('every operation answers every case within its response schema', async () => {
        await runContract(invoker, scenario, cases);
      });

      it('measures relative windows on the scenario clock and honours narrower windows', async () => {
        const hour = await ok(invoker, 'count_log_events', { event_type: '*' });
        expect(hour.window).toEqual({ start: iso(scenario.now - HOUR), end: iso(scenario.now) });
        const half = await ok(invoker, 'count_log_events', { event_type: '*', time_window: '30m' });
        expect(half.total_count).toBeLessThanOrEqual(hour.total_count);
        const lines = await ok(invoker, 'search_logs', { pattern: 'e', start_time: '40m', end_time: '20m', limit: 1000 });
        expect(lines.window).toEqual({ start: iso(scenario.now - 40 * 60_000), end: iso(scenario.now - 20 * 60_000) });
        for (const line of lines.logs) expect(within(line, scenario.now - 40 * 60_000, scenario.now - 20 * 60_000)).toBe(true);
        const sources = await ok(invoker, 'list_log_sources', {});
        expect(sources.services.reduce((n: number, s: Json) => n + s.lines, 0)).toBe(hour.total_count);
        expect(sources.log_groups.reduce((n: number, g: Json) => n + g.lines, 0)).toBe(hour.total_count);
      });

      it('bounds lists: a limit of 1 keeps the newest and says what was left out', async () => {
        const all = await ok(invoker, 'get_recent_logs', { limit: 1000, since: '24h' });
        const one = await ok(invoker, 'get_recent_logs', { limit: 1, since: '24h' });
        expect(one.total_count).toBe(all.total_count);
        expect(one.truncated).toBe(all.total_count > 1);
        if (all.logs.length) expect(one.logs[0]).toEqual(all.logs[all.logs.length - 1]);
        const patterns = await ok(invoker, 'analyze_log_patterns', { limit: 1 });
        expect(patterns.truncated).toBe(patterns.total_count > 1);
      });

      it('honours level and source filters', async () => {
        const warn = await ok(invoker, 'search_logs', { pattern: 'e', log_level: 'WARN', start_time: '24h', limit: 1000 });
        for (const line of warn.logs) expect(levelRank(line.level as LogLevel)).toBeGreaterThanOrEqual(levelRank('WARN'));
        const errors = await ok(invoker, 'get_error_logs', { since: '24h', limit: 500 });
        for (const line of errors.errors) expect(['ERROR', 'FATAL']).toContain(line.level);
        const { service } = await pick(scenario);
        if (!service) return;
        const own = await ok(invoker, 'get_recent_logs', { service, limit: 1000 });
        expect(own.total_count).toBeGreaterThan(0);
        for (const line of own.logs) {
          const names = [line.service, line.namespace, line.container, line.pod, line.workload?.split('/')[2]].map((n) => n?.toLowerCase());
          expect(names).toContain(service.toLowerCase());
        }
        const byService = await ok(invoker, 'count_log_events', { event_type: '*', group_by: 'service' });
        expect(byService.counts.reduce((n: number, c: Json) => n + c.count, 0)).toBe(byService.total_count);
        expect(byService.counts.find((c: Json) => c.group === service)).toBeDefined();
      });

      it('splits pattern and signature counts at the pivot', async () => {
        const patterns = await ok(invoker, 'analyze_log_patterns', { limit: 200, pivot_time: '15m' });
        expect(patterns.pivot_time).toBe(iso(scenario.now - 15 * 60_000));
        for (const p of patterns.patterns) {
          expect(p.count_before + p.count_after).toBe(p.count);
          expect(p.is_new).toBe(p.count_before === 0 && p.count_after > 0);
        }
        if (!patterns.truncated) expect(patterns.patterns.reduce((n: number, p: Json) => n + p.count, 0)).toBe(patterns.lines_analyzed);
        const signatures = await ok(invoker, 'summarize_error_signatures', { pivot_time: '15m', limit: 500 });
        for (const s of signatures.signatures) expect(s.count_before + s.count_after).toBe(s.count);
      });

      it('query_logs stats add up to the matching lines', async () => {
        const stats = await ok(invoker, 'query_logs', { stats: { by: ['level'] }, limit: 1000 });
        expect(stats.rows.reduce((n: number, r: Json) => n + r.count, 0)).toBe(stats.matched_count);
        const bins = await ok(invoker, 'query_logs', { stats: { bin: '5m' }, limit: 1000 });
        expect(bins.rows.reduce((n: number, r: Json) => n + r.count, 0)).toBe(bins.matched_count);
        expect(bins.rows.map((r: Json) => r.bin)).toEqual([...bins.rows.map((r: Json) => r.bin)].sort());
      });
    });
  }

  describe('on the synthetic scenario', () => {
    const invoker = invokerFor(synthetic);

    it('joins split stack traces and reads their signatures', async () => {
      const errors = await ok(invoker, 'get_error_logs', {});
      const refused = errors.errors.filter((e: Json) => e.message === 'order query failed');
      expect(refused).toHaveLength(6);
      expect(refused[0]).toMatchObject({
        service: 'checkout-api',
        namespace: 'checkout',
        workload: 'Deployment/checkout/checkout-api',
        log_group: GROUP,
        signature: {
          exceptions: ['org.postgresql.util.PSQLException', 'java.net.ConnectException'],
          endpoints: ['orders-db.orders.svc.cluster.local:5432'],
          conditions: ['connection_refused'],
        },
      });
      expect(refused[0].stack_trace.split('\n')).toHaveLength(3);
      const disk = errors.errors.find((e: Json) => e.log_group === RAW_GROUP);
      expect(disk).toMatchObject({ level: 'FATAL', service: 'orders-db', pod: 'orders-db-0', signature: { conditions: ['disk_full'] } });
    });

    it('finds the new error pattern after the pivot, ranked first', async () => {
      const r = await ok(invoker, 'analyze_log_patterns', { pivot_time: '13m', limit: 3 });
      expect(r.patterns[0]).toMatchObject({ level: 'FATAL', is_new: true, services: ['orders-db'] });
      expect(r.patterns[1]).toMatchObject({
        pattern: 'order query failed',
        count: 6,
        count_before: 0,
        is_new: true,
        pods: expect.arrayContaining([POD_A, POD_B]),
        pod_count: 2,
        images: ['registry/checkout-api:v1.42.0'],
        first_seen: iso(NOW - 12 * 60_000),
      });
      const sig = await ok(invoker, 'summarize_error_signatures', { pivot_time: '13m', kind: 'endpoint' });
      expect(sig.signatures).toEqual([expect.objectContaining({ kind: 'endpoint', value: 'orders-db.orders.svc.cluster.local:5432', count: 6, is_new: true })]);
    });

    it('counts per minute with empty buckets, the latest kept', async () => {
      const r = await ok(invoker, 'count_log_events', { event_type: 'order query failed', group_by: 'minute', time_window: '15m', limit: 14 });
      expect(r.total_count).toBe(6);
      expect(r.group_count).toBe(16);
      expect(r.truncated).toBe(true);
      expect(r.counts).toHaveLength(14);
      expect(r.counts[0].group).toBe(iso(NOW - 13 * 60_000));
      expect(r.counts[r.counts.length - 1].group).toBe(iso(NOW));
      expect(r.counts.filter((c: Json) => c.count > 0)).toHaveLength(6);
      expect(r.first_seen).toBe(iso(NOW - 12 * 60_000));
    });

    it('query_logs lists selected fields and computes percentiles by pod', async () => {
      const lines = await ok(invoker, 'query_logs', { filter: { field_equals: [{ field: 'status', value: '200' }] }, fields: ['latency_ms'], limit: 2 });
      expect(lines.matched_count).toBe(59);
      expect(lines.logs[0].fields).toEqual([{ name: 'latency_ms', value: '101' }]);
      const p = await ok(invoker, 'query_logs', { stats: { by: ['pod'], function: 'max', field: 'latency_ms' } });
      expect(p.aggregate).toBe('max(latency_ms)');
      expect(Object.fromEntries(p.rows.map((r: Json) => [r.values[0], r.value]))).toEqual({ [POD_A]: 2100, [POD_B]: 158 });
    });

    it('names the offending field of bad arguments', async () => {
      const bad: Array<[string, Record<string, unknown>, string, string]> = [
        ['search_logs', {}, 'pattern', 'InvalidArgument'],
        ['search_logs', { pattern: 'x', limit: 0 }, 'limit', 'InvalidArgument'],
        ['search_logs', { pattern: 'x', log_level: 'LOUD' }, 'log_level', 'InvalidArgument'],
        ['search_logs', { pattern: 'x', start_time: 'yesterday' }, 'start_time', 'InvalidArgument'],
        ['search_logs', { pattern: '/(unclosed/' }, 'pattern', 'InvalidArgument'],
        ['search_logs', { pattern: 'x', start_time: '10m', end_time: '20m' }, 'start_time', 'InvalidArgument'],
        ['search_logs', { pattern: 'x', colour: 'red' }, 'colour', 'InvalidArgument'],
        ['analyze_log_patterns', { pivot_time: '2h' }, 'pivot_time', 'InvalidArgument'],
        ['analyze_log_patterns', { time_window: 'forever' }, 'time_window', 'InvalidArgument'],
        ['count_log_events', { event_type: 'x', group_by: 'colour' }, 'group_by', 'InvalidArgument'],
        ['query_logs', { stats: { function: 'avg' } }, 'stats.field', 'InvalidArgument'],
        ['query_logs', { stats: { bin: 'often' } }, 'stats.bin', 'InvalidArgument'],
        ['query_logs', { filter: { text: 'x', typo: 1 } }, 'filter.typo', 'InvalidArgument'],
        ['query_logs', { sort: 'count_desc' }, 'sort', 'InvalidArgument'],
        ['get_error_logs', { service: 'no-such-service' }, 'service', 'NotFound'],
        ['search_logs', { pattern: 'x', log_group: '/no/such/group' }, 'log_group', 'NotFound'],
        ['query_logs', { log_groups: ['prod-eks'] }, 'log_groups', 'InvalidArgument'],
      ];
      for (const [tool, args, field, type] of bad) {
        const error = await fails(invoker, tool, args);
        expect({ tool, type: error.type, field: error.field }).toEqual({ tool, type, field });
      }
      const notFound = await fails(invoker, 'get_error_logs', { service: 'no-such-service' });
      expect(notFound.message).toContain('checkout-api');
    });

    it('accepts a unique part of a log group name and resource names as services', async () => {
      const r = await ok(invoker, 'search_logs', { pattern: 'space', log_group: 'orders' });
      expect(r.total_count).toBe(1);
      const byResource = await ok(invoker, 'count_log_events', { event_type: '*', service: 'Deployment/checkout/checkout-api' });
      const byName = await ok(invoker, 'count_log_events', { event_type: '*', service: 'checkout-api' });
      expect(byResource.total_count).toBe(byName.total_count);
      expect(byName.total_count).toBe(59 + 6 + 1);
    });

    it('rejects unknown tools', async () => {
      const outcome = await invoker.invoke('logs___tail_everything', {});
      expect(outcome).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
      expect((await invoker.invoke('metrics___get_error_rates', {})).ok).toBe(false);
    });
  });
});
