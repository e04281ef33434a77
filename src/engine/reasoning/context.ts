/**
 * What the supervisor knows about the cluster while reasoning: which objects exist and what they answer to, which
 * workloads show symptoms and since when, what the trigger is about, and who depends on whom (victims' errors
 * name their dependencies).
 */
import type { Finding, InventoryEntry, SpecialistReport } from '../../domain/findings.ts';
import { parseResource } from '../../domain/resource.ts';
import { hostOf, nameScore, nameTokens, shortName } from '../names.ts';
import type { Plan } from '../types.ts';

/** Signals that describe harm to a workload (effects), as opposed to what causes harm. */
export const SYMPTOM_SIGNALS: ReadonlySet<Finding['signal']> = new Set([
  'pod-not-ready',
  'workload-unavailable',
  'workload-rollout-stuck',
  'pod-crash-loop',
  'pod-error-exit',
  'pod-oom-killed',
  'pod-config-error',
  'pod-image-pull',
  'pod-unschedulable',
  'pod-probe-failure',
  'log-signature',
  'log-new-pattern',
  'log-spike',
  'metric-anomaly',
  'service-no-endpoints',
]);

const HARM_METRICS: ReadonlySet<string> = new Set(['errors', 'latency', 'availability', 'restarts']);

export interface DependencyEdge {
  victim: string;
  dependency: string;
  /** The host or host:port the victim's errors named. */
  target: string;
  count: number;
  finding: Finding;
}

