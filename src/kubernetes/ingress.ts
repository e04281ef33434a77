/**
 * Ingresses (networking.k8s.io/v1, and the v1beta1 backend shape of old recordings): their class, hosts, TLS
 * entries, rules and backends resolved to Services and the workloads behind them, host matching with wildcards
 * as the API defines it, and the ingress controller serving a class, found among the cluster's workloads from
 * what it is started with (`--ingress-class`, `--controller-class`, `--watch-ingress-without-class`, the
 * equivalents of other controllers) and from the labels and images of well-known controllers.
 */
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { asNumber, asString, loadBalancerAddresses, refOf } from './objects.ts';
import { fromMap, matchesSelector } from './selectors.ts';
import { type ServiceStatus, serviceBackends } from './service-backends.ts';
import type { ClusterSnapshot } from './snapshot.ts';

/** The annotation that named the class before spec.ingressClassName (still honoured by most controllers). */
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface IngressClassRef {
  name?: string;
  source: 'spec' | 'annotation' | 'none';
}

export function ingressClassOf(ing: KubeObject): IngressClassRef {
  const spec = asString(ing.spec?.ingressClassName);
  if (spec) return { name: spec, source: 'spec' };
  const annotation = asString(ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION]);
  if (annotation) return { name: annotation, source: 'annotation' };
  return { source: 'none' };
}

export interface BackendRef {
  service?: string;
  /** The Service port: a number or a port name. */
  port?: number | string;
  /** A resource backend, `Kind/name` (apiGroup omitted). */
  resource?: string;
}

interface RawBackend {
  service?: { name?: string; port?: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
  serviceName?: string;
  servicePort?: number | string;
}

export function backendOf(raw: unknown): BackendRef | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const b = raw as RawBackend;
  const service = asString(b.service?.name) ?? asString(b.serviceName);
  if (service) {
    const port = b.service ? (typeof b.service.port?.number === 'number' ? b.service.port.number : asString(b.service.port?.name)) : b.servicePort;
    return { service, ...(port !== undefined && port !== '' ? { port } : {}) };
  }
  if (b.resource?.kind && b.resource.name) return { resource: `${b.resource.kind}/${b.resource.name}` };
  return undefined;
}

export function backendText(b: BackendRef): string {
  if (b.resource) return b.resource;
  return b.port !== undefined ? `${b.service}:${b.port}` : (b.service ?? '?');
}

export interface IngressPath {
  /** The rule's host; undefined for a rule that matches every host, and for the default backend. */
  host?: string;
  path: string;
  pathType?: string;
  backend: BackendRef;
  /** The spec.defaultBackend: requests no rule matches. */
  isDefault?: boolean;
}

interface RawRule {
  host?: string;
  http?: { paths?: Array<{ path?: string; pathType?: string; backend?: unknown }> };
}

/** Every path of every rule, then the default backend. */
export function ingressPaths(ing: KubeObject): IngressPath[] {
  const out: IngressPath[] = [];
  const rules = (Array.isArray(ing.spec?.rules) ? ing.spec.rules : []) as RawRule[];
  for (const rule of rules) {
    const host = asString(rule?.host);
    for (const p of rule?.http?.paths ?? []) {
      const backend = backendOf(p?.backend);
      if (!backend) continue;
      out.push({ ...(host ? { host } : {}), path: asString(p.path) ?? '/', ...(asString(p.pathType) ? { pathType: p.pathType } : {}), backend });
    }
  }
  const fallback = backendOf(ing.spec?.defaultBackend ?? ing.spec?.backend);
  if (fallback) out.push({ path: '/', backend: fallback, isDefault: true });
  return out;
}

export interface TlsEntry {
  hosts: string[];
  secretName?: string;
}

export function ingressTls(ing: KubeObject): TlsEntry[] {
  const list = (Array.isArray(ing.spec?.tls) ? ing.spec.tls : []) as Array<{ hosts?: unknown[]; secretName?: string }>;
  return list.map((t) => ({
    hosts: (Array.isArray(t?.hosts) ? t.hosts : []).filter((h): h is string => typeof h === 'string' && h !== ''),
    ...(asString(t?.secretName) ? { secretName: t.secretName } : {}),
  }));
}

