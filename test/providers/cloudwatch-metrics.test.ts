/**
 * The CloudWatch metrics provider against a CloudWatch stub (helpers/aws-fakes.ts) replaying a recorded
 * scenario in the API's shapes: ListMetrics pages, GetMetricData pages cut at a datapoint budget (PartialData
 * then Complete), SEARCH expressions, DescribeAlarms and DescribeAlarmHistory. Series must come back as
 * recorded (ascending, joined across pages, statuses kept), the inventory must cover what exists, and every
 * metrics tool must answer schema-valid; faults must become clear tool errors.
 */
import { join } from 'node:path';
import { type AlarmHistoryItem, CloudWatchServiceException, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { loadScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { type CloudWatchMetricsOptions, DEFAULT_METRIC_NAMESPACES, LISTED_STATS, createCloudWatchMetricsProvider } from '../../src/providers/metrics/cloudwatch.ts';
import { aggregatedSearch, normalizePeriod, searchExpression } from '../../src/providers/metrics/cloudwatch-search.ts';
import { createFixtureMetricsProvider } from '../../src/providers/metrics/fixture.ts';
import type { MetricQuery } from '../../src/providers/metrics/port.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { metricsBackend } from '../../src/tools/metrics/backend.ts';
import { SCENARIOS_ROOT } from '../contract/harness.ts';
import { ACCOUNT, type MetricsReplayOptions, REGION, replayCloudWatch } from './helpers/aws-fakes.ts';
import { metricsCases, runEveryOperation } from './helpers/cases.ts';
import { virtualTime } from './helpers/time.ts';

const scenario = loadScenarioMeta(join(SCENARIOS_ROOT, 'checkout-bad-rollout'));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fixture = createFixtureMetricsProvider(scenario.dir);
const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'c0ffee00-0000-4000-8000-000000000000', attempts: 1, totalRetryDelay: 0 });
const cwError = (name: string, status: number, message: string) => new CloudWatchServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: meta(status), message });

function setup(options: { replay?: MetricsReplayOptions; provider?: Partial<CloudWatchMetricsOptions>; clock?: number } = {}) {
  const replay = replayCloudWatch(scenario.dir, options.replay);
  // The wall clock is the investigation's: the recording is "now" for the provider.
  const time = virtualTime(scenario.now);
  const provider = createCloudWatchMetricsProvider({
    client: replay.client,
    clusterName: scenario.cluster,
    clock: () => options.clock ?? scenario.now,
    ...options.provider,
    resilience: { ...options.provider?.resilience, runtime: time.runtime },
  });
  const invoker = createToolInvoker(metricsBackend, {
    provider: () => provider,
    clock: () => scenario.now,
    validateResponses: true,
    onInternalError: (error) => {
      throw error;
    },
  });
  return { replay, provider, invoker, time };
}

