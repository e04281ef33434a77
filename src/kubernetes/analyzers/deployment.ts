/**
 * Deployment analyzer: stalled rollouts (Progressing=False, ProgressDeadlineExceeded), ReplicaFailure, unavailable
 * replicas, paused rollouts, and a rollout inside the window (the scan correlates it with what followed).
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { currentChanges, deploymentHealth, rolloutHistory } from '../deployment.ts';
import { asNumber, asString, conditionOf, epochOf, refOf } from '../objects.ts';
import { createFailureSeverity, earliest, eventEvidence, makeProblem, recentEvents, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem, Severity } from './types.ts';

export function analyzeDeployment(ctx: AnalyzerContext, dep: KubeObject): Problem[] {
  const out: Problem[] = [];
  const h = deploymentHealth(dep);
  const progressing = conditionOf(dep, 'Progressing');
  const failure = conditionOf(dep, 'ReplicaFailure');
  const available = conditionOf(dep, 'Available');
  const counts = `desired ${h.desired}, updated ${h.updated}, ready ${h.ready}, available ${h.available}, unavailable ${h.unavailable}`;
  const covered = new Set<string>();
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    out.push(
      makeProblem(ctx, 'Deployment', dep, {
        reason: 'ProgressDeadlineExceeded',
        message: asString(progressing.message) ?? 'the rollout exceeded its progress deadline',
        severity: 'critical',
        since: epochOf(progressing.lastTransitionTime) ?? epochOf(progressing.lastUpdateTime) ?? ctx.now,
        count: Math.max(1, h.unavailable),
        evidence: [counts, `progressDeadlineSeconds ${asNumber(dep.spec?.progressDeadlineSeconds, 600)}`],
      }),
    );
  }
  if (failure?.status === 'True') {
    out.push(
      makeProblem(ctx, 'Deployment', dep, {
        reason: 'ReplicaFailure',
        message: asString(failure.message) ?? asString(failure.reason) ?? 'the controller cannot create pods',
        severity: 'critical',
        since: epochOf(failure.lastTransitionTime) ?? ctx.now,
        count: Math.max(1, h.desired - h.current),
        evidence: [counts, ...(failure.reason ? [`condition ReplicaFailure reason ${failure.reason}`] : [])],
      }),
    );
    covered.add('FailedCreate');
  }
  if (h.desired > 0 && h.available < h.desired) {
    const rolling = h.state === 'Progressing' && h.available >= Math.ceil(h.desired * 0.75);
    const severity: Severity = h.available === 0 ? 'critical' : rolling ? 'info' : 'warning';
    out.push(
      makeProblem(ctx, 'Deployment', dep, {
        reason: rolling ? 'RolloutInProgress' : 'ReplicasUnavailable',
        message:
          available?.status === 'False' && available.message
            ? `${available.message} ${h.available} of ${h.desired} replicas available.`
            : `${h.desired - h.available} of ${h.desired} replicas unavailable.`,
        severity,
        since: earliest(available?.status === 'False' ? epochOf(available.lastTransitionTime) : undefined, ...notReadySince(ctx, dep)) ?? ctx.now,
        count: h.desired - h.available,
        evidence: [counts, ...(available ? [`condition Available=${available.status}${available.reason ? ` reason ${available.reason}` : ''}`] : [])],
      }),
    );
  }
  if (h.paused) {
    out.push(makeProblem(ctx, 'Deployment', dep, { reason: 'RolloutPaused', message: 'the Deployment is paused: rollouts do not proceed', severity: 'info', evidence: [counts] }));
  }
  // A rollout inside the window; the scan correlates it with the problems that followed.
  const history = rolloutHistory(ctx.snapshot, dep);
  const current = history.find((r) => r.current);
  const rolledOut = epochOf(current?.rolled_out_at);
  if (current && rolledOut !== undefined && rolledOut >= ctx.since && rolledOut <= ctx.now && history.length > 1) {
    const previous = history.find((r) => r.revision < current.revision) ?? history.find((r) => !r.current);
    const changed = currentChanges(history);
    out.push(
      makeProblem(ctx, 'Deployment', dep, {
        reason: 'RecentRollout',
        message: `revision ${current.revision} (${current.images.join(', ')}) rolled out at ${current.rolled_out_at}${previous ? `, replacing revision ${previous.revision} (${previous.images.join(', ')})` : ''}${changed ? `; ${changeSummary(changed)}` : ''}`,
        severity: 'info',
        since: rolledOut,
        evidence: [
          ...(changed ? [`changes from revision ${changed.previous}: ${changed.changes.join('; ')}`] : []),
          `replicaset ${current.replicaset}: ${current.ready_replicas}/${current.replicas} ready`,
          ...(current.change_cause ? [`change-cause: ${current.change_cause}`] : []),
          ...(previous ? [`previous replicaset ${previous.replicaset}: ${previous.ready_replicas}/${previous.replicas} ready`] : []),
          ...recentEvents(ctx, 'Deployment', dep).filter((e) => e.reason === 'ScalingReplicaSet').slice(0, 3).map(eventEvidence),
        ],
      }),
    );
  }
  out.push(...warningEventProblems(ctx, 'Deployment', dep, covered, createFailureSeverity));
  return out;
}

/** The changes of a rollout in a few words: a restart says so; otherwise the first changes and how many more. */
function changeSummary(changed: NonNullable<ReturnType<typeof currentChanges>>): string {
  if (changed.restart) return changed.changes[0]!;
  const shown = changed.changes.slice(0, 4);
  const more = changed.changes.length - shown.length;
  return `changed: ${shown.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** When each not-ready pod of the Deployment stopped being ready. */
function notReadySince(ctx: AnalyzerContext, dep: KubeObject): Array<number | undefined> {
  return ctx.snapshot.podsOf(refOf('Deployment', dep)).map((p) => {
    const ready = conditionOf(p, 'Ready');
    return ready && ready.status !== 'True' ? (epochOf(ready.lastTransitionTime) ?? epochOf(p.metadata.creationTimestamp)) : undefined;
  });
}
