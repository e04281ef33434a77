/**
 * The CloudWatch Logs provider against a CloudWatch Logs stub (helpers/aws-fakes.ts) that replays a recorded
 * scenario in the API's response shapes: DescribeLogGroups, FilterLogEvents pages, Logs Insights queries that
 * run for a while before they complete. It must return the events the fixture provider returns for the same
 * recording (FilterLogEvents exactly, Insights without the fields Insights does not return), so every logs tool
 * answers the same over both; faults must become clear tool errors.
 */
import { join } from 'node:path';
import { AccessDeniedException, DescribeLogGroupsCommand, FilterLogEventsCommand, GetQueryResultsCommand, LimitExceededException, StartQueryCommand, StopQueryCommand, ThrottlingException } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { loadScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { type CloudWatchLogsOptions, createCloudWatchLogsProvider, timeSlices } from '../../src/providers/logs/cloudwatch.ts';
import { buildInsightsQuery, parseInsightsTimestamp, regexLiteral } from '../../src/providers/logs/cloudwatch-insights.ts';
import { createFixtureLogsProvider } from '../../src/providers/logs/fixture.ts';
import type { LogEventRecord, LogQuery } from '../../src/providers/logs/port.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { logsToolBackend } from '../../src/tools/logs/index.ts';
import { SCENARIOS_ROOT } from '../contract/harness.ts';
import { ACCOUNT, type LogsReplayOptions, replayCloudWatchLogs } from './helpers/aws-fakes.ts';
import { logsCases, runEveryOperation } from './helpers/cases.ts';
import { virtualTime } from './helpers/time.ts';

const scenario = loadScenarioMeta(join(SCENARIOS_ROOT, 'checkout-bad-rollout'));
const APP_GROUP = `/aws/containerinsights/${scenario.cluster}/application`;
const SERVICE_GROUP = `/eks/${scenario.cluster}/checkout`;
const MINUTE = 60_000;
const fixture = createFixtureLogsProvider(scenario.dir);

function setup(options: { replay?: LogsReplayOptions; provider?: Partial<CloudWatchLogsOptions> } = {}) {
  const replay = replayCloudWatchLogs(scenario.dir, { pageSize: 100, runningPolls: 2, ...options.replay });
  const time = virtualTime();
  const provider = createCloudWatchLogsProvider({
    client: replay.client,
    clusterName: scenario.cluster,
    logGroups: [SERVICE_GROUP],
    ...options.provider,
    resilience: { ...options.provider?.resilience, runtime: time.runtime },
  });
  const invoker = createToolInvoker(logsToolBackend, {
    provider: () => provider,
    clock: () => scenario.now,
    validateResponses: true,
    onInternalError: (error) => {
      throw error;
    },
  });
  return { replay, provider, invoker, time };
}

/** What both providers return: Insights rows carry no eventId or ingestionTime. */
const core = (events: readonly LogEventRecord[]) => events.map(({ logGroupName, logStreamName, timestamp, message }) => ({ logGroupName, logStreamName, timestamp, message }));

describe('CloudWatch Logs provider: log groups', () => {
  it("serves the cluster's Container Insights groups and LOG_GROUPS that exist, listed once per TTL", async () => {
    const { provider, replay } = setup({ provider: { logGroups: [SERVICE_GROUP, '/eks/shop-prod-use1/no-such-service'] } });
    expect(await provider.listLogGroups()).toEqual([APP_GROUP, SERVICE_GROUP].sort());
    const prefixes = replay.mock.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input.logGroupNamePrefix);
    expect(prefixes).toEqual([`/aws/containerinsights/${scenario.cluster}/`, SERVICE_GROUP, '/eks/shop-prod-use1/no-such-service']);
    await provider.listLogGroups();
    expect(replay.mock.commandCalls(DescribeLogGroupsCommand)).toHaveLength(3);
  });

  it('expands LOG_GROUPS entries ending in * as prefixes', async () => {
    const { provider } = setup({ replay: { extraGroups: ['/eks/shop-prod-use1/cart', '/eks/other/x'] }, provider: { clusterName: undefined, logGroups: ['/eks/shop-prod-use1/*'] } });
    expect(await provider.listLogGroups()).toEqual(['/eks/shop-prod-use1/cart', SERVICE_GROUP]);
  });

  it('falls back to the configured names when DescribeLogGroups is denied', async () => {
    const { provider, replay } = setup();
    replay.faults.push({ command: 'DescribeLogGroups', error: new AccessDeniedException({ message: 'not authorized to perform: logs:DescribeLogGroups', $metadata: { httpStatusCode: 400 } }) });
    expect(await provider.listLogGroups()).toEqual([...['application', 'dataplane', 'host'].map((k) => `/aws/containerinsights/${scenario.cluster}/${k}`), SERVICE_GROUP].sort());
  });
});

