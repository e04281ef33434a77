/**
 * From one finding to the root causes it supports. Each rule says which taxonomy category the observation points
 * at, on which resource, and how strongly on its own (0..1). Ranking (rank.ts) then weighs the candidates against
 * each other: corroboration, timing, dependency direction, relevance to the trigger.
 */
import type { Finding } from '../../domain/findings.ts';
import { type Category, isCategory } from '../../domain/taxonomy.ts';
import type { ReasoningContext } from './context.ts';

export interface Candidate {
  category: Category;
  resource: string;
  weight: number;
  finding: Finding;
  /** A direct observation of the cause (an OOMKilled termination) rather than circumstantial support. */
  direct: boolean;
}

const EXIT_OOM = 137;
const POOL_METRIC = /(hikari|\bpool\b|[._]pool[._]|connections?[._ ](pending|timeout|wait|acquire|usage|max))/i;

export function candidatesOf(f: Finding, ctx: ReasoningContext): Candidate[] {
  const workload = f.workload ?? ctx.ownerOf(f.resource);
  const c = (category: Category, resource: string, weight: number, direct = true): Candidate => ({ category, resource, weight, finding: f, direct });
  const facts = f.facts ?? {};
  switch (f.signal) {
    case 'pod-oom-killed':
      return [c('oom-killed', workload, 0.9)];
    case 'pod-crash-loop':
    case 'pod-error-exit': {
      if (facts.reason === 'OOMKilled') return [c('oom-killed', workload, 0.9)];
      const base = f.signal === 'pod-crash-loop' ? 0.65 : 0.4;
      // Exit 137 without OOMKilled is a kill from outside (liveness probe, eviction), not the app crashing.
      if (facts.exitCode === EXIT_OOM || facts.exitCode === 143) return [c('crash-loop', workload, base * 0.6, false)];
      return [c('crash-loop', workload, base)];
    }
    case 'pod-config-error':
      return [c('config-error', workload, 0.9)];
    case 'pod-image-pull':
      return [c('image-pull', workload, 0.9)];
    case 'pod-unschedulable':
      return [c('unschedulable', workload, 0.85)];
    case 'pod-evicted':
      return facts.node ? [c('node-failure', `Node//${facts.node}`, 0.5, false)] : [];
    case 'node-not-ready':
      return [c('node-failure', f.resource, 0.8)];
    case 'node-pressure':
      return [c('node-failure', f.resource, 0.6), ...(/disk/i.test(facts.reason ?? '') ? [c('disk-full', f.resource, 0.3, false)] : [])];
    case 'pod-probe-failure':
      return [c('probe-failure', workload, 0.6)];
    case 'workload-rollout':
      return [c('bad-deployment', workload, 0.3, false)];
    case 'service-no-endpoints':
      return [c('dependency-failure', workload, 0.45, false)];
    case 'pvc-problem':
      return /full|space|capacity/i.test(`${facts.reason} ${facts.message}`)
        ? [c('disk-full', workload, 0.7)]
        : [c('unschedulable', workload, 0.5, false)];
    case 'hpa-at-max':
      return [c('traffic-surge', workload, 0.45, false)];
    case 'log-signature':
      return signatureCandidates(f, workload, ctx, c);
    case 'metric-anomaly':
      return metricCandidates(f, workload, c);
    case 'model-hypothesis': {
      const category = facts.categories?.[0];
      if (!isCategory(category) || category === 'none') return [];
      return [c(category, workload, modelHypothesisWeight(f.evidence.length), false)];
    }
    default:
      return [];
  }
}

/**
 * A model's validated hypothesis: circumstantial, and modest however many quotes it cites (0.12 for one, up to
 * 0.3 for four or more), so it can put a hypothesis on the table but never outweigh a direct observation (0.6-0.9).
 * Ranking also caps a hypothesis that only the model supports below the root-cause bar (rank.ts).
 */
export const MODEL_HYPOTHESIS_MAX_WEIGHT = 0.3;

export function modelHypothesisWeight(quotes: number): number {
  if (quotes <= 0) return 0;
  return Math.min(MODEL_HYPOTHESIS_MAX_WEIGHT, 0.12 + 0.06 * (quotes - 1));
}

