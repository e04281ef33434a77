/**
 * What the specialist model is told. The system prompt fixes its role, the taxonomy and the output contract; the
 * first user message grounds it on the investigation (trigger, window, focus) and on what the evidence engine
 * already found, compactly, so the model spends its few tool calls on what is still unexplained.
 */
import type { SpecialistReport } from '../../domain/findings.ts';
import type { SpecialistName } from '../../domain/result.ts';
import { CATEGORIES, CATEGORY_DESCRIPTIONS } from '../../domain/taxonomy.ts';
import type { Trigger } from '../../domain/trigger.ts';
import { clip } from '../specialists/session.ts';
import type { Plan } from '../types.ts';
import type { LlmLimits } from './config.ts';
import { MIN_QUOTE_CHARS } from './grounding.ts';

const ROLES: Record<SpecialistName, string> = {
  kubernetes: 'the Kubernetes specialist: cluster state — pods and their containers, workloads and rollouts, nodes, services and endpoints, events, container logs',
  logs: 'the logs specialist: application and platform logs — error signatures, new message patterns, error-rate changes before and after the incident',
  metrics: 'the metrics specialist: CloudWatch metrics — deviations from baseline, saturation, traffic, errors and latency around the incident',
  runbooks: "the runbooks specialist: the team's runbooks — which documented procedure matches the symptoms and likely causes",
};

export const ANSWER_SHAPE = `{"hypotheses":[{"category":"<taxonomy id>","resource":"Kind/namespace/name","summary":"<one sentence>","evidence":[{"source":"<tool name>","quote":"<text copied verbatim from that tool's result>"}]}],"observations":[{"resource":"Kind/namespace/name","summary":"<one sentence>","evidence":[{"source":"<tool name>","quote":"<verbatim text>"}]}]}`;

export function specialistSystemPrompt(name: SpecialistName, limits: LlmLimits): string {
  const taxonomy = CATEGORIES.filter((c) => c !== 'none')
    .map((c) => `- ${c}: ${CATEGORY_DESCRIPTIONS[c]}`)
    .join('\n');
  return [
    `You are ${ROLES[name]}, one of four specialists in an SRE investigation of a Kubernetes incident on AWS.`,
    'A deterministic evidence engine has already gathered data with your tools; its findings are in the first message. Your job is to look for what it may have missed: check its leads, follow the errors to the resource that causes them, and name root-cause hypotheses it did not consider. A separate ranking step weighs your hypotheses against the engine’s evidence; you do not choose the root cause.',
    `You may call your tools, at most ${limits.maxToolCalls} calls in all. Call a tool only when its answer could change a hypothesis. Tool results may be cut to ${limits.resultBudgetBytes} bytes.`,
    '',
    'Root-cause categories (use these ids exactly):',
    taxonomy,
    '',
    'When you are done, answer with ONE JSON object and nothing else, of this shape:',
    ANSWER_SHAPE,
    '',
    'Rules for the answer:',
    '- category: one of the ids above.',
    '- resource: an object that appears in the findings or in a tool result, written Kind/namespace/name exactly (cluster-scoped objects: Node//name). Never invent a name.',
    `- evidence: 1 to 5 items per claim; each quote is copied character for character from a tool result you received (at least ${MIN_QUOTE_CHARS} characters, at most 300), and source is the tool that returned it. Claims whose quotes no tool returned are discarded.`,
    '- Propose at most 5 hypotheses and 5 observations; use empty arrays when you have nothing to add. Observations are facts worth reporting that are not causes.',
    '- No text outside the JSON object.',
  ].join('\n');
}

export function specialistFirstMessage(name: SpecialistName, trigger: Trigger, plan: Plan, report: SpecialistReport): string {
  const task = plan.specialists[name];
  const lines: string[] = [];
  lines.push(`Trigger: ${describeTrigger(trigger)}`);
  lines.push(
    `Window: look-back from ${plan.window.start}; incident from ${plan.window.incidentStart}; pivot ${plan.window.pivot}; until ${plan.window.end}.`,
  );
  const focus = [
    plan.focus.terms.length ? `names ${plan.focus.terms.join(', ')}` : '',
    plan.focus.namespaces.length ? `namespaces ${plan.focus.namespaces.join(', ')}` : '',
    plan.focus.symptoms.length ? `symptoms ${plan.focus.symptoms.join(', ')}` : '',
  ].filter(Boolean);
  lines.push(`Focus: ${focus.join('; ') || 'none given'}. Round ${plan.round}: ${task.reason}.`);
  if (task.targets.length) lines.push(`Suspects to look at: ${task.targets.join(', ')}.`);
  lines.push('', `What the evidence engine found with your tools (${report.findings.length} findings, ${report.toolCalls} tool calls):`);
  const findings = [...report.findings].sort((a, b) => rank(a.severity) - rank(b.severity)).slice(0, 30);
  for (const f of findings) {
    lines.push(`- [${f.severity}] ${f.signal} ${f.resource}${f.since ? ` since ${f.since}` : ''}: ${clip(f.summary.replace(/\s+/g, ' '), 240)}`);
  }
  if (report.findings.length > findings.length) lines.push(`- … and ${report.findings.length - findings.length} more of lower severity`);
  if (!report.findings.length) lines.push('- nothing abnormal');
  const inventory = report.inventory ?? [];
  if (inventory.length) {
    lines.push('', 'Objects seen (resource, health):');
    lines.push(clip(inventory.slice(0, 60).map((e) => `${e.resource}${e.health && e.health !== 'unknown' ? ` (${e.health})` : ''}`).join('; '), 3000));
  }
  if (report.healthy.length) {
    lines.push('', 'Checked and healthy:');
    for (const h of report.healthy.slice(0, 10)) lines.push(`- ${clip(h.what, 200)}`);
  }
  if (report.gaps.length) {
    lines.push('', 'Gaps:');
    for (const g of report.gaps.slice(0, 8)) lines.push(`- ${clip(g, 200)}`);
  }
  lines.push('', 'Investigate with your tools if something is unexplained, then answer with the JSON object.');
  return lines.join('\n');
}

export function finalAskMessage(why: string): string {
  return `${why} No more tool calls are possible. Answer now with the JSON object only, from the tool results above.`;
}

export function describeTrigger(t: Trigger): string {
  if (t.type === 'question') return `question${t.userId ? ` from ${t.userId}` : ''}: "${clip(t.question, 500)}"`;
  const m = t.metrics[0];
  const metric = m ? ` on ${m.namespace} ${m.metricName}${Object.keys(m.dimensions).length ? ` (${Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}` : '';
  return `CloudWatch alarm ${t.alarmName}${metric} went to ${t.state} at ${t.at}${t.reason ? ` — ${clip(t.reason, 300)}` : ''}${t.description ? `. Description: ${clip(t.description, 300)}` : ''}`;
}

function rank(severity: 'critical' | 'warning' | 'info'): number {
  return severity === 'critical' ? 0 : severity === 'warning' ? 1 : 2;
}