const identity = (m: { namespace: string; metricName: string; dimensions: Record<string, string> }) =>
  `${m.namespace}|${m.metricName}|${Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

describe('CloudWatch metrics provider: inventory', () => {
  it('lists every metric of the default namespaces, Container Insights narrowed to the cluster, recently active', async () => {
    const { provider, replay } = setup({ replay: { listPageSize: 5 } });
    const listed = await provider.listMetrics();
    expect(new Set(listed.map(identity))).toEqual(new Set((await fixture.listMetrics()).map(identity)));
    expect(listed.every((m) => m.stats.join() === LISTED_STATS.join() && m.period === 60)).toBe(true);

    const calls = replay.mock.commandCalls(ListMetricsCommand).map((c) => c.args[0].input);
    expect(new Set(calls.map((c) => c.Namespace))).toEqual(new Set(DEFAULT_METRIC_NAMESPACES));
    expect(calls.every((c) => c.RecentlyActive === 'PT3H')).toBe(true);
    expect(calls.filter((c) => c.Namespace === 'ContainerInsights').every((c) => JSON.stringify(c.Dimensions) === JSON.stringify([{ Name: 'ClusterName', Value: scenario.cluster }]))).toBe(true);
    // Container Insights has more than a page of metrics here.
    expect(calls.some((c) => c.NextToken)).toBe(true);

    await provider.listMetrics();
    expect(replay.mock.commandCalls(ListMetricsCommand)).toHaveLength(calls.length);
  });

  it('narrows by namespace, name and dimension (an open value only needs the dimension to exist)', async () => {
    const { provider, replay } = setup({ provider: { namespaces: ['AWS/ApplicationELB'] } });
    const listed = await provider.listMetrics({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { TargetGroup: '*' } });
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((m) => m.metricName === 'RequestCount' && 'TargetGroup' in m.dimensions)).toBe(true);
    expect(replay.mock.commandCalls(ListMetricsCommand)[0]!.args[0].input).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: [{ Name: 'TargetGroup' }] });
  });

  it('lists metrics that stopped reporting when the investigation looks at the past', async () => {
    const { provider, replay } = setup({ clock: scenario.now - DAY });
    await provider.listMetrics();
    expect(replay.mock.commandCalls(ListMetricsCommand).every((c) => c.args[0].input.RecentlyActive === undefined)).toBe(true);
  });
});

describe('CloudWatch metrics provider: series', () => {
  it('returns every recorded series as recorded: ascending, joined across pages, Complete', async () => {
    const { provider, replay } = setup({ replay: { dataPageSize: 400 } });
    const queries: MetricQuery[] = replay.recorded.map((s) => ({ namespace: s.namespace, metricName: s.metricName, dimensions: s.dimensions, stat: s.stat, period: s.period }));
    const start = scenario.now - 3 * HOUR;
    const series = await provider.getMetricData(queries, start, scenario.now);
    const expected = await fixture.getMetricData(queries, start, scenario.now);
    expect(series).toHaveLength(queries.length);
    for (let i = 0; i < queries.length; i++) {
      expect(series[i]!.timestamps, identity(queries[i]!)).toEqual(expected[i]!.timestamps);
      expect(series[i]!.values).toEqual(expected[i]!.values);
      expect(series[i]!.statusCode).toBe('Complete');
      expect(series[i]!.metric).toEqual({ namespace: queries[i]!.namespace, metricName: queries[i]!.metricName, dimensions: queries[i]!.dimensions });
    }
    const calls = replay.mock.commandCalls(GetMetricDataCommand);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls[0]!.args[0].input).toMatchObject({ ScanBy: 'TimestampAscending', StartTime: new Date(start), EndTime: new Date(scenario.now) });
    expect(calls[1]!.args[0].input.NextToken).toBeDefined();
  });

  it('batches more than 500 queries and keeps each answer in its place', async () => {
    const { provider, replay } = setup({ replay: { dataPageSize: 1_000_000 } });
    const base = replay.recorded.map((s) => ({ namespace: s.namespace, metricName: s.metricName, dimensions: s.dimensions, stat: s.stat, period: s.period }));
    const queries = Array.from({ length: 620 }, (_, i) => base[i % base.length]!);
    const series = await provider.getMetricData(queries, scenario.now - HOUR, scenario.now);
    const calls = replay.mock.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.length);
    expect(calls).toEqual([500, 120]);
    expect(series[600]!.values).toEqual(series[600 % base.length]!.values);
  });

  it('keeps PartialData when the page bound stops it, and the statuses CloudWatch reports', async () => {
    const { provider, replay } = setup({ replay: { dataPageSize: 10 }, provider: { maxDataPages: 1 } });
    const s = replay.recorded[0]!;
    const [cut] = await provider.getMetricData([{ namespace: s.namespace, metricName: s.metricName, dimensions: s.dimensions, stat: s.stat, period: s.period }], scenario.now - 3 * HOUR, scenario.now);
    expect(cut!.statusCode).toBe('PartialData');
    expect(cut!.values).toHaveLength(10);

    const forbidden = setup();
    forbidden.replay.mock.on(GetMetricDataCommand).resolves({
      $metadata: meta(200),
      MetricDataResults: [{ Id: 'q0', Label: 'NumberOfMessagesSent', Timestamps: [], Values: [], StatusCode: 'Forbidden', Messages: [{ Code: 'Forbidden', Value: 'Insufficient permissions for cross-account access' }] }],
      Messages: [],
    });
    const [denied] = await forbidden.provider.getMetricData([{ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', dimensions: { QueueName: 'orders' }, stat: 'Sum', period: 60 }], scenario.now - HOUR, scenario.now);
    expect(denied).toMatchObject({ statusCode: 'Forbidden', timestamps: [], values: [] });
  });

  it('uses a SEARCH expression when a dimension value is open, combining the matches', async () => {
    const { provider, replay } = setup();
    const rc = replay.recorded.find((s) => s.namespace === 'AWS/ApplicationELB' && s.metricName === 'RequestCount' && 'TargetGroup' in s.dimensions)!;
    const open = { ...rc.dimensions, LoadBalancer: '*' };
    const start = scenario.now - HOUR;
    const [viaSearch] = await provider.getMetricData([{ namespace: rc.namespace, metricName: rc.metricName, dimensions: open, stat: 'Sum', period: 60 }], start, scenario.now);
    const [exact] = await fixture.getMetricData([{ namespace: rc.namespace, metricName: rc.metricName, dimensions: rc.dimensions, stat: 'Sum', period: 60 }], start, scenario.now);
    expect(viaSearch!.values).toEqual(exact!.values);
    expect(viaSearch!.metric.dimensions).toEqual(open);
    const sent = replay.mock.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries![0]!;
    expect(sent.MetricStat).toBeUndefined();
    expect(sent.Expression).toBe(`SUM(SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="RequestCount" TargetGroup="${rc.dimensions.TargetGroup}"', 'Sum', 60))`);
  });

  it('asks for periods CloudWatch can answer for the age of the data', async () => {
    const now = scenario.now;
    expect(normalizePeriod(undefined, now - HOUR, now)).toBe(60);
    expect(normalizePeriod(7, now - HOUR, now)).toBe(10);
    expect(normalizePeriod(45, now - HOUR, now)).toBe(60);
    expect(normalizePeriod(90, now - HOUR, now)).toBe(120);
    expect(normalizePeriod(10, now - 5 * HOUR, now)).toBe(60);
    expect(normalizePeriod(60, now - 20 * DAY, now)).toBe(300);
    expect(normalizePeriod(420, now - 20 * DAY, now)).toBe(600);
    expect(normalizePeriod(300, now - 70 * DAY, now)).toBe(3600);
  });

  it('writes SEARCH expressions with quoted names and escaped values', () => {
    const q = { namespace: 'My App', metricName: 'Latency (p)', dimensions: { 'Service Name': 'a"b', Stage: '*', Route: "o'k" }, stat: 'p99' };
    // Exact-match terms escape " \ ( ) with a backslash; a quote inside the single-quoted search is escaped too.
    expect(searchExpression(q, 60)).toBe(String.raw`SEARCH('{"My App",Route,"Service Name",Stage} MetricName="Latency \(p\)" Route="o\'k" "a\"b"', 'p99', 60)`);
    expect(aggregatedSearch({ ...q, stat: 'Average' }, 300).startsWith('AVG(SEARCH(')).toBe(true);
    expect(aggregatedSearch({ ...q, stat: 'Maximum' }, 300).startsWith('MAX(')).toBe(true);
  });
});

