/**
 * Problems of objects the recorded lists do not hold: a node that was replaced (or nodes not recorded at all),
 * a pod that was deleted, a ReplicaSet of an old revision. Their events outlive them, and pods keep the name of
 * the node they ran on and the kubelet's eviction message, so what happened to them still shows:
 *
 * - a node's condition events (`NodeHasDiskPressure` / `NodeHasNoDiskPressure`, `NodeNotReady` / `NodeReady`,
 *   `NodeHasInsufficientMemory`...), `EvictionThresholdMet` ("Attempting to reclaim ephemeral-storage") and the
 *   evictions of its pods become NodeDiskPressure, NodeMemoryPressure, NodePIDPressure or NodeNotReady, active
 *   when the latest word was the bad one, and its other Warning events (FreeDiskSpaceFailed, SystemOOM...) their
 *   own problems; a `RemovingNode` event says the node is gone;
 * - a Warning event about any other object missing from its list surfaces as a problem of that object,
 *   attributed to the workload its name belongs to (pod `web-7f9c6d-x2k4p` → Deployment web).
 *
 * Every such problem is marked `derived_from: events`.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { type KubeEvent, isWarning } from '../events.ts';
import { LIST_OF_KIND, iso } from '../objects.ts';
import { podStatusColumns } from '../pod-status.ts';
import { eventCode, eventEvidence, sumCounts } from './common.ts';
import type { AnalyzerContext, Problem, Severity } from './types.ts';

type PressureType = 'Ready' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** The kubelet's and node controller's condition transition events: [the bad reason, the good reason]. */
const TRANSITIONS: ReadonlyArray<{ type: PressureType; bad: readonly string[]; good: readonly string[]; reason: string }> = [
  { type: 'Ready', bad: ['NodeNotReady'], good: ['NodeReady'], reason: 'NodeNotReady' },
  { type: 'MemoryPressure', bad: ['NodeHasInsufficientMemory'], good: ['NodeHasSufficientMemory'], reason: 'NodeMemoryPressure' },
  { type: 'DiskPressure', bad: ['NodeHasDiskPressure'], good: ['NodeHasNoDiskPressure'], reason: 'NodeDiskPressure' },
  { type: 'PIDPressure', bad: ['NodeHasInsufficientPID'], good: ['NodeHasSufficientPID'], reason: 'NodePIDPressure' },
];

/** Node events that say it left the cluster. */
const REMOVAL_REASONS = new Set(['RemovingNode', 'DeletingNode', 'NodeDeleted', 'Deleted']);

/** The condition a starved resource puts a node under: the eviction signal's resource names. */
export function pressureOfResource(resource: string): PressureType | undefined {
  const r = resource.toLowerCase();
  if (/^memory|allocatablememory/.test(r)) return 'MemoryPressure';
  if (/ephemeral-storage|nodefs|imagefs|containerfs|disk|storage/.test(r)) return 'DiskPressure';
  if (/^pids?\b|pid\.available|^pid/.test(r)) return 'PIDPressure';
  return undefined;
}

/** The resource of an eviction message ("The node was low on resource: ephemeral-storage.") or a threshold event. */
function starvedResource(message: string): string | undefined {
  return /low on resource:\s*([A-Za-z0-9.\-_/]+?)\.?(?:\s|$)/i.exec(message)?.[1] ?? /attempting to reclaim\s+([A-Za-z0-9.\-_/]+)/i.exec(message)?.[1];
}

interface Signal {
  at: number;
  first: number;
  text: string;
  reason: string;
}

export function analyzeAbsentObjects(ctx: AnalyzerContext, namespace?: string): Problem[] {
  return [...absentNodeProblems(ctx, namespace), ...absentObjectProblems(ctx, namespace)];
}

function inWindow(ctx: AnalyzerContext, e: KubeEvent): boolean {
  return e.lastSeen >= ctx.since && e.firstSeen <= ctx.now;
}

