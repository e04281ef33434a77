import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { ClusterSnapshot, isWorkloadKind } from './snapshot.ts';
import { deployment, event, pod, replicaSet, NOW } from './test-objects.ts';

/** A StatefulSet as an operator creates it: owned (controller: true) by its custom resource. */
function operatedStatefulSet(name: string, namespace: string, owner: { apiVersion: string; kind: string; name: string }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name,
      namespace,
      uid: `uid-StatefulSet-${name}`,
      labels: { 'app.kubernetes.io/name': owner.name },
      ownerReferences: [{ ...owner, uid: `uid-${owner.kind}-${owner.name}`, controller: true }],
    },
    spec: { replicas: 3, serviceName: `${name}-nodes`, selector: { matchLabels: { 'app.kubernetes.io/name': owner.name } }, template: { metadata: { labels: { 'app.kubernetes.io/name': owner.name } } } },
    status: { replicas: 3, readyReplicas: 2 },
  };
}

describe('owner chains', () => {
  it('follows ownerReferences by uid: Pod → ReplicaSet → Deployment', () => {
    const p = pod({ name: 'web-7f9c6d-x2k4p', labels: { app: 'web', 'pod-template-hash': '7f9c6d' }, owner: { kind: 'ReplicaSet', name: 'web-7f9c6d' } });
    const snap = new ClusterSnapshot({ pods: [p], replicasets: [replicaSet('web', '7f9c6d', 3)], deployments: [deployment('web')] }, NOW);
    expect(snap.ownerChain('Pod', p)).toEqual(['Pod/checkout/web-7f9c6d-x2k4p', 'ReplicaSet/checkout/web-7f9c6d', 'Deployment/checkout/web']);
    expect(snap.podsOf('Deployment/checkout/web')).toEqual([p]);
    expect(snap.replicaSetsOf(deployment('web'))).toHaveLength(1);
  });

  it('recognises the Deployment from the pod-template-hash naming rule when ReplicaSets were not recorded', () => {
    const p = pod({ name: 'web-7f9c6d-x2k4p', labels: { app: 'web', 'pod-template-hash': '7f9c6d' }, owner: { kind: 'ReplicaSet', name: 'web-7f9c6d' } });
    const withDeployment = new ClusterSnapshot({ pods: [p], deployments: [deployment('web')] }, NOW);
    expect(withDeployment.workloadOf('Pod', p)).toBe('Deployment/checkout/web');
    // A ReplicaSet whose name does not end in the hash is not a Deployment's: stop there.
    const q = pod({ name: 'legacy-abc', labels: { app: 'legacy' }, owner: { kind: 'ReplicaSet', name: 'legacy' } });
    expect(new ClusterSnapshot({ pods: [q], deployments: [deployment('web')] }, NOW).workloadOf('Pod', q)).toBe('ReplicaSet/checkout/legacy');
  });

  it('reaches CronJob through Job, keeps owners missing from the recording, and survives reference cycles', () => {
    const p = pod({ name: 'report-29501400-abcde', owner: { kind: 'Job', name: 'report-29501400' } });
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report-29501400', namespace: 'checkout', uid: 'uid-Job-report-29501400', ownerReferences: [{ kind: 'CronJob', name: 'report', uid: 'uid-cj', controller: true }] } };
    expect(new ClusterSnapshot({ pods: [p], jobs: [job] }, NOW).ownerChain('Pod', p)).toEqual(['Pod/checkout/report-29501400-abcde', 'Job/checkout/report-29501400', 'CronJob/checkout/report']);
    const a = { metadata: { name: 'a', namespace: 'x', uid: 'ua', ownerReferences: [{ kind: 'ReplicaSet', name: 'b', uid: 'ub' }] } };
    const b = { metadata: { name: 'b', namespace: 'x', uid: 'ub', ownerReferences: [{ kind: 'ReplicaSet', name: 'a', uid: 'ua' }] } };
    expect(new ClusterSnapshot({ replicasets: [a, b] }, NOW).ownerChain('ReplicaSet', a)).toEqual(['ReplicaSet/x/a', 'ReplicaSet/x/b']);
  });

  it('names the built-in workload when an operator custom resource owns it, keeping the custom resource in the chain', () => {
    const sts = operatedStatefulSet('rabbitmq-server', 'messaging', { apiVersion: 'rabbitmq.com/v1beta1', kind: 'RabbitmqCluster', name: 'rabbitmq' });
    const p = pod({ name: 'rabbitmq-server-2', namespace: 'messaging', owner: { kind: 'StatefulSet', name: 'rabbitmq-server' } });
    const snap = new ClusterSnapshot({ pods: [p], statefulsets: [sts] }, NOW);
    expect(snap.ownerChain('Pod', p)).toEqual(['Pod/messaging/rabbitmq-server-2', 'StatefulSet/messaging/rabbitmq-server', 'RabbitmqCluster/messaging/rabbitmq']);
    expect(snap.workloadOf('Pod', p)).toBe('StatefulSet/messaging/rabbitmq-server');
    expect(snap.workloadOf('StatefulSet', sts)).toBe('StatefulSet/messaging/rabbitmq-server');
    expect(snap.ownerChain('StatefulSet', sts)).toEqual(['StatefulSet/messaging/rabbitmq-server', 'RabbitmqCluster/messaging/rabbitmq']);
    // ECK names its StatefulSets <cluster>-es-<nodeSet>; the Elasticsearch resource stays in the chain.
    const es = operatedStatefulSet('search-es-data', 'catalog-search', { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', name: 'search' });
    const esPod = pod({ name: 'search-es-data-0', namespace: 'catalog-search', owner: { kind: 'StatefulSet', name: 'search-es-data' } });
    expect(new ClusterSnapshot({ pods: [esPod], statefulsets: [es] }, NOW).workloadOf('Pod', esPod)).toBe('StatefulSet/catalog-search/search-es-data');
  });

  it('prefers the Deployment over its ReplicaSet and the CronJob over its Job, even under a custom resource', () => {
    // Knative-style: a custom resource owns the Deployment.
    const dep = deployment('hello-00001-deployment', { metadata: { ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', name: 'hello-00001', uid: 'uid-rev', controller: true }] } });
    const rs = replicaSet('hello-00001-deployment', '5d8f7c', 1);
    const p = pod({ name: 'hello-00001-deployment-5d8f7c-abcde', labels: { 'pod-template-hash': '5d8f7c' }, owner: { kind: 'ReplicaSet', name: 'hello-00001-deployment-5d8f7c' } });
    const snap = new ClusterSnapshot({ pods: [p], replicasets: [rs], deployments: [dep] }, NOW);
    expect(snap.ownerChain('Pod', p).at(-1)).toBe('Revision/checkout/hello-00001');
    expect(snap.workloadOf('Pod', p)).toBe('Deployment/checkout/hello-00001-deployment');
    expect(snap.workloadOf('ReplicaSet', rs)).toBe('Deployment/checkout/hello-00001-deployment');
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'report-29501400', namespace: 'checkout', uid: 'uid-Job-report-29501400', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'uid-cj', controller: true }] } };
    const jp = pod({ name: 'report-29501400-abcde', owner: { kind: 'Job', name: 'report-29501400' } });
    expect(new ClusterSnapshot({ pods: [jp], jobs: [job] }, NOW).workloadOf('Pod', jp)).toBe('CronJob/checkout/report');
    // Argo Rollouts owns ReplicaSets directly: without a Deployment, the ReplicaSet is the built-in workload.
    const argoRs = replicaSet('checkout-api', '6b8f9c', 3, { metadata: { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout-api', uid: 'uid-ro', controller: true }] } });
    const ap = pod({ name: 'checkout-api-6b8f9c-x1', labels: { 'pod-template-hash': '6b8f9c' }, owner: { kind: 'ReplicaSet', name: 'checkout-api-6b8f9c' } });
    const argo = new ClusterSnapshot({ pods: [ap], replicasets: [argoRs] }, NOW);
    expect(argo.ownerChain('Pod', ap)).toEqual(['Pod/checkout/checkout-api-6b8f9c-x1', 'ReplicaSet/checkout/checkout-api-6b8f9c', 'Rollout/checkout/checkout-api']);
    expect(argo.workloadOf('Pod', ap)).toBe('ReplicaSet/checkout/checkout-api-6b8f9c');
  });

  it('does not take a custom kind reusing a built-in name for a workload, and falls back to the custom owner or the object', () => {
    // OpenKruise's Advanced StatefulSet is kind StatefulSet in group apps.kruise.io.
    const kruise = pod({ name: 'web-0', metadata: { ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-k', controller: true }] } });
    const snap = new ClusterSnapshot({ pods: [kruise] }, NOW);
    expect(snap.ownerChain('Pod', kruise)).toEqual(['Pod/checkout/web-0', 'StatefulSet/checkout/web']);
    // No built-in workload in the chain: the custom controller of the pods (Strimzi's StrimziPodSet, not recorded).
    const broker = pod({ name: 'events-kafka-0', namespace: 'kafka', metadata: { ownerReferences: [{ apiVersion: 'core.strimzi.io/v1beta2', kind: 'StrimziPodSet', name: 'events-kafka', uid: 'uid-sps', controller: true }] } });
    const strimzi = new ClusterSnapshot({ pods: [broker] }, NOW);
    expect(strimzi.workloadOf('Pod', broker)).toBe('StrimziPodSet/kafka/events-kafka');
    // A static pod's mirror is owned by its Node: not a workload of the namespace.
    const mirror = pod({ name: 'kube-proxy-ip-1', namespace: 'kube-system', metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'ip-1', uid: 'uid-node', controller: true }] } });
    expect(new ClusterSnapshot({ pods: [mirror] }, NOW).workloadOf('Pod', mirror)).toBe('Pod/kube-system/kube-proxy-ip-1');
    expect(isWorkloadKind('CronJob')).toBe(true);
    expect(isWorkloadKind('RabbitmqCluster')).toBe(false);
  });

  it('indexes events by involved object, newest first', () => {
    const snap = new ClusterSnapshot(
      {
        events: [
          event({ kind: 'Pod', name: 'web-1', reason: 'Pulled', message: 'ok', type: 'Normal', first: 30 }),
          event({ kind: 'Pod', name: 'web-1', reason: 'BackOff', message: 'Back-off restarting failed container', first: 20, last: 1, count: 9 }),
          event({ kind: 'Node', name: 'ip-1', reason: 'NodeNotReady', message: 'Node ip-1 status is now: NodeNotReady', type: 'Normal', first: 5 }),
        ],
      },
      NOW,
    );
    expect(snap.eventsFor('Pod/checkout/web-1').map((e) => e.reason)).toEqual(['BackOff', 'Pulled']);
    expect(snap.eventsFor('Node//ip-1')).toHaveLength(1);
  });
});
