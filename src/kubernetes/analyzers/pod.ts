/**
 * Pod analyzer: scheduling failures, evictions and lost nodes, container state (CrashLoopBackOff with the last
 * termination, OOMKilled, image pulls, config errors, non-zero exits, recent restarts, init containers), failing
 * probes (liveness vs readiness, with the probe's configuration against the container's ports), and every other
 * Warning event about the pod in the window (FailedMount, FailedCreatePodSandBox...).
 */
import type { KubeObject } from '../../providers/kubernetes/port.ts';
import { type KubeEvent, probeKind } from '../events.ts';
import { asNumber, asString, conditionOf, epochOf, iso } from '../objects.ts';
import {
  type RawContainerStatus,
  containerSpecs,
  containerStatuses,
  initContainerSpecs,
  initContainerStatuses,
  podStatusColumns,
} from '../pod-status.ts';
import { pullSecretsOf, registryHost, registryNote, serviceAccountOf } from '../pod-spec.ts';
import { claimEvidence } from '../volumes.ts';
import { earliest, eventEvidence, makeProblem, recentEvents, sumCounts, warningEventProblems } from './common.ts';
import type { AnalyzerContext, Problem, Severity } from './types.ts';

const IMAGE_PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'ImageInspectError', 'RegistryUnavailable']);
const CREATE_REASONS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PreStartHookError',
  'PostStartHookError',
  'ContainerCannotRun',
]);
/** Pod-level failure reasons set by the kubelet or the node lifecycle controller (status.reason). */
const CRITICAL_POD_REASONS = new Set(['NodeLost', 'UnexpectedAdmissionError', 'OutOfcpu', 'OutOfmemory', 'OutOfpods']);
/** Scheduler messages that blame the pod's volumes: zone or node affinity of a volume, unbound claims. */
const VOLUME_SCHEDULING = /volume node affinity conflict|volume node affinity|unbound (immediate )?PersistentVolumeClaims|persistentvolumeclaim .* not found|didn't find available persistent volumes|node\(s\) exceed max volume count/i;
/** A container that has not become ready within this long after starting is worth reporting. */
const NOT_READY_GRACE_MS = 2 * 60_000;
/** A pod still terminating this long after its deletion deadline is stuck. */
const STUCK_TERMINATING_MS = 5 * 60_000;

