import { describe, expect, it } from 'vitest';
import { ClusterSnapshot } from '../snapshot.ts';
import { NOW, at, container, deployment, event, node, pod, readyConditions, replicaSet, running } from '../test-objects.ts';
import { scanProblems } from './index.ts';

function crashing(name: string, hash: string) {
  return pod({
    name,
    labels: { app: 'web', 'pod-template-hash': hash },
    owner: { kind: 'ReplicaSet', name: `web-${hash}` },
    containerStatuses: [
      running('app', {
        ready: false,
        restartCount: 5,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 2m40s restarting failed container=app pod=${name}` } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at(3), finishedAt: at(3) } },
      }),
    ],
    conditions: readyConditions(false, 8),
    created: NOW - 9 * 60_000,
  });
}

function cluster() {
  const dep = deployment('web', {
    metadata: { annotations: { 'deployment.kubernetes.io/revision': '15' } },
    status: { readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 2, updatedReplicas: 2 },
  });
  const rsNew = replicaSet('web', 'new111', 15, { metadata: { creationTimestamp: at(10) }, spec: { template: { spec: { containers: [container('web', { image: 'shop/web:2.31.0' })] } } } });
  const rsOld = replicaSet('web', 'old000', 14, { metadata: { creationTimestamp: '2026-03-01T00:00:00Z' }, spec: { replicas: 1 } });
  const healthy = pod({ name: 'web-old000-a', labels: { app: 'web', 'pod-template-hash': 'old000' }, owner: { kind: 'ReplicaSet', name: 'web-old000' } });
  const other = pod({ name: 'api-1', namespace: 'catalog', labels: { app: 'api' } });
  return new ClusterSnapshot(
    {
      deployments: [dep],
      replicasets: [rsNew, rsOld],
      pods: [crashing('web-new111-a', 'new111'), crashing('web-new111-b', 'new111'), healthy, other],
      nodes: [node('ip-10-0-1-12.ec2.internal'), node('ip-9', { spec: { unschedulable: true } })],
      events: [event({ kind: 'Pod', name: 'api-1', namespace: 'catalog', reason: 'Unhealthy', message: 'Readiness probe failed: timeout', count: 2, first: 600, last: 590 })],
    },
    NOW,
  );
}

describe('scanProblems', () => {
  it('rolls pod problems up to their Deployment and ties them to the rollout that preceded them', () => {
    const problems = scanProblems(cluster(), { since: NOW - 2 * 3_600_000 });
    const crash = problems.find((p) => p.reason === 'CrashLoopBackOff')!;
    expect(crash).toMatchObject({ kind: 'Deployment', name: 'web', resource: 'Deployment/checkout/web', severity: 'critical', count: 10, affected: ['Pod/checkout/web-new111-a', 'Pod/checkout/web-new111-b'] });
    expect(crash.evidence.join('\n')).toMatch(/started after revision 15 \(shop\/web:2\.31\.0\)/);
    const rollout = problems.find((p) => p.reason === 'RecentRollout')!;
    expect(rollout.severity).toBe('warning');
    expect(rollout.evidence.join('\n')).toMatch(/followed by .*CrashLoopBackOff/);
    // Old events outside the window raise nothing; severity orders the list.
    expect(problems.some((p) => p.resource.includes('api-1'))).toBe(false);
    expect(problems[0]!.severity).toBe('critical');
  });

  it('honours namespace, kinds, minimum severity and per-object output', () => {
    const snap = cluster();
    expect(scanProblems(snap, { since: NOW - 7_200_000, namespace: 'catalog' })).toEqual([]);
    const nodes = scanProblems(snap, { since: NOW - 7_200_000, kinds: ['Node'] });
    expect(nodes.map((p) => p.reason)).toEqual(['NodeCordoned']);
    expect(scanProblems(snap, { since: NOW - 7_200_000, minSeverity: 'critical' }).every((p) => p.severity === 'critical')).toBe(true);
    const perObject = scanProblems(snap, { since: NOW - 7_200_000, groupByWorkload: false, kinds: ['Pod'] });
    expect(perObject.filter((p) => p.reason === 'CrashLoopBackOff').map((p) => p.resource)).toEqual(['Pod/checkout/web-new111-a', 'Pod/checkout/web-new111-b']);
  });
});
