import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { ClusterSnapshot, type KubeLists } from '../snapshot.ts';
import { NOW, at, deployment, event, node, pod, readyConditions, running } from '../test-objects.ts';
import { analyzeHpa } from './hpa.ts';
import { analyzeNode } from './node.ts';
import { analyzePvc } from './pvc.ts';
import { analyzeService } from './service.ts';
import type { AnalyzerContext } from './types.ts';

const ctx = (lists: KubeLists): AnalyzerContext => ({ snapshot: new ClusterSnapshot(lists, NOW), now: NOW, since: NOW - 2 * 3_600_000 });

const service = (name: string, selector: Record<string, string> | undefined, namespace = 'checkout'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, uid: `uid-svc-${name}`, creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { type: 'ClusterIP', clusterIP: '172.20.10.10', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ...(selector ? { selector } : {}) },
  status: { loadBalancer: {} },
});
const endpoints = (name: string, ready: string[], notReady: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name, namespace: 'checkout' },
  subsets: ready.length || notReady.length
    ? [{
        ...(ready.length ? { addresses: ready.map((p, i) => ({ ip: `10.0.1.${i + 10}`, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'checkout', name: p } })) } : {}),
        ...(notReady.length ? { notReadyAddresses: notReady.map((p, i) => ({ ip: `10.0.2.${i + 10}`, targetRef: { kind: 'Pod', namespace: 'checkout', name: p } })) } : {}),
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      }]
    : [],
});

describe('service analyzer', () => {
  it('is quiet when endpoints are ready, and judges from pod readiness when no Endpoints were recorded', () => {
    const svc = service('web', { app: 'web' });
    const p = pod({ name: 'web-1', labels: { app: 'web' } });
    expect(analyzeService(ctx({ services: [svc], endpoints: [endpoints('web', ['web-1'])], pods: [p] }), svc)).toEqual([]);
    expect(analyzeService(ctx({ services: [svc], pods: [p] }), svc)).toEqual([]);
  });

  it('reports a selector that matches no pod, naming the workload whose template it selects', () => {
    const svc = service('session-redis', { app: 'redis' });
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'session-redis', namespace: 'checkout' }, spec: { replicas: 0, serviceName: 'session-redis', template: { metadata: { labels: { app: 'redis' } } } }, status: { replicas: 0 } };
    const [problem] = analyzeService(ctx({ services: [svc], endpoints: [endpoints('session-redis', [])], statefulsets: [sts] }), svc);
    expect(problem).toMatchObject({ reason: 'ServiceNoEndpoints', severity: 'critical', message: 'Service session-redis has no endpoints: no pod matches selector app=redis', workload: 'StatefulSet/checkout/session-redis' });
    expect(problem!.evidence).toContain('StatefulSet/checkout/session-redis selects these pods: scaled to 0 replicas');
  });

  it('reports no ready endpoints and partially ready endpoints, skipping ExternalName and selector-less services', () => {
    const svc = service('web', { app: 'web' });
    const bad = pod({ name: 'web-1', labels: { app: 'web' }, conditions: readyConditions(false, 7), containerStatuses: [running('app', { ready: false })] });
    const good = pod({ name: 'web-2', labels: { app: 'web' } });
    const none = analyzeService(ctx({ services: [svc], endpoints: [endpoints('web', [], ['web-1'])], pods: [bad] }), svc);
    expect(none).toEqual([expect.objectContaining({ reason: 'ServiceNoReadyEndpoints', since: Date.parse(at(7)) })]);
    const partial = analyzeService(ctx({ services: [svc], endpoints: [endpoints('web', ['web-2'], ['web-1'])], pods: [bad, good] }), svc);
    expect(partial).toEqual([expect.objectContaining({ reason: 'ServiceEndpointsNotReady', severity: 'warning', message: 'Service web has not ready endpoints: web-1 (1 ready, 1 not ready)' })]);
    const external = { ...service('ext', undefined), spec: { type: 'ExternalName', externalName: 'db.example.com' } };
    expect(analyzeService(ctx({ services: [external] }), external)).toEqual([]);
  });
});

describe('node analyzer', () => {
  it('is quiet on a healthy node', () => {
    expect(analyzeNode(ctx({}), node('ip-1'))).toEqual([]);
  });

  it('reports NotReady (kubelet stopped posting) with the pods it strands, and memory pressure with evictions', () => {
    const n = node('ip-1', {
      spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(7) }] },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', lastTransitionTime: at(20) },
          { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at(8) },
        ],
      },
    });
    const evicted = pod({ name: 'e-1', node: 'ip-1', phase: 'Failed', status: { reason: 'Evicted' }, containerStatuses: [] });
    const stranded = pod({ name: 's-1', node: 'ip-1', conditions: readyConditions(false, 7), containerStatuses: [running('app', { ready: false })] });
    const problems = analyzeNode(ctx({ pods: [evicted, stranded] }), n);
    expect(problems.map((p) => [p.reason, p.severity, p.message, p.resource])).toEqual([
      ['NodeMemoryPressure', 'critical', 'kubelet has insufficient memory available', 'Node//ip-1'],
      ['NodeNotReady', 'critical', 'Kubelet stopped posting node status.', 'Node//ip-1'],
    ]);
    expect(problems[0]!.evidence.join('\n')).toContain('1 pods evicted from the node: Pod/checkout/e-1');
    expect(problems[1]!.evidence.join('\n')).toContain('taints node.kubernetes.io/unreachable:NoExecute');
    expect(problems[1]!.evidence.join('\n')).toContain('1 pods on the node, 1 not running and ready');
  });

  it('reports an Unknown condition only on a node that is otherwise Ready', () => {
    const flaky = node('ip-3', { status: { conditions: [{ type: 'DiskPressure', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }, { type: 'Ready', status: 'True' }] } });
    expect(analyzeNode(ctx({}), flaky).map((p) => p.reason)).toEqual(['NodeDiskPressureUnknown']);
  });

  it('reports cordoned nodes as info and node Warning events such as SystemOOM', () => {
    const n = node('ip-2', { spec: { unschedulable: true } });
    const oom = event({ kind: 'Node', name: 'ip-2', reason: 'SystemOOM', message: 'System OOM encountered, victim process: java, pid: 4242', count: 3, first: 30, last: 5 });
    expect(analyzeNode(ctx({ events: [oom] }), n).map((p) => [p.reason, p.severity])).toEqual([
      ['NodeCordoned', 'info'],
      ['SystemOOM', 'warning'],
    ]);
  });
});

