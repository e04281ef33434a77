/**
 * Which CloudWatch metrics belong to a service or workload, matching dimension values the way AWS writes them:
 * Container Insights `PodName` is the workload name (a pod name with its ReplicaSet hash in some setups), the AWS
 * Load Balancer Controller names target groups `k8s-<namespace>-<service>-<hash>` with both parts stripped of
 * non-alphanumerics and cut to 8 characters, custom metrics carry `ServiceName`/`service`, databases their
 * identifiers. Generic rules only (normalised tokens, prefixes, truncation); pure.
 */
import { nameTokens } from './catalog.ts';

export type EntityType =
  | 'service'
  | 'function'
  | 'api'
  | 'database'
  | 'cache'
  | 'queue'
  | 'table'
  | 'volume'
  | 'load_balancer'
  | 'node'
  | 'namespace'
  | 'cluster'
  | 'other';

/** What a metric is about: the workload, node, database... its dimensions name. */
export interface Entity {
  type: EntityType;
  name: string;
  /** Kubernetes namespace, when the dimensions say (Container Insights `Namespace`, a controller-named target group). */
  namespace?: string;
  /** The dimension that named it. */
  dimension: string;
  /** The name or namespace may be cut short by its source (8-character target-group segments). */
  truncated?: boolean;
}

export interface ServiceMatch {
  /** 0..1: 1 for the exact name, less for prefixes, truncations and shared resources. */
  score: number;
  dimension: string;
  value: string;
}

/** Dimensions that name what a metric is about, most specific first, with the entity they name. */
const ENTITY_DIMENSIONS: ReadonlyArray<readonly [string, EntityType]> = [
  ['ServiceName', 'service'],
  ['service', 'service'],
  ['service_name', 'service'],
  ['Service', 'service'],
  ['Deployment', 'service'],
  ['deployment', 'service'],
  ['DeploymentName', 'service'],
  ['Workload', 'service'],
  ['workload', 'service'],
  ['app', 'service'],
  ['App', 'service'],
  ['application', 'service'],
  ['Application', 'service'],
  ['PodName', 'service'],
  ['ContainerName', 'service'],
  ['container', 'service'],
  ['TargetGroup', 'service'],
  ['FunctionName', 'function'],
  ['ApiName', 'api'],
  ['ApiId', 'api'],
  ['DBInstanceIdentifier', 'database'],
  ['DBClusterIdentifier', 'database'],
  ['CacheClusterId', 'cache'],
  ['ReplicationGroupId', 'cache'],
  ['QueueName', 'queue'],
  ['TableName', 'table'],
  ['DomainName', 'database'],
  ['persistentvolumeclaim', 'volume'],
  ['PersistentVolumeClaim', 'volume'],
  ['VolumeId', 'volume'],
  ['LoadBalancer', 'load_balancer'],
  ['LoadBalancerName', 'load_balancer'],
  ['NodeName', 'node'],
  ['InstanceId', 'node'],
  ['AutoScalingGroupName', 'node'],
  ['Namespace', 'namespace'],
  ['namespace', 'namespace'],
  ['ClusterName', 'cluster'],
];
const DIMENSION_RANK: ReadonlyMap<string, number> = new Map(ENTITY_DIMENSIONS.map(([key], i) => [key, i]));
const K8S_NAMESPACE_DIMENSIONS = ['Namespace', 'namespace', 'k8s_namespace', 'kubernetes_namespace'];

/** Characters of a Kubernetes generated suffix (no vowels, no 0/1/3, so words are never mistaken for one). */
const HASH = '[bcdfghjklmnpqrstvwxz2456789]';
const REPLICASET_POD_RE = new RegExp(`^(.+)-${HASH}{5,10}-${HASH}{5}$`);
const SHORT_SUFFIX_RE = new RegExp(`^(.+)-${HASH}{5}$`);
const ORDINAL_RE = /^(.+)-\d{1,4}$/;

/**
 * The workload a pod name belongs to: `checkout-api-7f9c6d5b4-x2k8p` -> `checkout-api` (Deployment),
 * `kafka-2` -> `kafka` (StatefulSet), `fluent-bit-4xk2z` -> `fluent-bit` (DaemonSet, Job). Unchanged otherwise.
 */
export function workloadName(podName: string): string {
  const m = REPLICASET_POD_RE.exec(podName) ?? SHORT_SUFFIX_RE.exec(podName) ?? ORDINAL_RE.exec(podName);
  return m ? m[1]! : podName;
}