function baseProblem(kind: string, namespace: string, name: string, workload: string, fields: Pick<Problem, 'reason' | 'message' | 'severity' | 'since' | 'count' | 'evidence'>): Problem {
  const resource = `${kind}/${namespace}/${name}`;
  return { kind, namespace, name, resource, workload, ...fields, derived_from: 'events' };
}

/** Nodes named by events, by pods' `spec.nodeName` with evictions, or by kubelet events' host, but not recorded. */
function absentNodeProblems(ctx: AnalyzerContext, namespace?: string): Problem[] {
  const { snapshot } = ctx;
  const recorded = snapshot.list('nodes').length > 0;
  const known = (name: string) => !!snapshot.get('Node', '', name);
  const podsByNode = new Map<string, KubeObject[]>();
  for (const p of snapshot.list('pods')) {
    const node = p?.spec?.nodeName;
    if (typeof node !== 'string' || !node || known(node)) continue;
    const list = podsByNode.get(node) ?? [];
    list.push(p);
    podsByNode.set(node, list);
  }
  // Evictions the kubelet reported, by node: a recorded evicted pod's node, or the event's reporting host.
  const evictions = new Map<string, Map<string, { at: number; first: number; message: string }>>();
  const addEviction = (node: string, pod: string, at: number, first: number, message: string) => {
    const byPod = evictions.get(node) ?? new Map<string, { at: number; first: number; message: string }>();
    const seen = byPod.get(pod);
    if (!seen || seen.at < at) byPod.set(pod, { at, first: Math.min(first, seen?.first ?? first), message });
    evictions.set(node, byPod);
  };
  const evictedEvents = snapshot.events.filter((e) => e.kind === 'Pod' && e.reason === 'Evicted' && inWindow(ctx, e));
  for (const e of evictedEvents) {
    const pod = snapshot.get('Pod', e.namespace, e.name);
    const node = (pod?.spec?.nodeName as string | undefined) || (e.source?.startsWith('kubelet') ? e.host : undefined);
    if (node && !known(node)) addEviction(node, `Pod/${e.namespace}/${e.name}`, e.lastSeen, e.firstSeen, e.message);
  }
  for (const [node, pods] of podsByNode) {
    for (const p of pods) {
      if (p.status?.reason !== 'Evicted') continue;
      const disruption = (p.status?.conditions as Array<{ type?: string; lastTransitionTime?: string }> | undefined)?.find((c) => c?.type === 'DisruptionTarget');
      const at = Date.parse(disruption?.lastTransitionTime ?? '') || Date.parse(p.status?.startTime ?? '') || Date.parse(p.metadata.creationTimestamp ?? '');
      if (!Number.isFinite(at) || at < ctx.since || at > ctx.now) continue;
      addEviction(node, `Pod/${p.metadata.namespace ?? ''}/${p.metadata.name}`, at, at, String(p.status?.message ?? 'evicted'));
    }
  }
  const names = new Set<string>([
    ...snapshot.events.filter((e) => e.kind === 'Node' && !known(e.name) && inWindow(ctx, e)).map((e) => e.name),
    ...evictions.keys(),
  ]);
  const out: Problem[] = [];
  for (const name of [...names].sort()) {
    const pods = podsByNode.get(name) ?? [];
    if (namespace && !pods.some((p) => p.metadata.namespace === namespace) && ![...(evictions.get(name)?.keys() ?? [])].some((r) => r.startsWith(`Pod/${namespace}/`))) continue;
    const events = snapshot.eventsFor(`Node//${name}`).filter((e) => e.firstSeen <= ctx.now);
    const recent = events.filter((e) => inWindow(ctx, e));
    const evicted = evictions.get(name) ?? new Map<string, { at: number; first: number; message: string }>();
    const where = recorded
      ? `derived from events: Node ${name} is not in the recorded node list (replaced or removed)`
      : `derived from events: nodes were not recorded, so Node ${name} is known only from its events and pods`;
    const active = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const podLine = active.length
      ? [`${active.length} pods still bound to the node, ${active.filter((p) => { const c = podStatusColumns(p); return !(c.status === 'Running' && c.readyContainers === c.totalContainers); }).length} not running and ready`]
      : [];
    const covered = new Set<string>();
    // A node removed from the cluster (scaled in, replaced) ends whatever condition it was in.
    const removal = recent.find((e) => REMOVAL_REASONS.has(e.reason) || /\b(removing|deleting) node\b/i.test(e.message));
    const removalContext: string[] = [];
    for (const t of TRANSITIONS) {
      const bad: Signal[] = [];
      const good: Signal[] = [];
      for (const e of events) {
        const signal = { at: e.lastSeen, first: e.firstSeen, text: eventEvidence(e), reason: e.reason };
        if (t.bad.includes(e.reason)) bad.push(signal);
        if (t.good.includes(e.reason)) good.push(signal);
        if (e.reason === 'EvictionThresholdMet' && t.type !== 'Ready' && pressureOfResource(starvedResource(e.message) ?? '') === t.type) {
          bad.push(signal);
          covered.add('EvictionThresholdMet');
        }
      }
      const evictedHere = [...evicted.entries()].filter(([, v]) => t.type !== 'Ready' && pressureOfResource(starvedResource(v.message) ?? '') === t.type).sort(([, a], [, b]) => a.at - b.at);
      for (const [pod, v] of evictedHere) bad.push({ at: v.at, first: v.first, text: `${pod} evicted at ${iso(v.at)}: ${v.message.trim()}`, reason: 'Evicted' });
      const lastBad = Math.max(-Infinity, ...bad.map((s) => s.at));
      if (!bad.length || lastBad < ctx.since) continue;
      const lastGood = Math.max(-Infinity, ...good.map((s) => s.at));
      const removed = !!removal && removal.lastSeen >= lastBad;
      const ongoing = lastBad >= lastGood && !removed;
      if (removed && t.type === 'Ready') {
        // NotReady on the way out of the cluster: part of the removal, told there.
        removalContext.push(...bad.map((s) => s.text));
        covered.add(t.reason);
        continue;
      }
      const resources = [...new Set(evictedHere.map(([, v]) => starvedResource(v.message)).filter(Boolean))];
      const severity: Severity = ongoing ? (t.type === 'Ready' || evictedHere.length ? 'critical' : 'warning') : evictedHere.length || t.type === 'Ready' ? 'warning' : 'info';
      const statusEvent = events.find((e) => t.bad.includes(e.reason));
      const threshold = events.find((e) => e.reason === 'EvictionThresholdMet' && pressureOfResource(starvedResource(e.message) ?? '') === t.type);
      const what = [statusEvent?.message, threshold ? `kubelet: ${threshold.message}` : '', evictedHere.length ? `${evictedHere.length} pods evicted${resources.length ? ` for ${resources.join(', ')}` : ''}` : '']
        .filter(Boolean)
        .join('; ');
      const cleared = removed
        ? ` The node was then removed from the cluster (${removal!.reason} at ${iso(removal!.lastSeen)}).`
        : !ongoing
          ? ` Cleared at ${iso(lastGood)} (${good.find((s) => s.at === lastGood)!.reason}).`
          : '';
      out.push(
        baseProblem('Node', '', name, `Node//${name}`, {
          reason: t.reason,
          message: `${t.type === 'Ready' ? 'NotReady' : t.type} on node ${name} (derived from events): ${what || 'condition events'}.${cleared}`,
          severity,
          // The earliest sign within the window, even if the condition flapped since.
          since: Math.max(ctx.since, Math.min(...bad.filter((s) => s.at >= ctx.since).map((s) => s.first))),
          count: Math.max(1, evictedHere.length),
          evidence: [
            where,
            `condition ${t.type} ${ongoing ? `is ${t.type === 'Ready' ? 'False or Unknown' : 'True'} by the latest event` : `was ${t.type === 'Ready' ? 'False' : 'True'} and has ${removed ? 'ended with the node' : 'cleared'}`}`,
            ...(evictedHere.length ? [`${evictedHere.length} pods evicted from the node: ${evictedHere.slice(0, 5).map(([pod]) => pod).join(', ')}${evictedHere.length > 5 ? ', ...' : ''}`] : []),
            ...[...new Set([...bad, ...good].sort((a, b) => b.at - a.at).filter((s) => s.reason !== 'Evicted').map((s) => s.text))].slice(0, 4),
            ...podLine,
          ],
        }),
      );
      covered.add(t.reason);
      for (const r of [...t.bad, ...t.good]) covered.add(r);
    }
    // Other warnings about the node (FreeDiskSpaceFailed, SystemOOM, ImageGCFailed...), one problem per code.
    const groups = new Map<string, KubeEvent[]>();
    for (const e of recent) {
      if (!isWarning(e)) continue;
      const code = eventCode(e);
      if (covered.has(code) || covered.has(e.reason)) continue;
      groups.set(code, [...(groups.get(code) ?? []), e]);
    }
    for (const [code, list] of groups) {
      out.push(
        baseProblem('Node', '', name, `Node//${name}`, {
          reason: code,
          message: list[0]!.message || list[0]!.reason,
          severity: 'warning',
          since: Math.min(...list.map((e) => e.firstSeen)),
          count: sumCounts(list),
          evidence: [where, ...list.slice(0, 4).map(eventEvidence), ...podLine],
        }),
      );
    }
    // Gone from the cluster: context for what ran there (its pods were rescheduled, its volumes stayed behind).
    if (removal) {
      const cordon = recent.find((e) => e.reason === 'NodeNotSchedulable');
      out.push(
        baseProblem('Node', '', name, `Node//${name}`, {
          reason: 'NodeRemoved',
          message: `node ${name} was removed from the cluster at ${iso(removal.lastSeen)}: ${removal.message}`,
          severity: 'info',
          since: cordon && cordon.firstSeen <= removal.lastSeen ? cordon.firstSeen : removal.firstSeen,
          count: 1,
          evidence: [where, ...(cordon ? [eventEvidence(cordon)] : []), ...removalContext, eventEvidence(removal), ...podLine],
        }),
      );
    }
  }
  return out;
}

