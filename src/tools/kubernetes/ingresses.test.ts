import { describe, expect, it } from 'vitest';
import { NOW, controllerWorkload, deployment, event, ingress, ingressNginx, pod, readyConditions, running, service } from '../../kubernetes/test-objects.ts';
import type { KubeKind, KubeObject, KubernetesProvider, ListOptions } from '../../providers/kubernetes/port.ts';
import { createToolInvoker } from '../invoke.ts';
import { kubernetesBackend } from './index.ts';

type Lists = Partial<Record<KubeKind, KubeObject[]>>;

/** An in-memory provider over raw objects that records every list call, as the API server would be asked. */
function provider(lists: Lists) {
  const calls: Array<{ kind: KubeKind; namespace?: string }> = [];
  const p: KubernetesProvider = {
    async list(kind: KubeKind, options?: ListOptions) {
      calls.push({ kind, ...(options?.namespace ? { namespace: options.namespace } : {}) });
      return (lists[kind] ?? []).filter((o) => !options?.namespace || kind === 'nodes' || o.metadata.namespace === options.namespace);
    },
    async podLogs() {
      return null;
    },
  };
  return { p, calls };
}

function invoker(lists: Lists) {
  const { p, calls } = provider(lists);
  const inv = createToolInvoker(kubernetesBackend, {
    provider: () => p,
    clock: () => NOW,
    validateResponses: true,
    onInternalError: (error) => {
      throw error;
    },
  });
  return { calls, call: async (op: string, args: Record<string, unknown>) => inv.invoke(`kubernetes___${op}`, args) };
}

// A shop: a public ingress-nginx, an internal one, the ALB controller, and three Ingresses.
const publicNginx = ingressNginx('nginx', { release: 'ingress-nginx' });
const internalNginx = ingressNginx('nginx-internal', { release: 'ingress-nginx-internal' });
const alb = controllerWorkload('aws-load-balancer-controller', {
  namespace: 'kube-system',
  labels: { 'app.kubernetes.io/instance': 'aws-load-balancer-controller', 'app.kubernetes.io/name': 'aws-load-balancer-controller' },
  image: '602401143452.dkr.ecr.us-east-2.amazonaws.com/amazon/aws-load-balancer-controller:v2.7.2',
  args: ['--cluster-name=prod', '--ingress-class=alb'],
});
const internalSvc = service('ingress-nginx-internal-controller', internalNginx.spec.template.metadata.labels, { namespace: 'ingress-nginx-internal', type: 'LoadBalancer', loadBalancer: ['k8s-internal-0123.elb.us-east-2.amazonaws.com'] });
const catalogSvc = service('catalog-api', { app: 'catalog-api' }, { namespace: 'catalog' });
const catalogPods = ['a', 'b'].map((x) => pod({ name: `catalog-api-6d5f-${x}`, namespace: 'catalog', labels: { app: 'catalog-api', 'pod-template-hash': '6d5f' }, owner: { kind: 'ReplicaSet', name: 'catalog-api-6d5f' } }));
const shopSvc = service('storefront', { app: 'storefront' }, { namespace: 'shop' });
const shopPod = pod({ name: 'storefront-9c8b-a', namespace: 'shop', labels: { app: 'storefront', 'pod-template-hash': '9c8b' }, owner: { kind: 'ReplicaSet', name: 'storefront-9c8b' }, conditions: readyConditions(false, 4), containerStatuses: [running('app', { ready: false })] });

const catalogIngress = ingress('catalog-internal', {
  namespace: 'catalog',
  className: 'nginx-internal',
  rules: [{ host: 'catalog.int.example.net', paths: [{ service: 'catalog-api', port: 'http' }] }],
  tls: [{ hosts: ['catalog.int.example.net'], secretName: 'int-example-net-tls' }],
  loadBalancer: ['k8s-internal-0123.elb.us-east-2.amazonaws.com'],
  annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
});
const shopIngress = ingress('storefront', {
  namespace: 'shop',
  className: 'alb',
  rules: [
    { host: '*.shop.example.com', paths: [{ path: '/', service: 'storefront', port: 80 }] },
    { host: 'api.example.com', paths: [{ path: '/v1', service: 'missing-api', port: 80 }] },
  ],
  loadBalancer: ['k8s-shoppublic-1520331984.us-east-2.elb.amazonaws.com'],
});
const catchAll = ingress('fallback', { namespace: 'shop', className: 'nginx', rules: [{ paths: [{ service: 'storefront', port: 80 }] }] });