/** The hosts the Ingress names in its rules and TLS entries, in order, without repeats. */
export function ingressHosts(ing: KubeObject): string[] {
  const rules = (Array.isArray(ing.spec?.rules) ? ing.spec.rules : []) as RawRule[];
  return [...new Set([...rules.map((r) => asString(r?.host)).filter((h): h is string => !!h), ...ingressTls(ing).flatMap((t) => t.hosts)].map((h) => h.toLowerCase()))];
}

/**
 * A host as typed by a person or quoted from an error: lower case, without scheme, user, port, path or the
 * trailing dot of a fully qualified name. `https://www.example.com:443/api` → `www.example.com`.
 */
export function normalizeHost(text: string): string {
  let h = text.trim().toLowerCase();
  h = h.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  h = h.replace(/[/?#].*$/, '');
  h = h.replace(/^[^@]*@/, '');
  if (!h.startsWith('[')) h = h.replace(/:\d*$/, '');
  return h.replace(/\.$/, '');
}

/**
 * Whether two hosts can name the same request, wildcards as the Ingress API defines them: `*.example.com`
 * matches exactly one label before `example.com` (`a.example.com`, not `example.com` nor `a.b.example.com`).
 */
export function hostsMatch(a: string, b: string): boolean {
  const x = normalizeHost(a);
  const y = normalizeHost(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const covers = (wild: string, host: string) => wild.startsWith('*.') && !host.startsWith('*.') && host.indexOf('.') > 0 && host.slice(host.indexOf('.') + 1) === wild.slice(2);
  return covers(x, y) || covers(y, x);
}

// ---------------------------------------------------------------------------------------------------------------
// Ingress controllers

/** Controllers known by their labels or images, with the class each serves when not told otherwise. */
const KNOWN_CONTROLLERS: ReadonlyArray<{ name: string; labels: readonly string[]; image: RegExp; defaultClass: string }> = [
  { name: 'ingress-nginx', labels: ['ingress-nginx'], image: /ingress-nginx\/controller|nginx-ingress-controller/, defaultClass: 'nginx' },
  { name: 'nginx-ingress', labels: ['nginx-ingress', 'nginx-ingress-controller'], image: /nginx\/nginx-ingress|nginx-plus-ingress/, defaultClass: 'nginx' },
  { name: 'traefik', labels: ['traefik'], image: /(^|\/)traefik(:|@|$)/, defaultClass: 'traefik' },
  { name: 'haproxy-ingress', labels: ['haproxy-ingress'], image: /haproxy-ingress/, defaultClass: 'haproxy' },
  { name: 'haproxytech-kubernetes-ingress', labels: ['kubernetes-ingress'], image: /haproxytech\/kubernetes-ingress/, defaultClass: 'haproxy' },
  { name: 'contour', labels: ['contour'], image: /projectcontour\/contour/, defaultClass: 'contour' },
  { name: 'kong', labels: ['kong', 'ingress-kong'], image: /kong\/kubernetes-ingress-controller/, defaultClass: 'kong' },
  { name: 'aws-load-balancer-controller', labels: ['aws-load-balancer-controller'], image: /aws-load-balancer-controller/, defaultClass: 'alb' },
  { name: 'emissary-ingress', labels: ['emissary-ingress', 'ambassador'], image: /emissary|datawire\/ambassador/, defaultClass: 'ambassador' },
  { name: 'skipper', labels: ['skipper-ingress', 'skipper'], image: /(^|\/)skipper(:|@|$)/, defaultClass: 'skipper' },
  { name: 'apisix-ingress-controller', labels: ['apisix-ingress-controller'], image: /apisix-ingress-controller/, defaultClass: 'apisix' },
  { name: 'istio', labels: ['istiod'], image: /istio\/pilot/, defaultClass: 'istio' },
  { name: 'application-gateway-ingress', labels: ['ingress-azure'], image: /azure-application-gateway|ingress-appgw/, defaultClass: 'azure-application-gateway' },
];

/** What a workload's pod template says about serving Ingresses. */
export interface ControllerTraits {
  /** Classes named by flags or environment (`--ingress-class=nginx-internal`, `CONTROLLER_INGRESS_CLASS=kong`). */
  classes: string[];
  /** `--controller-class` values, the IngressClass spec.controller it claims (e.g. k8s.io/ingress-nginx). */
  controllerClasses: string[];
  /** It also serves Ingresses that name no class. */
  watchWithoutClass: boolean;
  /** A well-known controller, recognised by its labels or image. */
  known?: string;
  defaultClass?: string;
  /** The flags and labels these traits came from, for evidence. */
  evidence: string[];
}

interface ContainerLike {
  name?: string;
  image?: string;
  command?: unknown[];
  args?: unknown[];
  env?: Array<{ name?: string; value?: unknown }>;
}

const CLASS_FLAG = /(^|[.\-_])ingress-?class(-?name)?$/;
const CONTROLLER_CLASS_FLAG = /(^|[.\-_])controller-?class$/;
const WITHOUT_CLASS_FLAG = /^watch-ingress-without-class$/;
const CLASS_ENV = /(^|_)INGRESS_?CLASS(_?NAME)?$/;

/** `--name=value`, `-name=value` and `--name value` flags of a container's command and args. */
function flagsOf(c: ContainerLike): Array<{ name: string; value?: string; text: string }> {
  const tokens = [...(c.command ?? []), ...(c.args ?? [])].filter((t): t is string => typeof t === 'string').flatMap((t) => t.split(/\s+/)).filter(Boolean);
  const out: Array<{ name: string; value?: string; text: string }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!/^--?[A-Za-z]/.test(t)) continue;
    const eq = t.indexOf('=');
    const name = (eq < 0 ? t : t.slice(0, eq)).replace(/^-+/, '').toLowerCase();
    let value: string | undefined;
    if (eq >= 0) value = t.slice(eq + 1);
    else if (i + 1 < tokens.length && !tokens[i + 1]!.startsWith('-')) value = tokens[i + 1];
    value = value?.replace(/^["']|["']$/g, '');
    out.push({ name, ...(value !== undefined ? { value } : {}), text: eq >= 0 || value === undefined ? t : `${t} ${value}` });
  }
  return out;
}

/** The pod template (or pod spec) containers of a workload. */
function templateContainers(w: KubeObject): ContainerLike[] {
  const spec = w.spec?.template?.spec ?? (w.kind === 'Pod' ? w.spec : undefined);
  return [...((spec?.initContainers ?? []) as ContainerLike[]), ...((spec?.containers ?? []) as ContainerLike[])];
}

function workloadLabels(w: KubeObject): Record<string, string> {
  return { ...(w.spec?.template?.metadata?.labels ?? {}), ...(w.metadata.labels ?? {}) };
}

/** Traits per workload object: every Ingress of a cluster asks about the same workloads. */
const traitsCache = new WeakMap<KubeObject, ControllerTraits>();

export function controllerTraits(w: KubeObject): ControllerTraits {
  let cached = traitsCache.get(w);
  if (!cached) traitsCache.set(w, (cached = readTraits(w)));
  return cached;
}

function readTraits(w: KubeObject): ControllerTraits {
  const traits: ControllerTraits = { classes: [], controllerClasses: [], watchWithoutClass: false, evidence: [] };
  const containers = templateContainers(w);
  for (const c of containers) {
    for (const f of flagsOf(c)) {
      if (CLASS_FLAG.test(f.name) && f.value && !/^(true|false)$/i.test(f.value)) {
        traits.classes.push(f.value);
        traits.evidence.push(`container ${c.name ?? '?'} runs with ${f.text}`);
      } else if (CONTROLLER_CLASS_FLAG.test(f.name) && f.value) {
        traits.controllerClasses.push(f.value);
        traits.evidence.push(`container ${c.name ?? '?'} runs with ${f.text}`);
      } else if (WITHOUT_CLASS_FLAG.test(f.name) && (f.value === undefined || /^true$/i.test(f.value))) {
        traits.watchWithoutClass = true;
        traits.evidence.push(`container ${c.name ?? '?'} runs with ${f.text}`);
      }
    }
    for (const e of c.env ?? []) {
      const value = typeof e?.value === 'string' ? e.value.trim() : '';
      if (e?.name && CLASS_ENV.test(e.name.toUpperCase()) && value) {
        traits.classes.push(value);
        traits.evidence.push(`container ${c.name ?? '?'} has ${e.name}=${value}`);
      }
    }
  }
  const labels = workloadLabels(w);
  const appName = (labels['app.kubernetes.io/name'] ?? labels.app ?? labels['k8s-app'] ?? '').toLowerCase();
  const images = containers.map((c) => (c.image ?? '').toLowerCase());
  const known = KNOWN_CONTROLLERS.find((k) => k.labels.includes(appName)) ?? KNOWN_CONTROLLERS.find((k) => images.some((i) => k.image.test(i)));
  if (known) {
    traits.known = known.name;
    traits.defaultClass = known.defaultClass;
    const by = known.labels.includes(appName) ? `label app.kubernetes.io/name=${appName}` : `image ${images.find((i) => known.image.test(i))}`;
    const component = labels['app.kubernetes.io/component'];
    traits.evidence.push(`${known.name} ingress controller (${by}${component ? `, component ${component}` : ''})`);
  }
  return traits;
}

export function isIngressController(t: ControllerTraits): boolean {
  return !!t.known || t.classes.length > 0 || t.controllerClasses.length > 0 || t.watchWithoutClass;
}

export interface ControllerCandidate {
  /** The workload, `Kind/namespace/name`. */
  workload: string;
  kind: string;
  obj: KubeObject;
  score: number;
  /** Why it is a candidate: the flags, labels or image that tie it to the class. */
  evidence: string[];
  traits: ControllerTraits;
}

export interface ControllerMatch {
  /** The controller when one candidate is clearly best. */
  controller?: ControllerCandidate;
  /** Every candidate, best first. */
  candidates: ControllerCandidate[];
  /** Deployments and DaemonSets looked at. */
  examined: number;
}

/** The words of a name: `ingress-nginx-internal` → ingress, nginx, internal. */
function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
}

/** How well a workload's name and instance label match a class name, 0..30. */
function nameAffinity(className: string, w: KubeObject): number {
  const labels = workloadLabels(w);
  const names = [w.metadata.name, labels['app.kubernetes.io/instance'] ?? '', labels.release ?? ''].map((n) => n.toLowerCase());
  const mine = new Set(names.flatMap(words));
  const shared = new Set(words(className).filter((x) => mine.has(x))).size;
  const whole = names.some((n) => n && n.includes(className.toLowerCase())) ? 10 : 0;
  return Math.min(30, shared * 10 + whole);
}

/** The last segment of a controller class: `k8s.io/ingress-nginx-internal` → ingress-nginx-internal. */
function controllerClassName(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1).toLowerCase();
}

/** A candidate clearly best: strong evidence of its own and well ahead of the next. */
const CLEAR_SCORE = 60;
const CLEAR_MARGIN = 25;

/**
 * The workloads (Deployments and DaemonSets, every namespace recorded) that serve an ingress class, ranked: a
 * class flag naming it, a controller class ending in it, or a well-known controller whose default class it is,
 * then by how well the workload's name and instance label match the class. For an Ingress without a class,
 * controllers that watch Ingresses without a class. A controller told to serve other classes is not a candidate.
 */
export function findIngressControllers(snapshot: ClusterSnapshot, className: string | undefined): ControllerMatch {
  const candidates: ControllerCandidate[] = [];
  let examined = 0;
  for (const kind of ['Deployment', 'DaemonSet'] as const) {
    for (const w of snapshot.objects(kind)) {
      examined++;
      const traits = controllerTraits(w);
      if (!isIngressController(traits)) continue;
      const evidence = [...traits.evidence];
      let score = 0;
      if (className) {
        const want = className.toLowerCase();
        const byFlag = traits.classes.some((c) => c.toLowerCase() === want);
        const byControllerClass = traits.controllerClasses.some((c) => controllerClassName(c) === want || c.toLowerCase() === want);
        if (byFlag) score += 100;
        else if (byControllerClass) score += 80;
        else if (traits.classes.length) continue;
        else if (traits.defaultClass === want) {
          score += 60;
          evidence.push(`serves class ${traits.defaultClass} by default`);
        } else score += 10;
        score += nameAffinity(className, w);
      } else {
        if (traits.watchWithoutClass) score += 100;
        else score += traits.classes.length || traits.controllerClasses.length ? 5 : 20;
      }
      candidates.push({ workload: snapshot.workloadOf(kind, w), kind, obj: w, score, evidence, traits });
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.workload.localeCompare(b.workload));
  const [first, second] = candidates;
  const clear = first && first.score >= CLEAR_SCORE && (!second || first.score - second.score >= CLEAR_MARGIN);
  return { ...(clear ? { controller: first } : {}), candidates, examined };
}

/** Ready over desired replicas (daemon pods for a DaemonSet), e.g. `2/3`. */
export function workloadReadiness(kind: string, w: KubeObject): { ready: number; desired: number } {
  if (kind === 'DaemonSet') return { ready: asNumber(w.status?.numberReady), desired: asNumber(w.status?.desiredNumberScheduled) };
  return { ready: asNumber(w.status?.readyReplicas), desired: asNumber(w.spec?.replicas, 1) };
}

/** Services of the controller's namespace that select its pods, with their type and load balancer addresses. */
export function controllerServices(snapshot: ClusterSnapshot, w: KubeObject): string[] {
  const labels = w.spec?.template?.metadata?.labels as Record<string, string> | undefined;
  const ns = w.metadata.namespace ?? '';
  if (!labels) return [];
  return snapshot
    .list('services')
    .filter((s) => s?.metadata?.name && (s.metadata.namespace ?? '') === ns && Object.keys(s.spec?.selector ?? {}).length && matchesSelector(labels, fromMap(s.spec.selector)))
    .map((s) => {
      const lb = loadBalancerAddresses(s);
      return `${refOf('Service', s)} (${asString(s.spec?.type) ?? 'ClusterIP'}${lb.length ? ` ${lb.join(', ')}` : ''})`;
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Backends

export interface ResolvedBackend {
  ref: BackendRef;
  /** Whether the Service exists; undefined when no Service was recorded at all, or for a resource backend. */
  serviceExists?: boolean;
  serviceStatus?: ServiceStatus;
  /** The Service port the backend names, as `port->targetPort/protocol`; undefined when the Service lacks it. */
  servicePort?: string;
  /** The backend names a port the Service does not expose. */
  portMissing?: boolean;
  ready: number;
  notReady: number;
  workloads: string[];
}

interface ServicePortLike {
  name?: string;
  port?: number;
  targetPort?: unknown;
  protocol?: string;
}

export function resolveBackend(snapshot: ClusterSnapshot, namespace: string, ref: BackendRef): ResolvedBackend {
  if (!ref.service) return { ref, ready: 0, notReady: 0, workloads: [] };
  const svc = snapshot.get('Service', namespace, ref.service);
  if (!svc) return { ref, ...(snapshot.list('services').length ? { serviceExists: false } : {}), ready: 0, notReady: 0, workloads: [] };
  const b = serviceBackends(snapshot, svc);
  const ports = (Array.isArray(svc.spec?.ports) ? svc.spec.ports : []) as ServicePortLike[];
  const port = ref.port === undefined ? (ports.length === 1 ? ports[0] : undefined) : ports.find((p) => (typeof ref.port === 'number' ? p.port === ref.port : p.name === ref.port));
  // An ExternalName Service has no ports to check: the controller proxies to the DNS name.
  const portMissing = ref.port !== undefined && !port && b.type !== 'ExternalName' && ports.length > 0;
  return {
    ref,
    serviceExists: true,
    serviceStatus: b.status,
    ...(port ? { servicePort: `${port.name ? `${port.name} ` : ''}${port.port}->${String(port.targetPort ?? port.port)}/${port.protocol ?? 'TCP'}` } : {}),
    ...(portMissing ? { portMissing: true } : {}),
    ready: b.ready.length,
    notReady: b.notReady.length,
    workloads: b.workloads,
  };
}

/** Names of the TLS secret's cert-manager Certificate: cert-manager names it after the secret; people often drop `-tls`. */
export function certificateNamesFor(secretName: string): string[] {
  const stripped = secretName.replace(/[-.](tls|cert|certificate|secret)$/i, '');
  return [...new Set([secretName, stripped])].filter(Boolean);
}
