/**
 * Node status as `kubectl get nodes` shows it (Ready / NotReady / Unknown, SchedulingDisabled when cordoned),
 * with pressure conditions, taints, and allocatable capacity against what the pods on the node request.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { asString, conditionOf, conditionsOf, isoOf } from './objects.ts';
import { type ConditionView, conditionView } from './pod-status.ts';
import { formatCpu, formatMemory } from './quantity.ts';
import { holdsResources, nodeAmounts, sumAllocations } from './resources.ts';

export const PRESSURE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'] as const;

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export function taintsOf(node: KubeObject): Taint[] {
  const list = node.spec?.taints;
  if (!Array.isArray(list)) return [];
  return list
    .filter((t) => t && typeof t.key === 'string')
    .map((t) => ({ key: t.key, ...(asString(t.value) ? { value: t.value } : {}), effect: String(t.effect ?? '') }));
}

export function rolesOf(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length) || value);
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return [...roles].filter(Boolean).sort();
}

/** `Ready`, `NotReady` or `Unknown` (no Ready condition), as kubectl prints, plus `,SchedulingDisabled`. */
export function nodeStatusColumn(node: KubeObject): string {
  const ready = conditionOf(node, 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** The Ready condition's status: True, False, or Unknown (the kubelet stopped reporting, or no condition). */
export function nodeReadiness(node: KubeObject): 'True' | 'False' | 'Unknown' {
  const s = conditionOf(node, 'Ready')?.status;
  return s === 'True' || s === 'False' ? s : 'Unknown';
}

/** Conditions that are abnormal: Ready not True, any other condition True. */
export function abnormalConditions(node: KubeObject) {
  return conditionsOf(node).filter((c) => (c.type === 'Ready' ? c.status !== 'True' : c.status === 'True'));
}

export interface AllocationView {
  cpu_requests: string;
  cpu_requests_percent: number;
  cpu_limits: string;
  cpu_limits_percent: number;
  memory_requests: string;
  memory_requests_percent: number;
  memory_limits: string;
  memory_limits_percent: number;
  pods: number;
  pods_percent: number;
}

export interface CapacityView {
  cpu: string;
  memory: string;
  pods: number;
}

export interface NodeView {
  name: string;
  status: string;
  ready: 'True' | 'False' | 'Unknown';
  roles: string[];
  unschedulable: boolean;
  pressure: string[];
  conditions: ConditionView[];
  taints: Taint[];
  capacity: CapacityView;
  allocatable: CapacityView;
  allocated: AllocationView;
  created_at?: string;
  last_heartbeat?: string;
  kubelet_version?: string;
  instance_type?: string;
  zone?: string;
  internal_ip?: string;
}

function pct(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

function capacityView(values: Record<string, unknown> | undefined): CapacityView {
  const a = nodeAmounts(values);
  return { cpu: formatCpu(a.cpu), memory: formatMemory(a.memory), pods: a.pods };
}

/** One node with what the pods scheduled on it request (pods: every pod of the cluster; filtered here). */
export function nodeView(node: KubeObject, pods: readonly KubeObject[]): NodeView {
  const name = node.metadata.name;
  const onNode = pods.filter((p) => p.spec?.nodeName === name && holdsResources(p));
  const used = sumAllocations(onNode);
  const alloc = nodeAmounts(node.status?.allocatable ?? node.status?.capacity);
  const labels = node.metadata.labels ?? {};
  const heartbeat = conditionOf(node, 'Ready')?.lastHeartbeatTime;
  const address = Array.isArray(node.status?.addresses)
    ? (node.status.addresses as Array<{ type?: string; address?: string }>).find((a) => a.type === 'InternalIP')?.address
    : undefined;
  const instanceType = labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'];
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'];
  return {
    name,
    status: nodeStatusColumn(node),
    ready: nodeReadiness(node),
    roles: rolesOf(node),
    unschedulable: node.spec?.unschedulable === true,
    pressure: conditionsOf(node)
      .filter((c) => c.type !== 'Ready' && c.status === 'True')
      .map((c) => c.type),
    conditions: conditionsOf(node).map(conditionView),
    taints: taintsOf(node),
    capacity: capacityView(node.status?.capacity ?? node.status?.allocatable),
    allocatable: capacityView(node.status?.allocatable ?? node.status?.capacity),
    allocated: {
      cpu_requests: formatCpu(used.requests.cpu),
      cpu_requests_percent: pct(used.requests.cpu, alloc.cpu),
      cpu_limits: formatCpu(used.limits.cpu),
      cpu_limits_percent: pct(used.limits.cpu, alloc.cpu),
      memory_requests: formatMemory(used.requests.memory),
      memory_requests_percent: pct(used.requests.memory, alloc.memory),
      memory_limits: formatMemory(used.limits.memory),
      memory_limits_percent: pct(used.limits.memory, alloc.memory),
      pods: used.pods,
      pods_percent: pct(used.pods, alloc.pods),
    },
    ...(isoOf(node.metadata.creationTimestamp) ? { created_at: isoOf(node.metadata.creationTimestamp) } : {}),
    ...(isoOf(heartbeat) ? { last_heartbeat: isoOf(heartbeat) } : {}),
    ...(asString(node.status?.nodeInfo?.kubeletVersion) ? { kubelet_version: node.status.nodeInfo.kubeletVersion } : {}),
    ...(instanceType ? { instance_type: instanceType } : {}),
    ...(zone ? { zone } : {}),
    ...(address ? { internal_ip: address } : {}),
  };
}