const lists: Lists = {
  ingresses: [catalogIngress, shopIngress, catchAll],
  services: [internalSvc, catalogSvc, shopSvc],
  pods: [...catalogPods, shopPod],
  deployments: [publicNginx, internalNginx, alb, deployment('catalog-api', {}, 'catalog'), deployment('storefront', {}, 'shop')],
  events: [
    event({ kind: 'Certificate', name: 'int-example-net', namespace: 'catalog', reason: 'Failed', message: 'The certificate request has failed to complete and will be retried: order is in "invalid" state', first: 30 }),
  ],
};

describe('get_ingress_status', () => {
  it('resolves class, TLS, rules, backends with their workloads, load balancer and the controller in another namespace', async () => {
    const { call, calls } = invoker(lists);
    const out = await call('get_ingress_status', { namespace: 'catalog' });
    expect(out.ok).toBe(true);
    const [ing] = (out as { result: { ingresses: Array<Record<string, unknown>> } }).result.ingresses;
    expect(ing).toMatchObject({
      name: 'catalog-internal',
      namespace: 'catalog',
      resource: 'Ingress/catalog/catalog-internal',
      ingress_class: 'nginx-internal',
      ingress_class_source: 'spec',
      hosts: ['catalog.int.example.net'],
      tls: [{ hosts: ['catalog.int.example.net'], secret_name: 'int-example-net-tls' }],
      rules: [
        {
          host: 'catalog.int.example.net',
          paths: [{ path: '/', path_type: 'Prefix', backend: { service: 'catalog-api', port: 'http', service_exists: true, service_status: 'Healthy', ready_endpoints: 2, workloads: ['Deployment/catalog/catalog-api'] } }],
        },
      ],
      load_balancer: ['k8s-internal-0123.elb.us-east-2.amazonaws.com'],
      controller: {
        workload: 'Deployment/ingress-nginx-internal/ingress-nginx-internal-controller',
        ready: '2/2',
        services: ['Service/ingress-nginx-internal/ingress-nginx-internal-controller (LoadBalancer k8s-internal-0123.elb.us-east-2.amazonaws.com)'],
      },
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      problems: [expect.objectContaining({ reason: 'TLSCertificateNotReady' })],
    });
    // The namespace's objects, and controllers (with their Services) from every namespace.
    expect(calls).toContainEqual({ kind: 'ingresses', namespace: 'catalog' });
    expect(calls).toContainEqual({ kind: 'deployments' });
    expect(calls).toContainEqual({ kind: 'services' });
  });

  it('finds what serves a host: exact, wildcard, from a URL, and the catch-all when no Ingress names it', async () => {
    const { call } = invoker(lists);
    const names = async (host: string) => {
      const out = (await call('get_ingress_status', { host })) as { ok: true; result: { ingresses: Array<{ name: string; matched_host?: string; rules: Array<{ host?: string }>; tls: unknown[] }> } };
      return out.result.ingresses.map((i) => `${i.name}@${i.matched_host}:${i.rules.map((r) => r.host ?? '*').join(',')}`);
    };
    expect(await names('https://Catalog.int.example.net/search?q=1')).toEqual(['catalog-internal@catalog.int.example.net:catalog.int.example.net']);
    expect(await names('m.shop.example.com')).toEqual(['storefront@*.shop.example.com:*.shop.example.com']);
    expect(await names('*.int.example.net')).toEqual(['catalog-internal@catalog.int.example.net:catalog.int.example.net']);
    expect(await names('unknown.example.org')).toEqual(['fallback@(any host):*']);
  });

  it('ranks Ingresses with problems first and reports a missing backend service', async () => {
    const { call } = invoker(lists);
    const out = (await call('get_ingress_status', { limit: 1 })) as { ok: true; result: { ingresses: Array<{ name: string; problems: Array<{ reason: string; severity: string }> }>; total_count: number; truncated: boolean } };
    expect(out.result).toMatchObject({ total_count: 3, truncated: true });
    expect(out.result.ingresses[0]!.name).toBe('storefront');
    expect(out.result.ingresses[0]!.problems).toEqual([expect.objectContaining({ reason: 'IngressBackendServiceMissing', severity: 'critical' })]);
  });

  it('gives candidates rather than a controller when two serve the class, and names unknown ingresses and bad hosts', async () => {
    const twin = ingressNginx('nginx', { release: 'ingress-nginx-canary' });
    const { call } = invoker({ ...lists, deployments: [...lists.deployments!, twin] });
    const out = (await call('get_ingress_status', { name: 'fallback', namespace: 'shop' })) as { ok: true; result: { ingresses: Array<Record<string, unknown>> } };
    const [ing] = out.result.ingresses;
    expect(ing!.controller).toBeUndefined();
    expect((ing!.controller_candidates as Array<{ workload: string }>).map((c) => c.workload).sort()).toEqual([
      'Deployment/ingress-nginx-canary/ingress-nginx-canary-controller',
      'Deployment/ingress-nginx/ingress-nginx-controller',
    ]);
    expect(await call('get_ingress_status', { name: 'nope' })).toMatchObject({ ok: false, error: { type: 'NotFound', field: 'name' } });
    expect(await call('get_ingress_status', { host: 'https:///' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'host' } });
  });
});

