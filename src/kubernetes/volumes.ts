/**
 * Where persistent volumes live and who uses them: a PersistentVolumeClaim with its phase, storage class and
 * size, the PersistentVolume bound to it and the zone or nodes its node affinity pins it to (or the zone of the
 * node it was provisioned for), the claims a StatefulSet's replicas use (`<template>-<statefulset>-<ordinal>`),
 * and what became of a node a volume was provisioned for. This is what a `volume node affinity conflict` needs.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { asNumber, asString, iso } from './objects.ts';
import { nodeStatusColumn } from './node.ts';
import type { ClusterSnapshot } from './snapshot.ts';

/** Node labels and PersistentVolume affinity keys that name a zone (the well-known ones and CSI drivers' own). */
const ZONE_KEYS = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.ebs.csi.aws.com/zone']);
const HOSTNAME_KEYS = new Set(['kubernetes.io/hostname']);
const SELECTED_NODE_ANNOTATIONS = ['volume.kubernetes.io/selected-node', 'volume.beta.kubernetes.io/selected-node'];

function isZoneKey(key: string): boolean {
  return ZONE_KEYS.has(key) || /(^|[./])zone$/.test(key);
}

/** The zone label of a node. */
export function nodeZone(node: KubeObject | undefined): string | undefined {
  const labels = node?.metadata.labels ?? {};
  return labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? labels['topology.ebs.csi.aws.com/zone'];
}

export interface VolumePlacement {
  zones: string[];
  nodes: string[];
  /** Where the zones and nodes were read: `PersistentVolume node affinity topology.ebs.csi.aws.com/zone`... */
  source?: string;
  /** Other required terms of the node affinity, as `key operator values`. */
  other: string[];
}

/** The zones and nodes a PersistentVolume's required node affinity (or, for old volumes, its labels) allows. */
export function volumePlacement(pv: KubeObject | undefined): VolumePlacement {
  const out: VolumePlacement = { zones: [], nodes: [], other: [] };
  if (!pv) return out;
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  const keys = new Set<string>();
  if (Array.isArray(terms)) {
    for (const term of terms as Array<{ matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }> }>) {
      for (const e of term?.matchExpressions ?? []) {
        const key = e?.key ?? '';
        const values = Array.isArray(e?.values) ? e.values.filter((v) => typeof v === 'string') : [];
        if (e?.operator === 'In' && isZoneKey(key)) {
          out.zones.push(...values);
          keys.add(key);
        } else if (e?.operator === 'In' && HOSTNAME_KEYS.has(key)) {
          out.nodes.push(...values);
          keys.add(key);
        } else if (key) {
          out.other.push(`${key} ${e?.operator ?? '?'} ${values.join(',')}`.trim());
        }
      }
    }
  }
  if (keys.size) out.source = `PersistentVolume node affinity ${[...keys].join(', ')}`;
  if (!out.zones.length) {
    const zone = nodeZone(pv);
    if (zone) {
      out.zones.push(zone);
      out.source ??= 'PersistentVolume zone label';
    }
  }
  out.zones = [...new Set(out.zones)];
  out.nodes = [...new Set(out.nodes)];
  return out;
}

export interface NodeFate {
  name: string;
  /** The Node object is recorded. */
  exists: boolean;
  status?: string;
  zone?: string;
  /** How we know it is gone: `RemovingNode` or a deletion event. */
  removal?: string;
  text: string;
}

/** What is known of a node by name: its status and zone when recorded, its removal when events say so. */
export function nodeFate(snapshot: ClusterSnapshot, name: string): NodeFate {
  const node = snapshot.get('Node', '', name);
  if (node) {
    const status = nodeStatusColumn(node);
    const zone = nodeZone(node);
    return { name, exists: true, status, ...(zone ? { zone } : {}), text: `node ${name} (${status}${zone ? `, zone ${zone}` : ''})` };
  }
  const events = snapshot.eventsFor(`Node//${name}`);
  const removed = events.find((e) => e.reason === 'RemovingNode' || e.reason === 'DeletingNode' || /\b(removing|deleting|deleted) node\b/i.test(e.message));
  const recorded = snapshot.list('nodes').length > 0;
  if (removed) {
    const removal = `${removed.reason} at ${iso(removed.lastSeen)}`;
    return { name, exists: false, removal, text: `node ${name}, which no longer exists (${removal})` };
  }
  return { name, exists: false, text: recorded ? `node ${name}, which is not among the recorded nodes (replaced or removed)` : `node ${name}` };
}

