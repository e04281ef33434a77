import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { ClusterSnapshot, type KubeLists } from '../snapshot.ts';
import { NOW, at, event, ingress, ingressNginx, pod, service } from '../test-objects.ts';
import { scanProblems } from './index.ts';
import { analyzeIngress } from './ingress.ts';
import type { AnalyzerContext } from './types.ts';

const ctx = (lists: KubeLists): AnalyzerContext => ({ snapshot: new ClusterSnapshot(lists, NOW), now: NOW, since: NOW - 2 * 3_600_000 });

const web = service('web', { app: 'web' });
const webPod = pod({ name: 'web-7f9c6d-a', labels: { app: 'web', 'pod-template-hash': '7f9c6d' }, owner: { kind: 'ReplicaSet', name: 'web-7f9c6d' } });
const nginx = ingressNginx('nginx');
const healthy = (over: Parameters<typeof ingress>[1] = {}) =>
  ingress('shop', { className: 'nginx', rules: [{ host: 'shop.example.com', paths: [{ service: 'web', port: 'http' }] }], tls: [{ hosts: ['shop.example.com'], secretName: 'shop-example-com-tls' }], ...over });

/** A cert-manager Certificate event as `kubectl get events -o json` prints it. */
function certificateEvent(name: string, reason: string, message: string, minutes: number): KubeObject {
  const e = event({ kind: 'Certificate', name, reason, message, first: minutes, component: 'cert-manager-certificates-issuing' });
  return { ...e, involvedObject: { ...(e.involvedObject as object), apiVersion: 'cert-manager.io/v1' } };
}

describe('ingress analyzer', () => {
  it('is quiet for an Ingress whose class, controller, backends and certificate are fine', () => {
    expect(analyzeIngress(ctx({ ingresses: [healthy()], services: [web], pods: [webPod], deployments: [nginx] }), healthy())).toEqual([]);
  });

  it('reports an Ingress without class, as k8sgpt does, more strongly when no controller exists', () => {
    const ing = ingress('shop', { rules: [{ host: 'shop.example.com', paths: [{ service: 'web', port: 80 }] }] });
    const [alone] = analyzeIngress(ctx({ services: [web], deployments: [] }), ing);
    expect(alone).toMatchObject({ reason: 'IngressClassMissing', severity: 'warning', message: expect.stringContaining('Ingress checkout/shop does not specify an Ingress class') });
    expect(analyzeIngress(ctx({ services: [web], deployments: [nginx] }), ing)).toEqual([expect.objectContaining({ reason: 'IngressClassMissing', severity: 'info' })]);
    // A controller watching Ingresses without a class serves it.
    const watcher = ingressNginx('nginx', { extraArgs: ['--watch-ingress-without-class=true'] });
    expect(analyzeIngress(ctx({ services: [web], deployments: [watcher] }), ing)).toEqual([]);
  });

  it('reports a class no controller serves, and a controller with no ready replica', () => {
    const orphan = healthy({ className: 'nginx-internal' });
    const [missing] = analyzeIngress(ctx({ services: [web], pods: [webPod], deployments: [nginx] }), orphan);
    expect(missing).toMatchObject({ reason: 'IngressControllerNotFound', severity: 'warning', message: expect.stringContaining('ingress class nginx-internal, which no ingress controller in the cluster serves') });
    const down = ingressNginx('nginx', { ready: 0 });
    const [unavailable] = analyzeIngress(ctx({ services: [web], pods: [webPod], deployments: [down] }), healthy());
    expect(unavailable).toMatchObject({ reason: 'IngressControllerUnavailable', severity: 'critical', workload: 'Deployment/ingress-nginx/ingress-nginx-controller', resource: 'Ingress/checkout/shop' });
    // Nothing recorded about workloads: no claim about controllers.
    expect(analyzeIngress(ctx({ services: [web], pods: [webPod] }), orphan)).toEqual([]);
  });

  it('reports backend services that do not exist and ports a service does not expose', () => {
    const ing = ingress('shop', {
      className: 'nginx',
      rules: [{ host: 'shop.example.com', paths: [{ path: '/api', service: 'bff', port: 80 }, { path: '/', service: 'web', port: 8443 }] }],
    });
    const problems = analyzeIngress(ctx({ services: [web], pods: [webPod], deployments: [nginx] }), ing);
    expect(problems).toEqual([
      expect.objectContaining({ reason: 'IngressBackendServiceMissing', severity: 'critical', message: 'Ingress uses the service checkout/bff which does not exist.', evidence: ['shop.example.com/api → bff:80'] }),
      expect.objectContaining({ reason: 'IngressBackendPortMissing', severity: 'critical', message: expect.stringContaining('port 8443 of service checkout/web, which the service does not expose (ports: http 80)') }),
    ]);
  });

  it('reports a missing TLS secret from the events that say so, and a failing cert-manager Certificate', () => {
    const secretEvent = event({ kind: 'Ingress', name: 'shop', reason: 'BadConfig', message: 'secret "checkout/shop-example-com-tls" not found', first: 12, last: 2, count: 6, component: 'nginx-ingress-controller' });
    const certEvent = certificateEvent('shop-example-com', 'Failed', 'The certificate request has failed to complete and will be retried: ACME order failed: 403 urn:ietf:params:acme:error:unauthorized', 20);
    const problems = analyzeIngress(ctx({ services: [web], pods: [webPod], deployments: [nginx], events: [secretEvent, certEvent] }), healthy());
    expect(problems.map((p) => p.reason)).toEqual(['IngressTLSSecretMissing', 'TLSCertificateNotReady']);
    expect(problems[0]).toMatchObject({ severity: 'critical', count: 6, since: Date.parse(at(12)), message: expect.stringContaining('Ingress uses the secret checkout/shop-example-com-tls as a TLS certificate which does not exist') });
    expect(problems[1]!.message).toContain('Certificate/checkout/shop-example-com Failed: The certificate request has failed');
  });

  it('reports Warning events about the Ingress, such as the AWS Load Balancer Controller failing to deploy it', () => {
    const alb = ingress('shop', { className: 'alb', rules: [{ host: 'shop.example.com', paths: [{ service: 'web', port: 80 }] }] });
    const failed = event({ kind: 'Ingress', name: 'shop', reason: 'FailedDeployModel', message: 'Failed deploy model due to AccessDenied: User is not authorized to perform: elasticloadbalancing:CreateTargetGroup', first: 9, last: 1, count: 4, component: 'ingress' });
    const problems = analyzeIngress(ctx({ services: [web], pods: [webPod], events: [failed] }), alb);
    expect(problems).toEqual([expect.objectContaining({ reason: 'FailedDeployModel', severity: 'warning', count: 4 })]);
  });

  it('runs in the cluster scan and honours the Ingress kind filter', () => {
    const ing = healthy({ className: 'nginx-internal' });
    const snapshot = new ClusterSnapshot({ ingresses: [ing], services: [web], pods: [webPod], deployments: [nginx] }, NOW);
    expect(scanProblems(snapshot, { since: NOW - 7_200_000, kinds: ['Ingress'] }).map((p) => p.reason)).toEqual(['IngressControllerNotFound']);
  });
});
