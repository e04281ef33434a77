/**
 * Node analyzer: Ready False or Unknown (the kubelet stopped reporting), memory / disk / PID pressure, network
 * unavailable, any other abnormal condition (node-problem-detector's KernelDeadlock, ReadonlyFilesystem...),
 * cordoned nodes, and Warning events about the node (SystemOOM, EvictionThresholdMet, Rebooted...).
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { asString, conditionsOf, epochOf, refOf } from '../objects.ts';
import { podStatusColumns } from '../pod-status.ts';
import { taintsOf } from '../node.ts';
import { earliest, eventEvidence, makeProblem, recentEvents, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem, Severity } from './types.ts';

const PRESSURE_REASON: Readonly<Record<string, string>> = {
  MemoryPressure: 'NodeMemoryPressure',
  DiskPressure: 'NodeDiskPressure',
  PIDPressure: 'NodePIDPressure',
  NetworkUnavailable: 'NodeNetworkUnavailable',
};

export function analyzeNode(ctx: AnalyzerContext, node: KubeObject): Problem[] {
  const out: Problem[] = [];
  const name = node.metadata.name;
  const events = recentEvents(ctx, 'Node', node);
  const pods = ctx.snapshot.list('pods').filter((p) => p.spec?.nodeName === name);
  const evicted = pods.filter((p) => p.status?.reason === 'Evicted');
  const taints = taintsOf(node).filter((t) => t.key.startsWith('node.kubernetes.io/'));
  const taintLine = taints.length ? [`taints ${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`] : [];
  const covered = new Set<string>();
  const readyTrue = conditionsOf(node).some((c) => c.type === 'Ready' && c.status === 'True');
  for (const c of conditionsOf(node)) {
    // With Ready not True every condition turns Unknown: only a ready node's Unknown condition says something.
    const abnormal = c.type === 'Ready' ? c.status !== 'True' : c.status === 'True' || (readyTrue && c.status === 'Unknown');
    if (!abnormal) continue;
    let reason: string;
    let severity: Severity;
    const evidence: string[] = [`condition ${c.type}=${c.status}${c.reason ? ` reason ${c.reason}` : ''}`, ...taintLine];
    if (c.type === 'Ready') {
      reason = 'NodeNotReady';
      severity = 'critical';
      const affected = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      const unhealthy = affected.filter((p) => {
        const s = podStatusColumns(p);
        return !(s.status === 'Running' && s.readyContainers === s.totalContainers);
      });
      evidence.push(`${affected.length} pods on the node, ${unhealthy.length} not running and ready`);
      evidence.push(...events.filter((e) => e.reason === 'NodeNotReady' || e.reason === 'NodeStatusUnknown').slice(0, 2).map(eventEvidence));
      covered.add('NodeNotReady');
    } else {
      reason = `${PRESSURE_REASON[c.type] ?? `Node${c.type}`}${c.status === 'Unknown' ? 'Unknown' : ''}`;
      severity = c.status === 'True' && (c.type === 'NetworkUnavailable' || evicted.length > 0) ? 'critical' : 'warning';
      if (c.type === 'MemoryPressure' || c.type === 'DiskPressure' || c.type === 'PIDPressure') {
        if (evicted.length) evidence.push(`${evicted.length} pods evicted from the node: ${evicted.slice(0, 5).map((p) => refOf('Pod', p)).join(', ')}`);
        evidence.push(...events.filter((e) => e.reason === 'EvictionThresholdMet').slice(0, 2).map(eventEvidence));
        covered.add('EvictionThresholdMet');
      }
    }
    out.push(
      makeProblem(ctx, 'Node', node, {
        reason,
        message: asString(c.message) ?? `${c.type} is ${c.status}`,
        severity,
        since: epochOf(c.lastTransitionTime) ?? epochOf(c.lastHeartbeatTime) ?? ctx.now,
        count: reason === 'NodeNotReady' ? Math.max(1, pods.length) : Math.max(1, evicted.length),
        evidence,
      }),
    );
    covered.add(reason);
  }
  if (node.spec?.unschedulable) {
    out.push(
      makeProblem(ctx, 'Node', node, {
        reason: 'NodeCordoned',
        message: 'the node is cordoned (SchedulingDisabled): no new pods are scheduled on it',
        severity: 'info',
        since: earliest(...events.filter((e) => e.reason === 'NodeNotSchedulable').map((e) => e.firstSeen)) ?? ctx.now,
        evidence: taintLine,
      }),
    );
  }
  out.push(...warningEventProblems(ctx, 'Node', node, covered, () => 'warning'));
  return out;
}
