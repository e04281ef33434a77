/**
 * Ranking hypotheses. Candidates for the same (category, resource) are combined (independent evidence adds up
 * with diminishing returns); then each hypothesis is weighed by:
 *   - corroboration: evidence from more than one specialist;
 *   - relevance: is the resource what the trigger is about, a dependency of it, the node under it?
 *   - timing: a cause starts before its effects; problems that ended long before the incident are background;
 *   - dependency direction: victims' errors that name a dependency promote the dependency and demote the victims;
 *   - specific refinements: a rollout followed by symptoms, probes failing on a healthy app, a pool exhausted
 *     against a healthy database, traffic driving CPU.
 */
import type { Finding } from '../../domain/findings.ts';
import type { Evidence, SpecialistName } from '../../domain/result.ts';
import type { Category } from '../../domain/taxonomy.ts';
import { type Candidate, candidatesOf } from './candidates.ts';
import type { ReasoningContext } from './context.ts';

export interface RankedHypothesis {
  category: Category;
  resource: string;
  score: number;
  findings: Finding[];
  /** Candidates' contributions, strongest first. */
  support: Candidate[];
  sources: Set<SpecialistName>;
  /** Onset of the hypothesis (earliest direct evidence), epoch ms. */
  since?: number;
  /** Why it ranks where it does, for the report. */
  notes: string[];
  /** LLM mode: models' claims agreeing with this engine hypothesis; listed as evidence, not scored. */
  modelSupport?: Candidate[];
}

const STALE_MS = 60 * 60_000;
/** Below ROOT_CAUSE_BAR (decide.ts, 0.35): the model alone can never name the root cause. */
export const MODEL_ONLY_CEILING = 0.3;
const EXTERNAL_SIGNATURES: ReadonlySet<string> = new Set(['dns', 'connection', 'timeout', 'tls', 'throttle', 'pool', 'disk']);
const ROLLOUT_EFFECT_WINDOW_MS = 90 * 60_000;
/** Categories a victim shows when the real problem is upstream. */
const VICTIM_CATEGORIES: ReadonlySet<Category> = new Set(['crash-loop', 'dependency-failure', 'connection-pool-exhaustion', 'probe-failure', 'bad-deployment', 'cpu-saturation']);
/** Categories that name what is wrong with a resource itself. */
const SPECIFIC_CATEGORIES: ReadonlySet<Category> = new Set(['oom-killed', 'crash-loop', 'config-error', 'image-pull', 'unschedulable', 'disk-full', 'node-failure', 'probe-failure', 'certificate-expired', 'bad-deployment']);

export function specialistOf(f: Finding): SpecialistName {
  const source = f.evidence[0]?.source ?? '';
  const prefix = source.split('___')[0];
  return prefix === 'kubernetes' || prefix === 'logs' || prefix === 'metrics' || prefix === 'runbooks' ? prefix : 'kubernetes';
}

export function rankHypotheses(ctx: ReasoningContext): RankedHypothesis[] {
  const byKey = new Map<string, RankedHypothesis>();
  const modelCandidates: Candidate[] = [];
  for (const f of ctx.findings) {
    for (const cand of candidatesOf(f, ctx)) {
      if (cand.weight <= 0) continue;
      // A model's claims are weighed apart, after the engine's evidence has been (addModelHypotheses).
      if (f.signal === 'model-hypothesis') {
        modelCandidates.push(cand);
        continue;
      }
      const key = `${cand.category}|${cand.resource}`;
      let h = byKey.get(key);
      if (!h) {
        h = { category: cand.category, resource: cand.resource, score: 0, findings: [], support: [], sources: new Set(), notes: [] };
        byKey.set(key, h);
      }
      if (!h.findings.includes(f)) h.findings.push(f);
      h.support.push(cand);
      h.sources.add(specialistOf(f));
      const t = f.since ? Date.parse(f.since) : NaN;
      if (cand.direct && Number.isFinite(t) && (h.since === undefined || t < h.since)) h.since = t;
    }
  }
  const hypotheses = [...byKey.values()];
  for (const h of hypotheses) {
    h.support.sort((a, b) => b.weight - a.weight);
    if (h.since === undefined) {
      const times = h.findings.map((f) => (f.since ? Date.parse(f.since) : NaN)).filter(Number.isFinite);
      if (times.length) h.since = Math.min(...times);
    }
    h.score = combine(distinctWeights(h.support));
  }

  applyRolloutEffects(hypotheses, ctx);
  for (const h of hypotheses) {
    h.score *= corroboration(h) * relevance(h, ctx) * timing(h, ctx);
  }
  applyClusterDns(hypotheses, ctx);
  applyDependencyDirection(hypotheses, ctx);
  applyProbeVersusCrash(hypotheses, ctx);
  applyProbeVersusSaturation(hypotheses);
  applyPoolVersusDependency(hypotheses, ctx);
  applyTrafficVersusCpu(hypotheses);

  addModelHypotheses(hypotheses, modelCandidates, ctx);

  for (const h of hypotheses) h.score = Math.max(0, Math.min(0.99, h.score));
  return hypotheses.sort((a, b) => b.score - a.score || directCount(b) - directCount(a));
}

