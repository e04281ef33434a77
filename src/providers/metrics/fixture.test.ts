import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/errors.ts';
import { createFixtureMetricsProvider } from './fixture.ts';
import { metricsProviderFromEnv } from './index.ts';

const T = (iso: string) => Date.parse(iso);
const TG = [
  { Name: 'TargetGroup', Value: 'targetgroup/k8s-checkout-checkout-2b8e4f61a9/5e7d2c9b1f0a3d84' },
  { Name: 'LoadBalancer', Value: 'app/k8s-shop-0c8d2f7a1e/6e1b9f0c3d2a4b57' },
];
const TG_MAP = Object.fromEntries(TG.map((d) => [d.Name, d.Value]));

function query(id: string, namespace: string, name: string, dimensions: unknown, stat: string, period = 60) {
  return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: period, Stat: stat }, ReturnData: true };
}

let dir: string;
async function write(rel: string, content: unknown): Promise<void> {
  const path = join(dir, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'metrics-fixture-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createFixtureMetricsProvider: GetMetricData files', () => {
  it('answers by namespace, name, exact dimensions and statistic, in ascending time, whatever the recorded order and form', async () => {
    await write('cloudwatch/metrics/alb.json', {
      MetricDataQueries: [query('m1', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', TG, 'Sum'), query('m2', 'AWS/ApplicationELB', 'TargetResponseTime', TG, 'p99')],
      MetricDataResults: [
        // Descending (as the API returns by default), with the timestamp forms boto3, the CLI and the SDKs write.
        { Id: 'm1', Label: 'HTTPCode_Target_5XX_Count', Timestamps: ['2026-03-10T18:02:00.000Z', '2026-03-10T18:01:00+00:00', '2026-03-10T18:00:00+0000'], Values: [40, 3, 0], StatusCode: 'Complete' },
        { Id: 'm2', Timestamps: ['2026-03-10T18:00:00Z'], Values: [0.25], StatusCode: 'Complete' },
      ],
    });
    const p = createFixtureMetricsProvider(dir);
    const [errors, latencyAvg, latencyP99] = await p.getMetricData(
      [
        { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: TG_MAP, stat: 'Sum', period: 60 },
        { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: TG_MAP, stat: 'Average' },
        { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: TG_MAP, stat: 'P99' },
      ],
      T('2026-03-10T17:00:00Z'),
      T('2026-03-10T18:30:00Z'),
    );
    expect(errors).toMatchObject({ stat: 'Sum', period: 60, label: 'HTTPCode_Target_5XX_Count', statusCode: 'Complete' });
    expect(errors!.timestamps).toEqual([T('2026-03-10T18:00:00Z'), T('2026-03-10T18:01:00Z'), T('2026-03-10T18:02:00Z')]);
    expect(errors!.values).toEqual([0, 3, 40]);
    expect(latencyAvg).toMatchObject({ timestamps: [], values: [], statusCode: 'Complete' });
    expect(latencyP99!.values).toEqual([0.25]);
  });

  it('filters to the window, both ends included', async () => {
    await write('cloudwatch/metrics/a.json', {
      MetricDataQueries: [query('a', 'App', 'requests', [], 'Sum')],
      MetricDataResults: [{ Id: 'a', Timestamps: ['2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z'], Values: [1, 2, 3], StatusCode: 'Complete' }],
    });
    const [s] = await createFixtureMetricsProvider(dir).getMetricData(
      [{ namespace: 'App', metricName: 'requests', dimensions: {}, stat: 'Sum' }],
      T('2026-01-01T00:01:00Z'),
      T('2026-01-01T00:02:00Z'),
    );
    expect(s!.values).toEqual([2, 3]);
  });

  it('accepts dimension maps, epoch timestamps, and pages split across results and files', async () => {
    const dims = { ServiceName: 'checkout-api', Environment: 'prod' };
    await write('cloudwatch/metrics/page1.json', {
      MetricDataQueries: [query('e', 'Shop/App', 'errors', dims, 'Sum')],
      MetricDataResults: [
        { Id: 'e', Timestamps: [1773165600, 1773165660], Values: [1, 2], StatusCode: 'PartialData' },
        { Id: 'e', Timestamps: [1773165720000], Values: [3], StatusCode: 'Complete' },
      ],
    });
    // The same metric recorded again in another file (an overlapping page and a new one).
    await write('cloudwatch/metrics/nested/page2.json', {
      MetricDataQueries: [query('e2', 'Shop/App', 'errors', [{ Name: 'Environment', Value: 'prod' }, { Name: 'ServiceName', Value: 'checkout-api' }], 'Sum')],
      MetricDataResults: [{ Id: 'e2', Timestamps: ['2026-03-10T18:03:00Z', '2026-03-10T18:02:00Z'], Values: [4, 3], StatusCode: 'Complete' }],
    });
    const p = createFixtureMetricsProvider(dir);
    const [s] = await p.getMetricData([{ namespace: 'Shop/App', metricName: 'errors', dimensions: dims, stat: 'Sum' }], 0, T('2030-01-01T00:00:00Z'));
    expect(s!.values).toEqual([1, 2, 3, 4]);
    expect(s!.timestamps[0]).toBe(1773165600000);
    expect(s!.statusCode).toBe('Complete');
    expect(await p.listMetrics()).toHaveLength(1);
  });

  it('joins a result to a query in another file when its Id is unique', async () => {
    await write('cloudwatch/metrics/queries.json', { MetricDataQueries: [query('lonely', 'App', 'latency_ms', [], 'Average')], MetricDataResults: [] });
    await write('cloudwatch/metrics/results.json', { MetricDataQueries: [], MetricDataResults: [{ Id: 'lonely', Timestamps: ['2026-01-01T00:00:00Z'], Values: [12], StatusCode: 'Complete' }] });
    const [s] = await createFixtureMetricsProvider(dir).getMetricData([{ namespace: 'App', metricName: 'latency_ms', dimensions: {}, stat: 'Average' }], 0, T('2027-01-01T00:00:00Z'));
    expect(s!.values).toEqual([12]);
  });

  it('lists metrics with their statistics and period, narrowed by namespace, name and dimensions', async () => {
    await write('cloudwatch/metrics/m.json', {
      MetricDataQueries: [
        query('a', 'AWS/ApplicationELB', 'TargetResponseTime', TG, 'Average'),
        query('b', 'AWS/ApplicationELB', 'TargetResponseTime', TG, 'p99'),
        query('c', 'ContainerInsights', 'pod_cpu_utilization', [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'PodName', Value: 'checkout-api' }], 'Average', 300),
        { Id: 'x', Expression: 'a * 1000', ReturnData: true },
      ],
      MetricDataResults: ['a', 'b', 'c', 'x'].map((Id) => ({ Id, Timestamps: [], Values: [], StatusCode: 'Complete' })),
    });
    const p = createFixtureMetricsProvider(dir);
    const all = await p.listMetrics();
    expect(all).toHaveLength(2);
    expect(all.find((m) => m.metricName === 'TargetResponseTime')).toMatchObject({ stats: ['Average', 'p99'], period: 60, dimensions: TG_MAP });
    expect(await p.listMetrics({ namespace: 'ContainerInsights' })).toMatchObject([{ metricName: 'pod_cpu_utilization', period: 300 }]);
    expect(await p.listMetrics({ dimensions: { PodName: '*' } })).toHaveLength(1);
    expect(await p.listMetrics({ dimensions: { PodName: 'checkout-api' } })).toHaveLength(1);
    expect(await p.listMetrics({ dimensions: { PodName: 'other' } })).toHaveLength(0);
    expect(await p.listMetrics({ metricName: 'TargetResponseTime', dimensions: { TargetGroup: '' } })).toHaveLength(1);
  });

  it('treats missing folders as no data and broken JSON as an unavailable backend', async () => {
    const empty = createFixtureMetricsProvider(dir);
    expect(await empty.listMetrics()).toEqual([]);
    expect(await empty.describeAlarms()).toEqual([]);
    const [s] = await empty.getMetricData([{ namespace: 'A', metricName: 'b', dimensions: {}, stat: 'Sum' }], 0, 1);
    expect(s).toMatchObject({ timestamps: [], values: [], statusCode: 'Complete', stat: 'Sum' });

    await write('cloudwatch/metrics/bad.json', '{"MetricDataQueries": [');
    const broken = createFixtureMetricsProvider(dir);
    await expect(broken.listMetrics()).rejects.toBeInstanceOf(ToolError);
  });
});

describe('createFixtureMetricsProvider: alarms', () => {
  it('reads metric, metric-math and composite alarms from DescribeAlarms', async () => {
    await write('cloudwatch/alarms.json', {
      MetricAlarms: [
        {
          AlarmName: 'checkout-5xx',
          AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-5xx',
          AlarmDescription: 'Target 5XX on checkout',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (10.0).',
          StateUpdatedTimestamp: '2026-03-10T18:19:23.865000+00:00',
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: TG,
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
        },
        {
          AlarmName: 'error-ratio',
          StateValue: 'OK',
          Metrics: [
            { Id: 'e', MetricStat: { Metric: { Namespace: 'App', MetricName: 'errors', Dimensions: [] }, Period: 300, Stat: 'Sum' }, ReturnData: false },
            { Id: 'r', Expression: 'e / 100', ReturnData: true },
          ],
          Threshold: 0.05,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
        },
      ],
      CompositeAlarms: [{ AlarmName: 'composite', StateValue: 'ALARM', AlarmRule: 'ALARM(checkout-5xx)' }],
    });
    const p = createFixtureMetricsProvider(dir);
    const alarms = await p.describeAlarms();
    expect(alarms.map((a) => a.alarmName)).toEqual(['checkout-5xx', 'error-ratio', 'composite']);
    expect(alarms[0]).toMatchObject({
      stateValue: 'ALARM',
      threshold: 10,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: TG_MAP, stat: 'Sum', period: 60 },
    });
    expect(alarms[1]!.metric).toEqual({ namespace: 'App', metricName: 'errors', dimensions: {}, stat: 'Sum', period: 300 });
    expect(alarms[2]!.description).toContain('ALARM(checkout-5xx)');
    expect(await p.describeAlarms({ alarmNames: ['error-ratio'] })).toHaveLength(1);
    expect((await p.describeAlarms({ stateValue: 'ALARM' })).map((a) => a.alarmName)).toEqual(['checkout-5xx', 'composite']);
  });

  it('describes the triggering alarm from its EventBridge event when alarms.json lacks it', async () => {
    await write('scenario.json', {
      id: 's',
      now: '2026-03-10T18:20:00Z',
      trigger: {
        type: 'alarm',
        event: {
          source: 'aws.cloudwatch',
          resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx'],
          detail: {
            alarmName: 'api-5xx',
            state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-03-10T18:19:52.310+0000' },
            configuration: {
              description: 'API 5XX',
              metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_ELB_5XX_Count', dimensions: { LoadBalancer: 'app/x/1' } }, period: 60, stat: 'Sum' } }],
            },
          },
        },
      },
    });
    const [alarm] = await createFixtureMetricsProvider(dir).describeAlarms({ alarmNames: ['api-5xx'] });
    expect(alarm).toEqual({
      alarmName: 'api-5xx',
      alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx',
      description: 'API 5XX',
      stateValue: 'ALARM',
      stateReason: 'Threshold Crossed',
      stateUpdatedTimestamp: '2026-03-10T18:19:52.310+0000',
      metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', dimensions: { LoadBalancer: 'app/x/1' }, stat: 'Sum', period: 60 },
    });
  });
});

describe('metricsProviderFromEnv', () => {
  it('serves a scenario folder and says what to set otherwise', async () => {
    expect(await metricsProviderFromEnv({ SRE_AGENT_SCENARIO: dir }).listMetrics()).toEqual([]);
    expect(() => metricsProviderFromEnv({})).toThrow(/SRE_AGENT_SCENARIO/);
    expect(() => metricsProviderFromEnv({ METRICS_PROVIDER: 'aws' })).toThrow(/METRICS_PROVIDER=aws/);
  });
});
