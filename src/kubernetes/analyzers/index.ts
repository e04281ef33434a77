/**
 * The cluster problem scan: every per-kind analyzer over a snapshot, recent rollouts correlated with the
 * problems that followed them, pod problems rolled up to their owning workload, filtered and ranked.
 */
import type { KubeKind } from '../../providers/kubernetes/port.ts';
import { iso } from '../objects.ts';
import type { ClusterSnapshot } from '../snapshot.ts';
import { analyzeAbsentObjects } from './absent.ts';
import { analyzeDaemonSet } from './daemonset.ts';
import { analyzeDeployment } from './deployment.ts';
import { analyzeHpa } from './hpa.ts';
import { analyzeIngress } from './ingress.ts';
import { analyzeJob } from './job.ts';
import { analyzeNode } from './node.ts';
import { analyzePod } from './pod.ts';
import { analyzePvc } from './pvc.ts';
import { analyzeReplicaSet } from './replicaset.ts';
import { analyzeService } from './service.ts';
import { analyzeStatefulSet } from './statefulset.ts';
import { type AnalyzerContext, type ObjectAnalyzer, type Problem, SEVERITY_RANK, type Severity } from './types.ts';

export { SEVERITIES, SEVERITY_RANK, type Problem, type Severity } from './types.ts';

/** The analyzers, keyed by the API kind they judge, with the list each reads. */
export const ANALYZERS: ReadonlyArray<{ kind: string; list: KubeKind; analyze: ObjectAnalyzer }> = [
  { kind: 'Pod', list: 'pods', analyze: analyzePod },
  { kind: 'Deployment', list: 'deployments', analyze: analyzeDeployment },
  { kind: 'ReplicaSet', list: 'replicasets', analyze: analyzeReplicaSet },
  { kind: 'StatefulSet', list: 'statefulsets', analyze: analyzeStatefulSet },
  { kind: 'DaemonSet', list: 'daemonsets', analyze: analyzeDaemonSet },
  { kind: 'Job', list: 'jobs', analyze: analyzeJob },
  { kind: 'Service', list: 'services', analyze: analyzeService },
  { kind: 'Node', list: 'nodes', analyze: analyzeNode },
  { kind: 'PersistentVolumeClaim', list: 'pvcs', analyze: analyzePvc },
  { kind: 'HorizontalPodAutoscaler', list: 'hpa', analyze: analyzeHpa },
  { kind: 'Ingress', list: 'ingresses', analyze: analyzeIngress },
];

export const ANALYZED_KINDS = ANALYZERS.map((a) => a.kind);

export interface ScanOptions {
  /** Only objects of this namespace (and the nodes that host its pods). */
  namespace?: string;
  /** Only these API kinds; all when absent or empty. */
  kinds?: readonly string[];
  minSeverity?: Severity;
  /** Epoch ms: events, restarts and rollouts before this are history. */
  since: number;
  /** Roll problems of pods (and ReplicaSets) up to their owning workload. Default true. */
  groupByWorkload?: boolean;
}

/** Rollouts shortly before a problem are its likely cause when they precede it by at most this much. */
const ROLLOUT_CORRELATION_MS = 2 * 60 * 60_000;

export function scanProblems(snapshot: ClusterSnapshot, options: ScanOptions): Problem[] {
  return finishProblems(findProblems(snapshot, options), options);
}

/** Every analyzer over the snapshot, one problem per object, rollouts correlated; not yet grouped or filtered. */
export function findProblems(snapshot: ClusterSnapshot, options: Pick<ScanOptions, 'namespace' | 'since'>): Problem[] {
  const ctx: AnalyzerContext = { snapshot, now: snapshot.now, since: options.since };
  const ns = options.namespace;
  const nodesOfNamespace = ns ? new Set(snapshot.list('pods').filter((p) => p.metadata.namespace === ns).map((p) => p.spec?.nodeName).filter(Boolean)) : undefined;
  const problems: Problem[] = [];
  for (const { kind, list, analyze } of ANALYZERS) {
    for (const obj of snapshot.list(list)) {
      if (!obj?.metadata?.name) continue;
      if (kind === 'Node' ? nodesOfNamespace && !nodesOfNamespace.has(obj.metadata.name) : ns && obj.metadata.namespace !== ns) continue;
      problems.push(...analyze(ctx, obj));
    }
  }
  // Replaced nodes, deleted pods: what their events still say.
  problems.push(...analyzeAbsentObjects(ctx, ns));
  correlateRollouts(problems);
  return problems;
}

