import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { ClusterSnapshot, type KubeLists } from '../snapshot.ts';
import { NOW, at, deployment, event, node, pod, replicaSet, statefulSet } from '../test-objects.ts';
import { analyzeAbsentObjects, pressureOfResource } from './absent.ts';
import { scanProblems } from './index.ts';
import type { AnalyzerContext } from './types.ts';

const ctx = (lists: KubeLists): AnalyzerContext => ({ snapshot: new ClusterSnapshot(lists, NOW), now: NOW, since: NOW - 2 * 3_600_000 });
const NODE = 'ip-10-8-61-203.eu-north-1.compute.internal';

/** A kubelet event about a node, reported from that node (source.host), as the kubelet records them. */
const nodeEvent = (reason: string, message: string, first: number, o: { last?: number; count?: number; type?: 'Normal' | 'Warning'; component?: string } = {}): KubeObject => {
  const e = event({ kind: 'Node', name: NODE, reason, message, first, type: o.type ?? 'Normal', ...(o.last !== undefined ? { last: o.last } : {}), ...(o.count ? { count: o.count } : {}), component: o.component ?? 'kubelet' });
  return { ...e, source: { component: o.component ?? 'kubelet', ...(o.component === 'node-controller' ? {} : { host: NODE }) } };
};
const status = (condition: string, first: number) => nodeEvent(condition, `Node ${NODE} status is now: ${condition}`, first);
const evictedPod = (name: string, namespace: string, minutes: number, resource = 'ephemeral-storage') =>
  pod({
    name,
    namespace,
    node: NODE,
    phase: 'Failed',
    owner: { kind: 'ReplicaSet', name: name.split('-').slice(0, -1).join('-') },
    status: { reason: 'Evicted', message: `The node was low on resource: ${resource}. Threshold quantity: 2146223308, available: 1872673Ki. Container app was using 290344Ki, request is 0, has larger consumption of ${resource}. ` },
    containerStatuses: [],
    conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: `The node was low on resource: ${resource}.`, lastTransitionTime: at(minutes) }],
  });
const evictedEvent = (name: string, namespace: string, minutes: number): KubeObject => {
  const e = event({ kind: 'Pod', name, namespace, reason: 'Evicted', message: 'The node was low on resource: ephemeral-storage. Threshold quantity: 2146223308, available: 1606900Ki.', first: minutes });
  return { ...e, source: { component: 'kubelet', host: NODE } };
};

