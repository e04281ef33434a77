/**
 * Event normalisation. core/v1 Events come in two styles: the old one (count, firstTimestamp, lastTimestamp)
 * and the new one (eventTime plus an optional series {count, lastObservedTime}); events.k8s.io/v1 renames the
 * fields (regarding, note, deprecatedCount...). All become one shape, with the involved object as
 * `Kind/namespace/name`, exactly as `kubectl get events` reads them.
 */
import { formatResource } from '../domain/resource.ts';
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { asString, epochOf, iso, isClusterScopedKind } from './objects.ts';

export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  /** The involved object, `Kind/namespace/name`. */
  object: string;
  kind: string;
  namespace: string;
  name: string;
  fieldPath?: string;
  source?: string;
  /** The host of the reporting component: for kubelet events, the node the object was on. */
  host?: string;
  count: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

interface RawEvent {
  type?: string;
  reason?: string;
  message?: string;
  note?: string;
  count?: number;
  deprecatedCount?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  deprecatedFirstTimestamp?: string;
  deprecatedLastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; namespace?: string; name?: string; fieldPath?: string };
  regarding?: { kind?: string; namespace?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  deprecatedSource?: { component?: string; host?: string };
  reportingController?: string;
  reportingComponent?: string;
  reportingInstance?: string;
  metadata?: { namespace?: string; creationTimestamp?: string };
}

/** One event in the common shape; null when it names no object or carries no time at all. */
export function normalizeEvent(obj: KubeObject): KubeEvent | null {
  const raw = obj as unknown as RawEvent;
  const involved = raw.involvedObject ?? raw.regarding;
  const kind = asString(involved?.kind);
  const name = asString(involved?.name);
  if (!kind || !name) return null;
  const namespace = isClusterScopedKind(kind) ? '' : (asString(involved?.namespace) ?? asString(raw.metadata?.namespace) ?? '');
  const first =
    epochOf(raw.firstTimestamp) ?? epochOf(raw.deprecatedFirstTimestamp) ?? epochOf(raw.eventTime) ?? epochOf(raw.metadata?.creationTimestamp);
  const last =
    epochOf(raw.series?.lastObservedTime) ?? epochOf(raw.lastTimestamp) ?? epochOf(raw.deprecatedLastTimestamp) ?? first;
  if (first === undefined || last === undefined) return null;
  // Singleton events of the new API carry no count.
  const count = raw.series?.count ?? raw.count ?? raw.deprecatedCount ?? 1;
  const src = raw.source ?? raw.deprecatedSource;
  const component = asString(src?.component) ?? asString(raw.reportingController) ?? asString(raw.reportingComponent);
  const host = asString(src?.host) ?? asString(raw.reportingInstance);
  const source = component ? (host && host !== component ? `${component}, ${host}` : component) : host;
  return {
    type: asString(raw.type) ?? 'Normal',
    reason: asString(raw.reason) ?? '',
    message: (raw.message ?? raw.note ?? '').trim(),
    object: formatResource({ kind, namespace, name }),
    kind,
    namespace,
    name,
    ...(asString(involved?.fieldPath) ? { fieldPath: involved!.fieldPath } : {}),
    ...(source ? { source } : {}),
    ...(host ? { host } : {}),
    count: Math.max(1, Math.trunc(count) || 1),
    firstSeen: Math.min(first, last),
    lastSeen: Math.max(first, last),
  };
}

export function normalizeEvents(items: readonly KubeObject[]): KubeEvent[] {
  const out: KubeEvent[] = [];
  for (const item of items) {
    const e = normalizeEvent(item);
    if (e) out.push(e);
  }
  return out.sort(newestFirst);
}

export function newestFirst(a: KubeEvent, b: KubeEvent): number {
  return b.lastSeen - a.lastSeen || b.firstSeen - a.firstSeen || a.object.localeCompare(b.object);
}

/** Whether the event was observed at or after `since` (a repeating event counts while it keeps recurring). */
export function seenSince(e: KubeEvent, since: number): boolean {
  return e.lastSeen >= since;
}

export function isWarning(e: KubeEvent): boolean {
  return e.type !== 'Normal';
}

/** The tool output shape of an event. */
export interface EventView {
  type: string;
  reason: string;
  message: string;
  object: string;
  namespace: string;
  field_path?: string;
  source?: string;
  count: number;
  first_seen: string;
  last_seen: string;
}

export function eventView(e: KubeEvent): EventView {
  return {
    type: e.type,
    reason: e.reason,
    message: e.message,
    object: e.object,
    namespace: e.namespace,
    ...(e.fieldPath ? { field_path: e.fieldPath } : {}),
    ...(e.source ? { source: e.source } : {}),
    count: e.count,
    first_seen: iso(e.firstSeen),
    last_seen: iso(e.lastSeen),
  };
}

/** Which probe an `Unhealthy` event is about, from the kubelet's message ("Liveness probe failed: ..."). */
export function probeKind(message: string): 'liveness' | 'readiness' | 'startup' | undefined {
  const m = /^(liveness|readiness|startup) probe/i.exec(message.trim());
  return m ? (m[1]!.toLowerCase() as 'liveness' | 'readiness' | 'startup') : undefined;
}