export interface ClaimView {
  /** The PersistentVolumeClaim's name. */
  name: string;
  /** The volumeClaimTemplate it comes from, for a StatefulSet replica. */
  template?: string;
  /** The StatefulSet replica's ordinal. */
  replica?: number;
  /** The claim is recorded (false: not created yet, or not recorded). */
  exists: boolean;
  phase?: string;
  storage_class?: string;
  requested?: string;
  capacity?: string;
  access_modes?: string[];
  /** The PersistentVolume bound to it. */
  volume?: string;
  zones?: string[];
  nodes?: string[];
  /** Where `zones` / `nodes` come from. */
  placement_source?: string;
  /** The node the volume was provisioned for (`volume.kubernetes.io/selected-node`) and what became of it. */
  selected_node?: string;
  selected_node_state?: string;
  /** The pod using it, with its phase and node. */
  pod?: string;
  pod_phase?: string;
  pod_node?: string;
}

/** Everything known about one claim in a namespace. */
export function claimView(snapshot: ClusterSnapshot, namespace: string, name: string): ClaimView {
  const pvc = snapshot.get('PersistentVolumeClaim', namespace, name);
  const volumeName = asString(pvc?.spec?.volumeName);
  const pv =
    (volumeName ? snapshot.get('PersistentVolume', '', volumeName) : undefined) ??
    snapshot.list('pvs').find((v) => v?.spec?.claimRef?.name === name && (v.spec.claimRef.namespace ?? '') === namespace);
  const placement = volumePlacement(pv);
  const selected = SELECTED_NODE_ANNOTATIONS.map((a) => asString(pvc?.metadata.annotations?.[a])).find(Boolean);
  const fate = selected ? nodeFate(snapshot, selected) : undefined;
  // Without a recorded volume, the zone of the node it was provisioned for is where a zonal volume lives.
  if (!placement.zones.length && !placement.nodes.length && fate?.zone) {
    placement.zones.push(fate.zone);
    placement.source = `zone of node ${selected} it was provisioned for`;
  }
  const user = snapshot
    .list('pods')
    .find((p) => (p.metadata.namespace ?? '') === namespace && Array.isArray(p.spec?.volumes) && (p.spec.volumes as Array<{ persistentVolumeClaim?: { claimName?: string } }>).some((v) => v?.persistentVolumeClaim?.claimName === name));
  const modes = pvc?.spec?.accessModes;
  return {
    name,
    exists: !!pvc,
    ...(asString(pvc?.status?.phase) ? { phase: pvc!.status.phase as string } : {}),
    ...(asString(pvc?.spec?.storageClassName) ? { storage_class: pvc!.spec.storageClassName as string } : {}),
    ...(asString(pvc?.spec?.resources?.requests?.storage) ? { requested: pvc!.spec.resources.requests.storage as string } : {}),
    ...(asString(pvc?.status?.capacity?.storage) ? { capacity: pvc!.status.capacity.storage as string } : {}),
    ...(Array.isArray(modes) && modes.length ? { access_modes: modes.map(String) } : {}),
    ...(volumeName ?? pv?.metadata.name ? { volume: volumeName ?? pv!.metadata.name } : {}),
    ...(placement.zones.length ? { zones: placement.zones } : {}),
    ...(placement.nodes.length ? { nodes: placement.nodes } : {}),
    ...(placement.source ? { placement_source: placement.source } : {}),
    ...(selected ? { selected_node: selected, selected_node_state: fate!.exists ? (fate!.status ?? 'recorded') : fate!.removal ? `removed (${fate!.removal})` : snapshot.list('nodes').length ? 'not among the recorded nodes' : 'unknown (nodes not recorded)' } : {}),
    ...(user ? { pod: user.metadata.name, pod_phase: asString(user.status?.phase) ?? 'Unknown', ...(asString(user.spec?.nodeName) ? { pod_node: user.spec.nodeName as string } : {}) } : {}),
  };
}