describe('CloudWatch Logs provider: reading events', () => {
  const query = (span: number, extra: Partial<LogQuery> = {}): LogQuery => ({ start: scenario.now - span, end: scenario.now, limit: 50_000, ...extra });

  it('reads short windows with FilterLogEvents, page by page, exactly as recorded', async () => {
    const { provider, replay } = setup({ replay: { pageSize: 60 }, provider: { maxFilterPages: 100 } });
    const q = query(10 * MINUTE);
    const result = await provider.queryEvents(q);
    const expected = await fixture.queryEvents(q);
    expect(expected.events.length).toBeGreaterThan(20);
    expect(result).toEqual(expected);
    const calls = replay.mock.commandCalls(FilterLogEventsCommand);
    expect(calls.some((c) => c.args[0].input.nextToken)).toBe(true);
    expect(new Set(calls.map((c) => c.args[0].input.logGroupName))).toEqual(new Set([APP_GROUP, SERVICE_GROUP]));
    expect(replay.mock.commandCalls(StartQueryCommand)).toHaveLength(0);
  });

  it('hands a short window over to Logs Insights when it holds more pages than the budget', async () => {
    const { provider, replay } = setup({ replay: { pageSize: 7 } });
    const q = query(10 * MINUTE);
    const result = await provider.queryEvents(q);
    expect(replay.mock.commandCalls(FilterLogEventsCommand)).toHaveLength(25);
    expect(replay.mock.commandCalls(StartQueryCommand)).toHaveLength(1);
    expect(core(result.events)).toEqual(core((await fixture.queryEvents(q)).events));
  });

  it('keeps the newest events when a short window holds more than the limit', async () => {
    const { provider } = setup();
    const q = query(10 * MINUTE, { limit: 15 });
    const result = await provider.queryEvents(q);
    expect(result).toEqual(await fixture.queryEvents(q));
    expect(result.truncated).toBe(true);
  });

  it('runs a Logs Insights query for longer windows, polling until it completes', async () => {
    const { provider, replay } = setup();
    const q = query(3 * 60 * MINUTE, { anyOf: ['Exception', 'timed out'] });
    const result = await provider.queryEvents(q);
    const expected = await fixture.queryEvents(q);
    expect(expected.events.length).toBeGreaterThan(10);
    expect(core(result.events)).toEqual(core(expected.events));
    expect(result.truncated).toBe(false);

    const start = replay.mock.commandCalls(StartQueryCommand)[0]!.args[0].input;
    expect(start.logGroupNames).toEqual([APP_GROUP, SERVICE_GROUP]);
    expect(start.startTime).toBe(Math.floor(q.start / 1000));
    expect(start.endTime).toBe(Math.ceil(q.end / 1000));
    expect(start.queryString).toBe(
      ['fields @timestamp, @message, @logStream, @log', '| filter @message like /(?i)(Exception|timed out)/', '| sort @timestamp desc', '| limit 10000'].join('\n'),
    );
    // Running twice, then Complete.
    expect(replay.mock.commandCalls(GetQueryResultsCommand)).toHaveLength(3);
    expect(replay.mock.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it('pages backwards through busy groups with repeated queries, without duplicates', async () => {
    const base = scenario.now - 60 * MINUTE;
    // 24,000 lines in an hour: more than two Insights result pages, several per second.
    const busy = Array.from({ length: 24_000 }, (_, i) => ({
      logStreamName: `ingest/ingest-7f9c6d-${i % 3}`,
      timestamp: base + Math.floor(i * 150),
      message: `2026-03-10T17:00:00Z INFO batch ${i} stored`,
      ingestionTime: base + i * 150 + 800,
      eventId: String(4_000_000_000 + i),
    }));
    const { provider, replay } = setup({ replay: { extraEvents: { '/eks/shop-prod-use1/ingest': busy } }, provider: { logGroups: ['/eks/shop-prod-use1/ingest'], clusterName: undefined } });
    const result = await provider.queryEvents({ start: base, end: scenario.now, limit: 50_000 });
    const starts = replay.mock.commandCalls(StartQueryCommand).map((c) => c.args[0].input);
    expect(starts.length).toBe(3);
    expect(starts[1]!.endTime!).toBeLessThan(starts[0]!.endTime!);
    expect(starts[2]!.endTime!).toBeLessThan(starts[1]!.endTime!);
    const inWindow = busy.filter((e) => e.timestamp <= scenario.now);
    expect(result.events.map((e) => e.message)).toEqual(inWindow.map((e) => e.message));
    expect(result.truncated).toBe(false);
  });

  it('falls back to FilterLogEvents when the Insights query fails', async () => {
    const { provider, replay } = setup({ replay: { finalStatus: 'Failed' }, provider: { maxFilterPages: 100 } });
    const q = query(2 * 60 * MINUTE);
    const result = await provider.queryEvents(q);
    expect(result).toEqual(await fixture.queryEvents(q));
    expect(replay.mock.commandCalls(FilterLogEventsCommand).length).toBeGreaterThan(0);
  });

  it('is empty for a window without events, and checks nothing for a zero limit', async () => {
    const { provider } = setup();
    expect(await provider.queryEvents({ start: scenario.now + MINUTE, end: scenario.now + 5 * MINUTE, limit: 100 })).toEqual({ events: [], truncated: false });
    expect(await provider.queryEvents(query(MINUTE, { limit: 0 }))).toEqual({ events: [], truncated: false });
  });
});

describe('CloudWatch Logs provider: every logs tool', () => {
  it('answers every operation, schema-valid, exactly as over the recorded scenario', async () => {
    const cases = await logsCases(fixture, 'checkout-api');
    const { invoker, replay } = setup();
    const overFixture = createToolInvoker(logsToolBackend, { provider: () => fixture, clock: () => scenario.now, validateResponses: true });
    const live = await runEveryOperation(invoker, cases);
    const recorded = await runEveryOperation(overFixture, cases);
    for (let i = 0; i < live.length; i++) expect(live[i]!.result, live[i]!.label).toEqual(recorded[i]!.result);
    // Both read paths were used.
    expect(replay.mock.commandCalls(StartQueryCommand).length).toBeGreaterThan(0);
    expect(replay.mock.commandCalls(FilterLogEventsCommand).length).toBeGreaterThan(0);
  });
});

describe('CloudWatch Logs provider: faults become tool errors', () => {
  it('a log group deleted since it was listed is NotFound naming it, on either read path', async () => {
    for (const args of [{ since: '6h' }, { since: '10m' }]) {
      const { invoker, replay } = setup();
      expect((await invoker.invoke('logs___list_log_sources', {})).ok).toBe(true);
      replay.removeGroup(SERVICE_GROUP);
      expect(await invoker.invoke('logs___get_error_logs', args)).toMatchObject({
        ok: false,
        error: { type: 'NotFound', retryable: false, message: `CloudWatch Logs has no log group '${SERVICE_GROUP}' in this account and region` },
      });
      // The listing is refreshed after a NotFound: the next call searches the groups that remain.
      expect((await invoker.invoke('logs___get_error_logs', args)).ok).toBe(true);
    }
  });

  it('no existing group at all is NotFound saying what was looked for', async () => {
    const { provider } = setup({ provider: { clusterName: 'other-cluster', logGroups: [] } });
    await expect(provider.queryEvents({ start: scenario.now - MINUTE, end: scenario.now, limit: 10 })).rejects.toMatchObject({
      type: 'NotFound',
      message: expect.stringContaining('enable Container Insights on cluster other-cluster or set LOG_GROUPS'),
    });
  });

  it('access denied is AccessDenied naming the action and the groups', async () => {
    const { invoker, replay } = setup();
    replay.faults.push({
      command: 'StartQuery',
      error: new AccessDeniedException({ message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/sre-agent-logs/fn is not authorized to perform: logs:StartQuery`, $metadata: { httpStatusCode: 400 } }),
    });
    const outcome = await invoker.invoke('logs___get_error_logs', { since: '6h' });
    expect(outcome).toMatchObject({ ok: false, error: { type: 'AccessDenied', retryable: false } });
    expect((outcome as { error: { message: string } }).error.message).toMatch(/logs:StartQuery on log groups .*application.*checkout/);
  });

  it('throttling is retried; too many concurrent Insights queries end as Throttled', async () => {
    const ok = setup();
    ok.replay.faults.push({ command: 'FilterLogEvents', times: 2, error: new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }) });
    expect((await ok.invoker.invoke('logs___get_recent_logs', { since: '10m' })).ok).toBe(true);

    const busy = setup({ provider: { resilience: { policy: { maxAttempts: 3 } } } });
    busy.replay.faults.push({ command: 'StartQuery', error: new LimitExceededException({ message: 'Account maximum query concurrency limit of [30] reached.', $metadata: { httpStatusCode: 400 } }) });
    const outcome = await busy.invoker.invoke('logs___get_error_logs', { since: '6h' });
    expect(outcome).toMatchObject({ ok: false, error: { type: 'Throttled', retryable: true, message: expect.stringContaining('after 3 attempts') } });
    expect(busy.replay.mock.commandCalls(StartQueryCommand)).toHaveLength(3);
  });

  it('a query still running at the end of the budget is stopped and reported as Timeout', async () => {
    const { invoker, replay } = setup({ replay: { runningPolls: Number.POSITIVE_INFINITY }, provider: { queryBudgetMs: 20_000 } });
    const outcome = await invoker.invoke('logs___get_error_logs', { since: '6h' });
    expect(outcome).toMatchObject({ ok: false, error: { type: 'Timeout', retryable: true, message: expect.stringContaining('was stopped') } });
    const stopped = replay.mock.commandCalls(StopQueryCommand);
    expect(stopped).toHaveLength(1);
    expect(replay.queries.has(stopped[0]!.args[0].input.queryId!)).toBe(true);
  });
});

describe('Logs Insights text', () => {
  it('escapes hints into one case-insensitive regex and drops a filter too long for a query', () => {
    expect(regexLiteral('a.b/c (x)|[y]')).toBe('a\\.b\\/c \\(x\\)\\|\\[y\\]');
    expect(buildInsightsQuery(['HTTP 503', 'a/b'], 200)).toContain('| filter @message like /(?i)(HTTP 503|a\\/b)/');
    expect(buildInsightsQuery(undefined, 50_000)).toContain('| limit 10000');
    expect(buildInsightsQuery(['x'.repeat(20_000)], 10)).not.toContain('filter');
  });

  it('reads @timestamp as Insights prints it (UTC without a zone)', () => {
    expect(parseInsightsTimestamp('2026-03-10 18:19:40.123')).toBe(Date.parse('2026-03-10T18:19:40.123Z'));
    expect(parseInsightsTimestamp('2026-03-10 18:19:40')).toBe(Date.parse('2026-03-10T18:19:40Z'));
    expect(parseInsightsTimestamp('2026-03-10T18:19:40.5Z')).toBe(Date.parse('2026-03-10T18:19:40.500Z'));
    expect(parseInsightsTimestamp('not a time')).toBeNull();
  });

  it('slices a window newest first, covering every millisecond once', () => {
    const slices = timeSlices(0, 12 * MINUTE - 1);
    expect(slices[0]!.end).toBe(12 * MINUTE - 1);
    expect(slices.at(-1)!.start).toBe(0);
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.end).toBe(slices[i - 1]!.start - 1);
  });
});
