/**
 * get_resource_usage: CPU, memory and pod allocation (requests and limits) by namespace, by workload and by
 * node, against node allocatable. Allocation, not live usage: live usage comes from the metrics backend.
 */
import { iso } from '../../kubernetes/objects.ts';
import { nodeAmounts, holdsResources, podAllocation } from '../../kubernetes/resources.ts';
import { nodeStatusColumn } from '../../kubernetes/node.ts';
import type { KubeObject, KubernetesProvider } from '../../providers/kubernetes/port.ts';
import type { OperationContext } from '../invoke.ts';
import { OWNER_KINDS, loadSnapshot } from './shared.ts';

type Ctx = OperationContext<KubernetesProvider>;
type ResourceType = 'cpu' | 'memory' | 'pods';
const TYPES: readonly ResourceType[] = ['cpu', 'memory', 'pods'];
const UNITS: Readonly<Record<ResourceType, string>> = { cpu: 'millicores', memory: 'MiB', pods: 'pods' };

interface Tally {
  cpuRequests: number;
  cpuLimits: number;
  memRequests: number;
  memLimits: number;
  pods: number;
}

const emptyTally = (): Tally => ({ cpuRequests: 0, cpuLimits: 0, memRequests: 0, memLimits: 0, pods: 0 });

function addPod(t: Tally, pod: KubeObject): void {
  const a = podAllocation(pod);
  t.cpuRequests += a.requests.cpu;
  t.cpuLimits += a.limits.cpu;
  t.memRequests += a.requests.memory;
  t.memLimits += a.limits.memory;
  t.pods += 1;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : undefined);

interface Allocation {
  resource: ResourceType;
  unit: string;
  requested: number;
  limits?: number;
  allocatable?: number;
  requested_percent?: number;
}

function allocations(t: Tally, types: readonly ResourceType[], allocatable?: { cpu: number; memory: number; pods: number }): Allocation[] {
  return types.map((type) => {
    const requested = type === 'cpu' ? t.cpuRequests : type === 'memory' ? mib(t.memRequests) : t.pods;
    const limits = type === 'cpu' ? t.cpuLimits : type === 'memory' ? mib(t.memLimits) : undefined;
    const cap = allocatable ? (type === 'cpu' ? allocatable.cpu : type === 'memory' ? mib(allocatable.memory) : allocatable.pods) : undefined;
    const percent = cap !== undefined ? pct(requested, cap) : undefined;
    return {
      resource: type,
      unit: UNITS[type],
      requested: Math.round(requested * 10) / 10,
      ...(limits !== undefined ? { limits: Math.round(limits * 10) / 10 } : {}),
      ...(cap !== undefined ? { allocatable: Math.round(cap * 10) / 10 } : {}),
      ...(percent !== undefined ? { requested_percent: percent } : {}),
    };
  });
}

function sortKey(t: Tally, type: ResourceType): number {
  return type === 'cpu' ? t.cpuRequests : type === 'memory' ? t.memRequests : t.pods;
}

export async function getResourceUsage(args: { namespace?: string; resource_type?: ResourceType; limit: number }, ctx: Ctx) {
  const snapshot = await loadSnapshot(ctx.provider, ctx.now, [...OWNER_KINDS, 'nodes'], args.namespace);
  const types = args.resource_type ? [args.resource_type] : TYPES;
  const by = args.resource_type ?? 'cpu';
  const pods = snapshot.list('pods').filter((p) => p?.metadata?.name && holdsResources(p) && (!args.namespace || p.metadata.namespace === args.namespace));
  const allPods = snapshot.list('pods').filter((p) => p?.metadata?.name && holdsResources(p));
  const nodes = snapshot.list('nodes').filter((n) => n?.metadata?.name);

  const cluster = emptyTally();
  const pending = emptyTally();
  const namespaces = new Map<string, Tally>();
  const workloads = new Map<string, Tally & { namespace: string }>();
  for (const pod of pods) {
    // The cluster row is what nodes hold; pods no node accepted yet are the unscheduled demand.
    if (pod.spec?.nodeName) addPod(cluster, pod);
    const ns = pod.metadata.namespace ?? '';
    if (!namespaces.has(ns)) namespaces.set(ns, emptyTally());
    addPod(namespaces.get(ns)!, pod);
    const workload = snapshot.workloadOf('Pod', pod);
    if (!workloads.has(workload)) workloads.set(workload, { ...emptyTally(), namespace: ns });
    addPod(workloads.get(workload)!, pod);
    if (!pod.spec?.nodeName) addPod(pending, pod);
  }
  const capacity = { cpu: 0, memory: 0, pods: 0 };
  const nodeRows = nodes.map((node) => {
    const alloc = nodeAmounts(node.status?.allocatable ?? node.status?.capacity);
    capacity.cpu += alloc.cpu;
    capacity.memory += alloc.memory;
    capacity.pods += alloc.pods;
    const t = emptyTally();
    // A node's load is every pod on it, whatever the namespace filter.
    for (const pod of allPods) if (pod.spec?.nodeName === node.metadata.name) addPod(t, pod);
    return { name: node.metadata.name, status: nodeStatusColumn(node), tally: t, alloc };
  });
  const nsRows = [...namespaces.entries()].sort((a, b) => sortKey(b[1], by) - sortKey(a[1], by) || a[0].localeCompare(b[0]));
  const wlRows = [...workloads.entries()].sort((a, b) => sortKey(b[1], by) - sortKey(a[1], by) || a[0].localeCompare(b[0]));
  const nodeSorted = nodeRows.sort((a, b) => (pct(sortKey(b.tally, by), by === 'memory' ? b.alloc.memory : by === 'cpu' ? b.alloc.cpu : b.alloc.pods) ?? 0) - (pct(sortKey(a.tally, by), by === 'memory' ? a.alloc.memory : by === 'cpu' ? a.alloc.cpu : a.alloc.pods) ?? 0) || a.name.localeCompare(b.name));
  const limit = args.limit;
  return {
    resource_usage: {
      timestamp: iso(ctx.now),
      note: 'Allocation from pod specs (requests and limits) against node allocatable, not live usage; use the metrics tools for utilisation.',
      resource_types: [...types],
      sorted_by: by,
      cluster: {
        ...(args.namespace ? { namespace: args.namespace } : {}),
        pods: cluster.pods,
        nodes: nodes.length,
        resources: allocations(cluster, types, nodes.length && !args.namespace ? capacity : undefined),
      },
      ...(pending.pods ? { unscheduled: { pods: pending.pods, resources: allocations(pending, types) } } : {}),
      namespaces: nsRows.slice(0, limit).map(([namespace, t]) => ({ namespace, pods: t.pods, resources: allocations(t, types) })),
      namespaces_total: nsRows.length,
      top_requesters: wlRows.slice(0, limit).map(([workload, t]) => ({ workload, namespace: t.namespace, pods: t.pods, resources: allocations(t, types) })),
      top_requesters_total: wlRows.length,
      nodes: nodeSorted.slice(0, limit).map((n) => ({ name: n.name, status: n.status, pods: n.tally.pods, resources: allocations(n.tally, types, n.alloc) })),
      nodes_total: nodeSorted.length,
    },
    total_count: wlRows.length,
    truncated: wlRows.length > limit || nsRows.length > limit || nodeSorted.length > limit,
  };
}