/**
 * LLM mode: specialist models' validated claims (`model-hypothesis` findings). A claim on a hypothesis the engine
 * already has is listed with its evidence but leaves its score alone: the model re-reads tool data the engine has
 * weighed, and even a small boost could reorder close calls, so the engine's order stands. A claim the engine has
 * no hypothesis for becomes one, at its modest weight (candidates.ts) times relevance, capped below the
 * root-cause bar: a lead for the next round and the report, never the verdict. None of the refinements above
 * see these claims, so a model's wording cannot trigger them.
 */
function addModelHypotheses(hypotheses: RankedHypothesis[], candidates: readonly Candidate[], ctx: ReasoningContext): void {
  const existing = new Map(hypotheses.map((h) => [`${h.category}|${h.resource}`, h]));
  const proposed = new Map<string, RankedHypothesis>();
  for (const cand of candidates) {
    const key = `${cand.category}|${cand.resource}`;
    const engine = existing.get(key);
    if (engine) {
      (engine.modelSupport ??= []).push(cand);
      continue;
    }
    let h = proposed.get(key);
    if (!h) {
      h = { category: cand.category, resource: cand.resource, score: 0, findings: [], support: [], sources: new Set(), notes: ['proposed by a specialist model from tool data it quotes'] };
      proposed.set(key, h);
    }
    if (!h.findings.includes(cand.finding)) h.findings.push(cand.finding);
    h.support.push(cand);
    h.sources.add(specialistOf(cand.finding));
  }
  for (const h of proposed.values()) {
    h.support.sort((a, b) => b.weight - a.weight);
    h.score = Math.min(MODEL_ONLY_CEILING, combine(distinctWeights(h.support)) * relevance(h, ctx));
    hypotheses.push(h);
  }
}

/** Noisy-OR over independent pieces of evidence; repeated observations of one finding count once. */
function combine(weights: readonly number[]): number {
  return 1 - weights.reduce((acc, w) => acc * (1 - Math.max(0, Math.min(0.99, w))), 1);
}

function distinctWeights(support: readonly Candidate[]): number[] {
  // Many pods of one workload saying the same thing are one observation, lightly reinforced.
  const bySignal = new Map<string, number[]>();
  for (const c of support) {
    const key = `${c.finding.signal}|${c.finding.facts?.signatureKind ?? ''}|${c.finding.facts?.metricKind ?? ''}`;
    (bySignal.get(key) ?? bySignal.set(key, []).get(key)!).push(c.weight);
  }
  return [...bySignal.values()].map((ws) => {
    const sorted = [...ws].sort((a, b) => b - a);
    return Math.min(0.99, sorted[0]! + 0.05 * (sorted.length - 1));
  });
}

function directCount(h: RankedHypothesis): number {
  return h.support.filter((c) => c.direct).length;
}

function corroboration(h: RankedHypothesis): number {
  return 1 + 0.12 * (h.sources.size - 1);
}

