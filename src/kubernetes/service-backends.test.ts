import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { endpointAddresses, serviceBackends } from './service-backends.ts';
import { ClusterSnapshot, type KubeLists } from './snapshot.ts';
import { NOW, pod, readyConditions, running } from './test-objects.ts';

const snap = (lists: KubeLists) => new ClusterSnapshot(lists, NOW);

/** `kubectl get svc orders-db -o json` of an ExternalName Service fronting an RDS instance. */
const externalName: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'orders-db', namespace: 'orders', uid: 'uid-svc-orders-db', creationTimestamp: '2025-06-01T00:00:00Z' },
  spec: { type: 'ExternalName', externalName: 'orders-prod.c9akciq32.us-east-1.rds.amazonaws.com', sessionAffinity: 'None' },
  status: { loadBalancer: {} },
};

/** A Service without selector whose Endpoints are written by an operator (Patroni-style leader endpoint). */
const manual: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'pg-leader', namespace: 'orders', uid: 'uid-svc-pg-leader' },
  spec: { type: 'ClusterIP', clusterIP: '172.20.44.10', clusterIPs: ['172.20.44.10'], ports: [{ name: 'postgresql', port: 5432, protocol: 'TCP', targetPort: 5432 }] },
  status: { loadBalancer: {} },
};
const manualEndpoints = (addresses: Array<{ ip: string }>, notReady: Array<{ ip: string }> = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'pg-leader', namespace: 'orders', labels: { application: 'spilo' } },
  subsets: addresses.length || notReady.length ? [{ ...(addresses.length ? { addresses } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: [{ name: 'postgresql', port: 5432, protocol: 'TCP' }] }] : [],
});

describe('serviceBackends', () => {
  it('gives an ExternalName Service its DNS target and status, with no endpoints by design', () => {
    const b = serviceBackends(snap({ services: [externalName], endpoints: [] }), externalName);
    expect(b).toMatchObject({ type: 'ExternalName', status: 'ExternalName', externalName: 'orders-prod.c9akciq32.us-east-1.rds.amazonaws.com', source: 'none', ready: [], workloads: [] });
  });

  it('lists the addresses of manually managed Endpoints of a Service without selector, and judges them', () => {
    const healthy = serviceBackends(snap({ services: [manual], endpoints: [manualEndpoints([{ ip: '10.0.3.21' }])] }), manual);
    expect(healthy).toMatchObject({ hasSelector: false, hasEndpointsObject: true, status: 'Healthy', ready: ['10.0.3.21:5432'], source: 'endpoints' });
    const down = serviceBackends(snap({ services: [manual], endpoints: [manualEndpoints([], [{ ip: '10.0.3.21' }])] }), manual);
    expect(down).toMatchObject({ status: 'NoReadyEndpoints', notReady: ['10.0.3.21:5432'] });
    expect(serviceBackends(snap({ services: [manual], endpoints: [manualEndpoints([])] }), manual).status).toBe('NoEndpoints');
    // No Endpoints object at all: the endpoints may be kept as EndpointSlices only; nothing to judge.
    expect(serviceBackends(snap({ services: [manual], endpoints: [] }), manual).status).toBe('NoSelector');
  });

  it('finds the workloads behind a selector, and the scaled-down ones whose template it selects', () => {
    const svc: KubeObject = { ...manual, metadata: { name: 'web', namespace: 'checkout' }, spec: { ...manual.spec, selector: { app: 'web' } } };
    const p = pod({ name: 'web-7f9c6d-a', labels: { app: 'web', 'pod-template-hash': '7f9c6d' }, owner: { kind: 'ReplicaSet', name: 'web-7f9c6d' }, conditions: readyConditions(false, 3), containerStatuses: [running('app', { ready: false })] });
    const b = serviceBackends(snap({ services: [svc], pods: [p] }), svc);
    expect(b).toMatchObject({ source: 'pods', status: 'NoReadyEndpoints', notReady: ['web-7f9c6d-a'], workloads: ['Deployment/checkout/web'] });
    const sts: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'checkout' }, spec: { replicas: 0, template: { metadata: { labels: { app: 'web' } } } }, status: { replicas: 0 } };
    const idle = serviceBackends(snap({ services: [svc], statefulsets: [sts], endpoints: [{ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'checkout' } }] }), svc);
    expect(idle).toMatchObject({ status: 'NoEndpoints', workloads: ['StatefulSet/checkout/web'], idle: [{ ref: 'StatefulSet/checkout/web', state: 'scaled to 0 replicas' }] });
  });

  it('labels endpoint addresses by pod name, else ip:port', () => {
    expect(endpointAddresses({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: '10.0.1.5', targetRef: { kind: 'Pod', name: 'x-1' } }, { ip: '10.0.1.6' }], ports: [{ port: 8080 }, { port: 9090 }] }] })).toEqual({ ready: ['x-1', '10.0.1.6'], notReady: [] });
  });
});
