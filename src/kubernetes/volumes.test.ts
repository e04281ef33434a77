import { describe, expect, it } from 'vitest';
import { ClusterSnapshot, type KubeLists } from './snapshot.ts';
import { NOW, event, node, pod, pv, pvc, statefulSet } from './test-objects.ts';
import { claimEvidence, claimView, nodeFate, statefulSetClaims, volumePlacement } from './volumes.ts';

const snap = (lists: KubeLists) => new ClusterSnapshot(lists, NOW);
const zoned = (name: string, zone: string) => node(name, { metadata: { labels: { 'topology.kubernetes.io/zone': zone } } });
const replica = (i: number, o: { node?: string; phase?: string } = {}) =>
  pod({
    name: `db-${i}`,
    owner: { kind: 'StatefulSet', name: 'db' },
    labels: { 'app.kubernetes.io/name': 'db' },
    ...(o.phase ? { phase: o.phase } : {}),
    node: o.node ?? '',
    spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-db-${i}` } }] },
  });

describe('volume placement', () => {
  it('reads zones and nodes from a PersistentVolume node affinity, and zone labels of old in-tree volumes', () => {
    expect(volumePlacement(pv('pvc-1', { claim: 'data-db-0', zone: 'us-east-1c' }))).toEqual({ zones: ['us-east-1c'], nodes: [], other: [], source: 'PersistentVolume node affinity topology.ebs.csi.aws.com/zone' });
    const local = pv('local-1', { claim: 'x', zone: 'ignored' });
    local.spec.nodeAffinity.required.nodeSelectorTerms = [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['ip-10-0-3-7.ec2.internal'] }] }];
    expect(volumePlacement(local)).toMatchObject({ zones: [], nodes: ['ip-10-0-3-7.ec2.internal'] });
    const legacy = { ...pv('pv-old', { claim: 'x', zone: 'z' }), metadata: { name: 'pv-old', labels: { 'failure-domain.beta.kubernetes.io/zone': 'eu-west-1b' } } };
    delete legacy.spec.nodeAffinity;
    expect(volumePlacement(legacy)).toMatchObject({ zones: ['eu-west-1b'], source: 'PersistentVolume zone label' });
  });

  it('says what became of a node: recorded, removed by events, or unknown', () => {
    const removed = event({ kind: 'Node', name: 'ip-gone', reason: 'RemovingNode', type: 'Normal', message: 'Node ip-gone event: Removing Node ip-gone from Controller', first: 20, component: 'node-controller' });
    const s = snap({ nodes: [zoned('ip-a', 'us-east-1a')], events: [removed] });
    expect(nodeFate(s, 'ip-a')).toMatchObject({ exists: true, status: 'Ready', zone: 'us-east-1a' });
    expect(nodeFate(s, 'ip-gone')).toMatchObject({ exists: false, removal: 'RemovingNode at 2026-03-14T10:12:00.000Z', text: 'node ip-gone, which no longer exists (RemovingNode at 2026-03-14T10:12:00.000Z)' });
    expect(nodeFate(s, 'ip-other').text).toBe('node ip-other, which is not among the recorded nodes (replaced or removed)');
    expect(nodeFate(snap({}), 'ip-other').text).toBe('node ip-other');
  });
});

describe('StatefulSet claims', () => {
  const sts = statefulSet('db', { replicas: 3, claims: [{ name: 'data', storage: '100Gi', storageClass: 'gp3-retain' }] });
  const lists: KubeLists = {
    statefulsets: [sts],
    pvcs: [0, 1, 2, 3].map((i) => pvc(`data-db-${i}`, { storage: '100Gi', storageClass: 'gp3-retain', selectedNode: i === 2 ? 'ip-gone' : `ip-${'abc'[i] ?? 'a'}` })),
    pvs: [0, 1, 2, 3].map((i) => pv(`pvc-data-db-${i}`, { claim: `data-db-${i}`, zone: `us-east-1${'abca'[i]}`, storage: '100Gi' })),
    pods: [replica(0, { node: 'ip-a' }), replica(1, { node: 'ip-b' }), replica(2, { phase: 'Pending' })],
    nodes: [zoned('ip-a', 'us-east-1a'), zoned('ip-b', 'us-east-1b')],
    events: [event({ kind: 'Node', name: 'ip-gone', reason: 'RemovingNode', type: 'Normal', message: 'Node ip-gone event: Removing Node ip-gone from Controller', first: 20 })],
  };

  it('names the claim of each replica <template>-<statefulset>-<ordinal>, with retained claims of replicas scaled away', () => {
    const claims = statefulSetClaims(snap(lists), sts);
    expect(claims.map((c) => [c.name, c.replica, c.phase, c.zones, c.pod, c.pod_node])).toEqual([
      ['data-db-0', 0, 'Bound', ['us-east-1a'], 'db-0', 'ip-a'],
      ['data-db-1', 1, 'Bound', ['us-east-1b'], 'db-1', 'ip-b'],
      ['data-db-2', 2, 'Bound', ['us-east-1c'], 'db-2', undefined],
      ['data-db-3', 3, 'Bound', ['us-east-1a'], undefined, undefined],
    ]);
    expect(claims[2]).toMatchObject({ template: 'data', storage_class: 'gp3-retain', capacity: '100Gi', volume: 'pvc-data-db-2', selected_node: 'ip-gone', selected_node_state: 'removed (RemovingNode at 2026-03-14T10:12:00.000Z)' });
    // Claims not created yet still have their name.
    const bigger = statefulSet('db', { replicas: 5, claims: [{ name: 'data' }] });
    expect(statefulSetClaims(snap(lists), bigger).find((c) => c.replica === 4)).toMatchObject({ name: 'data-db-4', exists: false });
  });

  it('falls back to the zone of the node a claim was provisioned for when volumes are not recorded', () => {
    const s = snap({ ...lists, pvs: [] });
    expect(claimView(s, 'checkout', 'data-db-1')).toMatchObject({ zones: ['us-east-1b'], placement_source: 'zone of node ip-b it was provisioned for' });
    expect(claimView(s, 'checkout', 'data-db-2').zones).toBeUndefined();
  });

  it('explains a volume node affinity conflict: the claim, its zone, its node, and the nodes by zone', () => {
    const evidence = claimEvidence(snap(lists), replica(2, { phase: 'Pending' }));
    expect(evidence).toEqual([
      'PVC data-db-2: Bound, storage class gp3-retain, 100Gi, volume pvc-data-db-2, pinned to zone us-east-1c (PersistentVolume node affinity topology.ebs.csi.aws.com/zone), provisioned for node ip-gone, which no longer exists (RemovingNode at 2026-03-14T10:12:00.000Z), used by pod db-2 (Pending, not scheduled); mounted as volume data',
      'recorded nodes by zone: us-east-1a: 1 (ip-a); us-east-1b: 1 (ip-b); none in us-east-1c, where the volume is',
    ]);
    expect(claimEvidence(snap({ ...lists, nodes: [] }), replica(2, { phase: 'Pending' }))[1]).toBe(
      'the volume can only be attached in zone us-east-1c; nodes were not recorded, so which nodes are there is unknown',
    );
  });
});
