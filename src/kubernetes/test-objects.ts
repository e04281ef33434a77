/**
 * Builders of Kubernetes objects in the exact shape `kubectl get -o json` returns, for tests. Each starts
 * from a realistic healthy object and takes overrides, so a test states only what it is about.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';

export const NOW = Date.parse('2026-03-14T10:32:00Z');
export const at = (minutesBeforeNow: number): string => new Date(NOW - minutesBeforeNow * 60_000).toISOString().replace('.000Z', 'Z');

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (!over) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b, v as never) : v;
  }
  return out as T;
}

export interface PodOptions {
  namespace?: string;
  name: string;
  node?: string;
  labels?: Record<string, string>;
  owner?: { kind: string; name: string; uid?: string };
  containers?: unknown[];
  initContainers?: unknown[];
  containerStatuses?: unknown[];
  initContainerStatuses?: unknown[];
  phase?: string;
  conditions?: unknown[];
  status?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  created?: number;
}

export function container(name = 'app', over: Record<string, unknown> = {}) {
  return {
    name,
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/${name}:1.0.0`,
    ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    ...over,
  };
}

export function running(name = 'app', over: Record<string, unknown> = {}) {
  return {
    name,
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/${name}:1.0.0`,
    imageID: `123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/${name}@sha256:4b1f`,
    containerID: 'containerd://9f1c',
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: at(60) } },
    lastState: {},
    ...over,
  };
}

export function readyConditions(ready = true, since = 60) {
  const s = ready ? 'True' : 'False';
  return [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: at(61) },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at(61) },
    { type: 'Ready', status: s, lastProbeTime: null, lastTransitionTime: at(since), ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }) },
    { type: 'ContainersReady', status: s, lastProbeTime: null, lastTransitionTime: at(since), ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }) },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(61) },
  ];
}

export function pod(o: PodOptions): KubeObject {
  const namespace = o.namespace ?? 'checkout';
  const owner = o.owner;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: merge(
      {
        name: o.name,
        namespace,
        uid: `uid-pod-${o.name}`,
        creationTimestamp: new Date(o.created ?? NOW - 61 * 60_000).toISOString(),
        labels: o.labels ?? { app: 'checkout-api' },
        ...(owner
          ? { ownerReferences: [{ apiVersion: owner.kind === 'Job' ? 'batch/v1' : 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid ?? `uid-${owner.kind}-${owner.name}`, controller: true, blockOwnerDeletion: true }] }
          : {}),
      },
      o.metadata as never,
    ),
    spec: merge(
      {
        containers: o.containers ?? [container()],
        ...(o.initContainers ? { initContainers: o.initContainers } : {}),
        ...(o.node !== undefined ? { nodeName: o.node } : { nodeName: 'ip-10-0-1-12.ec2.internal' }),
        restartPolicy: 'Always',
        serviceAccountName: 'default',
        terminationGracePeriodSeconds: 30,
      },
      o.spec as never,
    ),
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions ?? readyConditions(),
      hostIP: '10.0.1.12',
      podIP: '10.0.1.57',
      podIPs: [{ ip: '10.0.1.57' }],
      qosClass: 'Burstable',
      startTime: at(61),
      containerStatuses: o.containerStatuses ?? [running()],
      ...(o.initContainerStatuses ? { initContainerStatuses: o.initContainerStatuses } : {}),
      ...(o.status ?? {}),
    },
  };
}

export function deployment(name: string, over: DeepPartial<KubeObject> = {}, namespace = 'checkout'): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace,
        uid: `uid-Deployment-${name}`,
        generation: 14,
        creationTimestamp: '2025-11-02T08:00:00Z',
        annotations: { 'deployment.kubernetes.io/revision': '14' },
        labels: { app: name },
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: name } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        progressDeadlineSeconds: 600,
        template: { metadata: { labels: { app: name } }, spec: { containers: [container(name)] } },
      },
      status: {
        observedGeneration: 14,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: at(50), lastTransitionTime: at(50) },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}-7f9c6d" has successfully progressed.`, lastUpdateTime: at(40), lastTransitionTime: '2025-11-02T08:00:00Z' },
        ],
      },
    },
    over,
  );
}

export function replicaSet(deploymentName: string, hash: string, revision: number, over: DeepPartial<KubeObject> = {}, namespace = 'checkout'): KubeObject {
  const name = `${deploymentName}-${hash}`;
  return merge<KubeObject>(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace,
        uid: `uid-ReplicaSet-${name}`,
        creationTimestamp: at(45),
        labels: { app: deploymentName, 'pod-template-hash': hash },
        annotations: { 'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, uid: `uid-Deployment-${deploymentName}`, controller: true }],
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: deploymentName, 'pod-template-hash': hash } },
        template: { metadata: { labels: { app: deploymentName, 'pod-template-hash': hash } }, spec: { containers: [container(deploymentName)] } },
      },
      status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 2 },
    },
    over,
  );
}

export function node(name: string, over: DeepPartial<KubeObject> = {}): KubeObject {
  return merge<KubeObject>(
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        uid: `uid-Node-${name}`,
        creationTimestamp: '2026-03-01T00:00:00Z',
        labels: {
          'kubernetes.io/hostname': name,
          'node.kubernetes.io/instance-type': 'm5.xlarge',
          'topology.kubernetes.io/zone': 'us-east-1a',
          'eks.amazonaws.com/nodegroup': 'general',
        },
      },
      spec: { providerID: `aws:///us-east-1a/i-0${name.length}` },
      status: {
        capacity: { cpu: '4', memory: '16069820Ki', pods: '58', 'ephemeral-storage': '83873772Ki' },
        allocatable: { cpu: '3920m', memory: '15052988Ki', pods: '58', 'ephemeral-storage': '76224326324' },
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: at(1), lastTransitionTime: '2026-03-01T00:01:00Z' },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: at(1), lastTransitionTime: '2026-03-01T00:01:00Z' },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: at(1), lastTransitionTime: '2026-03-01T00:01:00Z' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at(1), lastTransitionTime: '2026-03-01T00:01:00Z' },
        ],
        addresses: [
          { type: 'InternalIP', address: '10.0.1.12' },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: { kubeletVersion: 'v1.31.4-eks-aeac579', containerRuntimeVersion: 'containerd://1.7.25', osImage: 'Amazon Linux 2023.6.20250115' },
      },
    },
    over,
  );
}

export interface EventOptions {
  kind: string;
  name: string;
  namespace?: string;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  count?: number;
  first: number;
  last?: number;
  fieldPath?: string;
  component?: string;
}

/** An old-style core/v1 Event (count, firstTimestamp, lastTimestamp), as most clusters still record them. */
export function event(o: EventOptions): KubeObject {
  const namespace = o.kind === 'Node' ? 'default' : (o.namespace ?? 'checkout');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${o.name}.${o.reason}.${o.first}`, namespace, uid: `uid-ev-${o.name}-${o.reason}-${o.first}`, creationTimestamp: at(o.first) },
    involvedObject: {
      apiVersion: o.kind === 'Pod' || o.kind === 'Node' ? 'v1' : 'apps/v1',
      kind: o.kind,
      name: o.name,
      ...(o.kind === 'Node' ? {} : { namespace }),
      uid: `uid-${o.kind}-${o.name}`,
      ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}),
    },
    reason: o.reason,
    message: o.message,
    source: { component: o.component ?? 'kubelet', host: 'ip-10-0-1-12.ec2.internal' },
    firstTimestamp: at(o.first),
    lastTimestamp: at(o.last ?? o.first),
    count: o.count ?? 1,
    type: o.type ?? 'Warning',
    eventTime: null,
    reportingComponent: o.component ?? 'kubelet',
    reportingInstance: 'ip-10-0-1-12.ec2.internal',
  };
}

export interface IngressOptions {
  namespace?: string;
  className?: string;
  /** The legacy kubernetes.io/ingress.class annotation instead of spec.ingressClassName. */
  annotationClass?: string;
  rules?: Array<{ host?: string; paths: Array<{ path?: string; pathType?: string; service: string; port: number | string }> }>;
  tls?: Array<{ hosts: string[]; secretName?: string }>;
  defaultBackend?: { service: string; port: number | string };
  loadBalancer?: string[];
  annotations?: Record<string, string>;
}

const backend = (service: string, port: number | string) => ({ service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } });

/** A networking.k8s.io/v1 Ingress as `kubectl get ingress -o json` prints it. */
export function ingress(name: string, o: IngressOptions = {}): KubeObject {
  const rules = o.rules ?? [{ host: `${name}.example.com`, paths: [{ service: name, port: 80 }] }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: o.namespace ?? 'checkout',
      uid: `uid-Ingress-${name}`,
      generation: 2,
      creationTimestamp: '2025-11-20T10:05:00Z',
      annotations: { ...(o.annotationClass ? { 'kubernetes.io/ingress.class': o.annotationClass } : {}), ...(o.annotations ?? {}) },
    },
    spec: {
      ...(o.className ? { ingressClassName: o.className } : {}),
      ...(o.defaultBackend ? { defaultBackend: backend(o.defaultBackend.service, o.defaultBackend.port) } : {}),
      rules: rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: { paths: r.paths.map((p) => ({ path: p.path ?? '/', pathType: p.pathType ?? 'Prefix', backend: backend(p.service, p.port) })) },
      })),
      ...(o.tls ? { tls: o.tls } : {}),
    },
    status: { loadBalancer: o.loadBalancer ? { ingress: o.loadBalancer.map((h) => (/^\d/.test(h) ? { ip: h } : { hostname: h })) } : {} },
  };
}

/** A Service as `kubectl get svc -o json` prints it. */
export function service(name: string, selector: Record<string, string> | undefined, o: { namespace?: string; ports?: unknown[]; type?: string; loadBalancer?: string[] } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: o.namespace ?? 'checkout', uid: `uid-Service-${name}`, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: {
      type: o.type ?? 'ClusterIP',
      clusterIP: '172.20.10.10',
      ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      ...(selector ? { selector } : {}),
      sessionAffinity: 'None',
    },
    status: { loadBalancer: o.loadBalancer ? { ingress: o.loadBalancer.map((hostname) => ({ hostname })) } : {} },
  };
}

/**
 * An ingress controller Deployment (or DaemonSet) the way its Helm chart renders it: the chart's labels on the
 * workload and pod template, one controller container with the given args, image and env.
 */
export function controllerWorkload(
  name: string,
  o: { kind?: 'Deployment' | 'DaemonSet'; namespace?: string; labels?: Record<string, string>; image: string; args?: string[]; command?: string[]; env?: Array<{ name: string; value: string }>; ready?: number; replicas?: number },
): KubeObject {
  const labels = o.labels ?? { 'app.kubernetes.io/name': name };
  const replicas = o.replicas ?? 2;
  const ready = o.ready ?? replicas;
  const containers = [{ name: 'controller', image: o.image, ...(o.command ? { command: o.command } : {}), ...(o.args ? { args: o.args } : {}), ...(o.env ? { env: o.env } : {}), ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] }];
  const kind = o.kind ?? 'Deployment';
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: o.namespace ?? 'ingress', uid: `uid-${kind}-${name}`, labels, generation: 3 },
    spec: {
      ...(kind === 'Deployment' ? { replicas } : {}),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
    },
    status:
      kind === 'Deployment'
        ? { replicas, readyReplicas: ready, availableReplicas: ready, updatedReplicas: replicas, observedGeneration: 3 }
        : { desiredNumberScheduled: replicas, currentNumberScheduled: replicas, numberReady: ready, numberAvailable: ready, numberMisscheduled: 0, observedGeneration: 3 },
  };
}

/** The ingress-nginx chart's controller Deployment for a class (release `ingress-nginx-<suffix>` or `ingress-nginx`). */
export function ingressNginx(className: string, o: { release?: string; namespace?: string; ready?: number; extraArgs?: string[] } = {}): KubeObject {
  const release = o.release ?? 'ingress-nginx';
  const labels = { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/part-of': 'ingress-nginx', 'helm.sh/chart': 'ingress-nginx-4.10.1' };
  return controllerWorkload(`${release}-controller`, {
    namespace: o.namespace ?? release,
    labels,
    image: 'registry.k8s.io/ingress-nginx/controller:v1.10.1@sha256:e24f39d3eed6bcc239a56f20098878845f62baa34b9f2be2fd2c38ce9fb0f29e',
    args: ['/nginx-ingress-controller', `--publish-service=$(POD_NAMESPACE)/${release}-controller`, `--election-id=${release}-leader`, `--controller-class=k8s.io/${release}`, `--ingress-class=${className}`, `--configmap=$(POD_NAMESPACE)/${release}-controller`, ...(o.extraArgs ?? [])],
    ...(o.ready !== undefined ? { ready: o.ready } : {}),
  });
}

/** An apps/v1 StatefulSet with volumeClaimTemplates, as `kubectl get sts -o json` prints it. */
export function statefulSet(name: string, o: { namespace?: string; replicas?: number; ready?: number; claims?: Array<{ name: string; storage?: string; storageClass?: string }>; serviceAccount?: string } = {}): KubeObject {
  const replicas = o.replicas ?? 3;
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: o.namespace ?? 'checkout', uid: `uid-StatefulSet-${name}`, generation: 3, creationTimestamp: '2025-06-20T10:11:45Z', labels },
    spec: {
      replicas,
      podManagementPolicy: 'Parallel',
      serviceName: `${name}-headless`,
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: {
        metadata: { labels },
        spec: {
          containers: [container(name, { volumeMounts: (o.claims ?? []).map((c) => ({ name: c.name, mountPath: `/var/lib/${c.name}` })) })],
          ...(o.serviceAccount ? { serviceAccountName: o.serviceAccount } : {}),
        },
      },
      volumeClaimTemplates: (o.claims ?? []).map((c) => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: c.name, creationTimestamp: null },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: c.storage ?? '50Gi' } }, storageClassName: c.storageClass ?? 'gp3', volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      })),
    },
    status: { replicas, readyReplicas: o.ready ?? replicas, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: o.ready ?? replicas, currentRevision: `${name}-6c9f8d7b5`, updateRevision: `${name}-6c9f8d7b5`, observedGeneration: 3, collisionCount: 0 },
  };
}

/** A bound v1 PersistentVolumeClaim provisioned by the EBS CSI driver for a node (`volume.kubernetes.io/selected-node`). */
export function pvc(name: string, o: { namespace?: string; phase?: string; volume?: string; selectedNode?: string; storage?: string; storageClass?: string } = {}): KubeObject {
  const phase = o.phase ?? 'Bound';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: o.namespace ?? 'checkout',
      uid: `uid-pvc-${name}`,
      creationTimestamp: '2025-06-20T10:11:46Z',
      annotations: {
        'pv.kubernetes.io/bind-completed': 'yes',
        'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
        ...(o.selectedNode ? { 'volume.kubernetes.io/selected-node': o.selectedNode } : {}),
      },
      finalizers: ['kubernetes.io/pvc-protection'],
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '50Gi' } },
      storageClassName: o.storageClass ?? 'gp3',
      volumeMode: 'Filesystem',
      ...(phase === 'Bound' ? { volumeName: o.volume ?? `pvc-${name}` } : {}),
    },
    status: phase === 'Bound' ? { phase, accessModes: ['ReadWriteOnce'], capacity: { storage: o.storage ?? '50Gi' } } : { phase },
  };
}

/** A v1 PersistentVolume the EBS CSI driver provisioned in a zone, bound to a claim. */
export function pv(name: string, o: { claim: string; namespace?: string; zone: string; storage?: string; storageClass?: string; zoneKey?: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid: `uid-pv-${name}`, creationTimestamp: '2025-06-20T10:11:49Z', annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' }, finalizers: ['kubernetes.io/pv-protection'] },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: o.storage ?? '50Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: o.claim, namespace: o.namespace ?? 'checkout', uid: `uid-pvc-${o.claim}` },
      csi: { driver: 'ebs.csi.aws.com', fsType: 'ext4', volumeHandle: `vol-0${name.length}c07fbe543e1ac13e` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: o.zoneKey ?? 'topology.ebs.csi.aws.com/zone', operator: 'In', values: [o.zone] }] }] } },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: o.storageClass ?? 'gp3',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound', lastPhaseTransitionTime: '2025-06-20T10:11:49Z' },
  };
}