/** Only letters and digits, lower-case: how the AWS Load Balancer Controller sanitises names before cutting them. */
export function alnum(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface ControllerName {
  /** The two 8-character segments, in the order written (namespace first since controller v2). */
  first: string;
  second: string;
}

/** `targetgroup/k8s-checkout-checkout-1a2b3c4d5e/6d0e...` or `app/k8s-shop-web-0a1b2c3d4e/50dc...` -> segments. */
export function parseControllerName(value: string): ControllerName | null {
  const name = resourceName(value);
  // Segments are cut to 8 characters by the controller; longer ones are accepted from hand-made names.
  const m = /^k8s-([a-z0-9]{1,16})-([a-z0-9]{1,16})-[a-z0-9]{10}$/i.exec(name);
  return m ? { first: m[1]!.toLowerCase(), second: m[2]!.toLowerCase() } : null;
}

/** The name part of an ELB dimension value: `targetgroup/<name>/<id>`, `app/<name>/<id>`, `net/<name>/<id>`. */
export function resourceName(value: string): string {
  const parts = value.split('/');
  return parts.length === 3 ? parts[1]! : value;
}

/** The entity a metric's dimensions describe, from the most specific naming dimension. */
export function entityOf(dimensions: Readonly<Record<string, string>>): Entity {
  const k8sNamespace = K8S_NAMESPACE_DIMENSIONS.map((k) => dimensions[k]).find((v) => v);
  for (const [key, type] of ENTITY_DIMENSIONS) {
    const value = dimensions[key];
    if (!value) continue;
    if (type === 'namespace') return { type, name: value, dimension: key };
    if (key === 'TargetGroup') {
      const parsed = parseControllerName(value);
      if (parsed) {
        const truncated = parsed.first.length === 8 || parsed.second.length === 8;
        return { type, name: parsed.second, namespace: parsed.first, dimension: key, ...(truncated ? { truncated } : {}) };
      }
      return { type, name: resourceName(value), dimension: key };
    }
    if (type === 'load_balancer') return { type, name: resourceName(value), dimension: key };
    const name = key === 'PodName' || key === 'ContainerName' ? workloadName(value) : value;
    return { type, name, dimension: key, ...(k8sNamespace && (type === 'service' || type === 'volume') ? { namespace: k8sNamespace } : {}) };
  }
  const other = Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b))[0];
  return other ? { type: 'other', name: other[1], dimension: other[0] } : { type: 'other', name: '(all)', dimension: '' };
}

/** A stable key for grouping by entity. */
export function entityKey(entity: Entity): string {
  return `${entity.type}:${entity.namespace ?? ''}/${entity.name}`;
}

/**
 * Completes names cut short by a load balancer controller from the full names other metrics carry:
 * target group `k8s-checkout-checkoutap-...` belongs to workload `checkout-api` in `checkout` when that is the one
 * workload whose sanitised name (and namespace) starts with the segments. Returns new entities, same order.
 */
export function reconcileEntities(entities: readonly Entity[]): Entity[] {
  const full = entities.filter((e) => e.type === 'service' && e.dimension !== 'TargetGroup');
  const namespacesOf = new Map<string, Set<string>>();
  for (const f of full) if (f.namespace !== undefined) namespacesOf.set(f.name, (namespacesOf.get(f.name) ?? new Set()).add(f.namespace));
  return entities.map((e) => {
    if (e.type === 'service' && e.namespace === undefined) {
      // A custom `ServiceName` dimension carries no namespace; borrow it when one workload of that name has one.
      const namespaces = namespacesOf.get(e.name);
      return namespaces?.size === 1 ? { ...e, namespace: [...namespaces][0]! } : e;
    }
    if (e.dimension !== 'TargetGroup' || e.namespace === undefined) return e;
    for (const [nsSeg, nameSeg] of [
      [e.namespace, e.name],
      [e.name, e.namespace],
    ] as const) {
      const candidates = new Map<string, Entity>();
      for (const f of full) {
        const sameName = segmentOf(f.name, nameSeg);
        const sameNs = f.namespace === undefined || segmentOf(f.namespace, nsSeg);
        if (sameName && sameNs) candidates.set(entityKey(f), f);
      }
      if (candidates.size === 1) {
        const f = [...candidates.values()][0]!;
        return { type: 'service', name: f.name, namespace: f.namespace ?? e.namespace, dimension: e.dimension };
      }
    }
    return e;
  });
}

/** Whether a controller-written segment is this name, whole or cut to its first 8+ characters. */
function segmentOf(name: string, segment: string): boolean {
  const clean = alnum(name);
  return clean === segment || (segment.length >= 8 && clean.startsWith(segment));
}