function relevance(h: RankedHypothesis, ctx: ReasoningContext): number {
  const focus = ctx.focus.get(h.resource) ?? 0;
  if (focus >= 0.5) {
    h.notes.push('it is what the trigger is about');
    return 1;
  }
  const upstreamOfFocus = ctx.edges.some((e) => e.dependency === h.resource && ((ctx.focus.get(e.victim) ?? 0) >= 0.5 || ctx.symptomOnset.has(e.victim)));
  if (upstreamOfFocus) {
    h.notes.push('the affected services depend on it');
    return 1;
  }
  if (h.resource.startsWith('Node/')) {
    const node = h.resource.slice('Node//'.length);
    const hostsFocus = ctx.inventory.some((e) => e.nodes?.includes(node) && ((ctx.focus.get(e.resource) ?? 0) >= 0.5 || ctx.symptomOnset.has(e.resource)));
    const hostsAffected = ctx.findings.some((f) => f.facts?.node === node && f.signal !== 'node-pressure' && f.signal !== 'node-not-ready');
    if (hostsFocus || hostsAffected) {
      h.notes.push('workloads on it are affected');
      return 0.95;
    }
  }
  if (ctx.focus.size === 0) return ctx.symptomOnset.has(h.resource) ? 1 : 0.85;
  const ns = h.resource.split('/')[1];
  const sameNamespace = [...ctx.focus.keys()].some((w) => w.split('/')[1] === ns) || ctx.plan.focus.namespaces.includes(ns ?? '');
  if (sameNamespace) return 0.8;
  return ctx.symptomOnset.has(h.resource) ? 0.65 : 0.5;
}

function timing(h: RankedHypothesis, ctx: ReasoningContext): number {
  // Last sign of life of the hypothesis: if every finding ended long before the incident, it is background.
  const lastSeen = Math.max(
    ...h.findings.map((f) => (f.until ? Date.parse(f.until) : f.since ? Date.parse(f.since) : ctx.pivot)).filter(Number.isFinite),
  );
  if (Number.isFinite(lastSeen) && lastSeen < ctx.incidentStart - STALE_MS) {
    h.notes.push('it ended well before the incident');
    return 0.3;
  }
  // A cause starts before its effects: onset after the focus symptoms began points to an effect.
  const focusOnsets = [...ctx.focus.keys()].map((w) => ctx.symptomOnset.get(w)).filter((t): t is number => t !== undefined);
  if (h.since !== undefined && focusOnsets.length) {
    const effectStart = Math.min(...focusOnsets);
    if (h.since > effectStart + 10 * 60_000) {
      h.notes.push('it started after the symptoms');
      return 0.7;
    }
  }
  return 1;
}

/** A rollout shortly before a workload's symptoms is the likeliest cause of them. */
function applyRolloutEffects(hypotheses: RankedHypothesis[], ctx: ReasoningContext): void {
  for (const h of hypotheses) {
    if (h.category !== 'bad-deployment') continue;
    const rollout = h.findings.find((f) => f.signal === 'workload-rollout');
    const rolledOut = rollout?.since ? Date.parse(rollout.since) : NaN;
    if (!Number.isFinite(rolledOut)) continue;
    const effects = ctx.findings.filter((f) => {
      if (f === rollout || (f.workload ?? ctx.ownerOf(f.resource)) !== h.resource) return false;
      if (f.signal === 'workload-rollout' || f.signal === 'runbook-match' || f.severity === 'info') return false;
      if (f.signal === 'metric-anomaly' && f.facts?.direction !== 'up' && f.facts?.metricKind !== 'availability') return false;
      // Errors about other things (names, connections, certificates, quotas) say the trouble came from outside.
      if (f.signal === 'log-signature' && EXTERNAL_SIGNATURES.has(f.facts?.signatureKind ?? '')) return false;
      const t = f.since ? Date.parse(f.since) : NaN;
      return Number.isFinite(t) && t >= rolledOut - 2 * 60_000 && t <= rolledOut + ROLLOUT_EFFECT_WINDOW_MS;
    });
    if (!effects.length) continue;
    const own = hypotheses.filter((x) => x.resource === h.resource && x !== h);
    // Image pulls and missing config have their own categories even when a rollout introduced them.
    const specific = own.find((x) => (x.category === 'image-pull' || x.category === 'config-error') && x.score >= 0.5);
    // A broken release shows within minutes of taking traffic; the longer the gap, the weaker the link.
    const delayMin = (Math.min(...effects.map((e) => Date.parse(e.since!))) - rolledOut) / 60_000;
    const closeness = delayMin <= 10 ? 1 : Math.max(0.25, 1 - (delayMin - 10) / 50);
    const boost = (specific ? 0.35 : 0.75) * closeness;
    h.score = combine([h.score, boost]);
    for (const e of effects) if (!h.findings.includes(e)) h.findings.push(e);
    h.notes.push(`symptoms began within ${Math.round((Math.min(...effects.map((e) => Date.parse(e.since!))) - rolledOut) / 60_000)} min of the rollout`);
    for (const x of own) {
      if (x.category === 'crash-loop' || x.category === 'probe-failure') x.score *= 0.8;
    }
  }
}