interface ContainerSpecLike {
  name: string;
  ports?: Array<{ containerPort?: number; name?: string; protocol?: string }>;
  livenessProbe?: ProbeSpec;
  readinessProbe?: ProbeSpec;
  startupProbe?: ProbeSpec;
}
interface ProbeSpec {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

export function analyzePod(ctx: AnalyzerContext, pod: KubeObject): Problem[] {
  const out: Problem[] = [];
  const events = recentEvents(ctx, 'Pod', pod);
  const phase = asString(pod.status?.phase) ?? 'Unknown';
  const covered = new Set<string>();
  const created = epochOf(pod.metadata.creationTimestamp);

  // Scheduling.
  const scheduled = conditionOf(pod, 'PodScheduled');
  const schedulingEvents = events.filter((e) => e.reason === 'FailedScheduling');
  if (phase === 'Pending' && (scheduled?.reason === 'Unschedulable' || (scheduled?.status !== 'True' && schedulingEvents.length))) {
    const schedulerText = [scheduled?.message ?? '', ...schedulingEvents.map((e) => e.message)].join('\n');
    const volumeBound = VOLUME_SCHEDULING.test(schedulerText);
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason: 'Unschedulable',
        message: asString(scheduled?.message) ?? schedulingEvents[0]?.message ?? 'the pod cannot be scheduled',
        severity: 'critical',
        since: earliest(epochOf(scheduled?.lastTransitionTime), ...schedulingEvents.map((e) => e.firstSeen)) ?? created,
        count: sumCounts(schedulingEvents) || 1,
        evidence: [
          // Volumes first when they are why: the claim, its zone and the node it was provisioned for.
          ...(volumeBound ? claimEvidence(ctx.snapshot, pod) : []),
          ...(scheduled ? [`condition PodScheduled=${scheduled.status} reason ${scheduled.reason ?? ''}`.trim()] : []),
          ...schedulingEvents.slice(0, 3).map(eventEvidence),
          ...requestEvidence(pod),
        ],
      }),
    );
    covered.add('Unschedulable');
  }

  // Pod-level failure reasons (evicted, node lost, admission errors).
  const podReason = asString(pod.status?.reason);
  if (podReason) {
    const disruption = conditionOf(pod, 'DisruptionTarget');
    const since = earliest(epochOf(disruption?.lastTransitionTime), ...events.filter((e) => e.reason === podReason).map((e) => e.firstSeen)) ?? epochOf(conditionOf(pod, 'Ready')?.lastTransitionTime);
    if (podReason === 'Evicted') {
      out.push(
        makeProblem(ctx, 'Pod', pod, {
          reason: 'Evicted',
          message: asString(pod.status?.message) ?? 'the pod was evicted',
          // Evicted pods linger until garbage-collected; an old eviction is history.
          severity: since !== undefined && since < ctx.since ? 'info' : 'warning',
          ...(since !== undefined ? { since } : {}),
          evidence: [`node ${asString(pod.spec?.nodeName) ?? 'unknown'}`, ...(disruption?.message ? [`condition DisruptionTarget: ${disruption.message}`] : [])],
        }),
      );
      covered.add('Evicted');
    } else if (podReason !== 'SchedulingGated' && podReason !== 'Terminated' && (phase === 'Failed' || CRITICAL_POD_REASONS.has(podReason))) {
      out.push(
        makeProblem(ctx, 'Pod', pod, {
          reason: podReason,
          message: asString(pod.status?.message) ?? `pod ${podReason}`,
          severity: CRITICAL_POD_REASONS.has(podReason) ? 'critical' : 'warning',
          ...(since !== undefined ? { since } : {}),
          evidence: [`phase ${phase}`, `node ${asString(pod.spec?.nodeName) ?? 'unknown'}`],
        }),
      );
      covered.add(podReason);
    }
  }

  // Containers: init containers first, as they block the others.
  const specs = new Map<string, ContainerSpecLike>([...initContainerSpecs(pod), ...containerSpecs(pod)].map((c) => [c.name, c as ContainerSpecLike]));
  const initNames = new Set(initContainerSpecs(pod).map((c) => c.name));
  // An evicted or lost pod's containers were stopped from outside: the pod-level reason explains them.
  if (!covered.size || covered.has('Unschedulable')) {
    for (const status of [...initContainerStatuses(pod), ...containerStatuses(pod)]) {
      const init = initNames.has(status.name) || initContainerStatuses(pod).includes(status);
      out.push(...containerProblems(ctx, pod, status, init, events, covered));
    }
  }

  // A running container that never became ready, with no probe event to say why.
  const ready = conditionOf(pod, 'Ready');
  const unhealthy = events.filter((e) => e.reason === 'Unhealthy');
  if (phase === 'Running' && ready?.status === 'False' && !unhealthy.length && !out.length && !pod.metadata.deletionTimestamp) {
    const since = earliest(epochOf(ready.lastTransitionTime)) ?? created ?? ctx.now;
    const notReady = containerStatuses(pod).filter((c) => !c.ready && c.state?.running);
    if (notReady.length && ctx.now - since >= NOT_READY_GRACE_MS) {
      out.push(
        makeProblem(ctx, 'Pod', pod, {
          reason: 'ContainerNotReady',
          message: asString(ready.message) ?? `containers with unready status: [${notReady.map((c) => c.name).join(' ')}]`,
          severity: 'warning',
          since,
          container: notReady[0]!.name,
          evidence: notReady.flatMap((c) => probeEvidence(specs.get(c.name), 'readiness')),
        }),
      );
    }
  }

  // Probe failures, one problem per probe type.
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const list = unhealthy.filter((e) => (probeKind(e.message) ?? 'readiness') === kind);
    if (!list.length) continue;
    const container = containerOfEvent(list[0]!, pod);
    const killed = events.filter((e) => e.reason === 'Killing' && new RegExp(`failed ${kind} probe`, 'i').test(e.message));
    const status = container ? [...containerStatuses(pod), ...initContainerStatuses(pod)].find((c) => c.name === container) : undefined;
    const total = sumCounts(list);
    const threshold = asNumber(specs.get(container ?? '')?.[`${kind}Probe`]?.failureThreshold, 3);
    const readyAt = ready?.status === 'True' ? epochOf(ready.lastTransitionTime) : undefined;
    // Failures while the app was still starting, or fewer than the threshold, changed nothing: the pod is ready.
    const harmless =
      readyAt !== undefined && asNumber(status?.restartCount) === 0 && !killed.length && (total < threshold || list.every((e) => e.lastSeen <= readyAt + 1000));
    // An OOM-killed container fails its probes while it restarts: memory is the finding, the probe a symptom.
    const oomKilled = status?.lastState?.terminated?.reason === 'OOMKilled' || status?.state?.terminated?.reason === 'OOMKilled';
    const severity: Severity = harmless
      ? 'info'
      : oomKilled
        ? 'warning'
      : kind === 'readiness'
        ? ready?.status === 'False'
          ? 'critical'
          : 'warning'
        : killed.length || asNumber(status?.restartCount) > 0
          ? 'critical'
          : 'warning';
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason: 'ProbeFailure',
        message: list[0]!.message,
        severity,
        since: Math.min(...list.map((e) => e.firstSeen)),
        count: total,
        ...(container ? { container } : {}),
        evidence: [
          `${kind} probe failing`,
          ...list.slice(0, 3).map(eventEvidence),
          ...killed.slice(0, 1).map(eventEvidence),
          ...(container ? probeEvidence(specs.get(container), kind) : []),
          ...(oomKilled ? [`container ${container} was OOMKilled: the probe fails while it restarts`] : []),
        ],
      }),
    );
  }
  covered.add('ProbeFailure');

  // Stuck in Terminating.
  const deletion = epochOf(pod.metadata.deletionTimestamp);
  if (deletion !== undefined && phase !== 'Succeeded' && phase !== 'Failed' && ctx.now - deletion > STUCK_TERMINATING_MS) {
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason: 'StuckTerminating',
        message: `pod has been terminating since ${iso(deletion)}${asString(pod.spec?.nodeName) ? ` on node ${pod.spec.nodeName}` : ''}`,
        severity: 'warning',
        since: deletion,
        evidence: (pod.metadata.finalizers as string[] | undefined)?.length ? [`finalizers: ${(pod.metadata.finalizers as string[]).join(', ')}`] : [],
      }),
    );
  }

  // Whatever else the kubelet or controllers warned about (FailedMount, FailedCreatePodSandBox, ...).
  const blocked = phase === 'Pending' || podStatusColumns(pod).status === 'ContainerCreating';
  out.push(
    ...warningEventProblems(ctx, 'Pod', pod, covered, (code) =>
      blocked && /^Failed(Mount|AttachVolume|CreatePodSandBox|Sync)$/.test(code)
        ? 'critical'
        : // The node controller marks every pod of a failed node; the Node problem is the finding.
          code === 'NodeNotReady'
          ? 'info'
          : 'warning',
    ),
  );
  return out;
}

