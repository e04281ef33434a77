/**
 * Resource allocation as the scheduler and `kubectl describe node` count it: a pod's effective request is the
 * larger of its containers' sum and its largest init container (restartable sidecars add to both), plus the
 * pod overhead. Terminated pods (Succeeded, Failed) hold nothing.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { containerSpecs, initContainerSpecs } from './pod-status.ts';
import { cpuMillicores, memoryBytes, parseQuantity } from './quantity.ts';

export interface Amounts {
  /** Millicores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export interface PodAllocation {
  requests: Amounts;
  limits: Amounts;
}

const zero = (): Amounts => ({ cpu: 0, memory: 0 });

function amounts(values: Record<string, unknown> | undefined): Amounts {
  return { cpu: cpuMillicores(values?.cpu) ?? 0, memory: memoryBytes(values?.memory) ?? 0 };
}

function add(a: Amounts, b: Amounts): Amounts {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory };
}

function max(a: Amounts, b: Amounts): Amounts {
  return { cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) };
}

function effective(pod: KubeObject, field: 'requests' | 'limits'): Amounts {
  let total = zero();
  for (const c of containerSpecs(pod)) total = add(total, amounts(c.resources?.[field]));
  let sidecars = zero();
  let initMax = zero();
  for (const c of initContainerSpecs(pod)) {
    const own = amounts(c.resources?.[field]);
    if (c.restartPolicy === 'Always') {
      total = add(total, own);
      sidecars = add(sidecars, own);
      initMax = max(initMax, sidecars);
    } else {
      initMax = max(initMax, add(own, sidecars));
    }
  }
  total = max(total, initMax);
  return add(total, amounts(pod.spec?.overhead));
}

export function podAllocation(pod: KubeObject): PodAllocation {
  return { requests: effective(pod, 'requests'), limits: effective(pod, 'limits') };
}

/** Whether the pod still holds resources on its node (not Succeeded or Failed). */
export function holdsResources(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export interface NodeCapacity {
  cpu: number;
  memory: number;
  pods: number;
}

export function nodeAmounts(values: Record<string, unknown> | undefined): NodeCapacity {
  return {
    cpu: cpuMillicores(values?.cpu) ?? 0,
    memory: memoryBytes(values?.memory) ?? 0,
    pods: Math.round(parseQuantity(values?.pods) ?? 0),
  };
}

export function sumAllocations(pods: readonly KubeObject[]): PodAllocation & { pods: number } {
  let requests = zero();
  let limits = zero();
  for (const pod of pods) {
    const a = podAllocation(pod);
    requests = add(requests, a.requests);
    limits = add(limits, a.limits);
  }
  return { requests, limits, pods: pods.length };
}
