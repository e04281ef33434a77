import { describe, expect, it } from 'vitest';
import { RESTARTED_AT_ANNOTATION, type TemplateLike, diffPodTemplates } from './template-diff.ts';

/** A Deployment pod template the way Helm renders it and `kubectl get rs -o json` returns it. */
function template(over: { env?: unknown[]; image?: string; args?: string[]; resources?: unknown; liveness?: unknown; readiness?: unknown; mounts?: unknown[]; volumes?: unknown[]; annotations?: Record<string, string>; labels?: Record<string, string>; pod?: Record<string, unknown>; envFrom?: unknown[]; extraContainers?: unknown[] } = {}): TemplateLike {
  return {
    metadata: {
      labels: { 'app.kubernetes.io/name': 'eta', 'app.kubernetes.io/version': 'v2.13.3', 'pod-template-hash': 'nbh8gsph7', ...over.labels },
      annotations: { 'prometheus.io/scrape': 'true', ...over.annotations },
    },
    spec: {
      containers: [
        {
          name: 'eta',
          image: over.image ?? '219384756102.dkr.ecr.us-west-2.amazonaws.com/dispatch/eta:v2.13.3',
          args: over.args ?? ['--listen=:8080', '--upstream-timeout=800ms'],
          env: over.env ?? [
            { name: 'TRAFFIC_HINTS_TIMEOUT', value: '800ms' },
            { name: 'DB_PASSWORD', value: 's3cr3t' },
            { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'eta-config', key: 'db_host' } } },
            { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } },
          ],
          ...(over.envFrom ? { envFrom: over.envFrom } : {}),
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          resources: over.resources ?? { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } },
          livenessProbe: over.liveness ?? { httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
          readinessProbe: over.readiness ?? { httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 },
          volumeMounts: over.mounts ?? [{ name: 'config', mountPath: '/etc/eta', readOnly: true }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
        ...(over.extraContainers ?? []),
      ],
      volumes: over.volumes ?? [{ name: 'config', configMap: { name: 'eta-config-v7', defaultMode: 420 } }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'eta',
      serviceAccountName: 'eta',
      terminationGracePeriodSeconds: 30,
      ...over.pod,
    },
  };
}

