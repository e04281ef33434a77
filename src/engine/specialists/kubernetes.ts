/**
 * The Kubernetes specialist. Round one: the cluster problem scan (every analyzer), the services and pods for an
 * inventory (what exists, what it answers to, where it runs, how healthy it is), the rollout history of workloads
 * that rolled out in the window, and the logs of failing containers (why they died). Round two: the logs and
 * state of the suspects the supervisor names.
 */
import { extractSignature, signatureText } from '../../analyzers/logs/signatures.ts';
import type { Finding, InventoryEntry, Signal } from '../../domain/findings.ts';
import { parseResource } from '../../domain/resource.ts';
import type { SpecialistContext } from './index.ts';
import { SpecialistSession, clip } from './session.ts';
import { classifySignature } from './signature-kind.ts';
import { nameScore } from '../names.ts';
import { routeFinding, slowestRoutes } from './requests.ts';

interface Problem {
  kind: string;
  namespace: string;
  name: string;
  resource: string;
  workload: string;
  reason: string;
  message: string;
  severity: 'critical' | 'warning' | 'info';
  since: string;
  count: number;
  evidence: string[];
  container?: string;
  affected?: string[];
}

interface PodView {
  name: string;
  namespace: string;
  status: string;
  ready: string;
  restarts: number;
  node?: string;
  pod_ip?: string;
  workload: string;
  containers: Array<{ name: string; image: string; state: string; reason?: string; last_termination?: { reason?: string; exit_code?: number } }>;
}

interface ServiceView {
  name: string;
  namespace: string;
  status: string;
  type?: string;
  /** The DNS name an ExternalName Service stands for (an RDS endpoint, a partner API). */
  external_name?: string;
  cluster_ip?: string;
  ports?: string[];
  backing_workloads?: string[];
}

interface Revision {
  revision: number;
  images: string[];
  rolled_out_at?: string;
  created_at?: string;
  current: boolean;
  change_cause?: string;
}

const SCAN = 'kubernetes___scan_cluster_problems';
const PODS = 'kubernetes___get_pod_status';
const SERVICES = 'kubernetes___get_service_status';
const ROLLOUTS = 'kubernetes___get_rollout_history';
const LOGS = 'kubernetes___get_pod_logs';
const DESCRIBE = 'kubernetes___describe_resource';
const INGRESSES = 'kubernetes___get_ingress_status';

interface IngressView {
  name: string;
  namespace: string;
  hosts: string[];
  tls?: Array<{ hosts?: string[] }>;
  rules?: Array<{ paths?: Array<{ backend?: { workloads?: string[] } }> }>;
  controller?: { workload: string } | null;
}
const MAX_DESCRIBES = 5;

/** Analyzer reason codes → the findings vocabulary. */
const REASON_SIGNALS: Readonly<Record<string, Signal>> = {
  OOMKilled: 'pod-oom-killed',
  CrashLoopBackOff: 'pod-crash-loop',
  NonZeroExit: 'pod-error-exit',
  ContainerRestarted: 'pod-error-exit',
  InitContainerFailed: 'pod-error-exit',
  Error: 'pod-error-exit',
  JobFailed: 'pod-error-exit',
  BackoffLimitExceeded: 'pod-error-exit',
  JobPodFailures: 'pod-error-exit',
  CreateContainerConfigError: 'pod-config-error',
  CreateContainerError: 'pod-config-error',
  RunContainerError: 'pod-config-error',
  InvalidImageName: 'pod-image-pull',
  ImagePullBackOff: 'pod-image-pull',
  ErrImagePull: 'pod-image-pull',
  Unschedulable: 'pod-unschedulable',
  FailedScheduling: 'pod-unschedulable',
  Evicted: 'pod-evicted',
  ProbeFailure: 'pod-probe-failure',
  Unhealthy: 'pod-probe-failure',
  ContainerNotReady: 'pod-not-ready',
  StuckTerminating: 'pod-not-ready',
  ContainerStatusUnknown: 'pod-not-ready',
  ReplicasUnavailable: 'workload-unavailable',
  MinimumReplicasUnavailable: 'workload-unavailable',
  ReplicaFailure: 'workload-unavailable',
  FailedCreate: 'workload-unavailable',
  ProgressDeadlineExceeded: 'workload-rollout-stuck',
  RolloutInProgress: 'workload-rollout-stuck',
  RecentRollout: 'workload-rollout',
  NodeNotReady: 'node-not-ready',
  NodeStatusUnknown: 'node-not-ready',
  NodeMemoryPressure: 'node-pressure',
  NodeDiskPressure: 'node-pressure',
  NodePIDPressure: 'node-pressure',
  NodeNetworkUnavailable: 'node-pressure',
  SystemOOM: 'node-pressure',
  ServiceNoEndpoints: 'service-no-endpoints',
  ServiceNoReadyEndpoints: 'service-no-endpoints',
  ServiceEndpointsNotReady: 'service-no-endpoints',
  ProvisioningFailed: 'pvc-problem',
  PVCPending: 'pvc-problem',
  PVCLost: 'pvc-problem',
  HPAAtMaxReplicas: 'hpa-at-max',
  TooManyReplicas: 'hpa-at-max',
};