/** One claim as a line: `PVC data-db-2: Bound, storage class gp3, 50Gi, volume pvc-1f.. in zone us-east-1c (...)`. */
export function claimText(snapshot: ClusterSnapshot, c: ClaimView): string {
  const facts: string[] = [];
  if (!c.exists) facts.push(snapshot.list('pvcs').length ? 'not found (not created yet, or deleted)' : 'not recorded');
  if (c.phase) facts.push(c.phase);
  if (c.storage_class) facts.push(`storage class ${c.storage_class}`);
  if (c.capacity ?? c.requested) facts.push(c.capacity ?? c.requested!);
  if (c.volume) facts.push(`volume ${c.volume}`);
  const where = [c.zones?.length ? `zone ${c.zones.join(' or ')}` : '', c.nodes?.length ? `node ${c.nodes.join(' or ')}` : ''].filter(Boolean).join(', ');
  if (where) facts.push(`pinned to ${where}${c.placement_source ? ` (${c.placement_source})` : ''}`);
  if (c.selected_node) {
    const fate = nodeFate(snapshot, c.selected_node);
    facts.push(`provisioned for ${fate.text}`);
  }
  if (c.pod) facts.push(`used by pod ${c.pod} (${c.pod_phase}${c.pod_node ? ` on ${c.pod_node}` : ', not scheduled'})`);
  return `PVC ${c.name}${c.template !== undefined ? ` (replica ${c.replica}, template ${c.template})` : ''}: ${facts.join(', ') || 'no details recorded'}`;
}

/**
 * The claims of a StatefulSet: for each volumeClaimTemplate and each replica ordinal, `<template>-<sts>-<n>`,
 * plus claims left behind by replicas scaled away (they are retained by default).
 */
export function statefulSetClaims(snapshot: ClusterSnapshot, sts: KubeObject): ClaimView[] {
  const namespace = sts.metadata.namespace ?? '';
  const name = sts.metadata.name;
  const templates = Array.isArray(sts.spec?.volumeClaimTemplates) ? (sts.spec.volumeClaimTemplates as KubeObject[]).map((t) => asString(t?.metadata?.name)).filter((t): t is string => !!t) : [];
  const replicas = asNumber(sts.spec?.replicas, 1);
  const start = asNumber(sts.spec?.ordinals?.start, 0);
  const out: ClaimView[] = [];
  for (const template of templates) {
    const prefix = `${template}-${name}-`;
    const ordinals = new Set<number>();
    for (let i = start; i < start + replicas && i < start + 500; i++) ordinals.add(i);
    for (const pvc of snapshot.list('pvcs')) {
      if ((pvc.metadata.namespace ?? '') !== namespace || !pvc.metadata.name.startsWith(prefix)) continue;
      const n = Number(pvc.metadata.name.slice(prefix.length));
      if (Number.isInteger(n) && n >= 0 && String(n) === pvc.metadata.name.slice(prefix.length)) ordinals.add(n);
    }
    for (const n of [...ordinals].sort((a, b) => a - b)) out.push({ ...claimView(snapshot, namespace, `${prefix}${n}`), template, replica: n });
  }
  return out;
}

/**
 * Evidence for a pod that cannot be scheduled because of its volumes: each claim it mounts with its zone and
 * the node it was provisioned for, and the recorded nodes by zone (which zones have nodes, which have none).
 */
export function claimEvidence(snapshot: ClusterSnapshot, pod: KubeObject): string[] {
  const namespace = pod.metadata.namespace ?? '';
  const volumes = Array.isArray(pod.spec?.volumes) ? (pod.spec.volumes as Array<{ name?: string; persistentVolumeClaim?: { claimName?: string } }>) : [];
  const claims = volumes.filter((v) => asString(v?.persistentVolumeClaim?.claimName)).map((v) => ({ volume: v.name ?? '', claim: claimView(snapshot, namespace, v.persistentVolumeClaim!.claimName!) }));
  if (!claims.length) return [];
  const out = claims.map(({ volume, claim }) => `${claimText(snapshot, claim)}${volume ? `; mounted as volume ${volume}` : ''}`);
  const nodes = snapshot.list('nodes').filter((n) => n?.metadata?.name);
  const zones = [...new Set(claims.flatMap((c) => c.claim.zones ?? []))];
  if (nodes.length) {
    const byZone = new Map<string, string[]>();
    for (const n of nodes) {
      const zone = nodeZone(n) ?? '(no zone label)';
      const list = byZone.get(zone) ?? [];
      list.push(`${n.metadata.name}${nodeStatusColumn(n) !== 'Ready' ? ` ${nodeStatusColumn(n)}` : ''}`);
      byZone.set(zone, list);
    }
    const parts = [...byZone.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([zone, list]) => `${zone}: ${list.length} (${list.slice(0, 4).join(', ')}${list.length > 4 ? ', ...' : ''})`);
    const missing = zones.filter((z) => !byZone.has(z));
    out.push(`recorded nodes by zone: ${parts.join('; ')}${missing.length ? `; none in ${missing.join(', ')}, where the volume is` : ''}`);
  } else if (zones.length) {
    out.push(`the volume can only be attached in zone ${zones.join(' or ')}; nodes were not recorded, so which nodes are there is unknown`);
  }
  return out;
}
