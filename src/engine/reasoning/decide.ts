/**
 * The verdict: the best hypothesis when it clears the evidence bar; otherwise no root cause, with why — the alarm
 * pattern recurs daily (expected behaviour), or nothing abnormal was found. Also decides whether a second,
 * targeted round is worth running.
 */
import type { Finding, SpecialistReport } from '../../domain/findings.ts';
import type { Hypothesis } from '../../domain/result.ts';
import { CATEGORY_DESCRIPTIONS, type Category } from '../../domain/taxonomy.ts';
import type { FollowUp } from '../plan.ts';
import type { Plan } from '../types.ts';
import { type ReasoningContext, buildContext } from './context.ts';
import { type RankedHypothesis, evidenceOf, rankHypotheses } from './rank.ts';

/** Below this a hypothesis is a guess, and the result says "no root cause". */
export const ROOT_CAUSE_BAR = 0.35;
/** Below this the supervisor digs further (one more bounded round). */
export const CONFIDENT = 0.6;

export type Verdict = 'root-cause' | 'expected-behaviour' | 'nothing-found';

export interface Analysis {
  verdict: Verdict;
  rootCause: Hypothesis | null;
  hypotheses: Hypothesis[];
  /** Why there is no root cause, or why the best one won. */
  explanation: string;
  ranked: RankedHypothesis[];
  context: ReasoningContext;
}

export function analyze(plan: Plan, reports: readonly SpecialistReport[]): Analysis {
  const context = buildContext(plan, reports);
  const ranked = rankHypotheses(context).filter((h) => h.score > 0.05);
  const hypotheses = ranked.slice(0, 5).map((h) => toHypothesis(h));
  const best = ranked[0];
  const recurring = recurringAlarmPattern(context.findings);

  // With a daily pattern on the alarm's metric, deviations of other metrics at the same minute are part of it:
  // only evidence beyond metrics (state, errors) can make this an incident.
  const beyondMetrics = recurring ? ranked.find((h) => h.findings.some((f) => f.signal !== 'metric-anomaly' && f.signal !== 'metric-recurring')) : best;
  if (recurring && (!beyondMetrics || beyondMetrics.score < CONFIDENT)) {
    return {
      verdict: 'expected-behaviour',
      rootCause: null,
      hypotheses,
      explanation: `The alarm's metric (${recurring.facts?.metric ?? 'the alarmed metric'}) shows the same pattern at this time on previous days (${recurring.summary}); nothing else clears the evidence bar, so this looks like expected behaviour, not an incident.`,
      ranked,
      context,
    };
  }
  if (!best || best.score < ROOT_CAUSE_BAR) {
    return {
      verdict: 'nothing-found',
      rootCause: null,
      hypotheses,
      explanation: best
        ? `No hypothesis clears the evidence bar: the strongest, ${best.category} on ${best.resource}, has confidence ${best.score.toFixed(2)} (${best.notes.join('; ') || 'weak evidence'}). The alarm looks like expected behaviour or noise.`
        : 'No abnormal state, new error patterns or metric deviations were found in the window: the alarm looks like expected behaviour or noise.',
      ranked,
      context,
    };
  }
  return {
    verdict: 'root-cause',
    rootCause: { ...toHypothesis(best) },
    hypotheses,
    explanation: best.notes.length ? `Ranked first because ${[...new Set(best.notes)].join('; ')}.` : 'Ranked first on the strength of its evidence.',
    ranked,
    context,
  };
}

/**
 * The second, targeted round: the leading hypotheses' workloads described in full, their categories' evidence
 * looked for where an SRE would look next, their runbooks fetched; when the best hypothesis is weak, also the
 * suspects' and dependencies' logs and golden signals. At most one such round.
 */
