/**
 * The investigation report in markdown: summary, root cause with confidence, ranked hypotheses with the evidence
 * each cites (tool and datum), timeline, impact, remediation quoted from the matching runbook, what was checked and
 * found healthy, and the gaps. `executive` keeps the decisions and drops the raw evidence listings.
 */
import type { Finding, HealthyCheck, SpecialistReport } from '../../domain/findings.ts';
import type { Hypothesis, SpecialistRun } from '../../domain/result.ts';
import { CATEGORY_DESCRIPTIONS } from '../../domain/taxonomy.ts';
import type { Trigger } from '../../domain/trigger.ts';
import type { Verdict } from '../reasoning/decide.ts';
import type { MemoryHints, ReportStyle } from '../types.ts';

export interface ReportData {
  investigationId: string;
  trigger: Trigger;
  now: string;
  status: 'completed' | 'partial' | 'failed';
  verdict: Verdict;
  explanation: string;
  rootCause: Hypothesis | null;
  hypotheses: Hypothesis[];
  reports: SpecialistReport[];
  specialists: SpecialistRun[];
  gaps: string[];
  durationMs: number;
  style?: ReportStyle;
  timeZone?: string;
  history?: MemoryHints['history'];
  escalationContacts?: string[];
  /** LLM mode: validated model prose for the summary paragraph and the root cause's "Why", and who wrote it. */
  narrative?: { summary: string; explanation: string; model: string };
}

/** Findings that give context rather than observations of trouble; they have sections of their own. */
const CONTEXT_SIGNALS: ReadonlySet<Finding['signal']> = new Set(['runbook-match', 'workload-details', 'change-event', 'log-context']);