/** Rolls up by workload (unless asked not to), applies the kind and severity filters, and ranks. */
export function finishProblems(found: readonly Problem[], options: Pick<ScanOptions, 'kinds' | 'minSeverity' | 'groupByWorkload'>): Problem[] {
  const kinds = options.kinds?.length ? new Set(options.kinds) : undefined;
  let problems = options.groupByWorkload !== false ? groupByWorkload(found) : [...found];
  if (kinds) problems = problems.filter((p) => kinds.has(p.kind) || (p.affected ?? []).some((a) => kinds.has(a.split('/')[0]!)));
  const min = SEVERITY_RANK[options.minSeverity ?? 'info'];
  return problems.filter((p) => SEVERITY_RANK[p.severity] >= min).sort(rank);
}

/** Severity first, then the earliest onset (causes tend to precede their effects), then by name. */
export function rank(a: Problem, b: Problem): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.since - b.since || a.resource.localeCompare(b.resource) || a.reason.localeCompare(b.reason);
}

/**
 * A rollout followed by problems of the same workload is worth more than an info line: raise it to a warning
 * naming what followed, and tell each of those problems which revision preceded it.
 */
function correlateRollouts(problems: Problem[]): void {
  for (const rollout of problems.filter((p) => p.reason === 'RecentRollout')) {
    const after = problems.filter(
      (p) => p !== rollout && p.workload === rollout.workload && p.severity !== 'info' && p.since >= rollout.since - 60_000 && p.since - rollout.since <= ROLLOUT_CORRELATION_MS,
    );
    if (!after.length) continue;
    rollout.severity = 'warning';
    const reasons = [...new Set(after.map((p) => p.reason))];
    rollout.evidence.push(`followed by ${reasons.join(', ')} from ${iso(Math.min(...after.map((p) => p.since)))}`);
    for (const p of after) p.evidence.push(`started after ${rollout.message}`);
  }
}

/** Merges problems with the same workload and reason into one entry about the workload, listing what it covers. */
export function groupByWorkload(problems: readonly Problem[]): Problem[] {
  const groups = new Map<string, Problem[]>();
  const out: Problem[] = [];
  for (const p of problems) {
    if (p.workload === p.resource) {
      out.push(p);
      continue;
    }
    const key = `${p.workload}\u0000${p.reason}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(p);
  }
  for (const list of groups.values()) {
    // A workload-level problem for the same reason (e.g. its own ReplicaFailure) absorbs the others.
    const own = out.find((p) => p.resource === list[0]!.workload && p.reason === list[0]!.reason);
    if (own) {
      own.affected = [...new Set([...(own.affected ?? []), ...list.map((p) => p.resource)])];
      own.evidence.push(...list.flatMap((p) => p.evidence.slice(0, 1).map((e) => `${p.resource}: ${e}`)).slice(0, 3));
      own.since = Math.min(own.since, ...list.map((p) => p.since));
      continue;
    }
    const [kind, namespace, ...rest] = list[0]!.workload.split('/');
    const byRecency = [...list].sort((a, b) => b.since - a.since);
    const severity = list.reduce<Severity>((s, p) => (SEVERITY_RANK[p.severity] > SEVERITY_RANK[s] ? p.severity : s), 'info');
    const containers = [...new Set(list.map((p) => p.container).filter((c): c is string => !!c))];
    const chain = list.map((p) => p.owner_chain).find((c) => c?.includes(list[0]!.workload));
    out.push({
      kind: kind!,
      namespace: namespace!,
      name: rest.join('/'),
      resource: list[0]!.workload,
      workload: list[0]!.workload,
      reason: list[0]!.reason,
      message: byRecency[0]!.message,
      severity,
      since: Math.min(...list.map((p) => p.since)),
      count: list.reduce((n, p) => n + p.count, 0),
      evidence: [
        `${list.length} ${list.length === 1 ? 'object' : 'objects'}: ${list.slice(0, 5).map((p) => p.resource).join(', ')}${list.length > 5 ? ', ...' : ''}`,
        ...dedupe(list.flatMap((p) => p.evidence.map((e) => (list.length > 1 ? `${p.name}: ${e}` : e)))).slice(0, 8),
      ],
      ...(containers.length === 1 ? { container: containers[0] } : {}),
      // From the workload up: the workload's own chain.
      ...(chain ? { owner_chain: chain.slice(chain.indexOf(list[0]!.workload)) } : {}),
      affected: list.map((p) => p.resource),
      ...(list.every((p) => p.derived_from === 'events') ? { derived_from: 'events' as const } : {}),
    });
  }
  return out;
}

function dedupe(lines: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const key = line.replace(/^[^:]+: /, '');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(line);
  }
  return out;
}