/** Reasons whose containers' logs say why they failed. */
const DYING = new Set(['CrashLoopBackOff', 'NonZeroExit', 'ContainerRestarted', 'InitContainerFailed', 'Error', 'OOMKilled']);
const MAX_LOG_READS = 6;

export async function kubernetesSpecialist({ plan, tools }: SpecialistContext): Promise<ReturnType<SpecialistSession['report']>> {
  const s = new SpecialistSession('kubernetes', tools);
  if (plan.round > 1) return followUp(s, plan);
  const [scan, services, pods, ingresses] = await Promise.all([
    s.call<{ problems: Problem[] }>(SCAN, { since: plan.window.start, limit: 150 }),
    s.call<{ services: ServiceView[] }>(SERVICES, { limit: 500 }),
    s.call<{ pods: PodView[] }>(PODS, { limit: 500 }),
    s.call<{ ingresses: IngressView[] }>(INGRESSES, { limit: 200 }),
  ]);
  const podList = pods?.pods ?? [];
  buildInventory(s, podList, services?.services ?? [], ingresses?.ingresses ?? []);

  const problems = scan?.problems ?? [];
  for (const p of problems) {
    const finding = toFinding(p, podList);
    if (finding) s.add(finding);
  }
  await Promise.all(problems.filter((p) => p.reason === 'RecentRollout').map((p) => rolloutDetails(s, p)));

  // Why containers die: the previous instance's last lines; whether a probed app is itself unwell: its current log.
  const reads: Array<{ workload: string; pod: string; namespace: string; container?: string; previous: boolean }> = [];
  const seen = new Set<string>();
  const want = (workload: string, pod: string, namespace: string, previous: boolean, container?: string) => {
    if (seen.has(`${workload}|${previous}`) || reads.length >= MAX_LOG_READS) return;
    seen.add(`${workload}|${previous}`);
    reads.push({ workload, pod, namespace, previous, ...(container ? { container } : {}) });
  };
  for (const p of problems) {
    if (p.severity === 'info') continue;
    const pod = (p.affected ?? [p.resource]).map(parseResource).find((r) => r?.kind === 'Pod');
    if (!pod) continue;
    if (DYING.has(p.reason)) want(p.workload, pod.name, pod.namespace, true, p.container);
    if (p.reason === 'ProbeFailure' || p.reason === 'Unhealthy') want(p.workload, pod.name, pod.namespace, false, p.container);
  }
  await Promise.all(reads.map((r) => containerLogSignatures(s, r)));

  // The workloads in the frame: the most troubled ones and the ones the trigger names, described in full.
  await Promise.all(workloadsToDescribe(problems, podList, plan).map((w) => describeWorkload(s, w)));

  healthyWorkloads(s, podList, problems);
  return s.report();
}

