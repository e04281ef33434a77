/**
 * The investigation's steps as pure functions over ports. The state machine's Lambda tasks, the in-process
 * orchestrator and the tests all call these, so every way of running an investigation runs the same logic:
 *   plan → specialists (in parallel) → synthesize → (one targeted round more, when needed) → finalize.
 */
import { randomBytes } from 'node:crypto';
import type { SpecialistReport } from '../domain/findings.ts';
import { SPECIALISTS, type Hypothesis, type InvestigationResult, type SpecialistName, type SpecialistRun } from '../domain/result.ts';
import type { ToolCaller } from '../mcp/client.ts';
import type { Narrative } from './llm/narrative.ts';
import { replan } from './plan.ts';
import { type Verdict, analyze, followUpFor } from './reasoning/decide.ts';
import { renderReport } from './report/markdown.ts';
import { SPECIALIST_CORES } from './specialists/index.ts';
import type { InvestigationInput, Plan } from './types.ts';

export { planInvestigation } from './plan.ts';

export function newInvestigationId(now: number): string {
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `inv-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * LLM mode's hook into a specialist's round: `specialistLlm()` in src/engine/llm/specialist-loop.ts builds it.
 * An interface here rather than an import, so the supervisor's bundle (which needs this module for synthesize
 * and finalize) does not carry the specialists' model loop and its tool schemas.
 */
export interface SpecialistLlm {
  run(options: {
    name: SpecialistName;
    input: InvestigationInput;
    plan: Plan;
    tools: ToolCaller;
    /** The evidence engine's core over the tools it is given (a failure becomes a failed report). */
    core: (tools: ToolCaller) => Promise<SpecialistReport>;
    started: number;
  }): Promise<SpecialistReport>;
}

/**
 * One specialist's round. With `llm` (LLM mode configured) the evidence engine's core runs first and the model's
 * tool-use loop after it, adding validated findings (src/engine/llm); without it, the core alone.
 */
export async function runSpecialist(name: SpecialistName, input: InvestigationInput, plan: Plan, tools: ToolCaller, llm?: SpecialistLlm): Promise<SpecialistReport> {
  const task = plan.specialists[name];
  if (!task.selected) {
    return { name, status: 'skipped', findings: [], healthy: [], gaps: [], toolCalls: 0, durationMs: 0 };
  }
  const started = performance.now();
  const core = async (coreTools: ToolCaller): Promise<SpecialistReport> => {
    try {
      return await SPECIALIST_CORES[name]({ input, plan, tools: coreTools });
    } catch (error) {
      return failedReport(name, `the ${name} specialist failed: ${error instanceof Error ? error.message : String(error)}`, performance.now() - started);
    }
  };
  if (!llm) return core(tools);
  return llm.run({ name, input, plan, tools, core, started });
}

/** A failed specialist becomes a report of its own failure: the investigation goes on and the report names the gap. */
export function failedReport(name: SpecialistName, why: string, durationMs = 0): SpecialistReport {
  return { name, status: 'failed', findings: [], healthy: [], gaps: [why], toolCalls: 0, durationMs: Math.round(durationMs), error: why };
}

export interface Outcome {
  verdict: Verdict;
  explanation: string;
  rootCause: Hypothesis | null;
  hypotheses: Hypothesis[];
  /** Dependencies observed (victim workload → the workloads its errors named), for the memory. */
  dependencies: Record<string, string[]>;
}

export interface Synthesis {
  /** The targeted next round, or null when the investigation is done. */
  nextPlan: Plan | null;
  outcome: Outcome;
}

/** Weighs every report so far; plans one more bounded round when the best hypothesis is weak. */
export function synthesize(plan: Plan, reports: readonly SpecialistReport[]): Synthesis {
  const analysis = analyze(plan, reports);
  const follow = followUpFor(plan, analysis, reports);
  return {
    nextPlan: follow ? replan(plan, follow) : null,
    outcome: {
      verdict: analysis.verdict,
      explanation: analysis.explanation,
      rootCause: analysis.rootCause ? { ...analysis.rootCause } : null,
      hypotheses: analysis.hypotheses,
      dependencies: dependenciesOf(analysis.context.edges),
    },
  };
}

function dependenciesOf(edges: ReadonlyArray<{ victim: string; dependency: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of edges) out[e.victim] = [...new Set([...(out[e.victim] ?? []), e.dependency])];
  return out;
}

export interface Finalized {
  result: InvestigationResult;
  markdown: string;
}

export function finalize(options: {
  input: InvestigationInput;
  outcome: Outcome;
  reports: readonly SpecialistReport[];
  reportUri: string;
  durationMs: number;
  /**
   * LLM mode: the model's summary paragraph and root-cause explanation, already validated (llm/narrative.ts).
   * Only the report's prose changes; the result, the root cause and the ranking stay the engine's.
   */
  narrative?: Narrative;
}): Finalized {
  const { input, outcome, reports } = options;
  const specialists = specialistRuns(reports);
  const gaps = [...new Set(reports.flatMap((r) => r.gaps))];
  const ran = specialists.filter((s) => s.status !== 'skipped');
  const status: InvestigationResult['status'] =
    ran.length > 0 && ran.every((s) => s.status === 'failed') ? 'failed' : ran.some((s) => s.status !== 'ok') ? 'partial' : 'completed';
  const rootCause = outcome.rootCause
    ? { category: outcome.rootCause.category, resource: outcome.rootCause.resource, summary: outcome.rootCause.summary, confidence: outcome.rootCause.confidence }
    : null;
  const result: InvestigationResult = {
    investigationId: input.investigationId,
    status,
    rootCause,
    hypotheses: outcome.hypotheses,
    specialists,
    report: { uri: options.reportUri },
    durationMs: Math.round(options.durationMs),
    ...(gaps.length ? { gaps } : {}),
  };
  const markdown = renderReport({
    investigationId: input.investigationId,
    trigger: input.trigger,
    now: input.now,
    status,
    verdict: outcome.verdict,
    explanation: outcome.explanation,
    rootCause: outcome.rootCause,
    hypotheses: outcome.hypotheses,
    reports: [...reports],
    specialists,
    gaps,
    durationMs: options.durationMs,
    ...(input.preferences?.reportStyle ? { style: input.preferences.reportStyle } : {}),
    ...(input.preferences?.timeZone ? { timeZone: input.preferences.timeZone } : {}),
    ...(input.preferences?.escalationContacts ? { escalationContacts: input.preferences.escalationContacts } : {}),
    ...(input.memory?.history ? { history: input.memory.history } : {}),
    ...(options.narrative ? { narrative: options.narrative } : {}),
  });
  return { result, markdown };
}

/** One line per specialist over every round: calls and time summed, the worst status kept. */
export function specialistRuns(reports: readonly SpecialistReport[]): SpecialistRun[] {
  const rank = { failed: 3, partial: 2, ok: 1, skipped: 0 } as const;
  return SPECIALISTS.map((name) => {
    const own = reports.filter((r) => r.name === name);
    const ran = own.filter((r) => r.status !== 'skipped');
    const status = ran.length ? ran.reduce((w, r) => (rank[r.status] > rank[w] ? r.status : w), 'ok' as SpecialistRun['status']) : 'skipped';
    const error = ran.find((r) => r.error)?.error;
    return {
      name,
      status,
      toolCalls: own.reduce((n, r) => n + r.toolCalls, 0),
      durationMs: own.reduce((n, r) => n + r.durationMs, 0),
      ...(error ? { error } : {}),
    };
  });
}
