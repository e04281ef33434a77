import { describe, expect, it } from 'vitest';
import {
  backendOf,
  controllerTraits,
  findIngressControllers,
  hostsMatch,
  ingressClassOf,
  ingressHosts,
  ingressPaths,
  ingressTls,
  normalizeHost,
  resolveBackend,
} from './ingress.ts';
import { ClusterSnapshot, type KubeLists } from './snapshot.ts';
import { NOW, controllerWorkload, ingress, ingressNginx, pod, service } from './test-objects.ts';

const snap = (lists: KubeLists) => new ClusterSnapshot(lists, NOW);

/** The AWS Load Balancer Controller as its Helm chart renders it. */
const albController = controllerWorkload('aws-load-balancer-controller', {
  namespace: 'kube-system',
  labels: { 'app.kubernetes.io/instance': 'aws-load-balancer-controller', 'app.kubernetes.io/name': 'aws-load-balancer-controller' },
  image: '602401143452.dkr.ecr.us-east-2.amazonaws.com/amazon/aws-load-balancer-controller:v2.7.2',
  args: ['--cluster-name=prod', '--ingress-class=alb', '--aws-region=us-east-2'],
});

describe('ingress spec reading', () => {
  it('reads the class from spec.ingressClassName, else the legacy annotation', () => {
    expect(ingressClassOf(ingress('a', { className: 'nginx' }))).toEqual({ name: 'nginx', source: 'spec' });
    expect(ingressClassOf(ingress('a', { annotationClass: 'traefik' }))).toEqual({ name: 'traefik', source: 'annotation' });
    expect(ingressClassOf(ingress('a'))).toEqual({ source: 'none' });
  });

  it('reads v1 service and resource backends and the v1beta1 shape of old recordings', () => {
    expect(backendOf({ service: { name: 'web', port: { number: 80 } } })).toEqual({ service: 'web', port: 80 });
    expect(backendOf({ service: { name: 'web', port: { name: 'http' } } })).toEqual({ service: 'web', port: 'http' });
    expect(backendOf({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' } })).toEqual({ resource: 'StorageBucket/static-assets' });
    expect(backendOf({ serviceName: 'legacy', servicePort: 8080 })).toEqual({ service: 'legacy', port: 8080 });
    expect(backendOf({})).toBeUndefined();
  });

  it('lists paths per rule, the default backend, hosts and TLS entries', () => {
    const ing = ingress('shop', {
      rules: [
        { host: 'www.example.com', paths: [{ path: '/api', service: 'bff', port: 80 }, { path: '/', service: 'web', port: 'http' }] },
        { paths: [{ service: 'catch-all', port: 80 }] },
      ],
      defaultBackend: { service: 'default-http-backend', port: 80 },
      tls: [{ hosts: ['www.example.com', '*.example.com'], secretName: 'example-com-tls' }, { hosts: ['static.example.org'] }],
    });
    expect(ingressPaths(ing).map((p) => `${p.host ?? '*'}${p.path} ${p.backend.service}:${p.backend.port}${p.isDefault ? ' default' : ''}`)).toEqual([
      'www.example.com/api bff:80',
      'www.example.com/ web:http',
      '*/ catch-all:80',
      '*/ default-http-backend:80 default',
    ]);
    expect(ingressHosts(ing)).toEqual(['www.example.com', '*.example.com', 'static.example.org']);
    expect(ingressTls(ing)).toEqual([{ hosts: ['www.example.com', '*.example.com'], secretName: 'example-com-tls' }, { hosts: ['static.example.org'] }]);
  });
});

describe('host matching', () => {
  it('reduces URLs, ports and trailing dots to the host', () => {
    expect(normalizeHost('https://WWW.Example.com:443/api/v1?x=1')).toBe('www.example.com');
    expect(normalizeHost('api.example.com.')).toBe('api.example.com');
    expect(normalizeHost('user@api.example.com:8443')).toBe('api.example.com');
    expect(normalizeHost('*.example.com')).toBe('*.example.com');
  });

  it('honours wildcards as the Ingress API defines them: exactly one label', () => {
    expect(hostsMatch('*.example.com', 'shop.example.com')).toBe(true);
    expect(hostsMatch('shop.example.com', '*.example.com')).toBe(true);
    expect(hostsMatch('*.example.com', 'example.com')).toBe(false);
    expect(hostsMatch('*.example.com', 'a.b.example.com')).toBe(false);
    expect(hostsMatch('*.example.com', '*.example.com')).toBe(true);
    expect(hostsMatch('*.example.com', '*.other.com')).toBe(false);
    expect(hostsMatch('Shop.Example.com', 'shop.example.com:443')).toBe(true);
  });
});

describe('ingress controllers', () => {
  it('reads the flags, environment and identity of well-known controllers', () => {
    expect(controllerTraits(ingressNginx('nginx-internal', { release: 'ingress-nginx-internal', extraArgs: ['--watch-ingress-without-class=true'] }))).toMatchObject({
      classes: ['nginx-internal'],
      controllerClasses: ['k8s.io/ingress-nginx-internal'],
      watchWithoutClass: true,
      known: 'ingress-nginx',
      defaultClass: 'nginx',
    });
    const traefik = controllerWorkload('traefik', { image: 'docker.io/traefik:v3.0.4', args: ['--entrypoints.web.address=:8000/tcp', '--providers.kubernetesingress', '--providers.kubernetesingress.ingressclass=traefik-public'] });
    expect(controllerTraits(traefik)).toMatchObject({ classes: ['traefik-public'], known: 'traefik' });
    const contour = controllerWorkload('contour', { image: 'ghcr.io/projectcontour/contour:v1.28.3', command: ['contour'], args: ['serve', '--incluster', '--ingress-class-name', 'contour-internal'] });
    expect(controllerTraits(contour)).toMatchObject({ classes: ['contour-internal'], known: 'contour' });
    const kong = controllerWorkload('kong-controller', { labels: { 'app.kubernetes.io/name': 'ingress-controller', 'app.kubernetes.io/instance': 'kong' }, image: 'kong/kubernetes-ingress-controller:3.1', env: [{ name: 'CONTROLLER_INGRESS_CLASS', value: 'kong' }] });
    expect(controllerTraits(kong)).toMatchObject({ classes: ['kong'], known: 'kong' });
    // --ingress-class-by-name is a switch, not a class.
    expect(controllerTraits(ingressNginx('nginx', { extraArgs: ['--ingress-class-by-name'] })).classes).toEqual(['nginx']);
    expect(controllerTraits(controllerWorkload('web', { image: 'shop/web:1.0', args: ['--port=8080'] }))).toMatchObject({ classes: [], controllerClasses: [], watchWithoutClass: false });
  });

  it('finds the one controller serving a class among several, in any namespace', () => {
    const internal = ingressNginx('nginx-internal', { release: 'ingress-nginx-internal' });
    const external = ingressNginx('nginx', { release: 'ingress-nginx' });
    const s = snap({ deployments: [internal, external, albController] });
    const forInternal = findIngressControllers(s, 'nginx-internal');
    expect(forInternal.controller?.workload).toBe('Deployment/ingress-nginx-internal/ingress-nginx-internal-controller');
    // Controllers told to serve other classes are not candidates.
    expect(forInternal.candidates.map((c) => c.workload)).toEqual(['Deployment/ingress-nginx-internal/ingress-nginx-internal-controller']);
    expect(findIngressControllers(s, 'nginx').controller?.workload).toBe('Deployment/ingress-nginx/ingress-nginx-controller');
    expect(findIngressControllers(s, 'alb').controller?.workload).toBe('Deployment/kube-system/aws-load-balancer-controller');
    expect(findIngressControllers(s, 'gce')).toMatchObject({ candidates: [], examined: 3 });
  });

  it("takes a well-known controller's default class, ranked by name, and gives candidates when none is clearly best", () => {
    const plain = controllerWorkload('ingress-nginx-controller', { labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' }, image: 'registry.k8s.io/ingress-nginx/controller:v1.10.1', args: ['/nginx-ingress-controller'] });
    const clear = findIngressControllers(snap({ deployments: [plain] }), 'nginx');
    expect(clear.controller?.workload).toBe('Deployment/ingress/ingress-nginx-controller');
    expect(clear.controller?.evidence).toContain('serves class nginx by default');
    // Two controllers of the same class: no single answer.
    const a = ingressNginx('nginx', { release: 'edge-a' });
    const b = ingressNginx('nginx', { release: 'edge-b' });
    const both = findIngressControllers(snap({ deployments: [a, b] }), 'nginx');
    expect(both.controller).toBeUndefined();
    expect(both.candidates).toHaveLength(2);
    // A DaemonSet controller counts as well.
    const ds = controllerWorkload('haproxy-ingress', { kind: 'DaemonSet', image: 'quay.io/jcmoraisjr/haproxy-ingress:v0.14.6', args: ['--ingress-class=haproxy'] });
    expect(findIngressControllers(snap({ daemonsets: [ds] }), 'haproxy').controller?.workload).toBe('DaemonSet/ingress/haproxy-ingress');
  });

  it('serves Ingresses without class with a controller watching them', () => {
    const watcher = ingressNginx('nginx', { extraArgs: ['--watch-ingress-without-class=true'] });
    const none = findIngressControllers(snap({ deployments: [watcher, albController] }), undefined);
    expect(none.controller?.workload).toBe('Deployment/ingress-nginx/ingress-nginx-controller');
    expect(findIngressControllers(snap({ deployments: [albController] }), undefined).controller).toBeUndefined();
  });
});

describe('resolveBackend', () => {
  it('resolves the Service, its port, endpoint counts and the workloads behind it', () => {
    const svc = service('web', { app: 'web' }, { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    const p = pod({ name: 'web-7f9c6d-a', labels: { app: 'web', 'pod-template-hash': '7f9c6d' }, owner: { kind: 'ReplicaSet', name: 'web-7f9c6d' } });
    const s = snap({ services: [svc], pods: [p] });
    expect(resolveBackend(s, 'checkout', { service: 'web', port: 'http' })).toMatchObject({ serviceExists: true, servicePort: 'http 80->8080/TCP', serviceStatus: 'Healthy', ready: 1, workloads: ['Deployment/checkout/web'] });
    expect(resolveBackend(s, 'checkout', { service: 'web', port: 8080 })).toMatchObject({ serviceExists: true, portMissing: true });
    expect(resolveBackend(s, 'checkout', { service: 'nope', port: 80 })).toMatchObject({ serviceExists: false });
    // Nothing recorded about services: unknown rather than missing.
    expect(resolveBackend(snap({}), 'checkout', { service: 'web', port: 80 }).serviceExists).toBeUndefined();
  });
});
