/** get_pod_status and get_pod_logs. */
import { parseTimestampedLog, filterLog } from '../../kubernetes/logs.ts';
import { type PodView, isHealthyPod, podView } from '../../kubernetes/pod-status.ts';
import { matchesSelector, parseLabelSelector } from '../../kubernetes/selectors.ts';
import type { KubeObject, KubernetesProvider } from '../../providers/kubernetes/port.ts';
import { bounded, timeArgument } from '../common.ts';
import { ToolError } from '../errors.ts';
import type { OperationContext } from '../invoke.ts';
import { OWNER_KINDS, byNameOrPrefix, loadSnapshot } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;

interface PodStatusArgs {
  namespace?: string;
  pod_name?: string;
  status?: string;
  label_selector?: string;
  limit: number;
}

/** Problem pods first: waiting and failed states, then not-ready running pods, then healthy and completed ones. */
function attentionRank(view: PodView, healthy: boolean): number {
  if (healthy) return view.status === 'Completed' || view.status === 'Succeeded' ? 3 : 2;
  return view.status === 'Running' ? 1 : 0;
}

export async function getPodStatus(args: PodStatusArgs, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, OWNER_KINDS, args.namespace);
  let pods = snapshot.list('pods').filter((p) => p?.metadata?.name && (!args.namespace || p.metadata.namespace === args.namespace));
  if (args.pod_name) {
    const named = byNameOrPrefix(pods, args.pod_name);
    if (!named.length) {
      const where = args.namespace ? ` in namespace '${args.namespace}'` : '';
      throw new ToolError('NotFound', `No pod named '${args.pod_name}' (or named after it)${where}`, 'pod_name');
    }
    pods = named;
  }
  if (args.label_selector) {
    const selector = parseLabelSelector(args.label_selector);
    pods = pods.filter((p) => matchesSelector(p.metadata.labels, selector));
  }
  let rows = pods.map((p) => ({ view: podView(p, snapshot.ownerChain('Pod', p), snapshot.workloadOf('Pod', p)), healthy: isHealthyPod(p) }));
  if (args.status) {
    const want = args.status.trim().toLowerCase();
    rows = rows.filter(({ view, healthy }) => {
      if (want === 'unhealthy') return !healthy;
      if (want === 'healthy') return healthy;
      const status = view.status.toLowerCase();
      return status === want || view.phase.toLowerCase() === want || (want === 'init' && status.startsWith('init:'));
    });
  }
  rows.sort(
    (a, b) =>
      attentionRank(a.view, a.healthy) - attentionRank(b.view, b.healthy) ||
      b.view.restarts - a.view.restarts ||
      a.view.namespace.localeCompare(b.view.namespace) ||
      a.view.name.localeCompare(b.view.name),
  );
  const counts = new Map<string, number>();
  for (const { view } of rows) counts.set(view.status, (counts.get(view.status) ?? 0) + 1);
  const page = bounded(rows, args.limit);
  return {
    pods: page.items.map((r) => r.view),
    total_count: page.total_count,
    truncated: page.truncated,
    summary: [...counts.entries()].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status)),
  };
}

interface PodLogsArgs {
  namespace?: string;
  pod_name: string;
  container?: string;
  previous: boolean;
  since?: string;
  pattern?: string;
  limit: number;
}

/** How many of the last lines a filtered read scans: enough for an incident, bounded for a chatty container. */
const LOG_SCAN_LINES = 5000;

function containerNames(pod: KubeObject): { all: string[]; main: string[] } {
  const main = ((pod.spec?.containers ?? []) as Array<{ name: string }>).map((c) => c.name);
  const init = ((pod.spec?.initContainers ?? []) as Array<{ name: string }>).map((c) => c.name);
  return { all: [...init, ...main], main };
}

/** kubectl's default container (annotation), else the first container that is failing, else the first. */
function defaultContainer(pod: KubeObject): string | undefined {
  const { main } = containerNames(pod);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && main.includes(annotated)) return annotated;
  const statuses = (pod.status?.containerStatuses ?? []) as Array<{ name: string; ready?: boolean; restartCount?: number }>;
  const failing = main.find((name) => {
    const s = statuses.find((x) => x.name === name);
    return s && (!s.ready || (s.restartCount ?? 0) > 0);
  });
  return failing ?? main[0];
}

export async function getPodLogs(args: PodLogsArgs, ctx: Ctx) {
  const since = timeArgument(args as unknown as Record<string, unknown>, 'since', ctx.now);
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, ['pods'], args.namespace);
  const pods = snapshot.list('pods').filter((p) => p?.metadata?.name === args.pod_name && (!args.namespace || p.metadata.namespace === args.namespace));
  if (pods.length > 1) {
    throw new ToolError('InvalidArgument', `Pod '${args.pod_name}' exists in several namespaces (${pods.map((p) => p.metadata.namespace).join(', ')}); give 'namespace'`, 'namespace');
  }
  const pod = pods[0];
  const namespace = args.namespace ?? pod?.metadata.namespace;
  if (!pod && (!namespace || !args.container)) {
    const near = byNameOrPrefix(snapshot.list('pods'), args.pod_name).slice(0, 5).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    throw new ToolError('NotFound', `No pod named '${args.pod_name}'${args.namespace ? ` in namespace '${args.namespace}'` : ''}${near.length ? `; pods named after it: ${near.join(', ')}` : ''}`, 'pod_name');
  }
  const names = pod ? containerNames(pod).all : [args.container!];
  const container = args.container ?? (pod ? defaultContainer(pod) : undefined);
  if (!container) throw new ToolError('NotFound', `Pod '${args.pod_name}' has no containers`, 'pod_name');
  if (pod && !names.includes(container)) {
    throw new ToolError('InvalidArgument', `Pod '${args.pod_name}' has no container '${container}'; its containers: ${names.join(', ')}`, 'container');
  }
  const text = await ctx.provider.podLogs({ namespace: namespace!, pod: args.pod_name, container, previous: args.previous, tailLines: LOG_SCAN_LINES });
  if (text === null) {
    throw new ToolError(
      'NotFound',
      args.previous
        ? `No previous (terminated) instance of container '${container}' in pod '${args.pod_name}': it has not restarted, or its logs are gone`
        : `No logs for container '${container}' in pod '${args.pod_name}'`,
      args.previous ? 'previous' : 'pod_name',
    );
  }
  const filtered = filterLog(parseTimestampedLog(text), { ...(since !== undefined ? { since } : {}), ...(args.pattern ? { pattern: args.pattern } : {}), limit: args.limit });
  return {
    namespace: namespace!,
    pod_name: args.pod_name,
    container,
    previous: args.previous,
    containers: names,
    lines: filtered.lines,
    total_count: filtered.total_count,
    truncated: filtered.truncated,
  };
}
