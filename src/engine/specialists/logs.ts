/**
 * The logs specialist. Mines the window's log templates and compares them before and after the incident pivot:
 * templates that are new or spike are symptoms (with their onset), and the error signature of each template's
 * lines — the failure class and the hosts it names — is evidence for a cause (a dependency refusing connections,
 * names that do not resolve, an expired certificate, a full disk, throttling, an exhausted pool). Round two looks
 * at the suspects' logs alone.
 */
import type { ErrorSignature } from '../../analyzers/logs/signatures.ts';
import type { Finding } from '../../domain/findings.ts';
import type { Category } from '../../domain/taxonomy.ts';
import type { Plan } from '../types.ts';
import type { SpecialistContext } from './index.ts';
import { SpecialistSession, clip } from './session.ts';
import { classifySignature } from './signature-kind.ts';
import { routeFinding, slowestRoutes } from './requests.ts';

interface Pattern {
  pattern: string;
  count: number;
  count_before: number;
  count_after: number;
  is_new: boolean;
  spike_ratio?: number;
  first_seen: string;
  last_seen: string;
  level: string;
  services: string[];
  workloads: string[];
  pods: string[];
  signature?: ErrorSignature;
  sample: string;
}

const PATTERNS = 'logs___analyze_log_patterns';
const ERRORS = 'logs___get_error_logs';
const SEARCH_LINES = 'logs___search_logs';
/** Words with which logs announce a change: what changed is the first question of any incident. */
const CHANGE_RE = /\b(reload(ed|ing)?|changes? detected|changed|updated|published|rolled (out|back)|deploy(ed|ment)|new version|ruleset|loaded|feature flag|flag .* (enabled|disabled)|migrat(ed|ion)|config(uration)? (updated|changed|applied)|applied|upgraded|patched|set active)\b/i;
const MAX_CHANGES = 10;
const SPIKE = 3;
const SEVERE = new Set(['FATAL', 'ERROR', 'WARN']);

export async function logsSpecialist({ plan, tools }: SpecialistContext): Promise<ReturnType<SpecialistSession['report']>> {
  const s = new SpecialistSession('logs', tools);
  const base = windowArgs(plan);
  // Round two: the suspects' own patterns (only when named) and the leading hypotheses' targeted searches.
  const queries =
    plan.round === 1
      ? [{ ...base, limit: 120 }]
      : plan.specialists.logs.targets.slice(0, 6).map((target) => ({ ...base, service: serviceName(target), limit: 40 }));
  if (plan.round > 1 && plan.specialists.logs.categories?.length) {
    await targetedSearches(s, plan, plan.specialists.logs.categories);
    const subjects = (plan.specialists.logs.subjects ?? []).filter((r) => WORKLOAD_RE.test(r)).slice(0, 2);
    const latencyBound = plan.specialists.logs.categories.some((c) => LATENCY_CATEGORIES.has(c));
    if (latencyBound) await Promise.all(subjects.map((r) => slowestRequests(s, plan, r)));
    await Promise.all(subjects.map((r) => configWarnings(s, plan, r)));
  }
  const results = await Promise.all(queries.map((q) => s.call<{ patterns: Pattern[]; lines_analyzed: number; partial?: boolean }>(PATTERNS, q)));

  const merged = new Map<string, Finding>();
  let lines = 0;
  const allPatterns = results.flatMap((r) => r?.patterns ?? []);
  for (const res of results) {
    if (!res) continue;
    lines += res.lines_analyzed;
    if (res.partial) s.gaps.push('the log window held more lines than one query reads; pattern counts are lower bounds');
    for (const p of res.patterns) addPattern(p, merged, plan);
  }
  for (const f of merged.values()) s.add(f);
  if (plan.round === 1) {
    changeEvents(s, allPatterns, plan);
    await stackTraces(s, [...merged.values()], plan);
  }
  if (plan.round > 1) return s.report();
  if (plan.round === 1 && lines === 0) s.gaps.push('no log lines were found in the window (no log groups, or nothing shipped)');
  else if (!s.findings.some((f) => f.severity !== 'info')) s.ok(`no new or spiking warning/error log patterns among ${lines} lines in the window`, PATTERNS);
  return s.report();
}

interface LogLine {
  timestamp: string;
  level: string;
  message: string;
  service: string;
  workload?: string;
  pod?: string;
  stack_trace?: string;
}