/** Warning events about objects of the kinds we list that the lists do not hold (deleted pods, old ReplicaSets...). */
function absentObjectProblems(ctx: AnalyzerContext, namespace?: string): Problem[] {
  const { snapshot } = ctx;
  const groups = new Map<string, KubeEvent[]>();
  for (const e of snapshot.events) {
    if (!isWarning(e) || !inWindow(ctx, e) || e.kind === 'Node' || e.kind === 'Event' || !LIST_OF_KIND[e.kind]) continue;
    if (namespace && e.namespace !== namespace) continue;
    if (snapshot.lookup(e.object)) continue;
    const key = `${e.object}\u0000${eventCode(e)}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const out: Problem[] = [];
  for (const [key, list] of groups) {
    const code = key.split('\u0000')[1]!;
    const first = list[0]!;
    const { workload, via } = snapshot.workloadByName(first.kind, first.namespace, first.name);
    const list_ = LIST_OF_KIND[first.kind]!;
    out.push(
      baseProblem(first.kind, first.namespace, first.name, workload, {
        reason: code,
        message: first.message || first.reason,
        // The node controller marks every pod of a failed node; the node's own problem is the finding.
        severity: code === 'NodeNotReady' ? 'info' : 'warning',
        since: Math.min(...list.map((e) => e.firstSeen)),
        count: sumCounts(list),
        evidence: [
          `derived from events: ${first.kind} ${first.name} is not in the recorded ${list_} (deleted or replaced)${via ? `; attributed to ${workload} by ${via}` : ''}`,
          ...list.slice(0, 4).map(eventEvidence),
        ],
      }),
    );
  }
  return out;
}
