/**
 * What a Service sends traffic to, the way the endpoints controller and kube-proxy see it: the pods its selector
 * matches and their workloads (or, when no pod matches, the workloads whose pod template it selects), the ready
 * and not-ready addresses of its Endpoints object (manually managed ones for a Service without a selector), the
 * DNS name an ExternalName Service stands for, and one status saying whether traffic has anywhere to go.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { asNumber, asString, conditionOf, conditionsOf, epochOf } from './objects.ts';
import { holdsResources } from './resources.ts';
import { type Selector, fromMap, matchesSelector } from './selectors.ts';
import type { ClusterSnapshot } from './snapshot.ts';

export const SERVICE_STATUSES = ['NoEndpoints', 'NoReadyEndpoints', 'PartiallyReady', 'Healthy', 'NoSelector', 'ExternalName'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

interface Address {
  ip?: string;
  hostname?: string;
  targetRef?: { kind?: string; name?: string };
}
interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: Array<{ port?: number; name?: string; protocol?: string }>;
}

/** A workload whose pod template the selector matches, though none of its pods runs. */
export interface IdleWorkload {
  ref: string;
  /** `scaled to 0 replicas`, `0 of 3 replicas ready`. */
  state: string;
  /** When it last changed (its freshest condition). */
  since?: number;
}

export interface ServiceBackends {
  type: string;
  hasSelector: boolean;
  /** The DNS name of an ExternalName Service. */
  externalName?: string;
  /** Pods the selector matches that still hold resources (not Succeeded or Failed). */
  pods: KubeObject[];
  /** Workloads of those pods; when none runs, the workloads whose pod template the selector matches. */
  workloads: string[];
  idle: IdleWorkload[];
  /** Pod names, or addresses (`ip[:port]`) for endpoints that are not pods. */
  ready: string[];
  notReady: string[];
  /** Where readiness was read: the Endpoints object, the matching pods (no Endpoints recorded), or nowhere. */
  source: 'endpoints' | 'pods' | 'none';
  /** Whether an Endpoints object was recorded for the Service. */
  hasEndpointsObject: boolean;
  status: ServiceStatus;
}

function addressLabel(a: Address, subset: Subset): string {
  if (a.targetRef?.name) return a.targetRef.name;
  const host = a.ip ?? a.hostname ?? '?';
  const ports = (subset.ports ?? []).map((p) => p.port).filter((p): p is number => typeof p === 'number');
  return ports.length === 1 ? `${host}:${ports[0]}` : host;
}

/** The ready and not-ready addresses of an Endpoints object. */
export function endpointAddresses(endpoints: KubeObject | undefined): { ready: string[]; notReady: string[] } {
  const subsets: Subset[] = Array.isArray(endpoints?.subsets) ? (endpoints!.subsets as Subset[]) : [];
  return {
    ready: subsets.flatMap((s) => (s.addresses ?? []).map((a) => addressLabel(a, s))),
    notReady: subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => addressLabel(a, s))),
  };
}

export function serviceBackends(snapshot: ClusterSnapshot, svc: KubeObject): ServiceBackends {
  const namespace = svc.metadata.namespace ?? '';
  const type = asString(svc.spec?.type) ?? 'ClusterIP';
  const selectorMap = svc.spec?.selector as Record<string, string> | undefined;
  const externalName = type === 'ExternalName' ? asString(svc.spec?.externalName) : undefined;
  // An ExternalName Service is a DNS alias: the API ignores its selector and keeps no endpoints for it.
  const hasSelector = type !== 'ExternalName' && !!selectorMap && Object.keys(selectorMap).length > 0;
  const selector = hasSelector ? fromMap(selectorMap) : [];
  const pods = hasSelector
    ? snapshot.list('pods').filter((p) => p?.metadata?.name && (p.metadata.namespace ?? '') === namespace && holdsResources(p) && matchesSelector(p.metadata.labels, selector))
    : [];
  const podWorkloads = [...new Set(pods.map((p) => snapshot.workloadOf('Pod', p)))];
  const idle = hasSelector && !pods.length ? templateMatches(snapshot, namespace, selector) : [];
  const endpoints = snapshot.get('Endpoints', namespace, svc.metadata.name);
  const endpointsRecorded = snapshot.list('endpoints').length > 0;
  let ready: string[] = [];
  let notReady: string[] = [];
  let source: ServiceBackends['source'];
  if (type === 'ExternalName') {
    source = 'none';
  } else if (endpoints || endpointsRecorded) {
    source = 'endpoints';
    ({ ready, notReady } = endpointAddresses(endpoints));
  } else {
    // The endpoints controller keeps an Endpoints object for every selector Service; when the recording has none,
    // judge the way the controller does, from the matching pods' readiness.
    source = 'pods';
    const isReady = (p: KubeObject) => conditionOf(p, 'Ready')?.status === 'True';
    ready = pods.filter(isReady).map((p) => p.metadata.name);
    notReady = pods.filter((p) => !isReady(p)).map((p) => p.metadata.name);
  }
  let status: ServiceStatus;
  if (type === 'ExternalName') status = 'ExternalName';
  // Without a selector, endpoints are whatever someone (an operator, a person) writes; no Endpoints object may
  // simply mean they are kept as EndpointSlices only.
  else if (!hasSelector && !endpoints) status = 'NoSelector';
  else if (!ready.length) status = pods.length || notReady.length ? 'NoReadyEndpoints' : 'NoEndpoints';
  else status = notReady.length ? 'PartiallyReady' : 'Healthy';
  return {
    type,
    hasSelector,
    ...(externalName ? { externalName } : {}),
    pods,
    workloads: podWorkloads.length ? podWorkloads : idle.map((w) => w.ref),
    idle,
    ready,
    notReady,
    source,
    hasEndpointsObject: !!endpoints,
    status,
  };
}

/** Workloads of the namespace whose pod template carries labels the selector matches, and how many they run. */
export function templateMatches(snapshot: ClusterSnapshot, namespace: string, selector: Selector): IdleWorkload[] {
  const out: IdleWorkload[] = [];
  if (!selector.length) return out;
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'] as const) {
    for (const w of snapshot.objects(kind)) {
      if ((w.metadata.namespace ?? '') !== namespace || !matchesSelector(w.spec?.template?.metadata?.labels, selector)) continue;
      const desired = kind === 'DaemonSet' ? asNumber(w.status?.desiredNumberScheduled) : asNumber(w.spec?.replicas, 1);
      const ready = kind === 'DaemonSet' ? asNumber(w.status?.numberReady) : asNumber(w.status?.readyReplicas);
      // When it was scaled or changed last: the freshest condition transition.
      const since = Math.max(0, ...conditionsOf(w).map((c) => epochOf(c.lastUpdateTime) ?? epochOf(c.lastTransitionTime) ?? 0));
      out.push({
        ref: snapshot.workloadOf(kind, w),
        state: desired === 0 ? 'scaled to 0 replicas' : `${ready} of ${desired} replicas ready`,
        ...(since > 0 ? { since } : {}),
      });
    }
  }
  return out;
}

/** `port->targetPort/protocol` lines of a Service, e.g. `http 80->8080/TCP`. */
export function servicePorts(svc: KubeObject): string[] {
  return ((svc.spec?.ports ?? []) as Array<{ name?: string; port?: number; targetPort?: unknown; protocol?: string }>).map(
    (p) => `${p.name ? `${p.name} ` : ''}${p.port}->${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}`,
  );
}
