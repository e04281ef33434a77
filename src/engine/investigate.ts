/**
 * The investigation run in one process: the same steps the state machine runs, composed directly. Used by tests
 * of the engine and by callers that have no state machine at hand; `sre-agent investigate` runs the state machine.
 */
import type { SpecialistReport } from '../domain/findings.ts';
import { SPECIALISTS, type SpecialistName } from '../domain/result.ts';
import type { ToolCaller } from '../mcp/client.ts';
import { type Narrator, narrate } from './llm/narrative.ts';
import { type Finalized, type SpecialistLlm, finalize, planInvestigation, runSpecialist, synthesize } from './steps.ts';
import type { InvestigationInput } from './types.ts';

export interface ReportStore {
  /** Stores the markdown report; returns its URI (s3://… or file://…). */
  put(investigationId: string, markdown: string, now: string): Promise<string>;
  /** The URI a report will have, known before it is written (the result cites it). */
  uriFor(investigationId: string, now: string): string;
}

export interface InvestigationPorts {
  /** An MCP tool client limited to one specialist's backend. */
  tools(name: SpecialistName): ToolCaller;
  reports: ReportStore;
  /** LLM mode for the specialists (src/engine/llm); absent, the evidence engine alone. */
  llm?: SpecialistLlm;
  /** LLM mode for the report's prose; absent or null, the engine's text. */
  narrator?: Narrator | null;
}

export interface InvestigationRun extends Finalized {
  rounds: SpecialistReport[][];
}

export async function investigate(input: InvestigationInput, ports: InvestigationPorts): Promise<InvestigationRun> {
  const started = performance.now();
  let plan = planInvestigation(input);
  const rounds: SpecialistReport[][] = [];
  for (;;) {
    const current = plan;
    const reports = await Promise.all(SPECIALISTS.map((name) => runSpecialist(name, input, current, ports.tools(name), ports.llm)));
    rounds.push(reports);
    const synthesis = synthesize(current, rounds.flat());
    if (!synthesis.nextPlan) {
      const uri = ports.reports.uriFor(input.investigationId, input.now);
      const narrative = ports.narrator ? await narrate(ports.narrator, { input, outcome: synthesis.outcome, reports: rounds.flat() }) : undefined;
      const done = finalize({
        input,
        outcome: synthesis.outcome,
        reports: rounds.flat(),
        reportUri: uri,
        durationMs: performance.now() - started,
        ...(narrative ? { narrative } : {}),
      });
      await ports.reports.put(input.investigationId, done.markdown, input.now);
      return { ...done, rounds };
    }
    plan = synthesis.nextPlan;
  }
}