/**
 * Rare templates announcing a change (config reloads, rulesets, flags, migrations) in the look-back window. Templates,
 * not lines: their counts cover the whole window, so a one-off change is not crowded out by routine chatter.
 */
function changeEvents(s: SpecialistSession, patterns: readonly Pattern[], plan: Plan): void {
  const pivot = Date.parse(plan.window.pivot);
  const rare = patterns
    .filter((p) => p.count <= 4 && CHANGE_RE.test(`${p.pattern} ${p.sample}`))
    .sort((a, b) => Math.abs(Date.parse(a.first_seen) - pivot) - Math.abs(Date.parse(b.first_seen) - pivot))
    .slice(0, MAX_CHANGES);
  for (const p of rare) s.add(patternFinding('change-event', p));
}

/**
 * Where an SRE looks next for each kind of root cause: the words of the lines that confirm it or say why (the
 * cluster autoscaler's view of pending pods, certificate renewals, the requests holding a pool, quota errors).
 */
const CATEGORY_SEARCHES: Partial<Record<Category, RegExp>> = {
  unschedulable: /(max (node ?group )?size|scale[- ]?up|node ?group|insufficient (cpu|memory)|untolerated taint|volume node affinity|didn.t match)/i,
  'certificate-expired': /(certificate|x509|tls|not ?after|expir|renew|issuer)/i,
  'dns-failure': /(resolv|dns|lookup|nxdomain|servfail|name resolution|forward|upstream)/i,
  'disk-full': /(no space|disk|volume|filesystem|enospc|pvc|wal|full)/i,
  'connection-pool-exhaustion': /(pool|hikari|connection|\b(GET|POST|PUT|PATCH|DELETE) \/\S+)/i,
  'cpu-saturation': /(throttl|cpu|slow|took \d+ ?ms|rules?|loaded)/i,
  'traffic-surge': /(campaign|flash|sale|promo|spike|surge|rate|requests per|rps|traffic)/i,
  'rate-limited': /(429|throttl|rate (limit|exceeded)|quota|too many requests|slow ?down)/i,
  'oom-killed': /(heap|memory|outofmemory|gc overhead|allocat|oom)/i,
  'crash-loop': /(error|exception|traceback|fatal|panic|missing|not set|exit)/i,
  'config-error': /(configmap|secret|not found|mount|key)/i,
  'image-pull': /(pull|image|manifest|unauthorized|registry|tag)/i,
  'node-failure': /(node|kubelet|notready|pressure|evict|unreachable)/i,
  'probe-failure': /(health|probe|readiness|liveness|ready)/i,
  'bad-deployment': /(version|release|deploy|started|feature|flag|config)/i,
  'dependency-failure': /(refused|timeout|unavailable|circuit|unreachable|down)/i,
};
const MAX_CONTEXT_LINES = 6;

/** One pattern analysis of every line at INFO and above, filtered per category: the distinct statements near the incident. */
async function targetedSearches(s: SpecialistSession, plan: Plan, categories: readonly Category[]): Promise<void> {
  const res = await s.call<{ patterns: Pattern[] }>(PATTERNS, { ...windowArgs(plan), log_level: 'INFO', limit: 200 });
  const patterns = res?.patterns ?? [];
  const pivot = Date.parse(plan.window.pivot);
  for (const category of categories) {
    const re = CATEGORY_SEARCHES[category];
    if (!re) continue;
    // A statement repeated all day is background; the rare ones near the incident say what happened, and so do
    // frequent ones the first half of the baseline never saw (a pool's stats, logged once requests queue).
    const start = Date.parse(plan.window.start);
    const backgroundUntil = start + (Date.parse(plan.window.incidentStart) - start) / 2;
    const picked = patterns
      .filter((p) => (p.count <= 20 || Date.parse(p.first_seen) > backgroundUntil) && re.test(`${p.pattern} ${p.sample}`))
      .sort((a, b) => Math.abs(Date.parse(a.last_seen) - pivot) - Math.abs(Date.parse(b.last_seen) - pivot))
      .slice(0, MAX_CONTEXT_LINES);
    for (const p of picked) s.add(patternFinding('log-context', p, category));
  }
}

/** What a service says when it starts with a setting it does not take: the classic clue of a config regression. */
const CONFIG_WARNING_RE = /\b(deprecated|ignored|ignoring|not set|unset|is missing|defaulting|default(s)? to|using default|falling back|fallback|unknown (key|option|setting|variable|property)|unrecognized|invalid value|no longer (supported|used|read))\b/i;
/** How far back a suspect's own warnings are read: long enough to reach the start of the revision that runs now. */
const CONFIG_WARNING_LOOKBACK = '24h';
const MAX_CONFIG_WARNINGS = 3;

