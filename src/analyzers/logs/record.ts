/**
 * A log record: one CloudWatch FilteredLogEvent parsed once for every tool. The shipper's envelope is
 * unwrapped, the line parsed (line.ts), and the line attributed to a service, a pod and the workload that
 * owns it. Multi-line stack traces are re-joined afterwards (multiline.ts).
 */
import type { LogEventRecord } from '../../providers/logs/port.ts';
import { unwrapEnvelope } from './envelope.ts';
import type { LogLevel } from './level.ts';
import { parseLine } from './line.ts';
import type { Fields } from './structured.ts';
import { timestampValue } from './timestamp.ts';
import { WORKLOAD_LABELS, type Workload, podFromStreamName, workloadOfPod } from './workload.ts';

export interface LogRecord {
  /** Epoch ms: the line's own stamp when it has a plausible one, else the shipper's, else the event's. */
  timestamp: number;
  /** The CloudWatch event's timestamp (epoch ms). */
  eventTimestamp: number;
  level: LogLevel;
  levelExplicit: boolean;
  /** The human message (first line only; a joined trace is in `stackTrace`). */
  message: string;
  /** The application's line as written (envelope removed); with continuation lines when joined. */
  line: string;
  stackTrace?: string;
  logGroup: string;
  logStream: string;
  /** stdout / stderr. */
  stream?: string;
  service: string;
  namespace?: string;
  pod?: string;
  container?: string;
  node?: string;
  image?: string;
  labels?: Readonly<Record<string, string>>;
  workload?: Workload;
  correlationId?: string;
  /** JSON / logfmt fields of a structured line. */
  fields?: Fields;
  /** Multi-line joining hints. */
  headed: boolean;
  partial: boolean;
  /**
   * Write order: the shipper's nanosecond time as its millisecond and the nanoseconds within it (0–999999).
   * CloudWatch keeps (sometimes rounded) milliseconds only, and lines written in the same millisecond (a stack
   * trace) may come back in any order. Without a shipper time: the event's timestamp and 0.
   */
  writeMs: number;
  subMs: number;
}

// A line stamp further than this from the event's time is misread (wrong zone, no year): use the event's time.
const MAX_STAMP_SKEW_MS = 24 * 3_600_000;

const SERVICE_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'app.kubernetes.io/instance'];
// Log group segments that name a kind of log rather than a service.
const GENERIC_GROUP_SEGMENTS = new Set([
  'application', 'dataplane', 'host', 'performance', 'cluster', 'containers', 'logs', 'app', 'default', 'access', 'error', 'errors', 'audit',
  'security', 'stdout', 'stderr', 'debug', 'metrics',
]);

export function parseLogEvent(event: LogEventRecord): LogRecord {
  const ref = event.timestamp;
  const envelope = unwrapEnvelope(event.message);
  const parsed = parseLine(envelope.line, ref, envelope.fields);
  const k8s = envelope.kubernetes;
  const fromStream = k8s?.podName ? undefined : podFromStreamName(event.logStreamName);
  const pod = k8s?.podName ?? fromStream?.pod;
  const namespace = k8s?.namespace ?? fromStream?.namespace;
  const container = k8s?.containerName ?? fromStream?.container;
  const labels = k8s?.labels ?? {};
  const workload = pod ? podWorkload(pod, labels) : undefined;

  let timestamp = parsed.timestamp;
  if ((timestamp === undefined || Math.abs(timestamp - ref) > MAX_STAMP_SKEW_MS) && envelope.time !== undefined) {
    timestamp = timestampValue(envelope.time, ref);
  }
  if (timestamp === undefined || Math.abs(timestamp - ref) > MAX_STAMP_SKEW_MS) timestamp = ref;

  const service =
    parsed.service ??
    labelService(labels) ??
    workload?.name ??
    container ??
    serviceFromGroup(event.logGroupName, event.logStreamName);

  // Every field set, absent ones as undefined: one object shape for all records keeps the filters' loops fast.
  const record: LogRecord = {
    timestamp,
    eventTimestamp: ref,
    level: parsed.level,
    levelExplicit: parsed.levelExplicit,
    message: parsed.message,
    line: envelope.line,
    stackTrace: parsed.stackTrace,
    logGroup: event.logGroupName,
    logStream: event.logStreamName,
    stream: envelope.stream,
    service,
    namespace,
    pod,
    container,
    node: k8s?.host,
    image: k8s?.containerImage,
    labels: k8s && Object.keys(labels).length ? labels : undefined,
    workload,
    correlationId: parsed.correlationId,
    fields: parsed.fields,
    headed: parsed.headed,
    partial: envelope.partial,
    writeMs: ref,
    subMs: 0,
  };
  if (typeof envelope.time === 'string') writeOrder(record, envelope.time);
  return record;
}

// A pod's workload is the same on every line it logs: remember it (bounded; cleared when full).
const workloads = new Map<string, Workload | null>();
const MAX_CACHED_PODS = 20_000;

function podWorkload(pod: string, labels: Readonly<Record<string, string>>): Workload | undefined {
  let key = pod;
  for (const label of WORKLOAD_LABELS) key += `\u0000${labels[label] ?? ''}`;
  let w = workloads.get(key);
  if (w === undefined) {
    if (workloads.size >= MAX_CACHED_PODS) workloads.clear();
    w = workloadOfPod(pod, labels) ?? null;
    workloads.set(key, w);
  }
  return w ?? undefined;
}

/**
 * Sets writeMs / subMs from an RFC 3339 time with a 4–9 digit fraction. Its millisecond is read from the text
 * (no date parsing) and reconciled with the event's, which may be rounded rather than truncated; a time that
 * disagrees with the event by more than a few milliseconds is ignored.
 */
function writeOrder(record: LogRecord, time: string): void {
  const m = /\.(\d{3})(\d{1,6})/.exec(time);
  if (!m) return;
  let drift = (record.eventTimestamp % 1000) - Number(m[1]);
  if (drift > 500) drift -= 1000;
  else if (drift < -500) drift += 1000;
  if (Math.abs(drift) > 2) return;
  record.writeMs = record.eventTimestamp - drift;
  record.subMs = Number(m[2]!.padEnd(6, '0'));
}

function labelService(labels: Readonly<Record<string, string>>): string | undefined {
  for (const key of SERVICE_LABELS) {
    const value = labels[key];
    if (value) return value;
  }
  return undefined;
}

/**
 * A service name for lines without Kubernetes metadata: the last segment of the log group (`/aws/lambda/orders`,
 * `/ecs/checkout-api`), or, for Container Insights' generic groups, the stream's leading name
 * (`kube-apiserver-1a2b3c...` → `kube-apiserver`).
 */
export function serviceFromGroup(logGroup: string, logStream: string): string {
  const segments = logGroup.split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  if (last && !GENERIC_GROUP_SEGMENTS.has(last.toLowerCase())) return last;
  const streamHead = logStream.split('/')[0]!.split(/[._]/)[0]!.replace(/-[0-9a-f]{6,}$/i, '');
  return streamHead || last || logGroup || 'unknown';
}

/**
 * The workload as a resource name, `Kind/namespace/name` (src/domain/resource.ts); undefined when the namespace
 * is unknown (a raw line in a non-Container Insights group), since `Kind//name` would name a cluster-scoped object.
 */
export function workloadResource(record: Pick<LogRecord, 'workload' | 'namespace'>): string | undefined {
  return record.workload && record.namespace ? `${record.workload.kind}/${record.namespace}/${record.workload.name}` : undefined;
}
