import { describe, expect, it } from 'vitest';
import { claimVolumes, probeText, pullSecretsOf, registryHost, registryNote, serviceAccountOf, volumeSourceText } from './pod-spec.ts';

describe('pod spec reading', () => {
  it('finds the registry host of an image as the runtime resolves it', () => {
    expect(registryHost('harbor.tooling.acme-data.io/platform/vector:0.36.1-distroless-libc')).toBe('harbor.tooling.acme-data.io');
    expect(registryHost('219384756102.dkr.ecr.us-west-2.amazonaws.com/dispatch/eta-svc:v2.14.0')).toBe('219384756102.dkr.ecr.us-west-2.amazonaws.com');
    expect(registryHost('registry.local:5000/team/app@sha256:4b1f')).toBe('registry.local:5000');
    expect(registryHost('localhost/app:dev')).toBe('localhost');
    expect(registryHost('bitnami/redis:7.2')).toBe('docker.io');
    expect(registryHost('nginx')).toBe('docker.io');
    expect(registryNote('219384756102.dkr.ecr.us-west-2.amazonaws.com')).toMatch(/^Amazon ECR, account 219384756102, region us-west-2/);
    expect(registryNote('public.ecr.aws')).toBe('Amazon ECR Public');
    expect(registryNote('harbor.tooling.acme-data.io')).toBeUndefined();
  });

  it('reads the service account (default when a template names none) and the image pull secrets', () => {
    expect(serviceAccountOf({ serviceAccountName: 'vector', serviceAccount: 'vector' })).toEqual({ name: 'vector', explicit: true });
    expect(serviceAccountOf({ serviceAccount: 'legacy' })).toEqual({ name: 'legacy', explicit: true });
    expect(serviceAccountOf({})).toEqual({ name: 'default', explicit: false });
    expect(pullSecretsOf({ imagePullSecrets: [{ name: 'harbor-robot-platform' }, {}, { name: 'ecr' }] })).toEqual(['harbor-robot-platform', 'ecr']);
    expect(pullSecretsOf({})).toEqual([]);
  });

  it('prints probes and volumes the way kubectl describe does', () => {
    expect(probeText({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1 })).toBe('http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3');
    expect(probeText({ tcpSocket: { port: 'amqp' }, initialDelaySeconds: 10, timeoutSeconds: 5 })).toBe('tcp-socket :amqp delay=10s timeout=5s period=10s #success=1 #failure=3');
    expect(volumeSourceText({ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } })).toBe('PersistentVolumeClaim data-db-0');
    expect(volumeSourceText({ name: 'conf', projected: { sources: [{ configMap: { name: 'rabbitmq-server-conf' } }, { serviceAccountToken: { path: 'token' } }] } })).toBe('projected (configMap rabbitmq-server-conf, serviceAccountToken)');
    expect(volumeSourceText({ name: 'tmp', emptyDir: { medium: 'Memory' } })).toBe('emptyDir (medium Memory)');
    expect(claimVolumes({ volumes: [{ name: 'persistence', persistentVolumeClaim: { claimName: 'persistence-rabbitmq-server-2' } }, { name: 'tmp', emptyDir: {} }] })).toEqual([
      { volume: 'persistence', claim: 'persistence-rabbitmq-server-2' },
    ]);
  });
});
