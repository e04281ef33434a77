/**
 * What one pod template changed compared with another, as an SRE reads a rollout: per container, the image, the
 * environment (literal values shown, `valueFrom` references as references), envFrom, command and args, requests
 * and limits, probes, ports and volume mounts; per pod, the service account, image pull secrets, node selector,
 * tolerations, affinity, volumes, annotations (`kubectl.kubernetes.io/restartedAt` is a restart) and labels.
 * Anything else that differs is named generically, so no change goes unmentioned.
 *
 * Pod specs (a revision reconstructed from its pods) carry what admission and the scheduler added per pod: the
 * service-account token volume with its random suffix, the node name, per-pod annotations. `fromPods` skips
 * those, so only what the template itself said is compared.
 */
import { asNumber, asString } from './objects.ts';
import { type PodSpecLike, probeText, pullSecretsOf, serviceAccountOf, volumeSourceText } from './pod-spec.ts';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** The pod template (or a pod) to compare: its metadata's labels and annotations, and its spec. */
export interface TemplateLike {
  metadata?: { labels?: Record<string, string> | null; annotations?: Record<string, string> | null } | null;
  spec?: PodSpecLike | null;
}

export interface TemplateDiff {
  /** One line per change, in reading order: containers first, then the pod, its annotations, its labels. */
  changes: string[];
  /** The only change is `kubectl.kubernetes.io/restartedAt`: a `kubectl rollout restart`. */
  restart: boolean;
}

export interface DiffOptions {
  /** The sides are pods rather than templates: ignore what admission, the scheduler and controllers add per pod. */
  fromPods?: boolean;
  /** At most this many change lines; the rest are counted in a last line. Default 40. */
  maxChanges?: number;
}

/** Environment variables whose literal values are credentials: the change is named, the values are not shown. */
const SENSITIVE_ENV = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
/** The service-account token volume admission adds to every pod, with a random suffix. */
const TOKEN_VOLUME = /^kube-api-access-[a-z0-9]+$/;
const TOKEN_MOUNT = /^\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/?$/;
/** Pod spec fields set per pod (by the scheduler, a StatefulSet controller, `kubectl debug`), never by the template. */
const PER_POD_FIELDS = new Set(['nodeName', 'hostname', 'subdomain', 'ephemeralContainers']);
/** Container fields compared one by one below; the others are compared as a whole. */
const CONTAINER_FIELDS = new Set(['name', 'image', 'command', 'args', 'env', 'envFrom', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'ports', 'volumeMounts']);
/** Pod fields compared one by one below. */
const POD_FIELDS = new Set(['containers', 'initContainers', 'volumes', 'serviceAccountName', 'serviceAccount', 'imagePullSecrets', 'nodeSelector', 'tolerations', 'affinity']);
const PROBE_DEFAULTS: Readonly<Record<string, number>> = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
const MAX_VALUE = 160;

type Json = Record<string, unknown>;

function clip(text: string, max = MAX_VALUE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A value as a change line shows it: strings as they are, `""` for empty, JSON for structures. */
function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value === '' ? '""' : clip(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return clip(JSON.stringify(value));
}

/** JSON with keys sorted, so that key order does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => a.localeCompare(b))) : v,
  ) ?? 'undefined';
}

/**
 * `old -> new`; two long strings are cut to where they differ (`…"hash":"9b4e… -> …"hash":"e3c1…`), so that a
 * changed checksum deep inside an annotation still shows.
 */
function pair(a: string, b: string): string {
  if (a.length <= MAX_VALUE && b.length <= MAX_VALUE) return `${a} -> ${b}`;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const start = Math.max(0, i - 40);
  const cut = (x: string) => `${start > 0 ? '…' : ''}${clip(x.slice(start), 100)}`;
  return `${cut(a)} -> ${cut(b)}`;
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as Json).length === 0);
}

/** Changes between two maps keyed by name: `<prefix> KEY: a -> b`, `KEY added: b`, `KEY removed (was a)`. */
function mapChanges(prefix: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, out: string[]): void {
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) out.push(`${prefix} ${key} added: ${clip(value)}`);
    else if (old !== value) out.push(`${prefix} ${key}: ${pair(old, value)}`);
  }
  for (const [key, value] of before) if (!after.has(key)) out.push(`${prefix} ${key} removed (was ${clip(value)})`);
}