describe('describe_resource for an Ingress, and ExternalName services', () => {
  it('describes an Ingress by its kubectl short name, with rules, controller and its Certificate events', async () => {
    const { call } = invoker(lists);
    const out = (await call('describe_resource', { kind: 'ing', name: 'catalog-internal', namespace: 'catalog' })) as { ok: true; result: { details: Array<{ field: string; value: string }>; events: Array<{ object: string }>; problems: Array<{ reason: string }> } };
    expect(out.ok).toBe(true);
    const details = Object.fromEntries(out.result.details.map((d) => [d.field, d.value]));
    expect(details).toMatchObject({
      'ingress class': 'nginx-internal (spec.ingressClassName)',
      'tls catalog.int.example.net': 'secret int-example-net-tls',
      'rule catalog.int.example.net/': 'Prefix → catalog-api:http (Healthy, 2 ready / 0 not ready endpoints; Deployment/catalog/catalog-api)',
      'load balancer': 'k8s-internal-0123.elb.us-east-2.amazonaws.com',
    });
    expect(details.controller).toMatch(/^Deployment\/ingress-nginx-internal\/ingress-nginx-internal-controller \(2\/2 ready; .*--ingress-class=nginx-internal/);
    expect(out.result.events.map((e) => e.object)).toEqual(['Certificate/catalog/int-example-net']);
    expect(out.result.problems.map((p) => p.reason)).toEqual(['TLSCertificateNotReady']);
  });

  it('returns the ExternalName target from get_service_status and describe_resource', async () => {
    const rds: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-db', namespace: 'orders', uid: 'uid-svc-orders-db', creationTimestamp: '2025-06-01T00:00:00Z' },
      spec: { type: 'ExternalName', externalName: 'orders-prod.c9akciq32.us-east-1.rds.amazonaws.com', sessionAffinity: 'None' },
      status: { loadBalancer: {} },
    };
    const leader: KubeObject = { ...service('pg-leader', undefined, { namespace: 'orders', ports: [{ name: 'postgresql', port: 5432, targetPort: 5432, protocol: 'TCP' }] }) };
    const leaderEndpoints: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'pg-leader', namespace: 'orders' }, subsets: [{ addresses: [{ ip: '10.0.3.21' }], ports: [{ name: 'postgresql', port: 5432, protocol: 'TCP' }] }] };
    const { call } = invoker({ services: [rds, leader], endpoints: [leaderEndpoints] });
    const out = (await call('get_service_status', { namespace: 'orders' })) as { ok: true; result: { services: Array<Record<string, unknown>> } };
    expect(out.result.services).toEqual([
      expect.objectContaining({ name: 'pg-leader', status: 'Healthy', ready_endpoints: ['10.0.3.21:5432'], manual_endpoints: true, endpoints_source: 'endpoints' }),
      expect.objectContaining({ name: 'orders-db', type: 'ExternalName', status: 'ExternalName', external_name: 'orders-prod.c9akciq32.us-east-1.rds.amazonaws.com', endpoints_source: 'none' }),
    ]);
    const described = (await call('describe_resource', { kind: 'svc', name: 'orders-db', namespace: 'orders' })) as { ok: true; result: { external_name?: string; details: Array<{ field: string; value: string }> } };
    expect(described.result.external_name).toBe('orders-prod.c9akciq32.us-east-1.rds.amazonaws.com');
    expect(described.result.details).toContainEqual({ field: 'status', value: 'ExternalName' });
    const manual = (await call('describe_resource', { kind: 'svc', name: 'pg-leader', namespace: 'orders' })) as { ok: true; result: { details: Array<{ field: string; value: string }> } };
    expect(manual.result.details).toContainEqual({ field: 'endpoints (managed manually, no selector)', value: '10.0.3.21:5432' });
  });
});