describe('diffPodTemplates', () => {
  it('finds nothing between a template and itself, except its pod-template-hash', () => {
    const a = template();
    const b = template({ labels: { 'pod-template-hash': '5d8f7c9b4' } });
    expect(diffPodTemplates(a, b)).toEqual({ changes: [], restart: false });
  });

  it('names image, env, args, resources and probe changes per container, literal values shown and references as references', () => {
    const before = template();
    const after = template({
      image: '219384756102.dkr.ecr.us-west-2.amazonaws.com/dispatch/eta:v2.14.0',
      args: ['--listen=:8080', '--upstream-timeout=80ms'],
      env: [
        { name: 'TRAFFIC_HINTS_TIMEOUT', value: '80ms' },
        { name: 'DB_PASSWORD', value: 'n3w' },
        { name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'eta-db', key: 'host' } } },
        { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } },
        { name: 'FEATURE_BATCHING', value: 'true' },
      ],
      resources: { limits: { cpu: '2', memory: '2Gi' }, requests: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '1Gi' } },
      // Explicit defaults are not changes; the path and the timeout are.
      liveness: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 0 },
      readiness: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 },
    });
    expect(diffPodTemplates(before, after).changes).toEqual([
      'container eta image: 219384756102.dkr.ecr.us-west-2.amazonaws.com/dispatch/eta:v2.13.3 -> 219384756102.dkr.ecr.us-west-2.amazonaws.com/dispatch/eta:v2.14.0',
      'container eta env TRAFFIC_HINTS_TIMEOUT: 800ms -> 80ms',
      'container eta env DB_PASSWORD: literal value changed (hidden)',
      'container eta env DB_HOST: configMapKeyRef eta-config/db_host -> secretKeyRef eta-db/host',
      'container eta env FEATURE_BATCHING added: true',
      'container eta args[1]: --upstream-timeout=800ms -> --upstream-timeout=80ms',
      'container eta requests ephemeral-storage: (none) -> 1Gi',
      'container eta limits memory: 1Gi -> 2Gi',
      'container eta liveness probe path: /livez -> /healthz',
      'container eta liveness probe timeoutSeconds: 2 -> 5',
    ]);
  });

  it('names removed env vars, envFrom, mounts, volumes, service account, pull secrets, node selector and tolerations', () => {
    const before = template({ pod: { nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' }, imagePullSecrets: [{ name: 'ecr-old' }] } });
    const after = template({
      env: [{ name: 'TRAFFIC_HINTS_TIMEOUT', value: '800ms' }, { name: 'DB_PASSWORD', value: 's3cr3t' }, { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } }],
      envFrom: [{ secretRef: { name: 'eta-env' } }],
      mounts: [{ name: 'config', mountPath: '/etc/eta', readOnly: true }, { name: 'cache', mountPath: '/var/cache/eta' }],
      volumes: [{ name: 'config', configMap: { name: 'eta-config-v8', defaultMode: 420 } }, { name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
      pod: {
        serviceAccount: 'eta-irsa',
        serviceAccountName: 'eta-irsa',
        nodeSelector: { 'karpenter.sh/capacity-type': 'spot' },
        imagePullSecrets: [{ name: 'ecr-new' }],
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'dispatch', effect: 'NoSchedule' }],
        priorityClassName: 'high',
      },
    });
    expect(diffPodTemplates(before, after).changes).toEqual([
      'container eta env DB_HOST removed (was configMapKeyRef eta-config/db_host)',
      'container eta envFrom added: secretRef eta-env',
      'container eta volumeMount /var/cache/eta added: cache',
      'service account: eta -> eta-irsa',
      'image pull secret added: ecr-new',
      'image pull secret removed: ecr-old',
      'node selector karpenter.sh/capacity-type: on-demand -> spot',
      'toleration added: dedicated=dispatch:NoSchedule',
      'volume config: ConfigMap eta-config-v7 -> ConfigMap eta-config-v8',
      'volume cache added: emptyDir (sizeLimit 1Gi)',
      'pod priorityClassName: (none) -> high',
    ]);
  });

  it('names added and removed containers, probes and pod annotations; cuts long values to where they differ', () => {
    const long = (hash: string) => JSON.stringify({ type: 'CONFIGMAP', name: 'inventory-sync-config', namespace: 'warehouse', hash, containerRefs: ['inventory-sync'], padding: 'x'.repeat(120) });
    const before = template({ annotations: { 'reloader.stakater.com/last-reloaded-from': long('9b4e27c1d05f3a68') } });
    const after = template({
      extraContainers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.30.1' }],
      annotations: { 'reloader.stakater.com/last-reloaded-from': long('e3c1f0a9b27d4c58'), 'checksum/config': 'abc' },
    });
    delete (after.spec!.containers![0] as Record<string, unknown>).readinessProbe;
    const { changes } = diffPodTemplates(before, after);
    expect(changes).toContain('container envoy added (image envoyproxy/envoy:v1.30.1)');
    expect(changes).toContain('container eta readiness probe removed (was http-get http://:http/readyz delay=0s timeout=1s period=5s #success=1 #failure=3)');
    expect(changes).toContain('pod annotation checksum/config added: abc');
    const reloaded = changes.find((c) => c.startsWith('pod annotation reloader.stakater.com/last-reloaded-from:'))!;
    expect(reloaded).toContain('"hash":"9b4e27c1d05f3a68');
    expect(reloaded).toContain('"hash":"e3c1f0a9b27d4c58');
  });

  it('says a rollout whose only change is restartedAt is a restart, and lists restartedAt with other changes otherwise', () => {
    const before = template({ annotations: { [RESTARTED_AT_ANNOTATION]: '2026-03-01T08:00:00Z' } });
    const restarted = template({ annotations: { [RESTARTED_AT_ANNOTATION]: '2026-03-05T18:58:00Z' }, labels: { 'pod-template-hash': '6b7c8d9f' } });
    expect(diffPodTemplates(before, restarted)).toEqual({
      changes: ['restart only (kubectl rollout restart at 2026-03-05T18:58:00Z): the pod template is otherwise unchanged'],
      restart: true,
    });
    const both = template({ image: 'eta:v2.14.0', annotations: { [RESTARTED_AT_ANNOTATION]: '2026-03-05T18:58:00Z' } });
    const diff = diffPodTemplates(template(), both);
    expect(diff.restart).toBe(false);
    expect(diff.changes).toEqual([
      'container eta image: 219384756102.dkr.ecr.us-west-2.amazonaws.com/dispatch/eta:v2.13.3 -> eta:v2.14.0',
      `pod annotation ${RESTARTED_AT_ANNOTATION}: (none) -> 2026-03-05T18:58:00Z`,
    ]);
  });

  it('compares pods of two revisions without what admission and the scheduler add per pod', () => {
    const asPod = (t: TemplateLike, suffix: string, extra: Record<string, string>): TemplateLike => ({
      metadata: { ...t.metadata, annotations: { ...t.metadata!.annotations, ...extra } },
      spec: {
        ...t.spec,
        nodeName: `ip-10-0-1-${suffix.length}.ec2.internal`,
        volumes: [...(t.spec!.volumes as unknown[]), { name: `kube-api-access-${suffix}`, projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
        containers: (t.spec!.containers as Array<Record<string, unknown>>).map((c) => ({
          ...c,
          volumeMounts: [...(c.volumeMounts as unknown[]), { name: `kube-api-access-${suffix}`, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        })),
      },
    });
    const a = asPod(template(), 'x2k4p', { 'vpc.amazonaws.com/pod-ips': '10.0.1.57' });
    const b = asPod(template({ env: [{ name: 'TRAFFIC_HINTS_TIMEOUT', value: '80ms' }, { name: 'DB_PASSWORD', value: 's3cr3t' }, { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'eta-config', key: 'db_host' } } }, { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } }] }), 'q8zrt', { 'vpc.amazonaws.com/pod-ips': '10.0.2.14' });
    expect(diffPodTemplates(a, b, { fromPods: true }).changes).toEqual(['container eta env TRAFFIC_HINTS_TIMEOUT: 800ms -> 80ms']);
  });

  it('bounds the list of changes', () => {
    const env = (v: string) => Array.from({ length: 50 }, (_, i) => ({ name: `FLAG_${i}`, value: v }));
    const { changes } = diffPodTemplates(template({ env: env('a') }), template({ env: env('b') }), { maxChanges: 10 });
    expect(changes).toHaveLength(10);
    expect(changes[9]).toBe('... and 41 more changes');
  });
});
