/**
 * Pod status as `kubectl get pods` computes it (pkg/printers/internalversion printPod): the STATUS column
 * (Running, CrashLoopBackOff, OOMKilled, Init:0/1, Terminating, Evicted, NodeLost...), READY n/m, RESTARTS with
 * the last restart time; plus the per-container detail `kubectl describe pod` shows.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { type Condition, asNumber, asString, conditionOf, conditionsOf, epochOf, iso, isoOf } from './objects.ts';
import { cpuMillicores, formatCpu, formatMemory, memoryBytes } from './quantity.ts';

interface RawTerminated {
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}
interface RawState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: RawTerminated;
}
export interface RawContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: RawState;
  lastState?: RawState;
}
interface RawContainerSpec {
  name: string;
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export function containerStatuses(pod: KubeObject): RawContainerStatus[] {
  const list = pod.status?.containerStatuses;
  return Array.isArray(list) ? list : [];
}
export function initContainerStatuses(pod: KubeObject): RawContainerStatus[] {
  const list = pod.status?.initContainerStatuses;
  return Array.isArray(list) ? list : [];
}
export function containerSpecs(pod: KubeObject): RawContainerSpec[] {
  const list = pod.spec?.containers;
  return Array.isArray(list) ? list : [];
}
export function initContainerSpecs(pod: KubeObject): RawContainerSpec[] {
  const list = pod.spec?.initContainers;
  return Array.isArray(list) ? list : [];
}

function isRestartableInit(spec: RawContainerSpec | undefined): boolean {
  return spec?.restartPolicy === 'Always';
}

function isTerminalPhase(phase: string): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

export interface PodStatusColumns {
  /** The STATUS column. */
  status: string;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  /** Epoch ms of the most recent container restart (the finish of its last termination). */
  lastRestartAt?: number;
}

