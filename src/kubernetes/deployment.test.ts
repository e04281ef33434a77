import { describe, expect, it } from 'vitest';
import { deploymentHealth, deploymentView, rolloutHistory } from './deployment.ts';
import { ClusterSnapshot } from './snapshot.ts';
import { NOW, at, container, deployment, event, pod, replicaSet } from './test-objects.ts';

describe('deploymentHealth', () => {
  it('is Healthy when the rollout completed and every replica is available', () => {
    expect(deploymentHealth(deployment('web'))).toMatchObject({ state: 'Healthy', rolloutComplete: true, unavailable: 0 });
  });

  it('is Failed on ProgressDeadlineExceeded, ReplicaFailure, or no available replica', () => {
    const stalled = deployment('web', {
      status: {
        updatedReplicas: 1,
        availableReplicas: 2,
        unavailableReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-5d8f" has timed out progressing.', lastUpdateTime: at(2), lastTransitionTime: at(2) }],
      },
    });
    expect(deploymentHealth(stalled)).toMatchObject({ state: 'Failed', summary: expect.stringContaining('has timed out progressing') });
    const quota = deployment('web', { status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-5d8f-x" is forbidden: exceeded quota: compute' }] } });
    expect(deploymentHealth(quota).state).toBe('Failed');
    expect(deploymentHealth(deployment('web', { status: { readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 3 } })).state).toBe('Failed');
  });

  it('is Progressing during a rollout, Degraded when replicas are unavailable after it, Paused when paused', () => {
    expect(deploymentHealth(deployment('web', { metadata: { generation: 15 }, status: { updatedReplicas: 1, replicas: 4 } })).state).toBe('Progressing');
    expect(deploymentHealth(deployment('web', { status: { readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 } })).state).toBe('Degraded');
    expect(deploymentHealth(deployment('web', { spec: { paused: true } })).state).toBe('Paused');
  });
});

describe('rolloutHistory', () => {
  const newRs = replicaSet('web', '5d8f7c', 15, {
    metadata: { creationTimestamp: at(12), annotations: { 'kubernetes.io/change-cause': 'deploy web 2.31.0' } },
    spec: { template: { spec: { containers: [container('web', { image: 'shop/web:2.31.0' })] } } },
    status: { replicas: 3, readyReplicas: 1, availableReplicas: 1 },
  });
  const oldRs = replicaSet('web', '7f9c6d', 14, { metadata: { creationTimestamp: '2026-03-01T09:00:00Z' }, spec: { replicas: 0 }, status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 } });

  it('lists revisions newest first with images, creation, replicas and which one is current', () => {
    const dep = deployment('web', { metadata: { annotations: { 'deployment.kubernetes.io/revision': '15' } } });
    const history = rolloutHistory(new ClusterSnapshot({ deployments: [dep], replicasets: [oldRs, newRs] }, NOW), dep);
    expect(history.map((r) => [r.revision, r.current])).toEqual([
      [15, true],
      [14, false],
    ]);
    expect(history[0]).toMatchObject({
      replicaset: 'web-5d8f7c',
      pod_template_hash: '5d8f7c',
      images: ['shop/web:2.31.0'],
      created_at: new Date(at(12)).toISOString(),
      rolled_out_at: new Date(at(12)).toISOString(),
      ready_replicas: 1,
      change_cause: 'deploy web 2.31.0',
      source: 'replicaset',
    });
  });

  it('dates a rollback that re-used an old ReplicaSet by the deployment scale-up event', () => {
    const rolledBack = replicaSet('web', '7f9c6d', 16, { metadata: { creationTimestamp: '2026-03-01T09:00:00Z', annotations: { 'deployment.kubernetes.io/revision-history': '14' } } });
    const dep = deployment('web', { metadata: { annotations: { 'deployment.kubernetes.io/revision': '16' } } });
    const scaled = event({ kind: 'Deployment', name: 'web', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-7f9c6d from 0 to 3', type: 'Normal', first: 4, component: 'deployment-controller' });
    const history = rolloutHistory(new ClusterSnapshot({ deployments: [dep], replicasets: [newRs, rolledBack], events: [scaled] }, NOW), dep);
    expect(history[0]).toMatchObject({ revision: 16, current: true, created_at: '2026-03-01T09:00:00.000Z', rolled_out_at: new Date(at(4)).toISOString() });
  });

  it('reconstructs revisions from pods when no ReplicaSet was recorded', () => {
    const dep = deployment('web', { spec: { template: { spec: { containers: [container('web', { image: 'shop/web:2.31.0' })] } } } });
    const mk = (name: string, hash: string, image: string, created: number) =>
      pod({ name, labels: { app: 'web', 'pod-template-hash': hash }, owner: { kind: 'ReplicaSet', name: `web-${hash}` }, containers: [container('web', { image })], created: NOW - created * 60_000 });
    const snap = new ClusterSnapshot({ deployments: [dep], pods: [mk('web-old-1', 'aaa111', 'shop/web:2.30.0', 300), mk('web-new-1', 'bbb222', 'shop/web:2.31.0', 10)] }, NOW);
    const history = rolloutHistory(snap, dep);
    expect(history.map((r) => [r.revision, r.replicaset, r.current, r.source])).toEqual([
      [14, 'web-bbb222', true, 'pods'],
      [13, 'web-aaa111', false, 'pods'],
    ]);
    const view = deploymentView(snap, dep);
    expect(view).toMatchObject({ status: 'Healthy', current_revision: 14, current_replicaset: 'web-bbb222', pods: { total: 2, ready: 2 } });
  });
});
