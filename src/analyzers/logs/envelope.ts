/**
 * The shipper's envelope around a log line. Container Insights (Fluent Bit or Fluentd) ships each line as a JSON
 * object: `{"log": "<line>\n", "stream": "stderr", "time": "...", "_p": "F", "kubernetes": {pod_name,
 * namespace_name, container_name, labels, container_image, host, ...}}`; FireLens on ECS uses `source` and a top
 * level `container_name`. With Fluent Bit's `Merge_Log` the parsed line may sit in `log_processed` or be merged
 * into the top level. Anything else is the raw line itself.
 */
import { type Fields, parseJsonObject } from './structured.ts';

export interface KubernetesMeta {
  podName?: string;
  namespace?: string;
  containerName?: string;
  labels: Record<string, string>;
  containerImage?: string;
  host?: string;
}

export interface Envelope {
  /** The application's line, without the trailing newline. */
  line: string;
  /** stdout / stderr, when the shipper recorded it. */
  stream?: string;
  kubernetes?: KubernetesMeta;
  /** The shipper's own timestamp of the line, as recorded (read with timestampValue only when needed). */
  time?: unknown;
  /** CRI partial line (`_p: "P"`): the next event of the same stream continues this line. */
  partial: boolean;
  /** The line's fields when the shipper already parsed it (Merge_Log). */
  fields?: Fields;
}

const SHIPPER_KEYS = new Set(['kubernetes', 'stream', 'source', 'time', '@timestamp', '_p', 'docker', 'log', 'log_processed', 'container_id', 'container_name', 'ecs_cluster', 'ecs_task_arn', 'ecs_task_definition']);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function isStdStream(value: unknown): boolean {
  return value === 'stdout' || value === 'stderr';
}

function stripNewline(line: string): string {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

function kubernetesMeta(value: unknown): KubernetesMeta | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const k = value as Fields;
  const labels: Record<string, string> = {};
  if (k.labels && typeof k.labels === 'object' && !Array.isArray(k.labels)) {
    for (const [key, v] of Object.entries(k.labels as Fields)) if (typeof v === 'string') labels[key] = v;
  }
  return {
    podName: str(k.pod_name),
    namespace: str(k.namespace_name),
    containerName: str(k.container_name),
    labels,
    containerImage: str(k.container_image),
    host: str(k.host),
  };
}

function rawLine(message: string): Envelope {
  return { line: stripNewline(message), partial: false, stream: undefined, kubernetes: undefined, time: undefined, fields: undefined };
}

/** Unwraps a FilteredLogEvent message. */
export function unwrapEnvelope(message: string): Envelope {
  const obj = parseJsonObject(message);
  if (!obj) return rawLine(message);
  const k8s = kubernetesMeta(obj.kubernetes);
  const hasLog = typeof obj.log === 'string';
  const processed = obj.log_processed && typeof obj.log_processed === 'object' && !Array.isArray(obj.log_processed) ? (obj.log_processed as Fields) : undefined;
  const isEnvelope = !!k8s || (hasLog && (isStdStream(obj.stream) || isStdStream(obj.source) || typeof obj.container_name === 'string'));
  // An application's own JSON line, not an envelope.
  if (!isEnvelope) return rawLine(message);

  const stream = str(obj.stream) ?? str(obj.source);
  const time = obj.time ?? obj['@timestamp'];
  const meta: KubernetesMeta | undefined =
    k8s ?? (typeof obj.container_name === 'string' ? { containerName: obj.container_name, labels: {} } : undefined);
  if (meta && !meta.containerName && typeof obj.container_name === 'string') meta.containerName = obj.container_name;
  const envelope: Envelope = { line: '', partial: obj._p === 'P', stream, kubernetes: meta, time, fields: undefined };

  if (hasLog) {
    envelope.line = stripNewline(obj.log as string);
    if (processed) envelope.fields = processed;
    return envelope;
  }
  if (processed) {
    envelope.fields = processed;
    envelope.line = JSON.stringify(processed);
    return envelope;
  }
  // Merge_Log with Keep_Log Off: the line's fields are the envelope's other keys.
  const rest: Fields = {};
  for (const [key, v] of Object.entries(obj)) if (!SHIPPER_KEYS.has(key)) rest[key] = v;
  envelope.fields = rest;
  envelope.line = Object.keys(rest).length ? JSON.stringify(rest) : '';
  return envelope;
}