/** A service name as asked: `checkout-api`, `Checkout API`, or `namespace/name`. */
function parseServiceQuery(service: string): { name: string; namespace?: string } {
  const trimmed = service.trim();
  const slash = trimmed.indexOf('/');
  if (slash > 0 && slash < trimmed.length - 1 && trimmed.indexOf('/', slash + 1) < 0) {
    return { namespace: trimmed.slice(0, slash), name: trimmed.slice(slash + 1) };
  }
  return { name: trimmed };
}

/**
 * How well a name matches the asked one, by words: exact 1; same letters with other separators 0.95; the value is
 * a more specific name starting with the asked one (`checkout` -> `checkout-api`) 0.75; the asked name is more
 * specific (`checkout-api` -> `checkout`) 0.6; the asked words appear inside the value (`payments` ->
 * `prod-payments-db`) 0.5; else 0.
 */
export function nameScore(asked: string, value: string): number {
  const a = nameTokens(asked);
  const v = nameTokens(value);
  if (a.length === 0 || v.length === 0) return 0;
  if (a.join(' ') === v.join(' ')) return 1;
  if (a.join('') === v.join('')) return 0.95;
  if (startsWith(v, a)) return 0.75;
  if (startsWith(a, v)) return 0.6;
  if (containsRun(v, a)) return 0.5;
  return 0;
}

function startsWith(longer: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length < longer.length && prefix.every((t, i) => longer[i] === t);
}

function containsRun(longer: readonly string[], run: readonly string[]): boolean {
  for (let i = 1; i + run.length <= longer.length; i++) {
    if (run.every((t, j) => longer[i + j] === t)) return true;
  }
  return false;
}

/** Matching a controller-written name: the asked name's first 8 sanitised characters must equal a segment. */
function controllerScore(asked: { name: string; namespace?: string }, parsed: ControllerName): number {
  const name = alnum(asked.name);
  const ns = asked.namespace === undefined ? undefined : alnum(asked.namespace);
  let best = 0;
  for (const [nsSeg, nameSeg] of [
    [parsed.first, parsed.second],
    [parsed.second, parsed.first],
  ] as const) {
    if (ns !== undefined && !(ns === nsSeg || (nsSeg.length >= 8 && ns.startsWith(nsSeg)))) continue;
    if (name === nameSeg) {
      best = Math.max(best, 0.95);
    } else if (nameSeg.length >= 8 && name.startsWith(nameSeg)) {
      // The segment is the name cut short: other services may share those first characters.
      best = Math.max(best, 0.8);
    } else if (name.length >= 3 && nameSeg.length >= 8 && nameSeg.startsWith(name)) {
      // `search` asked, `searchap` (search-api cut to 8) written: a more specific name, as for prefixes.
      best = Math.max(best, 0.7);
    }
  }
  return best;
}

/** The smallest score that counts as "belongs to the service". */
export const MIN_SERVICE_SCORE = 0.5;
/** A load balancer serves many services: its own metrics match a service only at a discount. */
const SHARED_RESOURCE_FACTOR = 0.6;

/**
 * How well a metric's dimensions match a service or workload name (optionally `namespace/name`); null when
 * nothing matches well enough. The namespace, when given, must agree with the metric's Kubernetes namespace.
 */
export function matchService(service: string, dimensions: Readonly<Record<string, string>>): ServiceMatch | null {
  const asked = parseServiceQuery(service);
  if (!asked.name) return null;
  const k8sNamespace = K8S_NAMESPACE_DIMENSIONS.map((k) => dimensions[k]).find((v) => v);
  if (asked.namespace !== undefined && k8sNamespace !== undefined && k8sNamespace !== asked.namespace) return null;
  const askedWorkload = workloadName(asked.name);
  let best: ServiceMatch | null = null;
  const consider = (score: number, dimension: string, value: string) => {
    if (score >= MIN_SERVICE_SCORE && (!best || score > best.score)) best = { score, dimension, value };
  };
  for (const [key, type] of ENTITY_DIMENSIONS) {
    const value = dimensions[key];
    if (!value || type === 'cluster') continue;
    if (type === 'namespace') {
      // A namespace named after the service stands for it only when nothing more specific is there.
      if (asked.namespace === undefined) consider(nameScore(asked.name, value) >= 0.95 ? 0.55 : 0, key, value);
      continue;
    }
    if (key === 'TargetGroup' || type === 'load_balancer') {
      const parsed = parseControllerName(value);
      const factor = type === 'load_balancer' ? SHARED_RESOURCE_FACTOR : 1;
      if (parsed) consider(controllerScore(asked, parsed) * factor, key, value);
      else if (asked.namespace === undefined) consider(nameScore(asked.name, resourceName(value)) * factor, key, value);
      continue;
    }
    let score = nameScore(asked.name, value);
    if (key === 'PodName' || key === 'ContainerName') score = Math.max(score, nameScore(asked.name, workloadName(value)));
    // Asked for one pod: its workload's metrics are the closest there are.
    if (askedWorkload !== asked.name) score = Math.max(score, 0.9 * nameScore(askedWorkload, workloadName(value)));
    consider(score, key, value);
  }
  return best;
}