export interface ReasoningContext {
  plan: Plan;
  findings: Finding[];
  inventory: InventoryEntry[];
  /** Workloads the trigger is about, with how sure we are (0..1). */
  focus: Map<string, number>;
  /** Earliest symptom per workload (epoch ms). */
  symptomOnset: Map<string, number>;
  edges: DependencyEdge[];
  /**
   * Resolves a host, alias or name to the workload (or Service) it denotes. `serving` asks for what presents the
   * endpoint (for TLS: an Ingress's controller) rather than what answers behind it (the Ingress's backends).
   */
  resolve(target: string, options?: { serving?: boolean }): string | undefined;
  /** The workload that owns a resource (itself when it is a workload or node). */
  ownerOf(resource: string): string;
  health(resource: string): InventoryEntry['health'];
  incidentStart: number;
  pivot: number;
  windowStart: number;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet']);

export function buildContext(plan: Plan, reports: readonly SpecialistReport[]): ReasoningContext {
  const inventory = mergeInventory(reports.flatMap((r) => r.inventory ?? []));
  const byResource = new Map(inventory.map((e) => [e.resource, e]));
  const canonical = canonicalizer(inventory);
  const findings = reports.flatMap((r) =>
    r.findings.map((f) => {
      const resource = canonical(f.resource);
      const workload = f.workload ? canonical(f.workload) : undefined;
      return resource === f.resource && workload === f.workload ? f : { ...f, resource, ...(workload ? { workload } : {}) };
    }),
  );

  // Alias index: every name an object answers to → the workload behind it (and, for an Ingress host, what serves it).
  const aliases = new Map<string, string>();
  const serving = new Map<string, string>();
  const addAlias = (alias: string, target: string) => {
    const key = alias.toLowerCase();
    if (key && !aliases.has(key)) aliases.set(key, target);
  };
  for (const e of inventory) {
    if (e.backends?.length) {
      for (const a of e.aliases ?? []) {
        if (e.workload) serving.set(a.toLowerCase(), e.workload);
        addAlias(a, e.backends[0]!);
      }
      continue;
    }
    const target = e.workload ?? e.resource;
    const ref = parseResource(e.resource);
    if (ref) {
      addAlias(ref.name, target);
      if (ref.kind === 'Service' && ref.namespace) {
        addAlias(`${ref.name}.${ref.namespace}`, target);
        addAlias(`${ref.name}.${ref.namespace}.svc`, target);
        addAlias(`${ref.name}.${ref.namespace}.svc.cluster.local`, target);
      }
    }
    for (const a of e.aliases ?? []) addAlias(hostOf(a) || a, target);
  }

  const ownerOf = (resource: string): string => {
    const entry = byResource.get(resource);
    if (entry?.workload) return entry.workload;
    const f = findings.find((x) => x.resource === resource && x.workload);
    return f?.workload ?? resource;
  };

  const resolve = (target: string, options: { serving?: boolean } = {}): string | undefined => {
    const host = hostOf(target);
    if (!host) return undefined;
    if (options.serving && serving.has(host)) return serving.get(host);
    const direct = aliases.get(host);
    if (direct) return direct;
    // svc DNS: name.namespace.svc.cluster.local, or a short name with a suffix we did not index.
    const first = host.split('.')[0]!;
    if (aliases.has(first) && !/^\d+$/.test(first)) return aliases.get(first);
    // Headless StatefulSet pod DNS: pod-0.service.ns.svc...
    const parts = host.split('.');
    if (parts.length > 2 && aliases.has(parts[1]!)) return aliases.get(parts[1]!);
    // Fuzzy: an external-looking host whose leading label names a workload (orders-db.abc123.rds.amazonaws.com).
    const tokens = nameTokens(first);
    let best: [string, number] | undefined;
    for (const e of inventory) {
      const ref = parseResource(e.resource);
      if (!ref || !(WORKLOAD_KINDS.has(ref.kind) || ref.kind === 'Service')) continue;
      const score = nameScore(tokens, ref.name);
      if (score >= 0.85 && (!best || score > best[1])) best = [e.workload ?? e.resource, score];
    }
    return best?.[0];
  };

  const windowStart = Date.parse(plan.window.start);
  const incidentStart = Date.parse(plan.window.incidentStart);
  const pivot = Date.parse(plan.window.pivot);

  const symptomOnset = new Map<string, number>();
  for (const f of findings) {
    if (!SYMPTOM_SIGNALS.has(f.signal) || f.severity === 'info') continue;
    // Harm, not load: errors, latency, availability and restarts; CPU, memory or traffic are causes or context.
    if (f.signal === 'metric-anomaly' && !HARM_METRICS.has(f.facts?.metricKind ?? 'other')) continue;
    if (f.signal === 'metric-anomaly' && f.facts?.direction === 'down' && f.facts.metricKind !== 'availability') continue;
    const w = f.workload ?? ownerOf(f.resource);
    const t = f.since ? Date.parse(f.since) : NaN;
    if (!Number.isFinite(t)) continue;
    const prev = symptomOnset.get(w);
    if (prev === undefined || t < prev) symptomOnset.set(w, t);
  }

  const edges: DependencyEdge[] = [];
  for (const f of findings) {
    if (f.signal !== 'log-signature' || !f.facts?.targets?.length) continue;
    const victim = f.workload ?? ownerOf(f.resource);
    for (const target of f.facts.targets) {
      // A peer on an ephemeral port (Linux 32768–60999) is the client side of a connection the logger accepted.
      const port = Number(/:(\d+)$/.exec(target)?.[1]);
      if (port >= 32768) continue;
      const dependency = resolve(target);
      if (!dependency || dependency === victim) continue;
      edges.push({ victim, dependency, target, count: f.facts.count ?? 1, finding: f });
    }
  }

  edges.push(...mentionEdges(findings, inventory, ownerOf, edges));

  const focus = focusWorkloads(plan, inventory, findings);
  return {
    plan,
    findings,
    inventory,
    focus,
    symptomOnset,
    edges,
    resolve,
    ownerOf,
    health: (resource) => byResource.get(resource)?.health,
    incidentStart,
    pivot,
    windowStart,
  };
}

/** Words too common in workload names to identify one (checkout-api, payments-service, web-frontend). */
const GENERIC_NAME_TOKENS = new Set(['api', 'web', 'app', 'service', 'server', 'worker', 'backend', 'frontend', 'gateway', 'proxy', 'consumer', 'producer', 'client', 'core', 'main', 'job', 'cron', 'batch', 'public', 'internal', 'admin', 'http', 'grpc', 'redis', 'cache', 'queue', 'data', 'node', 'agent', 'controller', 'operator', 'manager', 'engine']);

/**
 * Victims name their dependency in words as often as in host names: "circuit 'pricing-engine' opened",
 * "pricing quote failed". An error line of one workload that names another workload (its full name, or a
 * distinctive first word no other workload shares, standing alone: `matcher-assign` is a name of its own, a
 * consumer group say, not the matcher workload) links the two.
 */
function mentionEdges(
  findings: readonly Finding[],
  inventory: readonly InventoryEntry[],
  ownerOf: (r: string) => string,
  existing: readonly DependencyEdge[],
): DependencyEdge[] {
  const workloads = inventory.map((e) => e.resource).filter((r) => WORKLOAD_KINDS.has(parseResource(r)?.kind ?? ''));
  const firstTokens = new Map<string, string[]>();
  for (const w of workloads) {
    const t = nameTokens(parseResource(w)!.name)[0];
    if (t) firstTokens.set(t, [...(firstTokens.get(t) ?? []), w]);
  }
  const out: DependencyEdge[] = [];
  const have = new Set(existing.map((e) => `${e.victim}|${e.dependency}`));
  for (const f of findings) {
    if (!(f.signal === 'log-signature' || f.signal === 'log-new-pattern' || f.signal === 'log-spike') || f.severity === 'info') continue;
    const victim = f.workload ?? ownerOf(f.resource);
    const victimName = (parseResource(victim)?.name ?? victim).toLowerCase();
    const text = `${f.facts?.message ?? ''} ${f.facts?.signature ?? ''}`.toLowerCase();
    if (!text.trim()) continue;
    for (const w of workloads) {
      if (w === victim || have.has(`${victim}|${w}`)) continue;
      const name = parseResource(w)!.name.toLowerCase();
      let named = name.length >= 4 && !victimName.includes(name) && new RegExp(`(^|[^a-z0-9_-])${escapeRe(name)}($|[^a-z0-9_-])`).test(text);
      if (!named) {
        const first = nameTokens(name)[0];
        const unique = first && firstTokens.get(first)?.length === 1;
        named = !!first && unique === true && first.length >= 5 && !GENERIC_NAME_TOKENS.has(first) && !victimName.includes(first) && new RegExp(`\\b${escapeRe(first)}(?![a-z0-9_-])`).test(text);
      }
      if (!named) continue;
      have.add(`${victim}|${w}`);
      out.push({ victim, dependency: w, target: name, count: f.facts?.count ?? 1, finding: f });
    }
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Names from logs and metrics often lack the workload's kind (`Workload/ns/name`) or guess it from a pod name;
 * the Kubernetes inventory knows it. Unknown names are kept as given.
 */
function canonicalizer(inventory: readonly InventoryEntry[]): (resource: string) => string {
  const workloads = inventory.map((e) => parseResource(e.resource)).filter((r): r is NonNullable<typeof r> => !!r && WORKLOAD_KINDS.has(r.kind));
  const cache = new Map<string, string>();
  return (resource) => {
    const cached = cache.get(resource);
    if (cached) return cached;
    const ref = parseResource(resource);
    let out = resource;
    if (ref && (ref.kind === 'Workload' || WORKLOAD_KINDS.has(ref.kind)) && !inventory.some((e) => e.resource === resource)) {
      const sameName = workloads.filter((w) => w.name === ref.name && (!ref.namespace || w.namespace === ref.namespace));
      const match = sameName.length === 1 ? sameName[0] : sameName.find((w) => w.kind === ref.kind);
      if (match) out = `${match.kind}/${match.namespace}/${match.name}`;
    } else if (ref && !ref.namespace && !inventory.some((e) => e.resource === resource)) {
      // A managed service named by its metrics (Database//orders-pg) is the in-cluster name that fronts it: the
      // Service whose ExternalName (or another alias) is that instance's endpoint.
      const name = ref.name.toLowerCase();
      const fronting = inventory.find((e) => (e.aliases ?? []).some((a) => a.toLowerCase() === name || a.toLowerCase().startsWith(`${name}.`)));
      if (fronting) out = fronting.workload ?? fronting.resource;
    }
    cache.set(resource, out);
    return out;
  };
}

/** Workloads the trigger names (alarm dimensions, question words), scored 0..1. */
function focusWorkloads(plan: Plan, inventory: readonly InventoryEntry[], findings: readonly Finding[]): Map<string, number> {
  const focus = new Map<string, number>();
  const bump = (w: string, s: number) => focus.set(w, Math.max(focus.get(w) ?? 0, s));
  const terms = plan.focus.terms;
  for (const e of inventory) {
    const ref = parseResource(e.resource);
    if (!ref) continue;
    const target = e.workload ?? e.resource;
    let s = terms.length ? nameScore(terms, ref.name) : 0;
    if (plan.focus.namespaces.length && !plan.focus.namespaces.includes(ref.namespace)) s *= 0.5;
    if (s >= 0.5) bump(target, s);
  }
  // The alarm's own metric, wherever it maps.
  for (const f of findings) {
    if (f.facts?.isAlarmMetric && f.workload) bump(f.workload, 1);
  }
  return focus;
}

function mergeInventory(entries: readonly InventoryEntry[]): InventoryEntry[] {
  const out = new Map<string, InventoryEntry>();
  for (const e of entries) {
    const prev = out.get(e.resource);
    if (!prev) {
      out.set(e.resource, { ...e });
      continue;
    }
    out.set(e.resource, {
      ...prev,
      ...(prev.workload ? {} : e.workload ? { workload: e.workload } : {}),
      aliases: [...new Set([...(prev.aliases ?? []), ...(e.aliases ?? [])])],
      nodes: [...new Set([...(prev.nodes ?? []), ...(e.nodes ?? [])])],
      health: worse(prev.health, e.health),
    });
  }
  return [...out.values()];
}

function worse(a: InventoryEntry['health'], b: InventoryEntry['health']): InventoryEntry['health'] {
  const rank = { down: 3, degraded: 2, healthy: 1, unknown: 0 } as const;
  return (rank[a ?? 'unknown'] >= rank[b ?? 'unknown'] ? a : b) ?? 'unknown';
}

export { shortName };