function signatureCandidates(
  f: Finding,
  workload: string,
  ctx: ReasoningContext,
  c: (category: Category, resource: string, weight: number, direct?: boolean) => Candidate,
): Candidate[] {
  const facts = f.facts ?? {};
  // A signature that only existed long before the incident is background noise.
  const fresh = facts.isNew === true || (facts.countAfter ?? 1) > (facts.countBefore ?? 0) * 1.5;
  const k = fresh ? 1 : 0.35;
  switch (facts.signatureKind) {
    case 'pool':
      return [c('connection-pool-exhaustion', workload, 0.75 * k)];
    case 'dns':
      return [c('dns-failure', workload, 0.75 * k)];
    case 'tls': {
      // The object at fault presents the certificate: the server the failing calls name. The caller is a victim.
      const servers = (facts.targets ?? []).map((t) => ctx.resolve(t, { serving: true })).filter((d): d is string => !!d && d !== workload);
      if (servers.length) return [...new Set(servers)].map((d) => c('certificate-expired', d, 0.8 * k)).concat(c('certificate-expired', workload, 0.45 * k));
      return [c('certificate-expired', workload, 0.8 * k)];
    }
    case 'disk':
      return [c('disk-full', workload, 0.85 * k)];
    case 'throttle':
      return [c('rate-limited', workload, 0.75 * k)];
    case 'oom':
      return [c('oom-killed', workload, 0.35 * k, false)];
    case 'config':
      return [c('crash-loop', workload, 0.55 * k)];
    case 'connection':
    case 'timeout': {
      // Failing to reach port 53 upstream is what a DNS server logs when it cannot resolve.
      if ((facts.targets ?? []).some((t) => /:53$/.test(t))) return [c('dns-failure', workload, 0.6 * k)];
      const deps = (facts.targets ?? []).map((t) => ctx.resolve(t)).filter((d): d is string => !!d && d !== workload);
      if (deps.length) return [...new Set(deps)].map((d) => c('dependency-failure', d, 0.5 * k, false));
      return [c('dependency-failure', workload, 0.25 * k, false)];
    }
    default:
      return [];
  }
}

/** Kinds the metrics specialist gives AWS-managed services (RDS, ElastiCache, DynamoDB, load balancers...). */
const MANAGED_KINDS = new Set(['Database', 'Cache', 'Table', 'LoadBalancer', 'Api', 'Function']);

function metricCandidates(
  f: Finding,
  workload: string,
  c: (category: Category, resource: string, weight: number, direct?: boolean) => Candidate,
): Candidate[] {
  const facts = f.facts ?? {};
  // A managed service behaving abnormally in the harmful direction is a dependency in trouble: its clients are the
  // ones alerting. (Its CPU or memory are not the workload categories of the taxonomy.)
  const kind = workload.split('/')[0]!;
  // Not a workload of ours (a managed service, or the Service that fronts one): its anomalies mean a dependency in
  // trouble, never a surge or saturation of our own.
  if (MANAGED_KINDS.has(kind) || kind === 'Service') {
    if (f.severity === 'info' || facts.recurs) return [];
    const strength = Math.min(1, Math.abs(facts.score ?? 3) / 10);
    return [c('dependency-failure', workload, 0.25 + 0.2 * strength, false)];
  }
  if (facts.recurs || facts.direction !== 'up') {
    if (facts.metricKind === 'traffic' && facts.direction === 'down') return [];
    return [];
  }
  const strength = Math.min(1, Math.abs(facts.score ?? 3) / 10);
  // Client connection-pool gauges (HikariCP, database/sql, pgbouncer-style names) rising: the pool is the bottleneck.
  if (POOL_METRIC.test(facts.metric ?? '')) return [c('connection-pool-exhaustion', workload, 0.45 + 0.15 * strength, false)];
  switch (facts.metricKind) {
    case 'cpu': {
      // Saturation means near a limit: a percent-of-limit metric well below it is load, not saturation.
      const level = facts.unit === 'Percent' && facts.value !== undefined ? Math.min(1, Math.max(0.3, (facts.value - 40) / 45)) : 0.7;
      const onNode = workload.startsWith('Node/');
      return [c('cpu-saturation', workload, (0.35 + 0.25 * strength) * level * (onNode ? 0.5 : 1), false)];
    }
    case 'traffic':
      return [c('traffic-surge', workload, 0.3 + 0.3 * strength, false)];
    case 'memory':
      return [c('oom-killed', workload, 0.2 + 0.1 * strength, false)];
    case 'disk':
      return [c('disk-full', workload, 0.3 + 0.3 * strength, false)];
    default:
      return [];
  }
}
