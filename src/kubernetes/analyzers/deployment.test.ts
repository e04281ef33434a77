import { describe, expect, it } from 'vitest';
import { ClusterSnapshot, type KubeLists } from '../snapshot.ts';
import { NOW, at, container, deployment, event, replicaSet } from '../test-objects.ts';
import { analyzeDeployment } from './deployment.ts';
import { analyzeReplicaSet } from './replicaset.ts';
import type { AnalyzerContext } from './types.ts';

const ctx = (lists: KubeLists): AnalyzerContext => ({ snapshot: new ClusterSnapshot(lists, NOW), now: NOW, since: NOW - 2 * 3_600_000 });

describe('deployment analyzer', () => {
  it('is quiet on a deployment whose rollout finished long ago', () => {
    const dep = deployment('web');
    const rs = replicaSet('web', '7f9c6d', 14, { metadata: { creationTimestamp: '2026-03-01T00:00:00Z' } });
    expect(analyzeDeployment(ctx({ deployments: [dep], replicasets: [rs] }), dep)).toEqual([]);
  });

  it('reports ProgressDeadlineExceeded and unavailable replicas with the conditions\' own messages', () => {
    const dep = deployment('web', {
      status: {
        readyReplicas: 0,
        availableReplicas: 0,
        unavailableReplicas: 3,
        conditions: [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: at(14), lastTransitionTime: at(14) },
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-5d8f7c" has timed out progressing.', lastUpdateTime: at(4), lastTransitionTime: at(4) },
        ],
      },
    });
    const problems = analyzeDeployment(ctx({ deployments: [dep] }), dep);
    expect(problems.map((p) => [p.reason, p.severity, p.message])).toEqual([
      ['ProgressDeadlineExceeded', 'critical', 'ReplicaSet "web-5d8f7c" has timed out progressing.'],
      ['ReplicasUnavailable', 'critical', 'Deployment does not have minimum availability. 0 of 3 replicas available.'],
    ]);
    expect(problems[1]!.since).toBe(Date.parse(at(14)));
  });

  it('reports ReplicaFailure (quota) and a rollout inside the window with the images it replaced', () => {
    const dep = deployment('web', {
      metadata: { annotations: { 'deployment.kubernetes.io/revision': '15' } },
      status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-5d8f7c-abcde" is forbidden: exceeded quota: compute-quota, requested: cpu=500m, used: cpu=4, limited: cpu=4', lastTransitionTime: at(9) }] },
    });
    const rsNew = replicaSet('web', '5d8f7c', 15, { metadata: { creationTimestamp: at(10) }, spec: { template: { spec: { containers: [container('web', { image: 'shop/web:2.31.0' })] } } } });
    const rsOld = replicaSet('web', '7f9c6d', 14, { metadata: { creationTimestamp: '2026-03-01T00:00:00Z' }, spec: { replicas: 0, template: { spec: { containers: [container('web', { image: 'shop/web:2.30.4' })] } } } });
    const problems = analyzeDeployment(ctx({ deployments: [dep], replicasets: [rsNew, rsOld] }), dep);
    expect(problems.find((p) => p.reason === 'ReplicaFailure')).toMatchObject({ severity: 'critical', message: expect.stringContaining('exceeded quota') });
    expect(problems.find((p) => p.reason === 'RecentRollout')).toMatchObject({
      severity: 'info',
      since: Date.parse(at(10)),
      message: expect.stringMatching(/revision 15 \(shop\/web:2\.31\.0\).*replacing revision 14 \(shop\/web:2\.30\.4\)/),
    });
  });

  it('treats a healthy rolling update in progress as info, not an alarm', () => {
    const dep = deployment('web', { metadata: { generation: 15 }, spec: { replicas: 4 }, status: { observedGeneration: 15, replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 3, unavailableReplicas: 1 } });
    expect(analyzeDeployment(ctx({ deployments: [dep] }), dep)).toEqual([expect.objectContaining({ reason: 'RolloutInProgress', severity: 'info' })]);
  });
});

describe('replicaset analyzer', () => {
  it('reports ReplicaFailure and FailedCreate events, and judges owned ReplicaSets through their Deployment', () => {
    const rs = replicaSet('web', '5d8f7c', 15, {
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-5d8f7c-x" is forbidden: exceeded quota: compute-quota', lastTransitionTime: at(5) }] },
    });
    const fc = event({ kind: 'ReplicaSet', name: 'web-5d8f7c', reason: 'FailedCreate', message: 'Error creating: pods "web-5d8f7c-x" is forbidden: exceeded quota: compute-quota', count: 14, first: 5, last: 1, component: 'replicaset-controller' });
    const problems = analyzeReplicaSet(ctx({ replicasets: [rs], deployments: [deployment('web')], events: [fc] }), rs);
    expect(problems.map((p) => [p.reason, p.workload])).toEqual([['ReplicaFailure', 'Deployment/checkout/web']]);
    const unready = replicaSet('web', '5d8f7c', 15, { status: { readyReplicas: 1 } });
    expect(analyzeReplicaSet(ctx({ replicasets: [unready], deployments: [deployment('web')] }), unready)).toEqual([]);
  });

  it('reports a standalone ReplicaSet missing replicas', () => {
    const rs = replicaSet('legacy', 'x', 1, { metadata: { ownerReferences: [], labels: { app: 'legacy' } }, status: { readyReplicas: 0 } });
    // Deployments were recorded and none is named legacy: the ReplicaSet stands alone.
    expect(analyzeReplicaSet(ctx({ replicasets: [rs], deployments: [deployment('web')] }), rs)).toEqual([expect.objectContaining({ reason: 'ReplicasUnavailable', severity: 'critical', workload: 'ReplicaSet/checkout/legacy-x' })]);
  });
});