function containerProblems(
  ctx: AnalyzerContext,
  pod: KubeObject,
  c: RawContainerStatus,
  init: boolean,
  events: readonly KubeEvent[],
  covered: Set<string>,
): Problem[] {
  const out: Problem[] = [];
  const label = `${init ? 'init container' : 'container'} ${c.name}`;
  const waiting = c.state?.waiting;
  const terminated = c.state?.terminated;
  const last = c.lastState?.terminated;
  const restarts = asNumber(c.restartCount);
  const phase = asString(pod.status?.phase);
  const mine = events.filter((e) => !e.fieldPath || e.fieldPath.includes(`{${c.name}}`));
  const lastEvidence = last ? [terminationLine('last terminated', last)] : [];
  const image = asString(c.image) ?? '';

  if (waiting?.reason === 'CrashLoopBackOff') {
    const backoffs = mine.filter((e) => e.reason === 'BackOff' && !/pull/i.test(e.message));
    const oom = last?.reason === 'OOMKilled';
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason: oom ? 'OOMKilled' : 'CrashLoopBackOff',
        message: oom ? `${label} was OOMKilled (exit code ${asNumber(last?.exitCode)}) and is in CrashLoopBackOff: ${waiting.message ?? ''}`.trim() : (asString(waiting.message) ?? `back-off restarting failed ${label}`),
        severity: 'critical',
        since: earliest(...backoffs.map((e) => e.firstSeen), epochOf(last?.startedAt)) ?? ctx.now,
        count: restarts,
        container: c.name,
        evidence: [`${label}: CrashLoopBackOff, ${restarts} restarts, image ${image}`, ...lastEvidence, ...limitEvidence(pod, c.name, oom), ...backoffs.slice(0, 2).map(eventEvidence)],
      }),
    );
    covered.add('CrashLoopBackOff');
    if (oom) covered.add('OOMKilled');
  } else if (waiting?.reason && IMAGE_PULL_REASONS.has(waiting.reason)) {
    const pulls = mine.filter((e) => (e.reason === 'Failed' && /pull|image/i.test(e.message)) || (e.reason === 'BackOff' && /pull/i.test(e.message)));
    // "Failed to pull image ...: not found" says why; "Error: ImagePullBackOff" only repeats the state.
    const failed = pulls.find((e) => e.reason === 'Failed' && /failed to pull/i.test(e.message)) ?? pulls.find((e) => e.reason === 'Failed');
    const reason = waiting.reason === 'ErrImagePull' ? 'ImagePullBackOff' : waiting.reason;
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason,
        message: failed?.message ?? asString(waiting.message) ?? `cannot pull image ${image}`,
        severity: 'critical',
        since: earliest(...pulls.map((e) => e.firstSeen)) ?? epochOf(pod.metadata.creationTimestamp) ?? ctx.now,
        count: sumCounts(pulls) || 1,
        container: c.name,
        evidence: [`${label}: ${waiting.reason}, image ${image}`, pullCredentialsLine(pod, image), ...(waiting.message ? [`waiting: ${waiting.message}`] : []), ...pulls.slice(0, 3).map(eventEvidence)],
      }),
    );
    covered.add('ImagePullBackOff');
    covered.add(reason);
  } else if (waiting?.reason && CREATE_REASONS.has(waiting.reason)) {
    const failed = mine.filter((e) => e.reason === 'Failed');
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason: waiting.reason,
        message: asString(waiting.message) ?? failed[0]?.message ?? `${label}: ${waiting.reason}`,
        severity: 'critical',
        since: earliest(...failed.map((e) => e.firstSeen)) ?? epochOf(pod.metadata.creationTimestamp) ?? ctx.now,
        count: sumCounts(failed) || 1,
        container: c.name,
        evidence: [`${label}: ${waiting.reason}, image ${image}`, ...failed.slice(0, 3).map(eventEvidence)],
      }),
    );
    covered.add(waiting.reason);
    covered.add('ContainerFailed');
  } else if (terminated && asNumber(terminated.exitCode) !== 0 && phase !== 'Succeeded') {
    const oom = terminated.reason === 'OOMKilled';
    const finished = epochOf(terminated.finishedAt) ?? epochOf(terminated.startedAt);
    // A Job retries and reports its own failure; a termination before the window is history.
    const owner = ctx.snapshot.ownerChain('Pod', pod)[1] ?? '';
    const severity: Severity =
      finished !== undefined && finished < ctx.since ? 'info' : owner.startsWith('Job/') ? 'warning' : phase === 'Failed' || init || oom ? 'critical' : 'warning';
    out.push(
      makeProblem(ctx, 'Pod', pod, {
        reason: oom ? 'OOMKilled' : init ? 'InitContainerFailed' : 'NonZeroExit',
        message:
          asString(terminated.message)?.trim() ??
          `${label} terminated with exit code ${asNumber(terminated.exitCode)}${terminated.reason ? ` (${terminated.reason})` : ''}`,
        severity,
        since: finished ?? ctx.now,
        count: Math.max(1, restarts),
        container: c.name,
        evidence: [terminationLine(`${label} terminated`, terminated), ...lastEvidence, ...limitEvidence(pod, c.name, oom)],
      }),
    );
    covered.add('CrashLoopBackOff');
    if (oom) covered.add('OOMKilled');
  } else if (last && restarts > 0) {
    // Running again, but it restarted within the window: periodic OOM kills and crashes show up here.
    const finished = epochOf(last.finishedAt) ?? epochOf(last.startedAt);
    if (finished !== undefined && finished >= ctx.since) {
      const oom = last.reason === 'OOMKilled';
      const exit = asNumber(last.exitCode);
      const severity: Severity = oom ? (restarts >= 2 ? 'critical' : 'warning') : exit !== 0 ? 'warning' : 'info';
      out.push(
        makeProblem(ctx, 'Pod', pod, {
          reason: oom ? 'OOMKilled' : 'ContainerRestarted',
          message: `${label} restarted ${restarts} time${restarts === 1 ? '' : 's'}; last terminated ${last.reason ?? 'Error'} (exit code ${exit}) at ${iso(finished)}${asString(last.message) ? `: ${last.message!.trim()}` : ''}`,
          severity,
          since: earliest(epochOf(last.startedAt), finished)!,
          count: restarts,
          container: c.name,
          evidence: [terminationLine('last terminated', last), ...limitEvidence(pod, c.name, oom)],
        }),
      );
      covered.add('CrashLoopBackOff');
      if (oom) covered.add('OOMKilled');
    }
  }
  return out;
}

