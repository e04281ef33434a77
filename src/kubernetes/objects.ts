/**
 * Typed reading of raw Kubernetes API objects: kinds, `Kind/namespace/name` references, conditions and
 * timestamps in every form the API server and hand-written recordings use.
 */
import { formatResource } from '../domain/resource.ts';
import { parseInstant } from '../domain/time.ts';
import type { KubeKind, KubeObject } from '../providers/kubernetes/port.ts';

/** The API `kind` of each list the provider serves. */
export const KIND_OF_LIST: Readonly<Record<KubeKind, string>> = {
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  events: 'Event',
  nodes: 'Node',
  services: 'Service',
  endpoints: 'Endpoints',
  hpa: 'HorizontalPodAutoscaler',
  pvcs: 'PersistentVolumeClaim',
  ingresses: 'Ingress',
  pvs: 'PersistentVolume',
};

export const LIST_OF_KIND: Readonly<Record<string, KubeKind>> = Object.fromEntries(
  Object.entries(KIND_OF_LIST).map(([list, kind]) => [kind, list as KubeKind]),
);

/** kubectl's names and short names for the kinds we serve, lower case → API kind. */
const KIND_ALIASES: Readonly<Record<string, string>> = {
  pod: 'Pod', pods: 'Pod', po: 'Pod',
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  replicaset: 'ReplicaSet', replicasets: 'ReplicaSet', rs: 'ReplicaSet',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet',
  daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
  job: 'Job', jobs: 'Job',
  node: 'Node', nodes: 'Node', no: 'Node',
  service: 'Service', services: 'Service', svc: 'Service',
  endpoints: 'Endpoints', endpoint: 'Endpoints', ep: 'Endpoints',
  horizontalpodautoscaler: 'HorizontalPodAutoscaler', horizontalpodautoscalers: 'HorizontalPodAutoscaler', hpa: 'HorizontalPodAutoscaler',
  persistentvolumeclaim: 'PersistentVolumeClaim', persistentvolumeclaims: 'PersistentVolumeClaim', pvc: 'PersistentVolumeClaim',
  ingress: 'Ingress', ingresses: 'Ingress', ing: 'Ingress',
  persistentvolume: 'PersistentVolume', persistentvolumes: 'PersistentVolume', pv: 'PersistentVolume', pvs: 'PersistentVolume',
};

/** The API kind for a user-typed kind (`deploy`, `pods`, `PVC`); undefined when we do not serve it. */
export function canonicalKind(text: string): string | undefined {
  return KIND_ALIASES[text.trim().toLowerCase()];
}

export function isClusterScopedKind(kind: string): boolean {
  return kind === 'Node' || kind === 'PersistentVolume';
}

export function namespaceOf(obj: KubeObject): string {
  return obj.metadata.namespace ?? '';
}

/** `Kind/namespace/name`, with an empty namespace for cluster-scoped kinds. */
export function refOf(kind: string, obj: KubeObject): string {
  return formatResource({ kind, namespace: isClusterScopedKind(kind) ? '' : namespaceOf(obj), name: obj.metadata.name });
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string;
}

export function conditionsOf(obj: KubeObject): Condition[] {
  const list = obj.status?.conditions;
  return Array.isArray(list) ? (list.filter((c) => c && typeof c.type === 'string') as Condition[]) : [];
}

export function conditionOf(obj: KubeObject, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/** Epoch ms of a Kubernetes timestamp (RFC 3339 with any precision, or epoch numbers); undefined otherwise. */
export function epochOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string' || !value) return undefined;
  const t = parseInstant(value);
  return t === null ? undefined : t;
}

/** A Kubernetes timestamp as an ISO 8601 UTC string with milliseconds; undefined when absent or unparseable. */
export function isoOf(value: unknown): string | undefined {
  const t = epochOf(value);
  return t === undefined ? undefined : new Date(t).toISOString();
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function createdAt(obj: KubeObject): number | undefined {
  return epochOf(obj.metadata.creationTimestamp);
}

export function asNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function labelsOf(obj: KubeObject): Record<string, string> {
  return obj.metadata.labels ?? {};
}

/** Annotations worth showing: the last-applied configuration repeats the whole spec and is dropped. */
export function visibleAnnotations(obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj.metadata.annotations ?? {})) {
    if (key === 'kubectl.kubernetes.io/last-applied-configuration') continue;
    out[key] = typeof value === 'string' && value.length > 500 ? `${value.slice(0, 500)}…` : String(value);
  }
  return out;
}

/** The container images of a pod template or pod spec, in container order. */
export function imagesOf(podSpec: unknown): string[] {
  const containers = (podSpec as { containers?: Array<{ image?: string }> } | undefined)?.containers;
  return Array.isArray(containers) ? containers.map((c) => c.image ?? '').filter(Boolean) : [];
}

/** The addresses in `status.loadBalancer.ingress` of a Service or an Ingress: host names and IPs. */
export function loadBalancerAddresses(obj: KubeObject): string[] {
  const entries = obj.status?.loadBalancer?.ingress;
  if (!Array.isArray(entries)) return [];
  return (entries as Array<{ hostname?: unknown; ip?: unknown }>).map((e) => asString(e?.hostname) ?? asString(e?.ip)).filter((a): a is string => !!a);
}
