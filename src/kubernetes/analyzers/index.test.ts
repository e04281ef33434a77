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

  it('rolls pods of an operator-managed StatefulSet up to the StatefulSet, not to the custom resource, keeping the chain', () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {
        name: 'rabbitmq-server',
        namespace: 'messaging',
        uid: 'uid-sts',
        ownerReferences: [{ apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', name: 'rabbitmq', uid: 'uid-rmq', controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 3, serviceName: 'rabbitmq-nodes', template: { metadata: { labels: { 'app.kubernetes.io/name': 'rabbitmq' } } } },
      status: { replicas: 3, readyReplicas: 2, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 2 },
    };
    const pending = pod({
      name: 'rabbitmq-server-2',
      namespace: 'messaging',
      node: '',
      labels: { 'app.kubernetes.io/name': 'rabbitmq' },
      owner: { kind: 'StatefulSet', name: 'rabbitmq-server', uid: 'uid-sts' },
      phase: 'Pending',
      containerStatuses: [],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/6 nodes are available: 5 node(s) had volume node affinity conflict.', lastTransitionTime: at(30) }],
    });
    const problems = scanProblems(new ClusterSnapshot({ statefulsets: [sts], pods: [pending] }, NOW), { since: NOW - 7_200_000 });
    const unschedulable = problems.find((p) => p.reason === 'Unschedulable')!;
    expect(unschedulable).toMatchObject({
      resource: 'StatefulSet/messaging/rabbitmq-server',
      workload: 'StatefulSet/messaging/rabbitmq-server',
      owner_chain: ['StatefulSet/messaging/rabbitmq-server', 'RabbitmqCluster/messaging/rabbitmq'],
      affected: ['Pod/messaging/rabbitmq-server-2'],
    });
    expect(problems.find((p) => p.reason === 'ReplicasUnavailable')).toMatchObject({ resource: 'StatefulSet/messaging/rabbitmq-server', owner_chain: ['StatefulSet/messaging/rabbitmq-server', 'RabbitmqCluster/messaging/rabbitmq'] });
    expect(problems.every((p) => !p.resource.startsWith('RabbitmqCluster/'))).toBe(true);
    // Per object, the pod's own problem names the StatefulSet as its workload and the full chain.
    const [own] = scanProblems(new ClusterSnapshot({ statefulsets: [sts], pods: [pending] }, NOW), { since: NOW - 7_200_000, groupByWorkload: false, kinds: ['Pod'] });
    expect(own).toMatchObject({ resource: 'Pod/messaging/rabbitmq-server-2', workload: 'StatefulSet/messaging/rabbitmq-server', owner_chain: ['Pod/messaging/rabbitmq-server-2', 'StatefulSet/messaging/rabbitmq-server', 'RabbitmqCluster/messaging/rabbitmq'] });
    // Without a custom resource above, problems carry no chain.
    expect(scanProblems(cluster(), { since: NOW - 7_200_000 }).every((p) => p.owner_chain === undefined)).toBe(true);
  });
});