describe('CloudWatch metrics provider: alarms', () => {
  it('maps metric alarms as DescribeAlarms returns them', async () => {
    const { provider, replay } = setup();
    const alarms = await provider.describeAlarms();
    const recorded = await fixture.describeAlarms();
    const iso = (t: string | undefined) => (t ? new Date(t).toISOString() : t);
    for (const a of alarms) {
      const r = recorded.find((x) => x.alarmName === a.alarmName)!;
      expect({ ...a, stateUpdatedTimestamp: iso(a.stateUpdatedTimestamp) }).toEqual({ ...r, stateUpdatedTimestamp: iso(r.stateUpdatedTimestamp) });
    }
    expect(alarms.length).toBe(3);
    expect(replay.mock.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toMatchObject({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 });
    expect(await provider.describeAlarms({ stateValue: 'OK' })).toEqual(alarms.filter((a) => a.stateValue === 'OK'));
  });

  it('describes an alarm deleted since it fired from its history', async () => {
    const history: AlarmHistoryItem[] = [
      {
        AlarmName: 'checkout-p99-latency',
        AlarmType: 'MetricAlarm',
        Timestamp: new Date('2026-03-10T18:25:02.118Z'),
        HistoryItemType: 'ConfigurationUpdate',
        HistorySummary: 'Alarm "checkout-p99-latency" deleted',
        HistoryData: JSON.stringify({
          version: '1.0',
          type: 'Delete',
          deletedAlarm: {
            alarmName: 'checkout-p99-latency',
            alarmDescription: 'checkout-api p99 above 1.5 s',
            alarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:checkout-p99-latency`,
            namespace: 'AWS/ApplicationELB',
            metricName: 'TargetResponseTime',
            extendedStatistic: 'p99',
            period: 60,
            dimensions: [{ name: 'LoadBalancer', value: 'app/k8s-shop-0c8d2f7a1e/6e1b9f0c3d2a4b57' }],
            threshold: 1.5,
            comparisonOperator: 'GreaterThanThreshold',
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
          },
        }),
      },
      {
        AlarmName: 'checkout-p99-latency',
        AlarmType: 'MetricAlarm',
        Timestamp: new Date('2026-03-10T18:17:00.412Z'),
        HistoryItemType: 'StateUpdate',
        HistorySummary: 'Alarm updated from OK to ALARM',
        HistoryData: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: 'OK', stateReason: 'Threshold Crossed: 3 datapoints were not greater than the threshold (1.5).' },
          newState: { stateValue: 'ALARM', stateReason: 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (1.5).', stateReasonData: { version: '1.0', threshold: 1.5 } },
        }),
      },
    ];
    const { provider, replay } = setup({ replay: { history } });
    const [alarm] = await provider.describeAlarms({ alarmNames: ['checkout-p99-latency'] });
    expect(alarm).toMatchObject({
      alarmName: 'checkout-p99-latency',
      stateValue: 'ALARM',
      stateUpdatedTimestamp: '2026-03-10T18:17:00.412Z',
      metric: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { LoadBalancer: 'app/k8s-shop-0c8d2f7a1e/6e1b9f0c3d2a4b57' }, stat: 'p99', period: 60 },
      threshold: 1.5,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 3,
    });
    expect(alarm!.description).toContain('has been deleted');
    expect(replay.mock.commandCalls(DescribeAlarmHistoryCommand)[0]!.args[0].input).toMatchObject({ AlarmName: 'checkout-p99-latency', ScanBy: 'TimestampDescending' });
    expect(await provider.describeAlarms({ alarmNames: ['never-existed'] })).toEqual([]);
  });
});

describe('CloudWatch metrics provider: every metrics tool', () => {
  it('answers every operation, schema-valid, with data from the API', async () => {
    const { invoker, replay } = setup();
    const results = await runEveryOperation(invoker, await metricsCases(fixture));
    expect(results.length).toBeGreaterThan(15);
    const data = results.find((r) => r.label.startsWith('metrics___get_metric_data'))!.result as { datapoints: unknown[] };
    expect(data.datapoints.length).toBeGreaterThan(0);
    expect(replay.mock.commandCalls(GetMetricDataCommand).some((c) => c.args[0].input.MetricDataQueries!.some((q) => q.Expression))).toBe(true);
  });
});

describe('CloudWatch metrics provider: faults become tool errors', () => {
  it('access denied is AccessDenied naming the action', async () => {
    const { invoker, replay } = setup();
    replay.faults.push({ command: 'GetMetricData', error: cwError('AccessDenied', 403, `User: arn:aws:sts::${ACCOUNT}:assumed-role/sre-agent-metrics/fn is not authorized to perform: cloudwatch:GetMetricData`) });
    expect(await invoker.invoke('metrics___get_metric_data', { namespace: 'AWS/ApplicationELB', metric_name: 'RequestCount' })).toMatchObject({
      ok: false,
      error: { type: 'AccessDenied', message: expect.stringContaining('cloudwatch:GetMetricData') },
    });
  });

  it('throttling is retried, then Throttled', async () => {
    const ok = setup();
    ok.replay.faults.push({ command: 'ListMetrics', times: 2, error: cwError('Throttling', 400, 'Rate exceeded') });
    expect((await ok.invoker.invoke('metrics___list_metrics', {})).ok).toBe(true);

    const throttled = setup({ provider: { resilience: { policy: { maxAttempts: 2 } } } });
    throttled.replay.faults.push({ command: 'ListMetrics', error: cwError('Throttling', 400, 'Rate exceeded') });
    expect(await throttled.invoker.invoke('metrics___list_metrics', {})).toMatchObject({ ok: false, error: { type: 'Throttled', retryable: true } });
  });

  it('a failing history lookup leaves the alarm simply not found', async () => {
    const { invoker, replay } = setup();
    replay.faults.push({ command: 'DescribeAlarmHistory', error: cwError('AccessDenied', 403, 'not authorized to perform: cloudwatch:DescribeAlarmHistory') });
    expect(await invoker.invoke('metrics___describe_alarms', { alarm_name: 'gone' })).toMatchObject({ ok: false, error: { type: 'NotFound', field: 'alarm_name' } });
  });
});
