import { describe, expect, it } from 'vitest';
import { ClusterSnapshot } from './snapshot.ts';
import { deployment, event, pod, replicaSet, NOW } from './test-objects.ts';

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