function toFinding(p: Problem, pods: readonly PodView[]): Finding | undefined {
  let signal: Signal | undefined = REASON_SIGNALS[p.reason];
  if (p.reason === 'FailedMount') signal = /configmap|secret/i.test(p.message) ? 'pod-config-error' : 'pvc-problem';
  signal ??= p.severity === 'info' ? undefined : 'warning-event';
  if (!signal) return undefined;
  if (p.severity === 'info' && signal !== 'workload-rollout') return undefined;
  const exit = /exit code (\d+)/i.exec(p.message) ?? p.evidence.map((e) => /exit code (\d+)/i.exec(e)).find(Boolean);
  const affectedPods = (p.affected ?? []).map(parseResource).filter((r) => r?.kind === 'Pod');
  const node = signal.startsWith('node-')
    ? p.name
    : affectedPods.map((r) => pods.find((x) => x.name === r!.name && x.namespace === r!.namespace)?.node).find(Boolean);
  const oom = p.reason === 'OOMKilled' || /OOMKilled/.test(p.message);
  return {
    signal: oom && signal !== 'pod-probe-failure' ? 'pod-oom-killed' : signal,
    resource: signal.startsWith('node-') ? `Node//${p.name}` : p.resource,
    workload: signal.startsWith('node-') ? `Node//${p.name}` : p.workload,
    severity: p.severity,
    summary: clip(`${p.reason} on ${p.resource}: ${p.message}`),
    since: p.since,
    evidence: [
      { source: SCAN, detail: clip(`${p.reason}: ${p.message}`, 600), at: p.since },
      ...p.evidence.slice(0, 3).map((e) => ({ source: SCAN, detail: clip(e, 400) })),
    ],
    facts: {
      reason: oom ? 'OOMKilled' : p.reason,
      message: clip(p.message, 600),
      count: p.count,
      ...(exit ? { exitCode: Number(exit[1]) } : {}),
      ...(node ? { node } : {}),
    },
  };
}

async function rolloutDetails(s: SpecialistSession, p: Problem): Promise<void> {
  const ref = parseResource(p.workload);
  if (!ref || ref.kind !== 'Deployment') return;
  const history = await s.call<{ revisions: Revision[] }>(ROLLOUTS, { namespace: ref.namespace, deployment_name: ref.name, limit: 5 });
  const revisions = history?.revisions ?? [];
  const current = revisions.find((r) => r.current);
  const previous = revisions.filter((r) => !r.current && current && r.revision < current.revision).sort((a, b) => b.revision - a.revision)[0];
  const finding = s.findings.find((f) => f.signal === 'workload-rollout' && f.workload === p.workload);
  if (!finding || !current) return;
  const image = current.images.join(', ');
  const before = previous?.images.join(', ');
  finding.summary = clip(
    `${p.workload} rolled out revision ${current.revision} (${image}) at ${current.rolled_out_at ?? p.since}${before ? `, replacing revision ${previous!.revision} (${before})` : ''}${current.change_cause ? `; change-cause: ${current.change_cause}` : ''}`,
    600,
  );
  finding.facts = { ...finding.facts, revision: String(current.revision), image, ...(before ? { previousImage: before } : {}) };
  finding.evidence.push({ source: ROLLOUTS, detail: finding.summary, ...(current.rolled_out_at ? { at: current.rolled_out_at } : {}) });
}

async function containerLogSignatures(
  s: SpecialistSession,
  r: { workload: string; pod: string; namespace: string; container?: string; previous: boolean },
): Promise<void> {
  const logs = await s.call<{ lines: Array<{ timestamp?: string; message: string }> }>(LOGS, {
    namespace: r.namespace,
    pod_name: r.pod,
    ...(r.container ? { container: r.container } : {}),
    previous: r.previous,
    limit: 120,
  });
  const lines = (logs?.lines ?? []).map((l) => ({ at: l.timestamp, text: l.message }));
  const groups = new Map<string, { kind: ReturnType<typeof classifySignature>; lines: typeof lines }>();
  for (const line of lines) {
    const sig = classifySignature(extractSignature(signatureText(line.text)));
    if (!sig) continue;
    const key = `${sig.kind}|${sig.label}`;
    const g = groups.get(key) ?? groups.set(key, { kind: sig, lines: [] }).get(key)!;
    g.lines.push(line);
  }
  if (!groups.size) {
    if (!r.previous && lines.length) s.ok(`${r.workload}: the application's own log shows no errors (${lines.length} recent lines of ${r.pod})`, LOGS, r.workload);
    return;
  }
  for (const { kind, lines: matched } of groups.values()) {
    const sig = kind!;
    const last = matched[matched.length - 1]!;
    s.add({
      signal: 'log-signature',
      resource: r.workload,
      workload: r.workload,
      severity: r.previous ? 'critical' : 'warning',
      summary: clip(`${r.workload} ${r.previous ? 'died with' : 'logs'} ${sig.label}: ${last.text}`, 500),
      ...(matched[0]!.at ? { since: matched[0]!.at } : {}),
      ...(last.at ? { until: last.at } : {}),
      evidence: [{ source: LOGS, detail: clip(`${r.pod}${r.previous ? ' (previous container)' : ''}: ${last.text}`, 600), ...(last.at ? { at: last.at } : {}) }],
      facts: { signatureKind: sig.kind, signature: sig.label, targets: sig.targets, count: matched.length, isNew: r.previous, message: clip(last.text, 600) },
    });
  }
}