interface TerminatedLike {
  reason?: string;
  exitCode?: number;
  signal?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

function terminationLine(prefix: string, t: TerminatedLike): string {
  const exit = asNumber(t.exitCode);
  const signal = asNumber(t.signal) || (exit > 128 && exit < 160 ? exit - 128 : 0);
  const parts = [
    `${prefix}: ${t.reason ?? 'Error'}`,
    `exit code ${exit}${signal ? ` (signal ${signal}${signal === 9 ? ', SIGKILL' : signal === 15 ? ', SIGTERM' : ''})` : ''}`,
  ];
  const started = epochOf(t.startedAt);
  const finished = epochOf(t.finishedAt);
  if (started !== undefined) parts.push(`started ${iso(started)}`);
  if (finished !== undefined) parts.push(`finished ${iso(finished)}`);
  const message = asString(t.message)?.trim();
  return `${parts.join(', ')}${message ? `; message: ${message}` : ''}`;
}

function limitEvidence(pod: KubeObject, container: string, oom: boolean): string[] {
  if (!oom) return [];
  const spec = [...containerSpecs(pod), ...initContainerSpecs(pod)].find((c) => c.name === container);
  const limit = spec?.resources?.limits?.memory;
  const request = spec?.resources?.requests?.memory;
  return [`memory limit ${limit ?? 'none'}, request ${request ?? 'none'}`];
}

/** Where an image is pulled from and with which credentials: the registry host, the pull secrets, the service account. */
function pullCredentialsLine(pod: KubeObject, image: string): string {
  const spec = [...containerSpecs(pod), ...initContainerSpecs(pod)];
  const ref = image || spec.find((c) => c.image)?.image || '';
  const host = registryHost(ref);
  const note = registryNote(host);
  const secrets = pullSecretsOf(pod.spec);
  const sa = serviceAccountOf(pod.spec);
  // Admission copies the service account's imagePullSecrets into a pod that names none: none here means none there.
  return `registry ${host}${note ? ` (${note})` : ''}; image pull secrets: ${secrets.length ? secrets.join(', ') : "none (nor on the service account when the pod was created: the node's credentials are used)"}; service account ${sa.name}`;
}

function requestEvidence(pod: KubeObject): string[] {
  const parts = containerSpecs(pod)
    .map((c) => {
      const r = c.resources?.requests;
      return r && (r.cpu || r.memory) ? `${c.name}: cpu ${r.cpu ?? '-'}, memory ${r.memory ?? '-'}` : '';
    })
    .filter(Boolean);
  const selector = pod.spec?.nodeSelector ? Object.entries(pod.spec.nodeSelector as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',') : '';
  return [...(parts.length ? [`requests ${parts.join('; ')}`] : []), ...(selector ? [`nodeSelector ${selector}`] : [])];
}

/** Which container an event is about, from its fieldPath (`spec.containers{app}`), or the only container. */
function containerOfEvent(e: KubeEvent, pod: KubeObject): string | undefined {
  const m = /\{([^}]+)\}/.exec(e.fieldPath ?? '');
  if (m) return m[1];
  const names = containerSpecs(pod).map((c) => c.name);
  return names.length === 1 ? names[0] : undefined;
}

