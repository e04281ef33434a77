/** The specialist Lambda factory: validate the step's event, run the specialist over its MCP client. */
import type { Context } from 'aws-lambda';
import { parseOrThrow } from '../domain/trigger.ts';
import type { SpecialistName } from '../domain/result.ts';
import type { SpecialistReport } from '../domain/findings.ts';
import type { ToolCaller } from '../mcp/client.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaHandler, logger, metrics } from '../platform/lambda.ts';
import { type LlmSetup, llmFromEnv } from './llm/config.ts';
import { specialistLlm } from './llm/specialist-loop.ts';
import { specialistEventSchema } from './schemas.ts';
import { type SpecialistLlm, runSpecialist } from './steps.ts';
import type { InvestigationInput, Plan } from './types.ts';

export interface SpecialistDeps {
  tools: () => ToolCaller | Promise<ToolCaller>;
  /**
   * LLM mode, built once per container. Absent: from the environment (SRE_AGENT_LLM, BEDROCK_MODEL_ID...; off
   * unless set). Tests inject a chain over mocked clients, or `() => undefined` for the engine alone.
   */
  llm?: () => LlmSetup | undefined;
}

/** Left for returning the report after the model loop stops at its deadline. */
const RETURN_MARGIN_MS = 5_000;

export function createSpecialistHandler(name: SpecialistName, deps: SpecialistDeps) {
  let tools: Promise<ToolCaller> | undefined;
  let setup: LlmSetup | undefined | null;
  return lambdaHandler(async (event: unknown, context: Context): Promise<SpecialistReport> => {
    const { input, plan } = parseOrThrow(specialistEventSchema, event);
    tools ??= Promise.resolve().then(deps.tools);
    if (setup === undefined) setup = (deps.llm ? deps.llm() : llmFromEnv(process.env, { onFailover: logFailover })) ?? null;
    const llm = llmFor(name, setup, context);
    const report = await runSpecialist(name, input as InvestigationInput, plan as Plan, await tools, llm);
    const metric = metrics.singleMetric();
    metric.addDimension('specialist', name);
    metric.addMetric('SpecialistToolCalls', MetricUnit.Count, report.toolCalls);
    return report;
  }, { flushMetrics: false });
}

/** Undefined when LLM mode is off and was never asked for: runSpecialist then runs exactly as without LLM support. */
function llmFor(name: SpecialistName, setup: LlmSetup | null, context: Context): SpecialistLlm | undefined {
  if (!setup || (!setup.model && !setup.problem)) return undefined;
  return specialistLlm({
    model: setup.model,
    limits: setup.limits,
    ...(setup.problem ? { problem: setup.problem } : {}),
    deadline: Date.now() + context.getRemainingTimeInMillis() - RETURN_MARGIN_MS,
    onUsage: (usage) => {
      const metric = metrics.singleMetric();
      metric.addDimension('specialist', name);
      metric.addMetric('ModelInputTokens', MetricUnit.Count, usage.inputTokens);
      metric.addMetric('ModelOutputTokens', MetricUnit.Count, usage.outputTokens);
      metric.addMetric('ModelTurns', MetricUnit.Count, usage.turns);
    },
  });
}

function logFailover(failure: { model: string; error: Error }, next: string | undefined): void {
  logger.warn('model failed', { model: failure.model, error: failure.error.message, next: next ?? 'none: evidence engine alone' });
}
