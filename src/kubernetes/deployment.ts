/**
 * Deployment health (desired / updated / ready / available, Progressing and ReplicaFailure conditions, paused)
 * and rollout history from its ReplicaSets: revision annotations, pod-template-hash, images, when each revision
 * rolled out, replicas per revision and which one is current.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import type { KubeEvent } from './events.ts';
import { asNumber, asString, conditionOf, conditionsOf, createdAt, epochOf, imagesOf, iso, refOf } from './objects.ts';
import { type ConditionView, conditionView, podStatusColumns } from './pod-status.ts';
import type { ClusterSnapshot } from './snapshot.ts';
import { type TemplateLike, diffPodTemplates } from './template-diff.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export type DeploymentState = 'Healthy' | 'Progressing' | 'Degraded' | 'Failed' | 'Paused';

export interface DeploymentHealth {
  state: DeploymentState;
  desired: number;
  current: number;
  updated: number;
  ready: number;
  available: number;
  unavailable: number;
  paused: boolean;
  rolloutComplete: boolean;
  /** One line saying why the state is what it is. */
  summary: string;
}

/** Health of a Deployment (or any object with the same replica fields: StatefulSet status is read likewise). */
export function deploymentHealth(dep: KubeObject): DeploymentHealth {
  const desired = asNumber(dep.spec?.replicas, 1);
  const current = asNumber(dep.status?.replicas);
  const updated = asNumber(dep.status?.updatedReplicas);
  const ready = asNumber(dep.status?.readyReplicas);
  const available = asNumber(dep.status?.availableReplicas);
  const unavailable = asNumber(dep.status?.unavailableReplicas, Math.max(0, desired - available));
  const paused = dep.spec?.paused === true;
  const generation = asNumber(dep.metadata.generation as number | undefined);
  const observed = asNumber(dep.status?.observedGeneration, generation);
  const progressing = conditionOf(dep, 'Progressing');
  const failure = conditionOf(dep, 'ReplicaFailure');
  const rolloutComplete = observed >= generation && updated === desired && current === desired && available === desired;
  const counts = `${available}/${desired} available, ${updated}/${desired} updated, ${ready} ready`;
  let state: DeploymentState;
  let summary: string;
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    state = 'Failed';
    summary = `rollout stalled: ${progressing.message ?? 'ProgressDeadlineExceeded'} (${counts})`;
  } else if (failure?.status === 'True') {
    state = 'Failed';
    summary = `cannot create pods: ${failure.message ?? failure.reason ?? 'ReplicaFailure'} (${counts})`;
  } else if (desired > 0 && available === 0) {
    state = 'Failed';
    summary = `no replica available (${counts})`;
  } else if (paused) {
    state = 'Paused';
    summary = `rollout paused (${counts})`;
  } else if (!rolloutComplete && (observed < generation || updated < desired || current > updated)) {
    state = 'Progressing';
    summary = `rollout in progress (${counts})`;
  } else if (available < desired) {
    state = 'Degraded';
    summary = `${desired - available} of ${desired} replicas unavailable (${counts})`;
  } else {
    state = 'Healthy';
    summary = desired === 0 ? 'scaled to zero' : `all ${desired} replicas available`;
  }
  return { state, desired, current, updated, ready, available, unavailable, paused, rolloutComplete, summary };
}

export interface RolloutRevision {
  revision: number;
  replicaset: string;
  pod_template_hash?: string;
  images: string[];
  created_at?: string;
  /** When this revision became the rolled-out one: its creation, or its last scale-up when a rollback reused it. */
  rolled_out_at?: string;
  replicas: number;
  ready_replicas: number;
  available_replicas: number;
  change_cause?: string;
  current: boolean;
  /** `replicaset` when read from a recorded ReplicaSet; `pods` when reconstructed from pods' pod-template-hash. */
  source: 'replicaset' | 'pods';
  /** The revision `changes` compares this one with: the next older one in the history. */
  compared_with_revision?: number;
  /**
   * What this revision's pod template changed compared with that one, one line per change
   * (`container api image: app:1.4.2 -> app:1.5.0`, `container api env TIMEOUT: 800ms -> 80ms`).
   */
  changes?: string[];
  /** The only change is `kubectl.kubernetes.io/restartedAt`: the revision is a restart (`kubectl rollout restart`). */
  restart?: boolean;
}

