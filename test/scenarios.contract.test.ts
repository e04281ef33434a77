import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkScenario, listScenarioDirs, parseInstant } from '../src/eval/scenario-contract.ts';
import type { ContractProblem } from '../src/eval/scenario-contract.ts';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
/** The bundled scenarios and the blind validation sets: all are written to the same contract. */
const SCENARIO_ROOTS = ['scenarios', 'validation', 'validation-2'].map((name) => join(FIXTURES, name)).filter((root) => existsSync(root));

function format(problems: ContractProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.message}`).join('\n');
}

for (const root of SCENARIO_ROOTS) {
  describe(`every scenario in fixtures/${root.slice(FIXTURES.length + 1)} meets the contract`, async () => {
    const dirs = await listScenarioDirs(root);
    it('finds scenario folders', () => {
      expect(dirs.length).toBeGreaterThan(0);
    });
    for (const dir of dirs) {
      it(dir.slice(root.length + 1), async () => {
        const problems = await checkScenario(dir);
        expect(format(problems)).toBe('');
      });
    }
  });
}

// ---- a minimal valid scenario, mutated by the negative cases ------------------------------------

const NOW = '2026-03-14T10:32:00Z';

function minimalScenario(): Record<string, unknown> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-7f9c6d5b4-abcde', namespace: 'shop', creationTimestamp: '2026-03-14T09:00:00Z' },
    spec: { nodeName: 'ip-10-0-1-12.ec2.internal', containers: [{ name: 'api', image: 'example/api:1.0.0' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'api', ready: true, restartCount: 0, state: { running: { startedAt: '2026-03-14T09:00:05Z' } } }],
    },
  };
  return {
    'scenario.json': {
      id: 'mini',
      title: 'A minimal scenario',
      now: NOW,
      cluster: 'prod-eks',
      region: 'us-east-1',
      trigger: {
        type: 'alarm',
        event: {
          version: '0',
          id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
          'detail-type': 'CloudWatch Alarm State Change',
          source: 'aws.cloudwatch',
          account: '123456789012',
          time: '2026-03-14T10:31:52Z',
          region: 'us-east-1',
          resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx'],
          detail: {
            alarmName: 'api-5xx',
            state: { value: 'ALARM', reason: 'Threshold Crossed', reasonData: '{"version":"1.0"}', timestamp: '2026-03-14T10:31:52.310+0000' },
            previousState: { value: 'OK' },
            configuration: {
              metrics: [
                {
                  id: 'm1',
                  metricStat: { metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: 'app/k8s-shop/abc' } }, period: 60, stat: 'Sum' },
                  returnData: true,
                },
              ],
            },
          },
        },
      },
    },
    'expected.json': { category: 'bad-deployment', resource: 'Deployment/shop/api', mentions: ['1.0.0'] },
    'kubernetes/pods.json': { apiVersion: 'v1', kind: 'List', items: [pod], metadata: { resourceVersion: '' } },
    'kubernetes/deployments.json': {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { replicas: 1 }, status: { replicas: 1 } }],
      metadata: { resourceVersion: '' },
    },
    'kubernetes/events.json': {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'api-7f9c6d5b4-abcde.17c0', namespace: 'shop' },
          involvedObject: { kind: 'Pod', namespace: 'shop', name: 'api-7f9c6d5b4-abcde' },
          reason: 'Started',
          message: 'Started container api',
          type: 'Normal',
          count: 1,
          firstTimestamp: '2026-03-14T09:00:05Z',
          lastTimestamp: '2026-03-14T09:00:05Z',
        },
      ],
      metadata: { resourceVersion: '' },
    },
    'kubernetes/logs/shop/api-7f9c6d5b4-abcde/api.log': '2026-03-14T09:00:05.123456789Z listening on :8080\n2026-03-14T10:31:00Z GET /health 200\n',
    'cloudwatch/logs/app.json': {
      logGroupName: '/aws/containerinsights/prod-eks/application',
      events: [
        {
          timestamp: Date.parse('2026-03-14T10:31:00Z'),
          ingestionTime: Date.parse('2026-03-14T10:31:02Z'),
          logStreamName: 'ip-10-0-1-12.ec2.internal-application.var.log.containers.api-7f9c6d5b4-abcde_shop_api-0123.log',
          message: JSON.stringify({ log: 'GET /health 200', stream: 'stdout', kubernetes: { pod_name: 'api-7f9c6d5b4-abcde', namespace_name: 'shop', container_name: 'api' } }),
        },
      ],
    },
    'cloudwatch/metrics/alb.json': {
      MetricDataQueries: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'LoadBalancer', Value: 'app/k8s-shop/abc' }] },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      MetricDataResults: [{ Id: 'm1', Label: 'HTTPCode_Target_5XX_Count', Timestamps: ['2026-03-14T10:31:00Z', '2026-03-14T10:30:00Z'], Values: [40, 0], StatusCode: 'Complete' }],
    },
    'cloudwatch/alarms.json': {
      MetricAlarms: [{ AlarmName: 'api-5xx', StateValue: 'ALARM', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count' }],
    },
    'runbooks/rollback.md': '---\nid: rollback\ntitle: Roll back a bad deployment\ncategories: [bad-deployment]\n---\n## Steps\n1. kubectl rollout undo\n',
  };
}

async function writeScenario(dir: string, files: Record<string, unknown>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

describe('checkScenario on temporary folders', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'scenario-contract-'));
    dir = join(root, 'mini');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function hasProblem(problems: ContractProblem[], file: string, fragment: string): boolean {
    return problems.some((p) => p.file === file && p.message.includes(fragment));
  }

  it('accepts the minimal valid scenario and lists it', async () => {
    await writeScenario(dir, minimalScenario());
    expect(format(await checkScenario(dir))).toBe('');
    expect(await listScenarioDirs(root)).toEqual([dir]);
  });

  it('accepts a question trigger with no backend files at all', async () => {
    await writeScenario(dir, {
      'scenario.json': { id: 'q', title: 'Q', now: '2026-03-14T10:32:00.000+00:00', cluster: 'c', region: 'eu-west-1', trigger: { type: 'question', question: 'Why?', userId: 'alice' } },
      'expected.json': { category: 'none', mentions: [] },
    });
    expect(format(await checkScenario(dir))).toBe('');
  });

  it('reports a category outside the taxonomy', async () => {
    const files = minimalScenario();
    files['expected.json'] = { category: 'database-broken', resource: 'Deployment/shop/api', mentions: [] };
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'expected.json', 'category')).toBe(true);
  });

  it('reports a malformed resource, an unknown object and a mention not in the data', async () => {
    const files = minimalScenario();
    files['expected.json'] = { category: 'bad-deployment', resource: 'deployment api', acceptResources: ['Deployment/shop/nope'], mentions: ['NullPointerException'] };
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'expected.json', 'resource:')).toBe(true);
    expect(hasProblem(problems, 'expected.json', 'acceptResources[0]: Deployment/shop/nope is not in kubernetes/deployments.json')).toBe(true);
    expect(hasProblem(problems, 'expected.json', 'mentions: "NullPointerException"')).toBe(true);
  });

  it('reports a malformed pods.json', async () => {
    const files = minimalScenario();
    files['kubernetes/pods.json'] = { pods: [{ name: 'api-7f9c6d5b4-abcde', status: 'Running' }] };
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'kubernetes/pods.json', 'kind')).toBe(true);
    expect(hasProblem(problems, 'kubernetes/pods.json', 'items')).toBe(true);
  });

  it('reports a pod item without status.phase or container state', async () => {
    const files = minimalScenario();
    const pods = files['kubernetes/pods.json'] as { items: Array<{ status: Record<string, unknown> }> };
    pods.items[0]!.status = { containerStatuses: [{ name: 'api', ready: 'yes', restartCount: 0, state: {} }] };
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'kubernetes/pods.json', 'status.phase')).toBe(true);
    expect(hasProblem(problems, 'kubernetes/pods.json', 'containerStatuses[0].ready')).toBe(true);
    expect(hasProblem(problems, 'kubernetes/pods.json', 'containerStatuses[0].state')).toBe(true);
  });

  it('reports pods.json that is not JSON', async () => {
    const files = minimalScenario();
    files['kubernetes/pods.json'] = '{"apiVersion": "v1", "kind": "List", "items": [';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'kubernetes/pods.json', 'not valid JSON')).toBe(true);
  });

  it('reports a log line without a timestamp', async () => {
    const files = minimalScenario();
    files['kubernetes/logs/shop/api-7f9c6d5b4-abcde/api.log'] = '2026-03-14T09:00:05Z ok\nException in thread "main" java.lang.NullPointerException\n';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'kubernetes/logs/shop/api-7f9c6d5b4-abcde/api.log', 'line 2')).toBe(true);
  });

  it('reports logs of a pod or container that does not exist, and misplaced log files', async () => {
    const files = minimalScenario();
    files['kubernetes/logs/shop/ghost-5d8f7c9b6-zzzzz/api.log'] = '2026-03-14T09:00:05Z ok\n';
    files['kubernetes/logs/shop/api-7f9c6d5b4-abcde/sidecar.previous.log'] = '2026-03-14T09:00:05Z ok\n';
    files['kubernetes/logs/shop/api.log'] = '2026-03-14T09:00:05Z ok\n';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'kubernetes/logs/shop/ghost-5d8f7c9b6-zzzzz/api.log', 'not in kubernetes/pods.json')).toBe(true);
    expect(hasProblem(problems, 'kubernetes/logs/shop/api-7f9c6d5b4-abcde/sidecar.previous.log', '"sidecar"')).toBe(true);
    expect(hasProblem(problems, 'kubernetes/logs/shop/api.log', '<namespace>/<pod>/<container>.log')).toBe(true);
  });

  it('reports data after now', async () => {
    const files = minimalScenario();
    files['kubernetes/logs/shop/api-7f9c6d5b4-abcde/api.log'] = '2026-03-14T10:45:00Z late\n';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'kubernetes/logs/shop/api-7f9c6d5b4-abcde/api.log', 'after the scenario\'s now')).toBe(true);
  });

  it('reports a metric result without its query, and a query without its result', async () => {
    const files = minimalScenario();
    const metrics = files['cloudwatch/metrics/alb.json'] as { MetricDataResults: Array<Record<string, unknown>> };
    metrics.MetricDataResults[0]!.Id = 'm2';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'cloudwatch/metrics/alb.json', 'MetricDataResults[0].Id: "m2" matches no query')).toBe(true);
    expect(hasProblem(problems, 'cloudwatch/metrics/alb.json', 'no result for query Id "m1"')).toBe(true);
  });

  it('reports Timestamps and Values of different lengths', async () => {
    const files = minimalScenario();
    const metrics = files['cloudwatch/metrics/alb.json'] as { MetricDataResults: Array<Record<string, unknown>> };
    metrics.MetricDataResults[0]!.Values = [1];
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'cloudwatch/metrics/alb.json', 'differ in length')).toBe(true);
  });

  it("reports an alarm trigger whose metric is in no metrics file and an alarm missing from alarms.json", async () => {
    const files = minimalScenario();
    files['cloudwatch/metrics/alb.json'] = { MetricDataQueries: [], MetricDataResults: [] };
    files['cloudwatch/alarms.json'] = { MetricAlarms: [] };
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'scenario.json', 'trigger.event.detail.configuration.metrics[0]')).toBe(true);
    expect(hasProblem(problems, 'cloudwatch/alarms.json', 'api-5xx')).toBe(true);
  });

  it('reports a broken alarm event and a bad now', async () => {
    const files = minimalScenario();
    const scenario = files['scenario.json'] as { now: string; trigger: { event: { source: string; detail: { state: { value: string } } } } };
    scenario.now = '14 March 2026';
    scenario.trigger.event.source = 'aws.events';
    scenario.trigger.event.detail.state.value = 'OK';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'scenario.json', 'now:')).toBe(true);
    expect(hasProblem(problems, 'scenario.json', 'trigger.event.source')).toBe(true);
    expect(hasProblem(problems, 'scenario.json', 'trigger.event.detail.state.value')).toBe(true);
  });

  it('reports a Container Insights event whose message is not the Fluent Bit JSON', async () => {
    const files = minimalScenario();
    const logs = files['cloudwatch/logs/app.json'] as { events: Array<Record<string, unknown>> };
    logs.events[0]!.message = 'GET /health 200';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'cloudwatch/logs/app.json', 'events[0].message')).toBe(true);
  });

  it('reports runbook front matter with an unknown category or no id', async () => {
    const files = minimalScenario();
    files['runbooks/rollback.md'] = '---\ntitle: Roll back\ncategories: [rollbacks]\n---\nbody\n';
    files['runbooks/plain.md'] = '# No front matter\n';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'runbooks/rollback.md', 'front matter id')).toBe(true);
    expect(hasProblem(problems, 'runbooks/rollback.md', 'categories[0]')).toBe(true);
    expect(hasProblem(problems, 'runbooks/plain.md', 'front matter')).toBe(true);
  });

  it('reports a missing scenario.json field and a missing expected.json', async () => {
    const files = minimalScenario();
    delete files['expected.json'];
    (files['scenario.json'] as Record<string, unknown>).cluster = '';
    await writeScenario(dir, files);
    const problems = await checkScenario(dir);
    expect(hasProblem(problems, 'scenario.json', 'cluster')).toBe(true);
    expect(hasProblem(problems, 'expected.json', 'missing')).toBe(true);
    // the folder still holds scenario.json, so it is listed
    expect(JSON.parse(await readFile(join(dir, 'scenario.json'), 'utf8')).id).toBe('mini');
  });
});

describe('parseInstant', () => {
  it('reads the instant forms the APIs write', () => {
    expect(parseInstant('2026-03-14T10:31:52Z')).toBe(Date.UTC(2026, 2, 14, 10, 31, 52));
    expect(parseInstant('2026-03-14T10:31:52.310+0000')).toBe(Date.UTC(2026, 2, 14, 10, 31, 52, 310));
    expect(Math.floor(parseInstant('2026-03-14T12:31:52.123456789+02:00')!)).toBe(Date.UTC(2026, 2, 14, 10, 31, 52, 123));
    expect(parseInstant('2026-03-14 10:31:52')).toBeUndefined();
    expect(parseInstant(42)).toBeUndefined();
  });
});
