/** scan_cluster_problems: every analyzer over the cluster (or a namespace), ranked. */
import { ANALYZED_KINDS, type Problem, type Severity, finishProblems, findProblems, rank } from '../../kubernetes/analyzers/index.ts';
import { lastErrorLine, parseTimestampedLog } from '../../kubernetes/logs.ts';
import { iso } from '../../kubernetes/objects.ts';
import { KUBE_KINDS, type KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { loadSnapshot, problemView, windowView } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

export const DEFAULT_PROBLEM_LOOKBACK_MS = 2 * 3_600_000;

interface ScanArgs {
  namespace?: string;
  kinds?: string[];
  min_severity: Severity;
  since?: string;
  group_by_workload: boolean;
  limit: number;
}

export async function scanClusterProblems(args: ScanArgs, ctx: Ctx) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { since: 'since' }, DEFAULT_PROBLEM_LOOKBACK_MS);
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, KUBE_KINDS, args.namespace, { ingressControllers: true });
  const found = findProblems(snapshot, { ...(args.namespace ? { namespace: args.namespace } : {}), since: window.start });
  await addLogEvidence(ctx.provider, found);
  const problems = finishProblems(found, {
    ...(args.kinds?.length ? { kinds: args.kinds } : {}),
    minSeverity: args.min_severity,
    groupByWorkload: args.group_by_workload,
  });
  const page = bounded(problems, args.limit);
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const p of problems) counts[p.severity]++;
  return {
    problems: page.items.map(problemView),
    total_count: page.total_count,
    truncated: page.truncated,
    severity_counts: counts,
    scanned: ANALYZED_KINDS.filter((k) => !args.kinds?.length || args.kinds.includes(k)).map((kind) => ({
      kind,
      count: snapshot.objects(kind).filter((o) => kind === 'Node' || !args.namespace || o.metadata.namespace === args.namespace).length,
    })),
    window: windowView(window.start, window.end),
  };
}

/** Problems whose cause a dying container usually printed last. */
const CRASH_REASONS = new Set(['CrashLoopBackOff', 'OOMKilled', 'NonZeroExit', 'InitContainerFailed', 'ContainerRestarted']);
/** Log reads per scan: one pod per workload, the worst first, is enough to quote the error. */
const MAX_LOG_READS = 6;

/**
 * Quotes the error line a crashed container printed last (its previous instance when it restarted, else the
 * current one) into the problem's evidence: the exception behind a crash loop is what the report must cite.
 */
async function addLogEvidence(provider: KubernetesProvider, problems: Problem[]): Promise<void> {
  const seen = new Set<string>();
  const candidates = problems
    .filter((p) => p.kind === 'Pod' && p.container && CRASH_REASONS.has(p.reason) && p.severity !== 'info')
    .sort(rank)
    .filter((p) => !seen.has(p.workload) && seen.add(p.workload))
    .slice(0, MAX_LOG_READS);
  await Promise.all(
    candidates.map(async (p) => {
      for (const previous of [true, false]) {
        const text = await provider.podLogs({ namespace: p.namespace, pod: p.name, container: p.container!, previous, tailLines: 200 }).catch(() => null);
        if (!text) continue;
        const line = lastErrorLine(parseTimestampedLog(text));
        if (!line) continue;
        p.evidence.push(`${previous ? 'previous' : 'current'} log of ${p.name}/${p.container}${line.time !== undefined ? ` at ${iso(line.time)}` : ''}: ${line.message.trim().slice(0, 400)}`);
        return;
      }
    }),
  );
}