/** Changes between two sets of texts: `<prefix> added: x`, `<prefix> removed: y`. */
function setChanges(prefix: string, before: readonly string[], after: readonly string[], out: string[]): void {
  for (const x of after) if (!before.includes(x)) out.push(`${prefix} added: ${x}`);
  for (const x of before) if (!after.includes(x)) out.push(`${prefix} removed: ${x}`);
}

/** A map's entries as full texts (clipped only when shown). */
function stringMap(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Json)) out.set(k, typeof v === 'string' ? (v === '' ? '""' : v) : v === null || v === undefined ? '(none)' : typeof v === 'object' ? canonical(v) : String(v));
  }
  return out;
}

/** A value in full, for comparing and for `pair`. */
function full(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return typeof value === 'object' ? canonical(value) : String(value);
}

interface EnvVar {
  name?: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key?: string; optional?: boolean };
    configMapKeyRef?: { name?: string; key?: string; optional?: boolean };
    fieldRef?: { fieldPath?: string };
    resourceFieldRef?: { resource?: string; containerName?: string; divisor?: unknown };
  } & Json;
}

/** An environment variable's value: the literal, or the reference it is read from. */
function envValue(e: EnvVar): string {
  const from = e.valueFrom;
  if (from) {
    const optional = (r: { optional?: boolean }) => (r.optional ? ' (optional)' : '');
    if (from.secretKeyRef) return `secretKeyRef ${from.secretKeyRef.name ?? '?'}/${from.secretKeyRef.key ?? '?'}${optional(from.secretKeyRef)}`;
    if (from.configMapKeyRef) return `configMapKeyRef ${from.configMapKeyRef.name ?? '?'}/${from.configMapKeyRef.key ?? '?'}${optional(from.configMapKeyRef)}`;
    if (from.fieldRef) return `fieldRef ${from.fieldRef.fieldPath ?? '?'}`;
    if (from.resourceFieldRef) {
      const divisor = from.resourceFieldRef.divisor;
      const scaled = divisor !== undefined && String(divisor) !== '0' && String(divisor) !== '1' ? ` / ${String(divisor)}` : '';
      return `resourceFieldRef ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName} ` : ''}${from.resourceFieldRef.resource ?? '?'}${scaled}`;
    }
    return `valueFrom ${full(from)}`;
  }
  return full(e.value ?? '');
}

function envChanges(prefix: string, before: unknown, after: unknown, out: string[]): void {
  const read = (list: unknown) => {
    const m = new Map<string, EnvVar>();
    // A later entry with the same name wins, as in the kubelet.
    if (Array.isArray(list)) for (const e of list as EnvVar[]) if (asString(e?.name)) m.set(e.name!, e);
    return m;
  };
  const a = read(before);
  const b = read(after);
  const hidden = (name: string, e: EnvVar) => !e.valueFrom && SENSITIVE_ENV.test(name);
  for (const [name, e] of b) {
    const old = a.get(name);
    const value = hidden(name, e) ? '(literal value hidden)' : envValue(e);
    if (!old) out.push(`${prefix} env ${name} added: ${clip(value)}`);
    else if (!same(old, e)) {
      out.push(hidden(name, e) && hidden(name, old) ? `${prefix} env ${name}: literal value changed (hidden)` : `${prefix} env ${name}: ${pair(hidden(name, old) ? '(literal value hidden)' : envValue(old), value)}`);
    }
  }
  for (const [name, e] of a) if (!b.has(name)) out.push(`${prefix} env ${name} removed (was ${hidden(name, e) ? 'a literal value' : clip(envValue(e))})`);
}

function envFromTexts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return (list as Array<{ prefix?: string; configMapRef?: { name?: string; optional?: boolean }; secretRef?: { name?: string; optional?: boolean } }>).map((e) => {
    const ref = e.configMapRef ? `configMapRef ${e.configMapRef.name ?? '?'}${e.configMapRef.optional ? ' (optional)' : ''}` : e.secretRef ? `secretRef ${e.secretRef.name ?? '?'}${e.secretRef.optional ? ' (optional)' : ''}` : show(e);
    return `${ref}${e.prefix ? ` prefix ${e.prefix}` : ''}`;
  });
}

function argText(list: unknown): string {
  if (!Array.isArray(list) || !list.length) return '(none)';
  return clip(list.map((x) => (typeof x === 'string' && !/\s/.test(x) && x !== '' ? x : JSON.stringify(x))).join(' '), 300);
}

/** Command or args: element by element when only a few of the same number changed, else the whole line. */
function argChanges(prefix: string, field: string, before: unknown, after: unknown, out: string[]): void {
  if (same(before ?? [], after ?? [])) return;
  const a = Array.isArray(before) ? (before as unknown[]) : [];
  const b = Array.isArray(after) ? (after as unknown[]) : [];
  if (a.length && a.length === b.length) {
    const changed = a.map((_x, i) => i).filter((i) => !same(a[i], b[i]));
    if (changed.length <= 3) {
      for (const i of changed) out.push(`${prefix} ${field}[${i}]: ${show(a[i])} -> ${show(b[i])}`);
      return;
    }
  }
  out.push(`${prefix} ${field}: ${argText(before)} -> ${argText(after)}`);
}

function resourceChanges(prefix: string, before: unknown, after: unknown, out: string[]): void {
  const a = (before ?? {}) as { requests?: Json; limits?: Json };
  const b = (after ?? {}) as { requests?: Json; limits?: Json };
  for (const kind of ['requests', 'limits'] as const) {
    const x = stringMap(a[kind]);
    const y = stringMap(b[kind]);
    for (const key of new Set([...x.keys(), ...y.keys()])) {
      if (x.get(key) !== y.get(key)) out.push(`${prefix} ${kind} ${key}: ${x.get(key) ?? '(none)'} -> ${y.get(key) ?? '(none)'}`);
    }
  }
}

/** A probe as flat fields: its handler's parts and its timings, with the API's defaults filled in. */
function probeFields(probe: Json): Map<string, string> {
  const out = new Map<string, string>();
  const http = probe.httpGet as { path?: string; port?: unknown; scheme?: string; host?: string; httpHeaders?: unknown } | undefined;
  const tcp = probe.tcpSocket as { port?: unknown; host?: string } | undefined;
  const grpc = probe.grpc as { port?: unknown; service?: string } | undefined;
  const exec = probe.exec as { command?: unknown } | undefined;
  if (http) {
    out.set('handler', 'httpGet');
    out.set('path', http.path ?? '/');
    out.set('port', String(http.port ?? ''));
    out.set('scheme', http.scheme ?? 'HTTP');
    if (http.host) out.set('host', http.host);
    if (http.httpHeaders) out.set('httpHeaders', show(http.httpHeaders));
  } else if (tcp) {
    out.set('handler', 'tcpSocket');
    out.set('port', String(tcp.port ?? ''));
    if (tcp.host) out.set('host', tcp.host);
  } else if (grpc) {
    out.set('handler', 'grpc');
    out.set('port', String(grpc.port ?? ''));
    if (grpc.service) out.set('service', grpc.service);
  } else if (exec) {
    out.set('handler', 'exec');
    out.set('command', argText(exec.command));
  }
  for (const [field, fallback] of Object.entries(PROBE_DEFAULTS)) out.set(field, String(asNumber(probe[field], fallback)));
  if (probe.terminationGracePeriodSeconds !== undefined) out.set('terminationGracePeriodSeconds', show(probe.terminationGracePeriodSeconds));
  return out;
}

function probeChanges(prefix: string, kind: string, before: unknown, after: unknown, out: string[]): void {
  const a = before && typeof before === 'object' ? (before as Json) : undefined;
  const b = after && typeof after === 'object' ? (after as Json) : undefined;
  if (!a && !b) return;
  if (!a) return void out.push(`${prefix} ${kind} probe added: ${probeText(b)}`);
  if (!b) return void out.push(`${prefix} ${kind} probe removed (was ${probeText(a)})`);
  const x = probeFields(a);
  const y = probeFields(b);
  if (x.get('handler') !== y.get('handler')) return void out.push(`${prefix} ${kind} probe: ${probeText(a)} -> ${probeText(b)}`);
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    if (x.get(key) !== y.get(key)) out.push(`${prefix} ${kind} probe ${key}: ${x.get(key) ?? '(none)'} -> ${y.get(key) ?? '(none)'}`);
  }
}

function portTexts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return (list as Array<{ containerPort?: number; protocol?: string; name?: string; hostPort?: number }>).map(
    (p) => `${p.containerPort ?? '?'}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}${p.hostPort ? ` host ${p.hostPort}` : ''}`,
  );
}

function mountMap(list: unknown, fromPods: boolean): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(list)) return out;
  for (const m of list as Array<{ name?: string; mountPath?: string; subPath?: string; subPathExpr?: string; readOnly?: boolean }>) {
    if (!m?.mountPath) continue;
    if (fromPods && (TOKEN_VOLUME.test(m.name ?? '') || TOKEN_MOUNT.test(m.mountPath))) continue;
    out.set(m.mountPath, `${m.name ?? '?'}${m.subPath ? ` subPath ${m.subPath}` : ''}${m.subPathExpr ? ` subPathExpr ${m.subPathExpr}` : ''}${m.readOnly ? ' (ro)' : ''}`);
  }
  return out;
}

function containerChanges(label: string, a: Json, b: Json, fromPods: boolean, out: string[]): void {
  if (a.image !== b.image) out.push(`${label} image: ${pair(full(a.image), full(b.image))}`);
  envChanges(label, a.env, b.env, out);
  setChanges(`${label} envFrom`, envFromTexts(a.envFrom), envFromTexts(b.envFrom), out);
  argChanges(label, 'command', a.command, b.command, out);
  argChanges(label, 'args', a.args, b.args, out);
  resourceChanges(label, a.resources, b.resources, out);
  for (const kind of ['liveness', 'readiness', 'startup'] as const) probeChanges(label, kind, a[`${kind}Probe`], b[`${kind}Probe`], out);
  const pa = portTexts(a.ports);
  const pb = portTexts(b.ports);
  if (pa.join(', ') !== pb.join(', ')) out.push(`${label} ports: ${pa.join(', ') || '(none)'} -> ${pb.join(', ') || '(none)'}`);
  mapChanges(`${label} volumeMount`, mountMap(a.volumeMounts, fromPods), mountMap(b.volumeMounts, fromPods), out);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (CONTAINER_FIELDS.has(key) || same(a[key], b[key]) || (isEmpty(a[key]) && isEmpty(b[key]))) continue;
    out.push(`${label} ${key}: ${pair(full(a[key]), full(b[key]))}`);
  }
}

function containersOf(spec: PodSpecLike | null | undefined, field: 'containers' | 'initContainers'): Map<string, Json> {
  const list = spec?.[field];
  const out = new Map<string, Json>();
  if (Array.isArray(list)) for (const c of list as Json[]) if (c && typeof c.name === 'string') out.set(c.name, c);
  return out;
}

function volumeMap(spec: PodSpecLike | null | undefined, fromPods: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const list = spec?.volumes;
  if (!Array.isArray(list)) return out;
  for (const v of list as Json[]) {
    const name = asString(v?.name);
    if (!name || (fromPods && TOKEN_VOLUME.test(name))) continue;
    // The source phrase, plus the whole definition so that e.g. changed items of a ConfigMap volume count.
    out.set(name, `${volumeSourceText(v)}\u0000${canonical(v)}`);
  }
  return out;
}

function tolerationTexts(spec: PodSpecLike | null | undefined): string[] {
  const list = spec?.tolerations;
  if (!Array.isArray(list)) return [];
  return (list as Array<{ key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }>).map((t) => {
    const key = t.key ?? '*';
    const match = t.operator === 'Exists' ? `${key} (exists)` : `${key}=${t.value ?? ''}`;
    return `${match}:${t.effect || 'any effect'}${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ''}`;
  });
}

/** Pod-level changes: service account, pull secrets, node selector, tolerations, affinity, volumes, the rest. */
function podChanges(a: PodSpecLike, b: PodSpecLike, fromPods: boolean, out: string[]): void {
  const sa = serviceAccountOf(a).name;
  const sb = serviceAccountOf(b).name;
  if (sa !== sb) out.push(`service account: ${sa} -> ${sb}`);
  setChanges('image pull secret', pullSecretsOf(a), pullSecretsOf(b), out);
  mapChanges('node selector', stringMap(a.nodeSelector), stringMap(b.nodeSelector), out);
  setChanges('toleration', tolerationTexts(a), tolerationTexts(b), out);
  if (!same(a.affinity ?? {}, b.affinity ?? {})) out.push(`affinity: ${pair(full(a.affinity), full(b.affinity))}`);
  const va = volumeMap(a, fromPods);
  const vb = volumeMap(b, fromPods);
  const phrase = (v: string) => v.split('\u0000')[0]!;
  for (const [name, v] of vb) {
    const old = va.get(name);
    if (old === undefined) out.push(`volume ${name} added: ${phrase(v)}`);
    else if (old !== v) out.push(phrase(old) !== phrase(v) ? `volume ${name}: ${phrase(old)} -> ${phrase(v)}` : `volume ${name} (${phrase(v)}) definition changed`);
  }
  for (const [name, v] of va) if (!vb.has(name)) out.push(`volume ${name} removed (was ${phrase(v)})`);
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (POD_FIELDS.has(key) || (fromPods && PER_POD_FIELDS.has(key)) || same(a[key], b[key]) || (isEmpty(a[key]) && isEmpty(b[key]))) continue;
    out.push(`pod ${key}: ${pair(full(a[key]), full(b[key]))}`);
  }
}

/** Annotations of pods that the template set: a restart's timestamp and config checksums (`checksum/config`). */
function templateAnnotation(key: string): boolean {
  return key === RESTARTED_AT_ANNOTATION || /(^|\/)checksum[/-]|^checksum$/i.test(key);
}

/** What `after` changed compared with `before`. */
export function diffPodTemplates(before: TemplateLike, after: TemplateLike, options: DiffOptions = {}): TemplateDiff {
  const fromPods = options.fromPods === true;
  const out: string[] = [];
  const sa = before.spec ?? {};
  const sb = after.spec ?? {};
  for (const field of ['initContainers', 'containers'] as const) {
    const word = field === 'initContainers' ? 'init container' : 'container';
    const ca = containersOf(sa, field);
    const cb = containersOf(sb, field);
    for (const [name, c] of cb) {
      const old = ca.get(name);
      if (!old) out.push(`${word} ${name} added (image ${show(c.image)})`);
      else containerChanges(`${word} ${name}`, old, c, fromPods, out);
    }
    for (const [name, c] of ca) if (!cb.has(name)) out.push(`${word} ${name} removed (image ${show(c.image)})`);
  }
  podChanges(sa, sb, fromPods, out);

  const annotations = (t: TemplateLike) => {
    const m = stringMap(t.metadata?.annotations ?? {});
    if (fromPods) for (const key of [...m.keys()]) if (!templateAnnotation(key)) m.delete(key);
    return m;
  };
  const restartLines: string[] = [];
  const aa = annotations(before);
  const ab = annotations(after);
  const restartedAt = ab.get(RESTARTED_AT_ANNOTATION);
  if (aa.get(RESTARTED_AT_ANNOTATION) !== restartedAt) {
    restartLines.push(`pod annotation ${RESTARTED_AT_ANNOTATION}: ${aa.get(RESTARTED_AT_ANNOTATION) ?? '(none)'} -> ${restartedAt ?? '(none)'}`);
    aa.delete(RESTARTED_AT_ANNOTATION);
    ab.delete(RESTARTED_AT_ANNOTATION);
  }
  const annotationLines: string[] = [];
  mapChanges('pod annotation', aa, ab, annotationLines);
  const labels = (t: TemplateLike) => {
    const m = stringMap(t.metadata?.labels ?? {});
    m.delete('pod-template-hash');
    m.delete('controller-revision-hash');
    m.delete('statefulset.kubernetes.io/pod-name');
    m.delete('apps.kubernetes.io/pod-index');
    return m;
  };
  const labelLines: string[] = [];
  mapChanges('pod label', labels(before), labels(after), labelLines);

  if (!out.length && !annotationLines.length && !labelLines.length && restartLines.length && restartedAt) {
    return { changes: [`restart only (kubectl rollout restart at ${restartedAt}): the pod template is otherwise unchanged`], restart: true };
  }
  const all = [...out, ...restartLines, ...annotationLines, ...labelLines];
  const max = Math.max(1, options.maxChanges ?? 40);
  if (all.length > max) return { changes: [...all.slice(0, max - 1), `... and ${all.length - max + 1} more changes`], restart: false };
  return { changes: all, restart: false };
}