/**
 * A suspect's rare configuration warnings over the past day (before the incident, since they are logged at
 * start-up): "X is deprecated and ignored; set Y instead" is often the whole story of a regression that only
 * shows under load hours later.
 */
async function configWarnings(s: SpecialistSession, plan: Plan, workload: string): Promise<void> {
  const res = await s.call<{ patterns: Pattern[] }>(PATTERNS, {
    service: serviceName(workload),
    time_window: CONFIG_WARNING_LOOKBACK,
    end_time: plan.window.end,
    pivot_time: plan.window.incidentStart,
    log_level: 'WARN',
    limit: 50,
  });
  const picked = (res?.patterns ?? [])
    .filter((p) => p.count <= 20 && CONFIG_WARNING_RE.test(p.sample))
    .sort((a, b) => Date.parse(b.last_seen) - Date.parse(a.last_seen))
    .slice(0, MAX_CONFIG_WARNINGS);
  for (const p of picked) s.add(patternFinding('log-context', p));
}

const LATENCY_CATEGORIES: ReadonlySet<Category> = new Set(['connection-pool-exhaustion', 'cpu-saturation', 'traffic-surge', 'bad-deployment', 'dependency-failure', 'rate-limited']);
const WORKLOAD_RE = /^(Deployment|StatefulSet|DaemonSet|Workload)\//;

/** The slowest requests a workload logged in the incident window (see requests.ts). */
async function slowestRequests(s: SpecialistSession, plan: Plan, workload: string): Promise<void> {
  const res = await s.call<{ logs: LogLine[] }>(SEARCH_LINES, {
    pattern: '/\\b(GET|POST|PUT|PATCH|DELETE|HEAD) \\//',
    service: serviceName(workload),
    start_time: plan.window.incidentStart,
    end_time: plan.window.end,
    limit: 1000,
  });
  for (const r of slowestRoutes((res?.logs ?? []).map((l) => ({ text: l.message, at: l.timestamp })))) {
    s.add(routeFinding(workload, r, SEARCH_LINES));
  }
}

/** The stack traces behind new exceptions: the frames say where in the code it breaks. */
async function stackTraces(s: SpecialistSession, findings: readonly Finding[], plan: Plan): Promise<void> {
  const workloads = [...new Set(
    findings
      .filter((f) => f.signal === 'log-signature' && f.severity === 'critical')
      .map((f) => f.workload!),
  )].slice(0, 4);
  await Promise.all(
    workloads.map(async (workload) => {
      const res = await s.call<{ errors: LogLine[] }>(ERRORS, { since: plan.window.incidentStart, end_time: plan.window.end, service: serviceName(workload), limit: 20 });
      const traced = (res?.errors ?? []).find((e) => e.stack_trace);
      if (!traced?.stack_trace) return;
      const frames = traceSummary(traced.stack_trace);
      const target = findings.find((f) => f.workload === workload && f.signal === 'log-signature' && f.severity === 'critical');
      target?.evidence.push({ source: ERRORS, detail: clip(`${traced.message}\n${frames}`, 1200), at: traced.timestamp });
    }),
  );
}

/** How the logs tools name a source: `Deployment/ns/name` as is, a kind-less `Workload/ns/name` as `ns/name`. */
function serviceName(resource: string): string {
  const [kind, ns, name] = resource.split('/');
  if (kind !== 'Workload' || name === undefined) return resource;
  return ns ? `${ns}/${name}` : name;
}

const FRAME = /^\s*(at\s|File "|\.\.\.|[\w./-]+\.go:\d+|#\d+\s|goroutine\s|\S+\(\S*:\d+\)$)/;
const TRACE_NOISE = /^(Traceback \(most recent call last\):|During handling of the above exception|The above exception was the direct cause)/;

/**
 * What a stack trace says, in a few lines: its statements (the exception and every cause, wherever the language
 * puts them: first in Java, last in Python) and the top frames, which name the code that failed.
 */
export function traceSummary(trace: string, maxStatements = 6, maxFrames = 4): string {
  const lines = trace.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim());
  const statements = lines.filter((l) => !FRAME.test(l) && !TRACE_NOISE.test(l.trim()) && !/^\s{4,}\S/.test(l));
  const frames = lines.filter((l) => FRAME.test(l)).slice(0, maxFrames);
  return [...statements.slice(0, maxStatements), ...frames].join('\n');
}

