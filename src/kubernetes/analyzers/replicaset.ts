/**
 * ReplicaSet analyzer: ReplicaFailure (FailedCreate: quota, admission, security policy) and FailedCreate events;
 * replica shortfalls only for standalone ReplicaSets, since a Deployment's are judged through the Deployment.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { asNumber, asString, conditionOf, epochOf, refOf } from '../objects.ts';
import { createFailureSeverity, makeProblem, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

export function analyzeReplicaSet(ctx: AnalyzerContext, rs: KubeObject): Problem[] {
  const desired = asNumber(rs.spec?.replicas, 1);
  const out: Problem[] = [];
  const covered = new Set<string>();
  const failure = conditionOf(rs, 'ReplicaFailure');
  if (failure?.status === 'True') {
    out.push(
      makeProblem(ctx, 'ReplicaSet', rs, {
        reason: 'ReplicaFailure',
        message: asString(failure.message) ?? asString(failure.reason) ?? 'the ReplicaSet cannot create pods',
        severity: 'critical',
        since: epochOf(failure.lastTransitionTime) ?? ctx.now,
        count: Math.max(1, desired - asNumber(rs.status?.replicas)),
        evidence: [`desired ${desired}, current ${asNumber(rs.status?.replicas)}, ready ${asNumber(rs.status?.readyReplicas)}`, ...(failure.reason ? [`condition ReplicaFailure reason ${failure.reason}`] : [])],
      }),
    );
    covered.add('FailedCreate');
  }
  // A ReplicaSet a Deployment manages is judged through its Deployment; only standalone ones here.
  const standalone = ctx.snapshot.workloadOf('ReplicaSet', rs) === refOf('ReplicaSet', rs);
  const ready = asNumber(rs.status?.readyReplicas);
  if (standalone && desired > 0 && ready < desired) {
    out.push(
      makeProblem(ctx, 'ReplicaSet', rs, {
        reason: 'ReplicasUnavailable',
        message: `${desired - ready} of ${desired} replicas not ready.`,
        severity: ready === 0 ? 'critical' : 'warning',
        count: desired - ready,
      }),
    );
  }
  if (desired > 0 || out.length) out.push(...warningEventProblems(ctx, 'ReplicaSet', rs, covered, createFailureSeverity));
  return out;
}
