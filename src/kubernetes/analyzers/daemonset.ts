/** DaemonSet analyzer: daemon pods unavailable or misscheduled, FailedCreate / FailedDaemonPod events. */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { asNumber } from '../objects.ts';
import { createFailureSeverity, makeProblem, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

export function analyzeDaemonSet(ctx: AnalyzerContext, ds: KubeObject): Problem[] {
  const out: Problem[] = [];
  const desired = asNumber(ds.status?.desiredNumberScheduled);
  const ready = asNumber(ds.status?.numberReady);
  const unavailable = asNumber(ds.status?.numberUnavailable, Math.max(0, desired - asNumber(ds.status?.numberAvailable, ready)));
  const counts = `desired ${desired}, current ${asNumber(ds.status?.currentNumberScheduled)}, ready ${ready}, available ${asNumber(ds.status?.numberAvailable)}, misscheduled ${asNumber(ds.status?.numberMisscheduled)}`;
  if (desired > 0 && (unavailable > 0 || ready < desired)) {
    out.push(
      makeProblem(ctx, 'DaemonSet', ds, {
        reason: 'ReplicasUnavailable',
        message: `${Math.max(unavailable, desired - ready)} of ${desired} daemon pods unavailable.`,
        severity: ready === 0 ? 'critical' : 'warning',
        count: Math.max(unavailable, desired - ready),
        evidence: [counts],
      }),
    );
  }
  if (asNumber(ds.status?.numberMisscheduled) > 0) {
    out.push(
      makeProblem(ctx, 'DaemonSet', ds, {
        reason: 'Misscheduled',
        message: `${asNumber(ds.status?.numberMisscheduled)} daemon pods run on nodes where they should not.`,
        severity: 'warning',
        count: asNumber(ds.status?.numberMisscheduled),
        evidence: [counts],
      }),
    );
  }
  out.push(...warningEventProblems(ctx, 'DaemonSet', ds, new Set(), createFailureSeverity));
  return out;
}