/** Victims' errors name a dependency: the dependency (or its own specific failure) is the cause. */
function applyDependencyDirection(hypotheses: RankedHypothesis[], ctx: ReasoningContext): void {
  const dependencies = new Set(ctx.edges.map((e) => e.dependency));
  for (const dep of dependencies) {
    const victims = [...new Set(ctx.edges.filter((e) => e.dependency === dep).map((e) => e.victim))];
    const onDep = hypotheses.filter((h) => h.resource === dep);
    const depBroken =
      ctx.health(dep) === 'down' || ctx.health(dep) === 'degraded' || onDep.some((h) => h.category !== 'dependency-failure' && h.score >= 0.4 && h.support.some((c) => c.direct));
    const specific = onDep.filter((h) => SPECIFIC_CATEGORIES.has(h.category)).sort((a, b) => b.score - a.score)[0];
    if (specific && specific.score >= 0.4) {
      specific.score = combine([specific.score, 0.3 + 0.05 * victims.length]);
      specific.notes.push(`${victims.length} dependent workload(s) fail against it`);
      for (const h of onDep) if (h.category === 'dependency-failure') h.score *= 0.75;
    } else {
      for (const h of onDep) {
        if (h.category !== 'dependency-failure') continue;
        h.score = combine([h.score, depBroken ? 0.35 : 0.15 + 0.05 * victims.length]);
        h.notes.push(`${victims.length} dependent workload(s) report errors against it`);
      }
    }
    if (!depBroken && !specific) continue;
    for (const v of victims) {
      for (const h of hypotheses) {
        if (h.resource !== v || !VICTIM_CATEGORIES.has(h.category)) continue;
        h.score *= 0.55;
        h.notes.push(`its errors point at ${dep}`);
      }
    }
  }
}

/**
 * Name resolution failing in several workloads at once, or the cluster's DNS server failing to reach its
 * upstream, is a cluster DNS failure: the DNS server is the cause and the workloads are its victims.
 */
function applyClusterDns(hypotheses: RankedHypothesis[], ctx: ReasoningContext): void {
  const victims = [...new Set(
    ctx.findings
      .filter((f) => f.signal === 'log-signature' && f.facts?.signatureKind === 'dns' && f.severity !== 'info')
      .map((f) => f.workload ?? ctx.ownerOf(f.resource)),
  )];
  const servers = hypotheses.filter((h) => h.category === 'dns-failure' && h.findings.some((f) => (f.facts?.targets ?? []).some((t) => /:53$/.test(t))));
  let server = servers.sort((a, b) => b.score - a.score)[0];
  if (!server && victims.length >= 2) {
    // The cluster DNS Service is kube-system/kube-dns on every conformant cluster (CoreDNS included).
    const dns = ctx.resolve('kube-dns.kube-system.svc.cluster.local');
    if (dns) {
      server = { category: 'dns-failure', resource: dns, score: 0.3, findings: [], support: [], sources: new Set(['kubernetes']), notes: [] };
      hypotheses.push(server);
    }
  }
  if (!server || (victims.length < 2 && servers.length === 0)) return;
  const others = victims.filter((v) => v !== server!.resource);
  if (!others.length) return;
  server.score = combine([server.score, 0.25 + 0.1 * Math.min(others.length, 4)]);
  server.notes.push(`${others.length} workload(s) fail to resolve names at the same time`);
  for (const h of hypotheses) {
    if (h !== server && h.category === 'dns-failure' && others.includes(h.resource)) {
      h.score *= 0.6;
      h.notes.push(`its lookups go through ${server.resource}, which is failing`);
    }
  }
}