interface Dimensioned {
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
}

/**
 * The metrics of a service: those matching it, and per CloudWatch metric only the best-matching dimension sets at
 * the coarsest granularity (the target group total, not its per-AZ split; the workload, not each pod), so one
 * figure is never counted twice. Equivalent views of the same workload (`PodName` and `Service` of one name) keep
 * the more specific naming dimension.
 */
export function selectForService<T extends Dimensioned>(items: readonly T[], service: string): Array<T & { match: ServiceMatch }> {
  const matched: Array<T & { match: ServiceMatch }> = [];
  for (const item of items) {
    const match = matchService(service, item.dimensions);
    if (match) matched.push({ ...item, match });
  }
  const groups = new Map<string, Array<T & { match: ServiceMatch }>>();
  for (const item of matched) {
    const key = `${item.namespace}\u0000${item.metricName}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const out: Array<T & { match: ServiceMatch }> = [];
  for (const group of groups.values()) {
    const top = Math.max(...group.map((i) => i.match.score));
    out.push(...coarsest(group.filter((i) => i.match.score === top), (i) => i.match.dimension));
  }
  return out;
}

/**
 * Per entity, per CloudWatch metric, the coarsest dimension sets (fewest dimensions) with equivalent views
 * collapsed; entity names cut short by a load balancer controller are completed from the other metrics. Items
 * may carry their entity already (computed with reconcileEntities over a larger set).
 */
export function groupByEntity<T extends Dimensioned & { entity?: Entity }>(items: readonly T[]): Array<{ entity: Entity; items: T[] }> {
  // Entities computed over a larger set (the whole inventory) reconcile better; use them when the items carry them.
  const computed = reconcileEntities(items.map((i) => entityOf(i.dimensions)));
  const entities = items.map((item, i) => item.entity ?? computed[i]!);
  const groups = new Map<string, { entity: Entity; items: T[] }>();
  items.forEach((item, i) => {
    const entity = entities[i]!;
    const key = entityKey(entity);
    const group = groups.get(key);
    if (group) group.items.push(item);
    else groups.set(key, { entity, items: [item] });
  });
  const out: Array<{ entity: Entity; items: T[] }> = [];
  for (const group of groups.values()) {
    const byMetric = new Map<string, T[]>();
    for (const item of group.items) {
      const key = `${item.namespace}\u0000${item.metricName}`;
      byMetric.set(key, [...(byMetric.get(key) ?? []), item]);
    }
    const naming = group.entity.dimension;
    out.push({ entity: group.entity, items: [...byMetric.values()].flatMap((g) => coarsest(g, (i) => namingDimension(i.dimensions) ?? naming)) });
  }
  return out.sort((a, b) => a.entity.name.localeCompare(b.entity.name) || a.entity.type.localeCompare(b.entity.type));
}

function namingDimension(dimensions: Readonly<Record<string, string>>): string | undefined {
  return ENTITY_DIMENSIONS.find(([key]) => dimensions[key])?.[0];
}

function coarsest<T extends Dimensioned>(items: readonly T[], namingKey: (item: T) => string): T[] {
  if (items.length <= 1) return [...items];
  const fewest = Math.min(...items.map((i) => Object.keys(i.dimensions).length));
  const bySignature = new Map<string, T>();
  for (const item of items.filter((i) => Object.keys(i.dimensions).length === fewest)) {
    const key = namingKey(item);
    // The same dimensions but for the naming one, whose value names the same thing: two views of one series.
    const signature = Object.entries(item.dimensions)
      .filter(([k]) => k !== key)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .concat(alnum(workloadName(item.dimensions[key] ?? '')))
      .join(',');
    const existing = bySignature.get(signature);
    if (!existing || (DIMENSION_RANK.get(key) ?? 99) < (DIMENSION_RANK.get(namingKey(existing)) ?? 99)) bySignature.set(signature, item);
  }
  return [...bySignature.values()];
}