function probeEvidence(spec: ContainerSpecLike | undefined, kind: 'liveness' | 'readiness' | 'startup'): string[] {
  if (!spec) return [];
  const probe = spec[`${kind}Probe`];
  const ports = (spec.ports ?? []).filter((p) => p.containerPort !== undefined);
  const portList = ports.map((p) => `${p.containerPort}${p.name ? ` (${p.name})` : ''}`).join(', ');
  const out: string[] = [];
  if (probe) {
    let target = 'unknown handler';
    let port: number | string | undefined;
    if (probe.httpGet) {
      port = probe.httpGet.port;
      target = `httpGet ${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://:${String(port ?? '')}${probe.httpGet.path ?? '/'}`;
    } else if (probe.tcpSocket) {
      port = probe.tcpSocket.port;
      target = `tcpSocket :${String(port ?? '')}`;
    } else if (probe.grpc) {
      port = probe.grpc.port;
      target = `grpc :${String(port ?? '')}`;
    } else if (probe.exec) {
      target = `exec ${JSON.stringify(probe.exec.command ?? [])}`;
    }
    const timing = `delay ${probe.initialDelaySeconds ?? 0}s, timeout ${probe.timeoutSeconds ?? 1}s, period ${probe.periodSeconds ?? 10}s, failureThreshold ${probe.failureThreshold ?? 3}`;
    out.push(`${kind}Probe of ${spec.name}: ${target} (${timing})`);
    if (ports.length && port !== undefined) {
      const declared = typeof port === 'number' ? ports.some((p) => p.containerPort === port) : ports.some((p) => p.name === port || String(p.containerPort) === port);
      if (!declared) out.push(`probe port ${String(port)} is not one of the container's ports (${portList})`);
    }
  }
  if (ports.length) out.push(`container ${spec.name} ports: ${portList}`);
  return out;
}