describe('nodes known only from events', () => {
  it('derives DiskPressure from condition events, EvictionThresholdMet and evictions when nodes are not recorded', () => {
    const lists: KubeLists = {
      pods: [evictedPod('metabase-ms75qlt4sb-rpk6l', 'reporting', 35), evictedPod('grafana-56fj85rn8h-c7tlb', 'monitoring', 30), pod({ name: 'fluent-bit-z6p69', namespace: 'logging', node: NODE })],
      events: [
        status('NodeHasDiskPressure', 36),
        status('NodeHasNoDiskPressure', 19),
        status('NodeHasDiskPressure', 13),
        nodeEvent('EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage', 36, { last: 1, count: 36, type: 'Warning' }),
        nodeEvent('FreeDiskSpaceFailed', 'Failed to garbage collect required amount of images. Attempted to free 3046811238 bytes, but only found 0 bytes eligible to free.', 37, { last: 2, count: 8, type: 'Warning' }),
        // A deleted pod evicted there: known only from its event, reported by the node's kubelet.
        evictedEvent('report-renderer-sjvlv7vjqc-6h9zr', 'reporting', 26),
      ],
    };
    const problems = analyzeAbsentObjects(ctx(lists));
    const disk = problems.find((p) => p.reason === 'NodeDiskPressure')!;
    expect(disk).toMatchObject({
      kind: 'Node',
      resource: `Node//${NODE}`,
      workload: `Node//${NODE}`,
      severity: 'critical',
      count: 3,
      since: Date.parse(at(37)) + 60_000,
      derived_from: 'events',
      message: `DiskPressure on node ${NODE} (derived from events): Node ${NODE} status is now: NodeHasDiskPressure; kubelet: Attempting to reclaim ephemeral-storage; 3 pods evicted for ephemeral-storage.`,
    });
    expect(disk.evidence[0]).toBe(`derived from events: nodes were not recorded, so Node ${NODE} is known only from its events and pods`);
    expect(disk.evidence).toContain('condition DiskPressure is True by the latest event');
    expect(disk.evidence).toContain('3 pods evicted from the node: Pod/reporting/metabase-ms75qlt4sb-rpk6l, Pod/monitoring/grafana-56fj85rn8h-c7tlb, Pod/reporting/report-renderer-sjvlv7vjqc-6h9zr');
    expect(disk.evidence).toContain('1 pods still bound to the node, 0 not running and ready');
    expect(problems.find((p) => p.reason === 'FreeDiskSpaceFailed')).toMatchObject({ severity: 'warning', count: 8, derived_from: 'events' });
    expect(problems.filter((p) => p.reason === 'EvictionThresholdMet')).toEqual([]);
    expect(pressureOfResource('memory.available')).toBe('MemoryPressure');
    expect(pressureOfResource('nodefs.available')).toBe('DiskPressure');
    expect(pressureOfResource('pid.available')).toBe('PIDPressure');
  });

  it('tells pressure that cleared from pressure that persists, and memory from disk', () => {
    const cleared = analyzeAbsentObjects(ctx({ nodes: [node('ip-other')], events: [nodeEvent('NodeHasInsufficientMemory', `Node ${NODE} status is now: NodeHasInsufficientMemory`, 40), nodeEvent('NodeHasSufficientMemory', `Node ${NODE} status is now: NodeHasSufficientMemory`, 25)] }));
    expect(cleared).toEqual([
      expect.objectContaining({ reason: 'NodeMemoryPressure', severity: 'info', message: expect.stringContaining('Cleared at 2026-03-14T10:07:00.000Z (NodeHasSufficientMemory).') }),
    ]);
    expect(cleared[0]!.evidence[0]).toBe(`derived from events: Node ${NODE} is not in the recorded node list (replaced or removed)`);
    // Evictions for memory make it a memory problem, and a warning even once cleared.
    const withEvictions = analyzeAbsentObjects(ctx({ pods: [evictedPod('batch-7c9d5f8b6d-x2k4p', 'jobs', 30, 'memory')], events: [status('NodeHasInsufficientMemory', 32), status('NodeHasSufficientMemory', 20)] }));
    expect(withEvictions.map((p) => [p.reason, p.severity, p.count])).toEqual([['NodeMemoryPressure', 'warning', 1]]);
  });

  it('reports a replaced node NotReady, and a node removed after a cordon as NodeRemoved only', () => {
    const notReady = nodeEvent('NodeNotReady', `Node ${NODE} status is now: NodeNotReady`, 12, { component: 'node-controller' });
    const stranded = pod({ name: 'api-6d5f8b7c9-abcde', node: NODE, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at(11) }], containerStatuses: [] });
    expect(analyzeAbsentObjects(ctx({ nodes: [node('ip-new')], pods: [stranded], events: [notReady] }))).toEqual([
      expect.objectContaining({ reason: 'NodeNotReady', severity: 'critical', evidence: expect.arrayContaining(['1 pods still bound to the node, 1 not running and ready']) }),
    ]);
    const cordon = status('NodeNotSchedulable', 20);
    const removing = nodeEvent('RemovingNode', `Node ${NODE} event: Removing Node ${NODE} from Controller`, 5, { component: 'node-controller' });
    const scaledIn = analyzeAbsentObjects(ctx({ nodes: [node('ip-new')], events: [cordon, notReady, removing] }));
    expect(scaledIn.map((p) => [p.reason, p.severity])).toEqual([['NodeRemoved', 'info']]);
    expect(scaledIn[0]!.since).toBe(Date.parse(at(20)));
    expect(scaledIn[0]!.evidence.join('\n')).toContain('NodeNotReady');
  });

  it('ignores recorded nodes, healthy joins, history before the window, and nodes outside a scanned namespace', () => {
    const recorded = { ...node(NODE) };
    expect(analyzeAbsentObjects(ctx({ nodes: [recorded], events: [status('NodeHasDiskPressure', 10)] }))).toEqual([]);
    expect(analyzeAbsentObjects(ctx({ events: [status('Starting', 10), status('NodeReady', 9), status('NodeHasSufficientMemory', 10)] }))).toEqual([]);
    expect(analyzeAbsentObjects(ctx({ events: [status('NodeHasDiskPressure', 300)] }))).toEqual([]);
    const lists: KubeLists = { pods: [evictedPod('metabase-ms75qlt4sb-rpk6l', 'reporting', 35)], events: [status('NodeHasDiskPressure', 36)] };
    expect(analyzeAbsentObjects(ctx(lists), 'payments')).toEqual([]);
    expect(analyzeAbsentObjects(ctx(lists), 'reporting').map((p) => p.reason)).toEqual(['NodeDiskPressure']);
  });
});

