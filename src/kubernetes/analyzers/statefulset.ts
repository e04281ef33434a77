/** StatefulSet analyzer: replicas not ready, a rolling update in progress, a missing governing Service, FailedCreate. */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { asNumber, asString, conditionOf, epochOf, refOf } from '../objects.ts';
import { createFailureSeverity, earliest, makeProblem, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

export function analyzeStatefulSet(ctx: AnalyzerContext, sts: KubeObject): Problem[] {
  const out: Problem[] = [];
  const desired = asNumber(sts.spec?.replicas, 1);
  const ready = asNumber(sts.status?.readyReplicas);
  const available = asNumber(sts.status?.availableReplicas, ready);
  const counts = `desired ${desired}, current ${asNumber(sts.status?.currentReplicas)}, updated ${asNumber(sts.status?.updatedReplicas)}, ready ${ready}, available ${available}`;
  if (desired > 0 && ready < desired) {
    out.push(
      makeProblem(ctx, 'StatefulSet', sts, {
        reason: 'ReplicasUnavailable',
        message: `${desired - ready} of ${desired} replicas not ready.`,
        severity: ready === 0 ? 'critical' : 'warning',
        count: desired - ready,
        since: earliest(...ctx.snapshot.podsOf(refOf('StatefulSet', sts)).map((p) => epochOf(conditionOf(p, 'Ready')?.status === 'False' ? conditionOf(p, 'Ready')?.lastTransitionTime : undefined))) ?? ctx.now,
        evidence: [counts],
      }),
    );
  }
  const current = asString(sts.status?.currentRevision);
  const update = asString(sts.status?.updateRevision);
  if (current && update && current !== update && asNumber(sts.status?.updatedReplicas) < desired) {
    out.push(
      makeProblem(ctx, 'StatefulSet', sts, {
        reason: 'RolloutInProgress',
        message: `rolling from revision ${current} to ${update}: ${asNumber(sts.status?.updatedReplicas)} of ${desired} replicas updated.`,
        severity: 'info',
        evidence: [counts],
      }),
    );
  }
  const serviceName = asString(sts.spec?.serviceName);
  if (serviceName && ctx.snapshot.list('services').length && !ctx.snapshot.get('Service', sts.metadata.namespace ?? '', serviceName)) {
    out.push(
      makeProblem(ctx, 'StatefulSet', sts, {
        reason: 'MissingGoverningService',
        message: `StatefulSet uses governing Service ${serviceName}, which does not exist.`,
        severity: 'warning',
      }),
    );
  }
  out.push(...warningEventProblems(ctx, 'StatefulSet', sts, new Set(), createFailureSeverity));
  return out;
}