/** The STATUS, READY and RESTARTS columns of `kubectl get pods`, computed as kubectl does. */
export function podStatusColumns(pod: KubeObject): PodStatusColumns {
  const phase = asString(pod.status?.phase) ?? 'Unknown';
  let reason = asString(pod.status?.reason) ?? phase;
  for (const c of conditionsOf(pod)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initSpecs = new Map(initContainerSpecs(pod).map((c) => [c.name, c]));
  let totalContainers = containerSpecs(pod).length;
  for (const spec of initSpecs.values()) if (isRestartableInit(spec)) totalContainers++;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;

  let initializing = false;
  const inits = initContainerStatuses(pod);
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const restartable = isRestartableInit(initSpecs.get(c.name));
    restarts += asNumber(c.restartCount);
    const finished = epochOf(c.lastState?.terminated?.finishedAt) ?? 0;
    lastRestart = Math.max(lastRestart, finished);
    if (restartable) {
      sidecarRestarts += asNumber(c.restartCount);
      lastSidecarRestart = Math.max(lastSidecarRestart, finished);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && asNumber(terminated.exitCode) === 0) continue;
    if (restartable && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : asNumber(terminated.signal) !== 0
          ? `Init:Signal:${asNumber(terminated.signal)}`
          : `Init:ExitCode:${asNumber(terminated.exitCode)}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size || inits.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionOf(pod, 'Initialized')?.status === 'True') {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = containerStatuses(pod);
    // kubectl walks the containers backwards, so the first container's state wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += asNumber(c.restartCount);
      lastRestart = Math.max(lastRestart, epochOf(c.lastState?.terminated?.finishedAt) ?? 0);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) {
        reason = asNumber(terminated.signal) !== 0 ? `Signal:${asNumber(terminated.signal)}` : `ExitCode:${asNumber(terminated.exitCode)}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionOf(pod, 'Ready')?.status === 'True' ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && pod.status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminalPhase(phase)) reason = 'Terminating';

  return {
    status: reason,
    readyContainers,
    totalContainers,
    restarts,
    ...(restarts > 0 && lastRestart > 0 ? { lastRestartAt: lastRestart } : {}),
  };
}

/** A pod that needs no attention: running with every container ready, or finished successfully. */
export function isHealthyPod(pod: KubeObject, columns = podStatusColumns(pod)): boolean {
  if (columns.status === 'Completed' || (columns.status === 'Succeeded' && pod.status?.phase === 'Succeeded')) return true;
  return columns.status === 'Running' && columns.readyContainers === columns.totalContainers;
}

export interface TerminationView {
  reason?: string;
  exit_code: number;
  signal?: number;
  message?: string;
  started_at?: string;
  finished_at?: string;
}

export interface ResourceView {
  cpu?: string;
  memory?: string;
}

export interface ContainerView {
  name: string;
  image: string;
  init: boolean;
  ready: boolean;
  restart_count: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  started_at?: string;
  finished_at?: string;
  exit_code?: number;
  signal?: number;
  last_termination?: TerminationView;
  requests?: ResourceView;
  limits?: ResourceView;
}

export function terminationView(t: RawTerminated | undefined): TerminationView | undefined {
  if (!t) return undefined;
  return {
    ...(asString(t.reason) ? { reason: t.reason } : {}),
    exit_code: asNumber(t.exitCode),
    ...(asNumber(t.signal) ? { signal: asNumber(t.signal) } : {}),
    ...(asString(t.message) ? { message: t.message!.trim() } : {}),
    ...(isoOf(t.startedAt) ? { started_at: isoOf(t.startedAt) } : {}),
    ...(isoOf(t.finishedAt) ? { finished_at: isoOf(t.finishedAt) } : {}),
  };
}

function resourceView(values: Record<string, string> | undefined): ResourceView | undefined {
  if (!values) return undefined;
  const cpu = cpuMillicores(values.cpu);
  const memory = memoryBytes(values.memory);
  const out: ResourceView = {
    ...(cpu !== undefined ? { cpu: formatCpu(cpu) } : {}),
    ...(memory !== undefined ? { memory: formatMemory(memory) } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

export function containerView(spec: RawContainerSpec | undefined, status: RawContainerStatus | undefined, init: boolean): ContainerView {
  const state = status?.state;
  const requests = resourceView(spec?.resources?.requests);
  const limits = resourceView(spec?.resources?.limits);
  const base = {
    name: spec?.name ?? status?.name ?? '',
    image: spec?.image ?? status?.image ?? '',
    init,
    ready: status?.ready === true,
    restart_count: asNumber(status?.restartCount),
  };
  let detail: Pick<ContainerView, 'state' | 'reason' | 'message' | 'started_at' | 'finished_at' | 'exit_code' | 'signal'>;
  if (state?.waiting) {
    detail = {
      state: 'waiting',
      ...(asString(state.waiting.reason) ? { reason: state.waiting.reason } : {}),
      ...(asString(state.waiting.message) ? { message: state.waiting.message!.trim() } : {}),
    };
  } else if (state?.terminated) {
    const t = terminationView(state.terminated)!;
    detail = {
      state: 'terminated',
      ...(t.reason ? { reason: t.reason } : {}),
      ...(t.message ? { message: t.message } : {}),
      ...(t.started_at ? { started_at: t.started_at } : {}),
      ...(t.finished_at ? { finished_at: t.finished_at } : {}),
      exit_code: t.exit_code,
      ...(t.signal ? { signal: t.signal } : {}),
    };
  } else if (state?.running) {
    detail = { state: 'running', ...(isoOf(state.running.startedAt) ? { started_at: isoOf(state.running.startedAt) } : {}) };
  } else {
    detail = { state: 'unknown' };
  }
  const last = terminationView(status?.lastState?.terminated);
  return {
    ...base,
    ...detail,
    ...(last ? { last_termination: last } : {}),
    ...(requests ? { requests } : {}),
    ...(limits ? { limits } : {}),
  };
}

/** Every container of the pod (init containers first), spec and status joined by name. */
export function containerViews(pod: KubeObject): ContainerView[] {
  const views: ContainerView[] = [];
  const join = (specs: RawContainerSpec[], statuses: RawContainerStatus[], init: boolean) => {
    const byName = new Map(statuses.map((s) => [s.name, s]));
    for (const spec of specs) views.push(containerView(spec, byName.get(spec.name), init));
    // Statuses without a spec (partial recordings) still count.
    for (const s of statuses) if (!specs.some((spec) => spec.name === s.name)) views.push(containerView(undefined, s, init));
  };
  join(initContainerSpecs(pod), initContainerStatuses(pod), true);
  join(containerSpecs(pod), containerStatuses(pod), false);
  return views;
}

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  last_transition_time?: string;
}

export function conditionView(c: Condition): ConditionView {
  const at = isoOf(c.lastTransitionTime) ?? isoOf(c.lastUpdateTime) ?? isoOf(c.lastHeartbeatTime);
  return {
    type: c.type,
    status: c.status,
    ...(asString(c.reason) ? { reason: c.reason } : {}),
    ...(asString(c.message) ? { message: c.message!.trim() } : {}),
    ...(at ? { last_transition_time: at } : {}),
  };
}

export interface PodView {
  name: string;
  namespace: string;
  status: string;
  phase: string;
  ready: string;
  restarts: number;
  last_restart_at?: string;
  node?: string;
  pod_ip?: string;
  qos_class?: string;
  created_at?: string;
  deleted_at?: string;
  status_reason?: string;
  status_message?: string;
  workload: string;
  owner_chain: string[];
  containers: ContainerView[];
  conditions: ConditionView[];
}

/**
 * One pod for the tools: kubectl's columns plus container detail, owner chain and conditions. `workload` is the
 * pod's built-in workload (ClusterSnapshot.workloadOf); the owner chain goes on to any custom resource above it.
 */
export function podView(pod: KubeObject, ownerChain: string[], workload: string = ownerChain[ownerChain.length - 1]!): PodView {
  const cols = podStatusColumns(pod);
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    status: cols.status,
    phase: asString(pod.status?.phase) ?? 'Unknown',
    ready: `${cols.readyContainers}/${cols.totalContainers}`,
    restarts: cols.restarts,
    ...(cols.lastRestartAt ? { last_restart_at: iso(cols.lastRestartAt) } : {}),
    ...(asString(pod.spec?.nodeName) ? { node: pod.spec.nodeName } : {}),
    ...(asString(pod.status?.podIP) ? { pod_ip: pod.status.podIP } : {}),
    ...(asString(pod.status?.qosClass) ? { qos_class: pod.status.qosClass } : {}),
    ...(isoOf(pod.metadata.creationTimestamp) ? { created_at: isoOf(pod.metadata.creationTimestamp) } : {}),
    ...(isoOf(pod.metadata.deletionTimestamp) ? { deleted_at: isoOf(pod.metadata.deletionTimestamp) } : {}),
    ...(asString(pod.status?.reason) ? { status_reason: pod.status.reason } : {}),
    ...(asString(pod.status?.message) ? { status_message: String(pod.status.message).trim() } : {}),
    workload,
    owner_chain: ownerChain,
    containers: containerViews(pod),
    // A healthy pod's conditions are all True; only the others say anything.
    conditions: conditionsOf(pod).filter((c) => c.status !== 'True').map(conditionView),
  };
}
