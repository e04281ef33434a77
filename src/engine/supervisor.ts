/**
 * The supervisor Lambda's core: one entry per state-machine step (normalize, plan, synthesize, finalize) over
 * injected ports. Each step validates its event, does its part, and records progress in the memory store.
 */
import { InputError } from '../domain/errors.ts';
import { specialistReportSchema, type SpecialistReport } from '../domain/findings.ts';
import type { InvestigationResult } from '../domain/result.ts';
import { parseInstant } from '../domain/time.ts';
import { type Trigger, alarmEventSchema, alarmTrigger, parseOrThrow, parseTrigger } from '../domain/trigger.ts';
import type { MemoryStore } from '../memory/port.ts';
import type { ReportStore } from './investigate.ts';
import { type Narrator, narrate } from './llm/narrative.ts';
import { type SupervisorEvent, supervisorEventSchema } from './schemas.ts';
import { type Outcome, finalize, newInvestigationId, planInvestigation, synthesize } from './steps.ts';
import type { InvestigationInput, Plan } from './types.ts';

export interface SupervisorPorts {
  reports: ReportStore;
  /** Absent in runs without persistence (tests of the engine alone). */
  memory?: MemoryStore;
  clock: () => number;
  /** LLM mode: writes the report's summary and root-cause explanation, validated; absent or null, the engine's text. */
  narrator?: Narrator | null;
  /** Told why a narrative was not used (for logs). */
  onNarrativeRejected?: (reason: string) => void;
}

/** The Step Functions payload limit is 256 KB; keep the accumulated reports well inside it. */
const MAX_HISTORY_BYTES = 180_000;

export async function supervisorStep(raw: unknown, ports: SupervisorPorts): Promise<unknown> {
  const event = parseOrThrow(supervisorEventSchema, raw) as SupervisorEvent;
  switch (event.step) {
    case 'normalize':
      return normalize(event.request, ports);
    case 'plan': {
      const input = event.input as InvestigationInput;
      const plan = (event.nextPlan as Plan | null | undefined) ?? planInvestigation(input);
      await progress(ports, input.investigationId, `Plan (round ${plan.round})`);
      return plan;
    }
    case 'synthesize': {
      const input = event.input as InvestigationInput;
      const history = trimHistory([...(event.history as SpecialistReport[]), ...(event.round as SpecialistReport[])]);
      const synthesis = synthesize(event.plan as Plan, history);
      await progress(ports, input.investigationId, `Specialists (round ${event.plan.round})`, 'Synthesize');
      return { history, nextPlan: synthesis.nextPlan, outcome: synthesis.outcome };
    }
    case 'finalize':
      return finalizeStep(event.input as InvestigationInput, event.outcome as Outcome, event.history as SpecialistReport[], event.startedAt, ports);
  }
}

async function normalize(
  request: { investigationId?: string | undefined; trigger: unknown; requestedBy?: string | undefined; now?: string | undefined },
  ports: SupervisorPorts,
): Promise<InvestigationInput> {
  const trigger = parseAnyTrigger(request.trigger);
  const now = request.now !== undefined ? parseInstant(request.now) : ports.clock();
  if (now === null) throw new InputError(`'request.now' must be an ISO 8601 instant`, 'request.now');
  const investigationId = request.investigationId ?? newInvestigationId(now);
  const requestedBy = request.requestedBy ?? (trigger.type === 'question' ? trigger.userId : `alarm:${trigger.alarmName}`);
  const [preferences, memory] = await Promise.all([
    requestedBy && ports.memory ? ports.memory.getPreferences(requestedBy) : undefined,
    ports.memory ? ports.memory.hints([], { now: new Date(now).toISOString() }) : undefined,
  ]);
  await progress(ports, investigationId, 'Normalize');
  return {
    investigationId,
    trigger,
    now: new Date(now).toISOString(),
    ...(requestedBy ? { requestedBy } : {}),
    ...(preferences ? { preferences } : {}),
    ...(memory && (memory.history?.length || Object.keys(memory.dependencies ?? {}).length) ? { memory } : {}),
  };
}

/** A trigger as the API sends it ({type, ...}), or a bare EventBridge alarm event as EventBridge delivers it. */
export function parseAnyTrigger(raw: unknown): Trigger {
  if (raw && typeof raw === 'object' && 'detail-type' in raw) return alarmTrigger(parseOrThrow(alarmEventSchema, raw, 'trigger'));
  try {
    return parseTrigger(raw);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message.replace(/^'/, "'trigger."), error.field ? `trigger.${error.field}` : 'trigger');
    throw error;
  }
}

async function finalizeStep(input: InvestigationInput, outcome: Outcome, history: SpecialistReport[], startedAt: string, ports: SupervisorPorts): Promise<InvestigationResult> {
  const reports = history.map((r) => specialistReportSchema.parse(r));
  const narrative = ports.narrator ? await narrate(ports.narrator, { input, outcome, reports }, ports.onNarrativeRejected) : undefined;
  const done = finalize({
    input,
    outcome,
    reports,
    reportUri: ports.reports.uriFor(input.investigationId, input.now),
    durationMs: Math.max(0, ports.clock() - Date.parse(startedAt)),
    ...(narrative ? { narrative } : {}),
  });
  await ports.reports.put(input.investigationId, done.markdown, input.now);
  if (ports.memory) {
    await ports.memory.learn(done.result, { dependencies: outcome.dependencies, at: input.now });
    await ports.memory.updateInvestigation(input.investigationId, {
      status: done.result.status,
      result: done.result,
      reportKey: done.result.report.uri,
      updatedAt: new Date(ports.clock()).toISOString(),
    });
    await progress(ports, input.investigationId, 'Finalize');
  }
  return done.result;
}

async function progress(ports: SupervisorPorts, investigationId: string, ...steps: string[]): Promise<void> {
  if (!ports.memory) return;
  const record = await ports.memory.getInvestigation(investigationId);
  if (!record) return;
  const done = [...new Set([...(record.steps ?? []), ...steps])];
  await ports.memory.updateInvestigation(investigationId, {
    steps: done,
    ...(record.status === 'queued' ? { status: 'running' as const } : {}),
    updatedAt: new Date(ports.clock()).toISOString(),
  });
}

/** Drops the least useful findings (info first, then warnings) until the history fits the payload budget. */
export function trimHistory(history: SpecialistReport[]): SpecialistReport[] {
  let out = history;
  for (const drop of ['info', 'warning'] as const) {
    if (JSON.stringify(out).length <= MAX_HISTORY_BYTES) return out;
    out = out.map((r) => ({
      ...r,
      findings: r.findings.filter((f) => f.severity !== drop || f.signal === 'runbook-match' || f.signal === 'workload-rollout'),
      healthy: r.healthy.slice(0, 20),
    }));
  }
  while (JSON.stringify(out).length > MAX_HISTORY_BYTES && out.some((r) => r.findings.length > 5)) {
    out = out.map((r) => ({ ...r, findings: r.findings.slice(0, Math.max(5, Math.floor(r.findings.length * 0.75))) }));
  }
  return out;
}