/** Probes timing out while CPU is pinned: the probe is a victim of saturation, not misconfigured. */
function applyProbeVersusSaturation(hypotheses: RankedHypothesis[]): void {
  for (const h of hypotheses) {
    if (h.category !== 'probe-failure') continue;
    const timeouts = h.findings.some((f) => /timeout|deadline exceeded|timed out/i.test(`${f.facts?.message ?? ''} ${f.summary}`));
    const cpu = hypotheses.find((x) => x.resource === h.resource && x.category === 'cpu-saturation' && x.score >= 0.4);
    if (!timeouts || !cpu) continue;
    h.score *= 0.6;
    h.notes.push('its probes time out while CPU is saturated');
    cpu.score = combine([cpu.score, 0.25]);
    cpu.notes.push('health probes time out under the load');
  }
}

/** Liveness/readiness failures while the app logs no errors of its own: the probe is wrong, not the app. */
function applyProbeVersusCrash(hypotheses: RankedHypothesis[], ctx: ReasoningContext): void {
  for (const h of hypotheses) {
    if (h.category !== 'probe-failure') continue;
    const appErrors = ctx.findings.some(
      (f) =>
        (f.workload ?? ctx.ownerOf(f.resource)) === h.resource &&
        f.signal === 'log-signature' &&
        f.facts?.signatureKind !== undefined &&
        f.facts.signatureKind !== 'http-5xx' &&
        (f.facts.isNew === true || (f.facts.countAfter ?? 0) > (f.facts.countBefore ?? 0) * 1.5),
    );
    if (appErrors) {
      h.score *= 0.6;
      h.notes.push('the application itself logs new errors');
      continue;
    }
    h.score = combine([h.score, 0.3]);
    h.notes.push('the application logs no errors of its own');
    for (const x of hypotheses) {
      if (x.resource === h.resource && x.category === 'crash-loop' && !x.support.some((c) => c.direct && c.weight >= 0.6)) x.score *= 0.6;
    }
  }
}

/** A pool that cannot hand out connections against a healthy database is a client-side problem. */
function applyPoolVersusDependency(hypotheses: RankedHypothesis[], ctx: ReasoningContext): void {
  for (const h of hypotheses) {
    if (h.category !== 'connection-pool-exhaustion') continue;
    const deps = ctx.edges.filter((e) => e.victim === h.resource).map((e) => e.dependency);
    const brokenDep = deps.find(
      (d) => ctx.health(d) === 'down' || hypotheses.some((x) => x.resource === d && x !== h && SPECIFIC_CATEGORIES.has(x.category) && x.score >= 0.4),
    );
    if (brokenDep) {
      h.score *= 0.6;
      h.notes.push(`its dependency ${brokenDep} is itself failing`);
    } else {
      for (const x of hypotheses) {
        if (x.category === 'dependency-failure' && deps.includes(x.resource)) x.score *= 0.6;
      }
    }
  }
}

/** CPU pinned because demand rose is a traffic surge; CPU pinned at normal demand is saturation. */
function applyTrafficVersusCpu(hypotheses: RankedHypothesis[]): void {
  for (const h of hypotheses) {
    if (h.category !== 'traffic-surge') continue;
    const trafficUp = h.findings.some((f) => f.signal === 'metric-anomaly' && f.facts?.metricKind === 'traffic' && f.facts.direction === 'up');
    const atMax = h.findings.some((f) => f.signal === 'hpa-at-max');
    if (trafficUp && atMax) {
      h.score = combine([h.score, 0.3]);
      h.notes.push('demand rose and autoscaling is at its maximum');
    }
    if (!trafficUp) {
      h.score *= 0.7;
      continue;
    }
    for (const x of hypotheses) {
      if (x.resource === h.resource && x.category === 'cpu-saturation') {
        x.score *= 0.7;
        x.notes.push('CPU rose with demand');
      }
    }
  }
}

/**
 * The evidence a hypothesis cites: the strongest findings first, and from every finding its first datum before
 * any finding's second, so one verbose finding cannot crowd out the others (a stack trace, a metric, an event).
 */
export function evidenceOf(h: RankedHypothesis, max = 12): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  const ordered = [...new Set([...h.support.map((c) => c.finding), ...h.findings, ...(h.modelSupport ?? []).map((c) => c.finding)])];
  for (let depth = 0; out.length < max; depth++) {
    let added = false;
    for (const f of ordered) {
      const e = f.evidence[depth];
      if (!e) continue;
      added = true;
      const key = `${e.source}|${e.detail}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
      if (out.length >= max) break;
    }
    if (!added) break;
  }
  return out;
}
