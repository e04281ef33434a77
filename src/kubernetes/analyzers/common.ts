/** Helpers the per-kind analyzers share: building problems, reading events in the window, evidence lines. */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { type KubeEvent, isWarning } from '../events.ts';
import { epochOf, isClusterScopedKind, iso, refOf } from '../objects.ts';
import type { AnalyzerContext, Problem, Severity } from './types.ts';

export function makeProblem(
  ctx: AnalyzerContext,
  kind: string,
  obj: KubeObject,
  fields: Pick<Problem, 'reason' | 'message' | 'severity'> & Partial<Pick<Problem, 'count' | 'evidence' | 'container'>> & { since?: number },
): Problem {
  const resource = refOf(kind, obj);
  const workload = ctx.snapshot.workloadOf(kind, obj);
  const chain = ctx.snapshot.ownerChain(kind, obj);
  return {
    kind,
    namespace: isClusterScopedKind(kind) ? '' : (obj.metadata.namespace ?? ''),
    name: obj.metadata.name,
    resource,
    workload,
    // A custom resource above the workload (an operator's) is worth knowing: it is what reconciles the workload.
    ...(chain[chain.length - 1] !== workload && chain.includes(workload) ? { owner_chain: chain } : {}),
    reason: fields.reason,
    message: fields.message,
    severity: fields.severity,
    since: fields.since ?? epochOf(obj.metadata.creationTimestamp) ?? ctx.now,
    count: Math.max(1, fields.count ?? 1),
    evidence: fields.evidence ?? [],
    ...(fields.container ? { container: fields.container } : {}),
  };
}

/** Events about the object observed within the analysis window, newest first. */
export function recentEvents(ctx: AnalyzerContext, kind: string, obj: KubeObject): KubeEvent[] {
  return ctx.snapshot.eventsFor(refOf(kind, obj)).filter((e) => e.lastSeen >= ctx.since && e.firstSeen <= ctx.now);
}

/** The earliest defined time, or undefined. */
export function earliest(...values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return defined.length ? Math.min(...defined) : undefined;
}

export function eventEvidence(e: KubeEvent): string {
  const times = e.count > 1 || e.firstSeen !== e.lastSeen ? `x${e.count}, ${iso(e.firstSeen)} to ${iso(e.lastSeen)}` : iso(e.lastSeen);
  return `event ${e.type} ${e.reason} (${times}): ${e.message}`;
}

export function sumCounts(events: readonly KubeEvent[]): number {
  return events.reduce((n, e) => n + e.count, 0);
}

/**
 * A stable problem code for a Warning event, so that events and object state name the same problem alike:
 * "Back-off restarting failed container" is CrashLoopBackOff, "Failed to pull image" is ImagePullBackOff.
 */
export function eventCode(e: KubeEvent): string {
  const m = e.message;
  switch (e.reason) {
    case 'BackOff':
      return /pull/i.test(m) ? 'ImagePullBackOff' : 'CrashLoopBackOff';
    case 'Failed':
      if (/pull|ErrImage|ImagePullBackOff|InvalidImageName|manifest unknown/i.test(m)) return 'ImagePullBackOff';
      if (/CreateContainerConfigError|couldn't find key|configmap|secret|not found/i.test(m)) return 'CreateContainerConfigError';
      return 'ContainerFailed';
    case 'FailedScheduling':
      return 'Unschedulable';
    case 'Unhealthy':
      return 'ProbeFailure';
    case 'OOMKilling':
      return 'OOMKilled';
    default:
      return e.reason || 'WarningEvent';
  }
}

/**
 * Problems from Warning events that no state-based problem explains yet, one per code: all occurrences in the
 * window count, not only the latest event.
 */
export function warningEventProblems(
  ctx: AnalyzerContext,
  kind: string,
  obj: KubeObject,
  covered: ReadonlySet<string>,
  severityOf: (code: string) => Severity,
  skip: ReadonlySet<string> = new Set(),
): Problem[] {
  const groups = new Map<string, KubeEvent[]>();
  for (const e of recentEvents(ctx, kind, obj)) {
    if (!isWarning(e)) continue;
    const code = eventCode(e);
    if (covered.has(code) || skip.has(code)) continue;
    let list = groups.get(code);
    if (!list) groups.set(code, (list = []));
    list.push(e);
  }
  return [...groups.entries()].map(([code, events]) =>
    makeProblem(ctx, kind, obj, {
      reason: code,
      message: events[0]!.message || events[0]!.reason,
      severity: severityOf(code),
      since: Math.min(...events.map((e) => e.firstSeen)),
      count: sumCounts(events),
      evidence: events.slice(0, 5).map(eventEvidence),
    }),
  );
}

/** Controllers failing to create pods block the workload; other workload warnings are warnings. */
export function createFailureSeverity(code: string): Severity {
  return /^Failed(Create|DaemonPod)$/.test(code) ? 'critical' : 'warning';
}