export function followUpFor(plan: Plan, analysis: Analysis, reports: readonly SpecialistReport[]): FollowUp | null {
  if (plan.round >= 2) return null;
  const top = analysis.ranked.filter((h) => h.score >= ROOT_CAUSE_BAR / 2).slice(0, 3);
  if (!top.length) return null;
  const findings = reports.flatMap((r) => r.findings);
  const haveRunbookFor = new Set(findings.filter((f) => f.signal === 'runbook-match').flatMap((f) => f.facts?.categories ?? []));
  const described = new Set(findings.filter((f) => f.signal === 'workload-details').map((f) => f.resource));
  const categories = [...new Set(top.map((h) => h.category))];
  const runbookCategories = categories.filter((c) => !haveRunbookFor.has(c));
  const weak = analysis.ranked[0]!.score < CONFIDENT;
  const toDescribe = top.map((h) => h.resource).filter((r) => WORKLOAD.test(r) && !described.has(r));
  const targets: FollowUp['targets'] = {};
  if (weak) {
    const suspects = [...new Set([...top.map((h) => h.resource), ...analysis.context.edges.map((e) => e.dependency), ...analysis.context.focus.keys()])].slice(0, 6);
    targets.kubernetes = [...new Set([...toDescribe, ...suspects])];
    targets.logs = suspects.filter((s) => !s.startsWith('Node/'));
    targets.metrics = suspects;
  } else {
    // The leading suspects, described if not yet, and their own logs read.
    const subjects = top.slice(0, 2).map((h) => h.resource).filter((r) => WORKLOAD.test(r));
    const wanted = [...new Set([...toDescribe, ...subjects])];
    if (wanted.length) targets.kubernetes = wanted;
  }
  return {
    targets,
    categories: { logs: categories.slice(0, 2), runbooks: runbookCategories },
    subjects: top.slice(0, 2).map((h) => h.resource),
    reason: weak
      ? 'the leading hypothesis is weak: look closer at the suspects and their dependencies'
      : 'gather the leading hypotheses’ details and their runbooks',
  };
}

const WORKLOAD = /^(Deployment|StatefulSet|DaemonSet|Job|CronJob)\//;

function recurringAlarmPattern(findings: readonly Finding[]): Finding | undefined {
  return findings.find((f) => f.signal === 'metric-recurring' || (f.signal === 'metric-anomaly' && f.facts?.isAlarmMetric && f.facts.recurs));
}

function toHypothesis(h: RankedHypothesis): Hypothesis {
  return {
    category: h.category,
    resource: h.resource,
    summary: summarize(h),
    confidence: Math.round(h.score * 100) / 100,
    evidence: evidenceOf(h),
  };
}

const LABELS: Record<Category, string> = {
  'oom-killed': 'Containers are killed for exceeding their memory limit',
  'crash-loop': 'Containers crash repeatedly at start',
  'config-error': 'Containers cannot be created: missing or invalid configuration',
  'image-pull': 'The image cannot be pulled',
  unschedulable: 'Pods cannot be scheduled',
  'node-failure': 'A node is failing',
  'probe-failure': 'Health probes fail while the application is healthy',
  'bad-deployment': 'A new rollout broke a healthy workload',
  'dependency-failure': 'A dependency is down or failing',
  'connection-pool-exhaustion': 'The client connection pool is exhausted',
  'cpu-saturation': 'CPU saturation slows the workload',
  'traffic-surge': 'Demand exceeds capacity',
  'certificate-expired': 'An expired or invalid TLS certificate breaks connections',
  'dns-failure': 'Name resolution fails',
  'disk-full': 'A volume or filesystem is full',
  'rate-limited': 'A service throttles the workload',
  none: CATEGORY_DESCRIPTIONS.none,
};

/** One sentence from the strongest direct evidence: what, where, and the datum that shows it. */
function summarize(h: RankedHypothesis): string {
  const lead = h.support.find((c) => c.direct)?.finding ?? h.support[0]?.finding ?? h.findings[0];
  const detail = lead ? lead.summary.replace(/\.$/, '') : '';
  const others = [...new Set(h.findings.filter((f) => f !== lead).map((f) => f.summary.replace(/\.$/, '')))].slice(0, 2);
  const parts = [`${LABELS[h.category]} (${h.resource})`, detail, ...others].filter(Boolean);
  return `${parts.join('. ')}.`;
}