export function renderReport(d: ReportData): string {
  const fmt = timeFormatter(d.timeZone);
  const style = d.style ?? 'technical';
  const findings = dedupeFindings(d.reports.flatMap((r) => r.findings));
  const runbooks = findings.filter((f) => f.signal === 'runbook-match');
  const details = findings.filter((f) => f.signal === 'workload-details');
  const changes = findings.filter((f) => f.signal === 'change-event' || f.signal === 'workload-rollout');
  const context = findings.filter((f) => f.signal === 'log-context');
  const observations = findings.filter((f) => !CONTEXT_SIGNALS.has(f.signal));
  const out: string[] = [];

  out.push(`# Investigation ${d.investigationId}: ${headline(d)}`, '');
  out.push(`- **Trigger:** ${describeTrigger(d.trigger, fmt)}`);
  out.push(`- **Status:** ${d.status} · **Investigated at:** ${fmt(d.now)} · **Duration:** ${(d.durationMs / 1000).toFixed(2)} s`);
  out.push(`- **Specialists:** ${d.specialists.map((s) => `${s.name} ${s.status} (${s.toolCalls} tool calls, ${Math.round(s.durationMs)} ms)`).join(' · ')}`, '');

  out.push('## Summary', '');
  out.push(summaryParagraph(d), '');
  if (d.narrative) out.push(`_Summary and explanation written by ${d.narrative.model} from the evidence below; the root cause and its confidence were chosen by the evidence engine._`, '');
  const repeat = repeatNote(d);
  if (repeat) out.push(`> ${repeat}`, '');

  if (d.rootCause) {
    out.push('## Root cause', '');
    out.push(`- **Category:** \`${d.rootCause.category}\` — ${CATEGORY_DESCRIPTIONS[d.rootCause.category]}`);
    out.push(`- **Resource:** \`${d.rootCause.resource}\``);
    out.push(`- **Confidence:** ${d.rootCause.confidence.toFixed(2)}`);
    out.push(`- **Why:** ${d.narrative?.explanation ?? d.explanation}`, '');
    out.push('**Evidence**', '');
    for (const e of d.rootCause.evidence) out.push(`- \`${e.source}\`${e.at ? ` (${fmt(e.at)})` : ''}: ${oneLine(e.detail)}`);
    out.push('');
  }

  if (changes.length) {
    out.push('## What changed', '');
    const sorted = [...changes].filter((f) => f.since).sort((a, b) => Date.parse(a.since!) - Date.parse(b.since!));
    for (const f of sorted.slice(0, style === 'technical' ? 15 : 5)) out.push(`- ${fmt(f.since!)}: ${oneLine(f.summary)}`);
    out.push('');
  }

  const impact = impactLines(observations, d);
  if (impact.length) {
    out.push('## Impact', '', ...impact, '');
  }

  const matching = pickRunbook(runbooks, d.rootCause);
  out.push('## Remediation', '');
  if (matching) {
    out.push(`From runbook \`${matching.facts?.runbookId}\` — ${matching.summary}:`, '');
    out.push(...(matching.facts?.message ?? '').split('\n').map((l) => `> ${l}`), '');
  } else if (d.rootCause) {
    out.push('No runbook in the library covers this root cause; consider writing one.', '');
  } else {
    out.push('No action needed unless the symptoms persist.', '');
  }
  if (d.escalationContacts?.length) out.push(`Escalation contacts: ${d.escalationContacts.join(', ')}.`, '');

  if (d.hypotheses.length) {
    out.push('## Hypotheses (ranked)', '');
    d.hypotheses.forEach((h, i) => {
      out.push(`${i + 1}. **${h.category}** on \`${h.resource}\` — confidence ${h.confidence.toFixed(2)}`);
      out.push(`   ${oneLine(h.summary)}`);
      if (style === 'technical') for (const e of h.evidence.slice(0, 5)) out.push(`   - \`${e.source}\`: ${oneLine(e.detail)}`);
    });
    out.push('');
  }

  const timeline = observations
    .filter((f) => f.since && f.severity !== 'info')
    .concat(observations.filter((f) => f.signal === 'workload-rollout' && f.since))
    .sort((a, b) => Date.parse(a.since!) - Date.parse(b.since!));
  if (timeline.length || d.trigger.type === 'alarm') {
    out.push('## Timeline', '', '| Time | Source | Event |', '| --- | --- | --- |');
    const rows: Array<[number, string]> = [];
    for (const f of dedupeFindings(timeline).slice(0, style === 'technical' ? 40 : 12)) {
      rows.push([Date.parse(f.since!), `| ${fmt(f.since!)} | ${f.evidence[0]?.source ?? '-'} | ${cell(f.summary)} |`]);
    }
    if (d.trigger.type === 'alarm') rows.push([Date.parse(d.trigger.at), `| ${fmt(d.trigger.at)} | CloudWatch | Alarm \`${d.trigger.alarmName}\` went to ${d.trigger.state} |`]);
    rows.sort((a, b) => a[0] - b[0]);
    out.push(...rows.map((r) => r[1]), '');
  }

  if (context.length) {
    out.push('## Follow-up checks', '');
    const byCategory = new Map<string, Finding[]>();
    for (const f of context) {
      const c = f.facts?.categories?.[0] ?? 'other';
      (byCategory.get(c) ?? byCategory.set(c, []).get(c)!).push(f);
    }
    for (const [category, lines] of byCategory) {
      out.push(`Looking for evidence of \`${category}\` in the logs:`, '');
      for (const f of lines) out.push(`- ${f.since ? `${fmt(f.since)} ` : ''}${oneLine(f.summary)}`);
      out.push('');
    }
  }

  const involved = new Set([d.rootCause?.resource, ...d.hypotheses.slice(0, 3).map((h) => h.resource)].filter(Boolean));
  const shown = details.filter((f) => involved.has(f.resource) || involved.has(f.workload ?? ''));
  if (shown.length && style === 'technical') {
    out.push('## Workloads involved', '');
    for (const f of shown) {
      out.push(`### ${f.resource}`, '');
      for (const line of (f.facts?.message ?? '').split('\n').filter(Boolean)) out.push(`- ${oneLine(line)}`);
      if (f.evidence.length) {
        out.push('', 'Events:', '');
        for (const e of f.evidence) out.push(`- ${e.at ? `${fmt(e.at)} ` : ''}${oneLine(e.detail)}`);
      }
      out.push('');
    }
  }

  const healthy = dedupeHealthy(d.reports.flatMap((r) => r.healthy));
  if (healthy.length) {
    out.push('## Checked and found healthy', '');
    for (const h of healthy.slice(0, style === 'technical' ? 30 : 8)) out.push(`- ${oneLine(h.what)} (\`${h.source}\`)`);
    out.push('');
  }

  out.push('## Investigation gaps', '');
  if (d.gaps.length) for (const g of d.gaps) out.push(`- ${oneLine(g)}`);
  else out.push('- None: every specialist and tool answered.');
  out.push('');

  if (style === 'technical' && observations.length) {
    out.push('## All findings', '');
    for (const r of d.reports) {
      const own = dedupeFindings(r.findings.filter((f) => !CONTEXT_SIGNALS.has(f.signal)));
      if (!own.length) continue;
      out.push(`### ${r.name}`, '');
      for (const f of own.slice(0, 40)) {
        out.push(`- **${f.severity}** \`${f.resource}\`${f.since ? ` since ${fmt(f.since)}` : ''}: ${oneLine(f.summary)}`);
        if (f.facts?.message && !f.summary.includes(f.facts.message)) out.push(`  - ${oneLine(f.facts.message)}`);
        if (f.facts?.metric && !f.summary.includes(f.facts.metric)) out.push(`  - metric: ${oneLine(f.facts.metric)}`);
        for (const e of f.evidence.slice(0, 4)) if (!f.summary.includes(e.detail)) out.push(`  - \`${e.source}\`: ${oneLine(e.detail)}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function headline(d: ReportData): string {
  if (d.rootCause) return `${d.rootCause.category} on ${d.rootCause.resource}`;
  return d.verdict === 'expected-behaviour' ? 'expected behaviour, no incident' : 'no root cause found';
}

function summaryParagraph(d: ReportData): string {
  if (d.rootCause) return `${d.narrative?.summary ?? d.rootCause.summary} (confidence ${d.rootCause.confidence.toFixed(2)})`;
  return d.explanation;
}

function repeatNote(d: ReportData): string | undefined {
  if (!d.rootCause || !d.history?.length) return undefined;
  const same = d.history.find((h) => h.category === d.rootCause!.category && h.resource === d.rootCause!.resource);
  if (!same) return undefined;
  const resolved = same.lastResolution ? `; last resolved by: ${same.lastResolution}` : '';
  return `Seen before: ${same.count} time(s) in the last 30 days, last on ${same.lastSeen.slice(0, 10)}${same.lastInvestigationId ? ` (${same.lastInvestigationId})` : ''}${resolved}.`;
}

function describeTrigger(t: Trigger, fmt: (iso: string) => string): string {
  if (t.type === 'question') return `question${t.userId ? ` from ${t.userId}` : ''}: “${t.question}”`;
  const m = t.metrics[0];
  const metric = m ? ` on \`${m.namespace} ${m.metricName}\`${Object.keys(m.dimensions).length ? ` (${Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}` : '';
  return `CloudWatch alarm \`${t.alarmName}\`${metric} went to ${t.state} at ${fmt(t.at)}${t.reason ? ` — ${t.reason}` : ''}`;
}

function impactLines(findings: readonly Finding[], d: ReportData): string[] {
  const lines: string[] = [];
  const metric = findings.filter((f) => f.signal === 'metric-anomaly' && f.severity !== 'info').slice(0, 6);
  for (const f of metric) lines.push(`- ${oneLine(f.summary)}`);
  const down = findings.filter((f) => f.signal === 'workload-unavailable' || f.signal === 'service-no-endpoints').slice(0, 6);
  for (const f of down) lines.push(`- ${oneLine(f.summary)}`);
  if (!lines.length && d.rootCause) lines.push(`- \`${d.rootCause.resource}\` is affected.`);
  return lines;
}

function pickRunbook(runbooks: readonly Finding[], root: Hypothesis | null): Finding | undefined {
  if (!runbooks.length) return undefined;
  if (!root) return undefined;
  const forCategory = runbooks.filter((r) => r.facts?.categories?.includes(root.category));
  const pool = forCategory.length ? forCategory : [];
  return pool.sort((a, b) => (b.facts?.score ?? 0) - (a.facts?.score ?? 0))[0];
}

function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.signal}|${f.resource}|${f.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeHealthy(checks: readonly HealthyCheck[]): HealthyCheck[] {
  const seen = new Set<string>();
  return checks.filter((c) => (seen.has(c.what) ? false : (seen.add(c.what), true)));
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length > 600 ? `${flat.slice(0, 600)}…` : flat;
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function timeFormatter(timeZone?: string): (iso: string) => string {
  let f: Intl.DateTimeFormat | undefined;
  try {
    f = timeZone
      ? new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' })
      : undefined;
  } catch {
    f = undefined;
  }
  return (iso) => {
    const t = Date.parse(iso);
    if (!Number.isFinite(t)) return iso;
    return f ? f.format(t) : `${new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`;
  };
}