function windowArgs(plan: Plan): Record<string, string> {
  const minutes = Math.max(5, Math.ceil((Date.parse(plan.window.end) - Date.parse(plan.window.start)) / 60_000));
  return { time_window: `${minutes}m`, end_time: plan.window.end, pivot_time: plan.window.incidentStart };
}

function addPattern(p: Pattern, merged: Map<string, Finding>, plan: Plan): void {
  const severe = SEVERE.has(p.level);
  const fresh = p.is_new || ((p.spike_ratio ?? 0) >= SPIKE && p.count_after >= 3);
  const sig = p.signature ? classifySignature(p.signature) : undefined;
  if (!severe && !sig) return;
  const workloads = p.workloads.length ? p.workloads : p.services.map((svc) => `Workload//${svc}`);
  const since = p.is_new ? p.first_seen : fresh ? plan.window.incidentStart : p.first_seen;
  for (const workload of workloads) {
    if (sig) {
      const key = `sig|${workload}|${sig.kind}|${sig.label}`;
      const prev = merged.get(key);
      if (prev?.facts) {
        prev.facts.count = (prev.facts.count ?? 0) + p.count;
        prev.facts.countBefore = (prev.facts.countBefore ?? 0) + p.count_before;
        prev.facts.countAfter = (prev.facts.countAfter ?? 0) + p.count_after;
        prev.facts.isNew = (prev.facts.isNew ?? false) && p.is_new;
        prev.facts.targets = [...new Set([...(prev.facts.targets ?? []), ...sig.targets])].slice(0, 10);
        if (Date.parse(since) < Date.parse(prev.since ?? since)) prev.since = since;
        if (prev.evidence.length < 3) prev.evidence.push(evidence(p));
        continue;
      }
      merged.set(key, {
        signal: 'log-signature',
        resource: workload,
        workload,
        severity: fresh && severe ? 'critical' : severe ? 'warning' : 'info',
        summary: clip(`${workload} logs ${sig.label} (${p.count_after} after / ${p.count_before} before the incident${p.is_new ? ', new' : ''}): ${p.sample}`, 500),
        since,
        until: p.last_seen,
        evidence: [evidence(p)],
        facts: {
          signatureKind: sig.kind,
          signature: sig.label,
          targets: sig.targets.slice(0, 10),
          count: p.count,
          countBefore: p.count_before,
          countAfter: p.count_after,
          isNew: p.is_new,
          message: clip(p.sample, 600),
        },
      });
    } else if (fresh) {
      const key = `pat|${workload}|${p.pattern}`;
      if (merged.has(key)) continue;
      merged.set(key, {
        signal: p.is_new ? 'log-new-pattern' : 'log-spike',
        resource: workload,
        workload,
        severity: p.level === 'WARN' ? 'warning' : 'critical',
        summary: clip(`${workload}: ${p.is_new ? 'new' : `${Math.round(p.spike_ratio ?? 0)}× more frequent`} ${p.level} "${p.pattern}" (${p.count_after} after / ${p.count_before} before)`, 500),
        since,
        until: p.last_seen,
        evidence: [evidence(p)],
        facts: { count: p.count, countBefore: p.count_before, countAfter: p.count_after, isNew: p.is_new, message: clip(p.sample, 600) },
      });
    }
  }
}

/** An informational finding quoting one template's sample line (a change, or context for a hypothesis). */
function patternFinding(signal: 'change-event' | 'log-context', p: Pattern, category?: Category): Finding {
  const who = p.workloads[0] ?? `Workload//${p.services[0] ?? 'unknown'}`;
  return {
    signal,
    resource: who,
    workload: who,
    severity: 'info',
    summary: clip(`${who}: ${p.sample}`, 500),
    since: p.first_seen,
    evidence: [evidence(p)],
    facts: { message: clip(p.sample, 600), count: p.count, ...(category ? { categories: [category] } : {}) },
  };
}

function evidence(p: Pattern): { source: string; detail: string; at: string } {
  return { source: PATTERNS, detail: clip(`${p.level} ×${p.count} (${p.count_before} before, ${p.count_after} after; first ${p.first_seen}): ${p.sample}`, 600), at: p.first_seen };
}
