import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { ClusterSnapshot, type KubeLists } from '../snapshot.ts';
import { NOW, at, event } from '../test-objects.ts';
import { analyzeDaemonSet } from './daemonset.ts';
import { analyzeJob } from './job.ts';
import { analyzeStatefulSet } from './statefulset.ts';
import type { AnalyzerContext } from './types.ts';

const ctx = (lists: KubeLists): AnalyzerContext => ({ snapshot: new ClusterSnapshot(lists, NOW), now: NOW, since: NOW - 2 * 3_600_000 });

describe('statefulset analyzer', () => {
  const sts = (ready: number, over: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'orders-db', namespace: 'orders' },
    spec: { replicas: 1, serviceName: 'orders-db-hl', template: { metadata: { labels: { app: 'orders-db' } } } },
    status: { replicas: 1, readyReplicas: ready, currentReplicas: 1, updatedReplicas: 1, availableReplicas: ready, currentRevision: 'orders-db-6d9', updateRevision: 'orders-db-6d9', ...over },
  });
  it('reports replicas not ready and a missing governing service; quiet when ready', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'orders' }, spec: {} };
    expect(analyzeStatefulSet(ctx({ services: [svc] }), sts(0)).map((p) => [p.reason, p.severity])).toEqual([
      ['ReplicasUnavailable', 'critical'],
      ['MissingGoverningService', 'warning'],
    ]);
    expect(analyzeStatefulSet(ctx({}), sts(1))).toEqual([]);
  });
});

describe('daemonset analyzer', () => {
  it('reports unavailable and misscheduled daemon pods', () => {
    const ds: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluent-bit', namespace: 'amazon-cloudwatch' },
      spec: {},
      status: { desiredNumberScheduled: 5, currentNumberScheduled: 5, numberReady: 4, numberAvailable: 4, numberUnavailable: 1, numberMisscheduled: 1 },
    };
    expect(analyzeDaemonSet(ctx({}), ds).map((p) => [p.reason, p.severity, p.count])).toEqual([
      ['ReplicasUnavailable', 'warning', 1],
      ['Misscheduled', 'warning', 1],
    ]);
  });
});

describe('job analyzer', () => {
  const job = (failedAt: string): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'ledger-export-29501400', namespace: 'payments', ownerReferences: [{ kind: 'CronJob', name: 'ledger-export', uid: 'cj', controller: true }] },
    spec: { backoffLimit: 2, completions: 1 },
    status: { failed: 3, startTime: failedAt, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: failedAt }] },
  });
  it('reports a Job that failed inside the window as critical, on its CronJob, and an old failure as info', () => {
    const ev = event({ kind: 'Job', name: 'ledger-export-29501400', namespace: 'payments', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', first: 10, component: 'job-controller' });
    expect(analyzeJob(ctx({ events: [ev] }), job(at(10)))).toEqual([
      expect.objectContaining({ reason: 'JobFailed', severity: 'critical', message: 'Job has reached the specified backoff limit', workload: 'CronJob/payments/ledger-export', count: 3 }),
    ]);
    expect(analyzeJob(ctx({}), job(at(600)))).toEqual([expect.objectContaining({ reason: 'JobFailed', severity: 'info' })]);
  });
});
