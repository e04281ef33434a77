/** Job analyzer: failed Jobs (BackoffLimitExceeded, DeadlineExceeded) inside the window, failing pods of running Jobs. */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { asNumber, asString, conditionOf, epochOf } from '../objects.ts';
import { makeProblem, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem } from './types.ts';

export function analyzeJob(ctx: AnalyzerContext, job: KubeObject): Problem[] {
  const out: Problem[] = [];
  const failed = conditionOf(job, 'Failed');
  const complete = conditionOf(job, 'Complete');
  const failures = asNumber(job.status?.failed);
  const covered = new Set<string>();
  if (failed?.status === 'True') {
    const at = epochOf(failed.lastTransitionTime) ?? ctx.now;
    out.push(
      makeProblem(ctx, 'Job', job, {
        reason: 'JobFailed',
        message: asString(failed.message) ?? asString(failed.reason) ?? 'the Job failed',
        // A Job that failed long before the window is history, not the incident.
        severity: at >= ctx.since ? 'critical' : 'info',
        since: at,
        count: Math.max(1, failures),
        evidence: [
          ...(failed.reason ? [`condition Failed reason ${failed.reason}`] : []),
          `failed pods ${failures}, succeeded ${asNumber(job.status?.succeeded)}, backoffLimit ${asNumber(job.spec?.backoffLimit, 6)}`,
        ],
      }),
    );
    covered.add('BackoffLimitExceeded');
    covered.add('DeadlineExceeded');
  } else if (complete?.status !== 'True' && failures > 0) {
    out.push(
      makeProblem(ctx, 'Job', job, {
        reason: 'JobPodFailures',
        message: `${failures} pod${failures === 1 ? '' : 's'} of the Job failed; ${asNumber(job.status?.active)} active, backoffLimit ${asNumber(job.spec?.backoffLimit, 6)}.`,
        severity: 'warning',
        count: failures,
      }),
    );
  }
  out.push(...warningEventProblems(ctx, 'Job', job, covered, () => 'warning'));
  return out;
}
