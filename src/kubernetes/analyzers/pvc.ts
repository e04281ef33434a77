/**
 * PersistentVolumeClaim analyzer: provisioning failures (ProvisioningFailed events), claims Pending too long
 * while a pod waits for them, and Lost claims whose volume is gone.
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { asString, epochOf } from '../objects.ts';
import { eventEvidence, makeProblem, recentEvents, sumCounts, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

/** Dynamic provisioning takes seconds to a minute or two; Pending beyond this is a problem. */
const PENDING_GRACE_MS = 5 * 60_000;

export function analyzePvc(ctx: AnalyzerContext, pvc: KubeObject): Problem[] {
  const out: Problem[] = [];
  const phase = asString(pvc.status?.phase);
  const events = recentEvents(ctx, 'PersistentVolumeClaim', pvc);
  const covered = new Set<string>();
  const namespace = pvc.metadata.namespace ?? '';
  const users = ctx.snapshot
    .list('pods')
    .filter(
      (p) =>
        (p.metadata.namespace ?? '') === namespace &&
        Array.isArray(p.spec?.volumes) &&
        (p.spec.volumes as Array<{ persistentVolumeClaim?: { claimName?: string } }>).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name),
    );
  const userLine = users.length ? [`used by ${users.slice(0, 5).map((p) => `Pod/${namespace}/${p.metadata.name} (${p.status?.phase ?? 'Unknown'})`).join(', ')}`] : [];
  const storage = [`storageClass ${asString(pvc.spec?.storageClassName) ?? '(default)'}, requested ${asString(pvc.spec?.resources?.requests?.storage) ?? '?'}`];
  if (phase === 'Pending') {
    const failed = events.filter((e) => e.reason === 'ProvisioningFailed');
    const created = epochOf(pvc.metadata.creationTimestamp) ?? ctx.now;
    if (failed.length) {
      out.push(
        makeProblem(ctx, 'PersistentVolumeClaim', pvc, {
          reason: 'ProvisioningFailed',
          message: failed[0]!.message,
          severity: 'critical',
          since: Math.min(...failed.map((e) => e.firstSeen)),
          count: sumCounts(failed),
          evidence: [...storage, ...userLine, ...failed.slice(0, 3).map(eventEvidence)],
        }),
      );
      covered.add('ProvisioningFailed');
    } else if (ctx.now - created > PENDING_GRACE_MS && (users.length || !events.some((e) => e.reason === 'WaitForFirstConsumer'))) {
      const latest = events[0];
      out.push(
        makeProblem(ctx, 'PersistentVolumeClaim', pvc, {
          reason: 'PVCPending',
          message: latest?.message ?? 'the claim is Pending: no PersistentVolume is bound to it',
          severity: users.some((p) => p.status?.phase === 'Pending') ? 'critical' : 'warning',
          since: created,
          evidence: [...storage, ...userLine, ...events.slice(0, 3).map(eventEvidence)],
        }),
      );
    }
  } else if (phase === 'Lost') {
    out.push(
      makeProblem(ctx, 'PersistentVolumeClaim', pvc, {
        reason: 'PVCLost',
        message: `the claim lost its PersistentVolume ${asString(pvc.spec?.volumeName) ?? ''}`.trim(),
        severity: 'critical',
        evidence: [...storage, ...userLine],
      }),
    );
  }
  out.push(...warningEventProblems(ctx, 'PersistentVolumeClaim', pvc, covered, () => 'warning'));
  return out;
}