describe('pvc analyzer', () => {
  const pvc = (phase: string, created = at(30)): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-db-0', namespace: 'checkout', creationTimestamp: created },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '100Gi' } }, volumeMode: 'Filesystem' },
    status: { phase },
  });
  it('reports ProvisioningFailed with the provisioner message, Pending claims a pod waits for, and Lost claims', () => {
    const failed = event({ kind: 'PersistentVolumeClaim', name: 'data-db-0', reason: 'ProvisioningFailed', message: 'failed to provision volume with StorageClass "gp3": rpc error: code = ResourceExhausted desc = volume limit exceeded', count: 6, first: 25, last: 2, component: 'ebs.csi.aws.com' });
    expect(analyzePvc(ctx({ events: [failed] }), pvc('Pending'))).toEqual([expect.objectContaining({ reason: 'ProvisioningFailed', severity: 'critical', count: 6, message: expect.stringContaining('volume limit exceeded') })]);
    const user = pod({ name: 'db-0', phase: 'Pending', spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }] } });
    expect(analyzePvc(ctx({ pods: [user] }), pvc('Pending'))).toEqual([expect.objectContaining({ reason: 'PVCPending', severity: 'critical' })]);
    expect(analyzePvc(ctx({}), pvc('Pending', at(1)))).toEqual([]);
    expect(analyzePvc(ctx({}), pvc('Bound'))).toEqual([]);
    expect(analyzePvc(ctx({}), pvc('Lost'))).toEqual([expect.objectContaining({ reason: 'PVCLost', severity: 'critical' })]);
  });
});

describe('hpa analyzer', () => {
  const hpa = (current: number, utilization: number, conditions: unknown[]): KubeObject => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'checkout' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
    status: { currentReplicas: current, desiredReplicas: current, lastScaleTime: at(12), currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: utilization, averageValue: '700m' } } }], conditions },
  });
  const limited = [
    { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size', lastTransitionTime: at(30) },
    { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)', lastTransitionTime: at(30) },
    { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count', lastTransitionTime: at(11) },
  ];
  it('reports an autoscaler at its maximum while demand exceeds its target, on the workload it scales', () => {
    const [p] = analyzeHpa(ctx({ deployments: [deployment('web')] }), hpa(10, 96, limited));
    expect(p).toMatchObject({ reason: 'HPAAtMaxReplicas', severity: 'critical', workload: 'Deployment/checkout/web', message: 'the desired replica count is more than the maximum replica count', since: Date.parse(at(11)) });
    expect(p!.evidence).toContain('cpu utilization 96% (target 70%)');
  });

  it('reports an autoscaler that cannot compute a replica count, and stays quiet below its maximum', () => {
    const inactive = [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod web-1', lastTransitionTime: at(9) }];
    expect(analyzeHpa(ctx({ deployments: [deployment('web')] }), hpa(3, 40, inactive))).toEqual([expect.objectContaining({ reason: 'HPAScalingInactive', message: expect.stringContaining('missing request for cpu') })]);
    expect(analyzeHpa(ctx({ deployments: [deployment('web')] }), hpa(4, 60, limited.slice(0, 2)))).toEqual([]);
  });

  it('reports a utilization target whose workload requests nothing, as k8sgpt does', () => {
    const bare = deployment('web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'shop/web:1' }] } } } });
    expect(analyzeHpa(ctx({ deployments: [bare] }), hpa(4, 60, limited.slice(0, 2)))).toEqual([expect.objectContaining({ reason: 'HPATargetNoRequests', message: expect.stringContaining('does not request cpu') })]);
  });

  it('reads autoscaling/v1 conditions from their annotation', () => {
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'checkout', annotations: { 'autoscaling.alpha.kubernetes.io/conditions': JSON.stringify(limited) } },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 6, desiredReplicas: 6, currentCPUUtilizationPercentage: 88 },
    };
    expect(analyzeHpa(ctx({}), v1)).toEqual([expect.objectContaining({ reason: 'HPAAtMaxReplicas', severity: 'critical', evidence: expect.arrayContaining(['cpu utilization 88% (target 60%)']) })]);
  });
});