/**
 * Round two: only the suspects the supervisor names — each described in full, and its containers' logs read (the
 * previous instance when it restarted). The broad round-one calls are not repeated, so nothing is counted twice.
 */
async function followUp(s: SpecialistSession, plan: SpecialistContext['plan']): Promise<ReturnType<SpecialistSession['report']>> {
  const targets = plan.specialists.kubernetes.targets.filter((t) => WORKLOAD.test(t)).slice(0, MAX_DESCRIBES);
  await Promise.all(
    targets.map(async (workload) => {
      await describeWorkload(s, workload);
      const ref = parseResource(workload)!;
      const pods = await s.call<{ pods: PodView[] }>(PODS, { namespace: ref.namespace, pod_name: ref.name, limit: 5 });
      const pod = (pods?.pods ?? []).find((p) => p.workload === workload);
      if (pod) await containerLogSignatures(s, { workload, pod: pod.name, namespace: pod.namespace, previous: pod.restarts > 0 });
      // For a latency-bound suspect, what its own access log says takes longest.
      if (pod && (plan.specialists.kubernetes.subjects ?? []).includes(workload)) {
        const logs = await s.call<{ lines: Array<{ timestamp?: string; message: string }> }>(LOGS, { namespace: pod.namespace, pod_name: pod.name, since: plan.window.incidentStart, limit: 1000 });
        for (const r of slowestRoutes((logs?.lines ?? []).map((l) => ({ text: l.message, ...(l.timestamp ? { at: l.timestamp } : {}) })))) s.add(routeFinding(workload, r, LOGS));
      }
    }),
  );
  return s.report();
}

function workloadsToDescribe(problems: readonly Problem[], pods: readonly PodView[], plan: SpecialistContext['plan']): string[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  const troubled = [...problems]
    .filter((p) => p.severity !== 'info' && parseResource(p.workload)?.kind !== 'Node')
    .sort((a, b) => rank[a.severity] - rank[b.severity] || b.count - a.count)
    .map((p) => p.workload);
  const named = [...new Set(pods.map((p) => p.workload))].filter((w) => {
    const name = parseResource(w)?.name ?? '';
    return plan.focus.terms.length > 0 && nameScore(plan.focus.terms, name) >= 0.6;
  });
  return [...new Set([...named.slice(0, 2), ...troubled])].filter((w) => WORKLOAD.test(w)).slice(0, MAX_DESCRIBES);
}

const WORKLOAD = /^(Deployment|StatefulSet|DaemonSet|Job|CronJob)\//;

interface Described {
  resource: string;
  details: Array<{ field: string; value: string }>;
  images?: string[];
  events?: Array<{ type: string; reason: string; message: string; object?: string; count?: number; first_seen?: string; last_seen?: string }>;
}

async function describeWorkload(s: SpecialistSession, workload: string): Promise<void> {
  const ref = parseResource(workload);
  if (!ref) return;
  const d = await s.call<Described>(DESCRIBE, { kind: ref.kind, namespace: ref.namespace, name: ref.name, limit: 30 });
  if (!d) return;
  const keep = d.details.filter((x) => /image|requests|limits|probe|replicas|health|current revision|environment references|volumes?|strategy/i.test(x.field));
  // Events say what happened to the workload and its pods; repeated ones once, warnings first.
  const seen = new Set<string>();
  const events = [...(d.events ?? [])]
    .sort((a, b) => (a.type === b.type ? 0 : a.type === 'Warning' ? -1 : 1))
    .filter((e) => (seen.has(`${e.reason}|${e.message}`) ? false : (seen.add(`${e.reason}|${e.message}`), true)))
    .slice(0, 8);
  s.add({
    signal: 'workload-details',
    resource: workload,
    workload,
    severity: 'info',
    summary: clip(`${workload}: ${keep.filter((x) => /image|requests|limits/i.test(x.field)).map((x) => `${x.field} ${x.value}`).join('; ')}`, 600),
    evidence: events.map((e) => ({
      source: DESCRIBE,
      detail: clip(`${e.type} ${e.reason}${e.count && e.count > 1 ? ` (x${e.count})` : ''} on ${e.object ?? workload}: ${e.message}`, 500),
      ...(e.last_seen ? { at: e.last_seen } : {}),
    })),
    facts: { message: clip(keep.map((x) => `${x.field}: ${x.value}`).join('\n'), 2000) },
  });
}

