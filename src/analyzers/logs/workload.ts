/**
 * The workload a pod belongs to, from its name and labels, so log lines map to pods AND to the Deployment,
 * StatefulSet, DaemonSet, Job or CronJob that owns them. Labels are exact when present (`pod-template-hash`,
 * `statefulset.kubernetes.io/pod-name`, `controller-revision-hash` + `pod-template-generation`, `job-name`);
 * the name is read otherwise: `<deployment>-<replicaset hash>-<suffix>`, `<statefulset>-<ordinal>`,
 * `<daemonset>-<suffix>`.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

export interface Workload {
  kind: WorkloadKind;
  name: string;
  /** The ReplicaSet of a Deployment's pod (`<deployment>-<hash>`). */
  replicaSet?: string;
}

/** The labels workloadOfPod reads: a pod with the same name and values of these has the same workload. */
export const WORKLOAD_LABELS = [
  'pod-template-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'job-name', 'batch.kubernetes.io/job-name',
  'controller-revision-hash', 'pod-template-generation',
] as const;

const DEPLOYMENT_POD_RE = /^(.+)-([a-z0-9]{6,10})-([a-z0-9]{5})$/;
const STATEFUL_POD_RE = /^(.+)-(\d{1,4})$/;
const SUFFIX_POD_RE = /^(.+)-([a-z0-9]{5})$/;
const CRONJOB_JOB_RE = /^(.+)-(\d{8,10})$/;
const CRONJOB_POD_RE = /^(.+)-\d{8,10}-([a-z0-9]{5})$/;

/**
 * Kubernetes draws generated suffixes from an alphabet without vowels ("bcdfghjklmnpqrstvwxz2456789"); recorded
 * or hand-written names are not always that strict, so a segment counts as generated when it is lowercase
 * alphanumeric and holds a digit or no vowel. This keeps words such as `backend` or `worker` out.
 */
function generated(segment: string): boolean {
  let digit = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c < 97 || c > 122) return false;
  }
  return digit || !/[aeiouy]/.test(segment);
}

export function workloadOfPod(pod: string, labels: Readonly<Record<string, string>> = {}): Workload | undefined {
  const hash = labels['pod-template-hash'];
  if (hash) {
    const marker = `-${hash}-`;
    const at = pod.lastIndexOf(marker);
    if (at > 0) return { kind: 'Deployment', name: pod.slice(0, at), replicaSet: pod.slice(0, at + marker.length - 1) };
  }
  if (labels['statefulset.kubernetes.io/pod-name'] || labels['apps.kubernetes.io/pod-index'] !== undefined) {
    const m = STATEFUL_POD_RE.exec(pod);
    if (m) return { kind: 'StatefulSet', name: m[1]! };
  }
  const job = labels['job-name'] ?? labels['batch.kubernetes.io/job-name'];
  if (job) {
    const cron = CRONJOB_JOB_RE.exec(job);
    return cron ? { kind: 'CronJob', name: cron[1]! } : { kind: 'Job', name: job };
  }
  if (labels['controller-revision-hash'] && labels['pod-template-generation']) {
    const m = SUFFIX_POD_RE.exec(pod);
    if (m) return { kind: 'DaemonSet', name: m[1]! };
  }
  // A CronJob's Job is `<cronjob>-<scheduled minute>`, so its pods are `<cronjob>-<8+ digits>-<suffix>`; a
  // ReplicaSet hash is never all digits that long.
  let m = CRONJOB_POD_RE.exec(pod);
  if (m && generated(m[2]!)) return { kind: 'CronJob', name: m[1]! };
  m = DEPLOYMENT_POD_RE.exec(pod);
  if (m && generated(m[2]!) && generated(m[3]!)) return { kind: 'Deployment', name: m[1]!, replicaSet: `${m[1]}-${m[2]}` };
  m = STATEFUL_POD_RE.exec(pod);
  if (m) return { kind: 'StatefulSet', name: m[1]! };
  m = SUFFIX_POD_RE.exec(pod);
  if (m && generated(m[2]!)) return { kind: 'DaemonSet', name: m[1]! };
  return undefined;
}

export interface StreamPod {
  pod: string;
  namespace?: string;
  container?: string;
}

// kubelet's log file name, which Container Insights streams carry:
// `<prefix>.var.log.containers.<pod>_<namespace>_<container>-<64 hex container id>.log` or the bare form.
const STREAM_POD_RE = /(?:^|[./])([a-z0-9][a-z0-9-]*)_([a-z0-9][a-z0-9-]*)_([a-z0-9][a-z0-9-]*)-[0-9a-f]{64}(?:\.log)?$/;

/**
 * The pod a log stream name encodes, if it does: the kubelet file name of Container Insights streams (pod,
 * namespace and container), or a `<app>/<pod>` stream whose last segment is a Deployment pod's name (the
 * unmistakable `<name>-<replicaset hash>-<suffix>`) or a pod of the workload the previous segment names
 * (`orders-db/orders-db-0`).
 */
export function podFromStreamName(stream: string): StreamPod | undefined {
  const m = STREAM_POD_RE.exec(stream);
  if (m) return { pod: m[1]!, namespace: m[2]!, container: m[3]! };
  const slash = stream.lastIndexOf('/');
  if (slash < 0) return undefined;
  const last = stream.slice(slash + 1);
  const d = DEPLOYMENT_POD_RE.exec(last);
  if (d && generated(d[2]!) && generated(d[3]!) && /\d/.test(d[2]! + d[3]!)) return { pod: last };
  // `<workload>/<pod of that workload>`: any pod name form, since the prefix vouches for it.
  const head = stream.slice(stream.lastIndexOf('/', slash - 1) + 1, slash);
  return head && last.startsWith(`${head}-`) && workloadOfPod(last)?.name === head ? { pod: last } : undefined;
}