describe('Warning events about deleted objects', () => {
  it('attributes a deleted pod to its workload by name: ReplicaSet, pod-template-hash, StatefulSet ordinal, sibling pod', () => {
    const failed = (name: string, namespace = 'checkout') => event({ kind: 'Pod', name, namespace, reason: 'Failed', message: 'Error: ErrImagePull', count: 3, first: 10, last: 4 });
    const lists: KubeLists = {
      deployments: [deployment('web'), deployment('api')],
      replicasets: [replicaSet('web', '7f9c6d8b5', 14)],
      statefulsets: [statefulSet('db', { claims: [{ name: 'data' }] })],
      pods: [pod({ name: 'worker-5c7d9-q8zrt', owner: { kind: 'ReplicaSet', name: 'worker-5c7d9' } })],
      events: [failed('web-7f9c6d8b5-x2k4p'), failed('api-5d8f7c9b4-abcde'), failed('db-2'), failed('worker-5c7d9-zzzzz'), failed('lonely')],
    };
    const problems = analyzeAbsentObjects(ctx(lists)).sort((a, b) => lists.events!.findIndex((e) => (e.involvedObject as { name: string }).name === a.name) - lists.events!.findIndex((e) => (e.involvedObject as { name: string }).name === b.name));
    expect(problems.map((p) => [p.resource, p.workload, p.reason, p.count])).toEqual([
      ['Pod/checkout/web-7f9c6d8b5-x2k4p', 'Deployment/checkout/web', 'ImagePullBackOff', 3],
      ['Pod/checkout/api-5d8f7c9b4-abcde', 'Deployment/checkout/api', 'ImagePullBackOff', 3],
      ['Pod/checkout/db-2', 'StatefulSet/checkout/db', 'ImagePullBackOff', 3],
      // Its ReplicaSet is not recorded and no Deployment is named after it: the sibling pod's chain says ReplicaSet.
      ['Pod/checkout/worker-5c7d9-zzzzz', 'ReplicaSet/checkout/worker-5c7d9', 'ImagePullBackOff', 3],
      ['Pod/checkout/lonely', 'Pod/checkout/lonely', 'ImagePullBackOff', 3],
    ]);
    expect(problems[0]!.evidence[0]).toBe('derived from events: Pod web-7f9c6d8b5-x2k4p is not in the recorded pods (deleted or replaced); attributed to Deployment/checkout/web by ReplicaSet web-7f9c6d8b5');
    expect(problems[3]!.evidence[0]).toContain('attributed to ReplicaSet/checkout/worker-5c7d9 by sibling pod worker-5c7d9-q8zrt of ReplicaSet worker-5c7d9');
    expect(problems[4]!.evidence[0]).toBe('derived from events: Pod lonely is not in the recorded pods (deleted or replaced)');
    expect(problems.every((p) => p.derived_from === 'events' && p.severity === 'warning')).toBe(true);
  });

  it('leaves recorded objects to their analyzers and custom resources alone', () => {
    const live = pod({ name: 'web-7f9c6d8b5-x2k4p' });
    const lists: KubeLists = {
      pods: [live],
      events: [
        event({ kind: 'Pod', name: 'web-7f9c6d8b5-x2k4p', reason: 'BackOff', message: 'Back-off restarting failed container', first: 5 }),
        event({ kind: 'Certificate', name: 'shop-tls', reason: 'Failed', message: 'order is in "invalid" state', first: 5 }),
        event({ kind: 'Pod', name: 'gone-1', reason: 'Killing', type: 'Normal', message: 'Stopping container app', first: 5 }),
      ],
    };
    expect(analyzeAbsentObjects(ctx(lists))).toEqual([]);
  });

  it('rolls a deleted pod up with the live pods of its workload in the scan, marked derived only when all are', () => {
    const rs = replicaSet('report-renderer', 'sjvlv7vjqc', 3);
    const live = evictedPod('report-renderer-sjvlv7vjqc-xgnc9', 'checkout', 40);
    const gone = evictedEvent('report-renderer-sjvlv7vjqc-6h9zr', 'checkout', 26);
    const problems = scanProblems(new ClusterSnapshot({ deployments: [deployment('report-renderer')], replicasets: [rs], pods: [live], events: [gone], nodes: [node(NODE)] }, NOW), { since: NOW - 2 * 3_600_000 });
    const evicted = problems.find((p) => p.reason === 'Evicted')!;
    expect(evicted).toMatchObject({ resource: 'Deployment/checkout/report-renderer', affected: ['Pod/checkout/report-renderer-sjvlv7vjqc-xgnc9', 'Pod/checkout/report-renderer-sjvlv7vjqc-6h9zr'] });
    expect(evicted.derived_from).toBeUndefined();
    const onlyGone = scanProblems(new ClusterSnapshot({ deployments: [deployment('report-renderer')], replicasets: [rs], events: [gone], nodes: [node(NODE)] }, NOW), { since: NOW - 2 * 3_600_000 });
    expect(onlyGone.find((p) => p.reason === 'Evicted')).toMatchObject({ resource: 'Deployment/checkout/report-renderer', derived_from: 'events' });
  });
});