function buildInventory(s: SpecialistSession, pods: readonly PodView[], services: readonly ServiceView[], ingresses: readonly IngressView[]): void {
  // Hosts that errors name (https://catalog.example.com): the controller serves them, the backends answer them.
  for (const ing of ingresses) {
    const hosts = [...new Set([...ing.hosts, ...(ing.tls ?? []).flatMap((t) => t.hosts ?? [])])].filter((h) => !h.startsWith('*'));
    const backends = [...new Set((ing.rules ?? []).flatMap((r) => (r.paths ?? []).flatMap((p) => p.backend?.workloads ?? [])))];
    if (!hosts.length) continue;
    s.see({
      resource: `Ingress/${ing.namespace}/${ing.name}`,
      ...(ing.controller?.workload ? { workload: ing.controller.workload } : {}),
      ...(backends.length ? { backends } : {}),
      aliases: hosts.map((h) => h.toLowerCase()),
    });
  }
  const byWorkload = new Map<string, PodView[]>();
  for (const p of pods) (byWorkload.get(p.workload) ?? byWorkload.set(p.workload, []).get(p.workload)!).push(p);
  for (const [workload, own] of byWorkload) {
    const ready = own.filter((p) => /^(\d+)\/\1$/.test(p.ready) && p.status === 'Running').length;
    const active = own.filter((p) => p.status !== 'Completed' && p.status !== 'Succeeded');
    const health: InventoryEntry['health'] = !active.length ? 'healthy' : ready === active.length ? 'healthy' : ready === 0 ? 'down' : 'degraded';
    const entry: InventoryEntry = {
      resource: workload,
      aliases: [...new Set(own.flatMap((p) => (p.pod_ip ? [p.pod_ip] : [])))].slice(0, 20),
      nodes: [...new Set(own.flatMap((p) => (p.node ? [p.node] : [])))],
      health,
    };
    s.see(entry);
  }
  for (const svc of services) {
    const workload = svc.backing_workloads?.[0];
    const health: InventoryEntry['health'] = /^healthy$/i.test(svc.status) ? 'healthy' : /no(ready)?endpoints/i.test(svc.status) ? 'down' : 'degraded';
    s.see({
      resource: `Service/${svc.namespace}/${svc.name}`,
      ...(workload ? { workload } : {}),
      aliases: [
        svc.name,
        `${svc.name}.${svc.namespace}`,
        `${svc.name}.${svc.namespace}.svc`,
        `${svc.name}.${svc.namespace}.svc.cluster.local`,
        ...(svc.cluster_ip && svc.cluster_ip !== 'None' ? [svc.cluster_ip] : []),
        ...(svc.external_name ? [svc.external_name.toLowerCase()] : []),
      ],
      // An ExternalName Service has no pods: its health is the external system's, unknown from here.
      health: svc.external_name ? 'unknown' : health,
    });
  }
  const nodes = [...new Set(pods.flatMap((p) => (p.node ? [p.node] : [])))];
  for (const node of nodes) s.see({ resource: `Node//${node}` });
}

/** What was checked and found healthy: workloads whose pods are all ready and that have no problem. */
function healthyWorkloads(s: SpecialistSession, pods: readonly PodView[], problems: readonly Problem[]): void {
  const troubled = new Set(problems.filter((p) => p.severity !== 'info').map((p) => p.workload));
  const byWorkload = new Map<string, PodView[]>();
  for (const p of pods) (byWorkload.get(p.workload) ?? byWorkload.set(p.workload, []).get(p.workload)!).push(p);
  let shown = 0;
  for (const [workload, own] of byWorkload) {
    if (troubled.has(workload) || shown >= 25) continue;
    const running = own.filter((p) => p.status === 'Running');
    if (!running.length || running.some((p) => !/^(\d+)\/\1$/.test(p.ready))) continue;
    s.ok(`${workload}: ${running.length}/${running.length} pods running and ready`, PODS, workload);
    shown += 1;
  }
}