function revisionOf(obj: KubeObject): number {
  const n = Number(obj.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isFinite(n) ? n : 0;
}

/** First time a Deployment event said it scaled this ReplicaSet up ("Scaled up replica set x-7f9c to 3"). */
function firstScaleUp(events: readonly KubeEvent[], rsName: string): number | undefined {
  let first: number | undefined;
  const re = new RegExp(`scaled up replica set ${rsName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
  for (const e of events) {
    if (e.reason === 'ScalingReplicaSet' && re.test(e.message)) first = Math.min(first ?? Infinity, e.firstSeen);
  }
  return first;
}

/** Rollout history, newest revision first. */
export function rolloutHistory(snapshot: ClusterSnapshot, dep: KubeObject): RolloutRevision[] {
  const depRevision = revisionOf(dep);
  const events = snapshot.eventsFor(refOf('Deployment', dep));
  const replicaSets = snapshot.replicaSetsOf(dep);
  const templates = new Map<RolloutRevision, TemplateLike>();
  let revisions: RolloutRevision[];
  let fromPods = false;
  if (replicaSets.length) {
    revisions = replicaSets.map((rs) => {
      const created = createdAt(rs);
      // A rollback re-uses an old ReplicaSet; its creation time then says nothing about the rollout.
      const reused = !!rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION];
      const scaledUp = reused ? firstScaleUp(events, rs.metadata.name) : undefined;
      const rolledOut = scaledUp !== undefined && (created === undefined || scaledUp > created) ? scaledUp : created;
      const cause = asString(rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]);
      const hash = rs.metadata.labels?.['pod-template-hash'];
      const revision: RolloutRevision = {
        revision: revisionOf(rs),
        replicaset: rs.metadata.name,
        ...(hash ? { pod_template_hash: hash } : {}),
        images: imagesOf(rs.spec?.template?.spec),
        ...(created !== undefined ? { created_at: iso(created) } : {}),
        ...(rolledOut !== undefined ? { rolled_out_at: iso(rolledOut) } : {}),
        replicas: asNumber(rs.status?.replicas),
        ready_replicas: asNumber(rs.status?.readyReplicas),
        available_replicas: asNumber(rs.status?.availableReplicas),
        ...(cause ? { change_cause: cause } : {}),
        current: false,
        source: 'replicaset' as const,
      };
      if (rs.spec?.template) templates.set(revision, rs.spec.template as TemplateLike);
      return revision;
    });
  } else {
    revisions = revisionsFromPods(snapshot, dep, templates);
    fromPods = true;
  }
  revisions.sort((a, b) => b.revision - a.revision || (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  const current = revisions.find((r) => depRevision > 0 && r.revision === depRevision) ?? revisions[0];
  if (current) current.current = true;
  // Each revision against the next older one: what its rollout changed.
  for (let i = 0; i + 1 < revisions.length; i++) {
    const after = templates.get(revisions[i]!);
    const before = templates.get(revisions[i + 1]!);
    if (!after || !before) continue;
    const diff = diffPodTemplates(before, after, { fromPods });
    revisions[i]!.compared_with_revision = revisions[i + 1]!.revision;
    revisions[i]!.changes = diff.changes.length ? diff.changes : ['no difference in the pod template apart from its pod-template-hash'];
    if (diff.restart) revisions[i]!.restart = true;
  }
  return revisions;
}

/** What the current revision changed compared with the one before it; undefined when that is not known. */
export function currentChanges(history: readonly RolloutRevision[]): { revision: number; previous: number; changes: string[]; restart: boolean } | undefined {
  const current = history.find((r) => r.current);
  if (!current?.changes || current.compared_with_revision === undefined) return undefined;
  return { revision: current.revision, previous: current.compared_with_revision, changes: current.changes, restart: current.restart === true };
}

/** Without recorded ReplicaSets: one revision per pod-template-hash among the Deployment's pods. */
function revisionsFromPods(snapshot: ClusterSnapshot, dep: KubeObject, templates: Map<RolloutRevision, TemplateLike>): RolloutRevision[] {
  const groups = new Map<string, KubeObject[]>();
  for (const pod of snapshot.podsOf(refOf('Deployment', dep))) {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (!hash) continue;
    let list = groups.get(hash);
    if (!list) groups.set(hash, (list = []));
    list.push(pod);
  }
  const depImages = imagesOf(dep.spec?.template?.spec).join(',');
  const entries = [...groups.entries()].map(([hash, pods]) => {
    const first = Math.min(...pods.map((p) => createdAt(p) ?? Infinity));
    const images = imagesOf(pods[0]!.spec);
    const ready = pods.filter((p) => {
      const cols = podStatusColumns(p);
      return cols.readyContainers === cols.totalContainers && cols.totalContainers > 0;
    }).length;
    return { hash, pods, first, images, ready, matchesTemplate: images.join(',') === depImages };
  });
  // Oldest first gets the lowest number; the one matching the Deployment's template is the current revision.
  entries.sort((a, b) => Number(b.matchesTemplate) - Number(a.matchesTemplate) || b.first - a.first);
  const depRevision = revisionOf(dep);
  return entries.map((e, i) => {
    const revision: RolloutRevision = {
      revision: depRevision > 0 ? depRevision - i : entries.length - i,
      replicaset: `${dep.metadata.name}-${e.hash}`,
      pod_template_hash: e.hash,
      images: e.images,
      ...(Number.isFinite(e.first) ? { created_at: iso(e.first), rolled_out_at: iso(e.first) } : {}),
      replicas: e.pods.length,
      ready_replicas: e.ready,
      available_replicas: e.ready,
      current: false,
      source: 'pods' as const,
    };
    templates.set(revision, { metadata: e.pods[0]!.metadata, spec: e.pods[0]!.spec });
    return revision;
  });
}

export interface DeploymentView {
  name: string;
  namespace: string;
  status: DeploymentState;
  summary: string;
  replicas: number;
  current_replicas: number;
  updated_replicas: number;
  ready_replicas: number;
  available_replicas: number;
  unavailable_replicas: number;
  paused: boolean;
  rollout_complete: boolean;
  strategy?: string;
  images: string[];
  selector?: string;
  created_at?: string;
  current_revision?: number;
  current_replicaset?: string;
  last_rollout_at?: string;
  conditions: ConditionView[];
  pods: { total: number; ready: number; statuses: Array<{ status: string; count: number }> };
}

export function deploymentView(snapshot: ClusterSnapshot, dep: KubeObject): DeploymentView {
  const h = deploymentHealth(dep);
  const history = rolloutHistory(snapshot, dep);
  const current = history.find((r) => r.current);
  const pods = snapshot.podsOf(refOf('Deployment', dep));
  const statusCounts = new Map<string, number>();
  let ready = 0;
  for (const pod of pods) {
    const cols = podStatusColumns(pod);
    statusCounts.set(cols.status, (statusCounts.get(cols.status) ?? 0) + 1);
    if (cols.status === 'Running' && cols.readyContainers === cols.totalContainers) ready++;
  }
  const matchLabels = dep.spec?.selector?.matchLabels as Record<string, string> | undefined;
  const selector = matchLabels ? Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
  const created = epochOf(dep.metadata.creationTimestamp);
  return {
    name: dep.metadata.name,
    namespace: dep.metadata.namespace ?? '',
    status: h.state,
    summary: h.summary,
    replicas: h.desired,
    current_replicas: h.current,
    updated_replicas: h.updated,
    ready_replicas: h.ready,
    available_replicas: h.available,
    unavailable_replicas: h.unavailable,
    paused: h.paused,
    rollout_complete: h.rolloutComplete,
    ...(asString(dep.spec?.strategy?.type) ? { strategy: dep.spec.strategy.type } : {}),
    images: imagesOf(dep.spec?.template?.spec),
    ...(selector ? { selector } : {}),
    ...(created !== undefined ? { created_at: iso(created) } : {}),
    ...(current ? { current_revision: current.revision, current_replicaset: current.replicaset } : {}),
    ...(current?.rolled_out_at ? { last_rollout_at: current.rolled_out_at } : {}),
    conditions: conditionsOf(dep).map(conditionView),
    pods: {
      total: pods.length,
      ready,
      statuses: [...statusCounts.entries()].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
    },
  };
}
