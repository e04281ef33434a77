/**
 * The supervisor Lambda: every step of the state machine that plans, weighs and writes (Normalize, Plan,
 * Synthesize, Finalize). Thin: the steps live in src/engine/supervisor.ts; this wires the stores from the
 * environment (TABLE_NAME for DynamoDB, REPORTS_BUCKET for S3).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { type SupervisorPorts, supervisorStep } from '../../src/engine/supervisor.ts';
import { createDynamoMemoryStore, documentClient } from '../../src/memory/dynamodb.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaHandler, logger, metrics } from '../../src/platform/lambda.ts';
import { narratorFromEnv } from '../../src/engine/llm/narrative.ts';
import { reportStoreFromEnv } from '../../src/reports/from-env.ts';

export function createHandler(ports: () => SupervisorPorts | Promise<SupervisorPorts>) {
  let resolved: Promise<SupervisorPorts> | undefined;
  return lambdaHandler(async (event: unknown, _context: Context) => {
    resolved ??= Promise.resolve().then(ports).then(withNarrator);
    const result = await supervisorStep(event, await resolved);
    const metric = metrics.singleMetric();
    metric.addDimension('step', String((event as { step?: unknown }).step ?? 'unknown'));
    metric.addMetric('SupervisorSteps', MetricUnit.Count, 1);
    return result;
  }, { flushMetrics: false });
}

/**
 * LLM mode for the report's prose, from the environment (SRE_AGENT_LLM...) unless the ports say otherwise
 * (a narrator, or null for none). Off unless configured, and a narrative the validation refuses is only logged.
 */
function withNarrator(ports: SupervisorPorts): SupervisorPorts {
  if (ports.narrator !== undefined) return ports;
  const narrator = narratorFromEnv(process.env, {
    onFailover: (failure, next) => logger.warn('model failed', { model: failure.model, error: failure.error.message, next: next ?? 'none' }),
  });
  return {
    ...ports,
    narrator,
    onNarrativeRejected: ports.onNarrativeRejected ?? ((reason) => logger.warn('model narrative not used', { reason })),
  };
}

export const handler = createHandler(() => ({
  reports: reportStoreFromEnv(process.env),
  ...(process.env.TABLE_NAME
    ? { memory: createDynamoMemoryStore({ client: documentClient(new DynamoDBClient({})), tableName: process.env.TABLE_NAME }) }
    : {}),
  clock: Date.now,
}));
