/**
 * The API Lambdas' adapters, from the environment of the contracts: TABLE_NAME (DynamoDB document client),
 * STATE_MACHINE_ARN (Step Functions), REPORTS_BUCKET (S3 reports, in src/reports/from-env.ts). Each handler wires
 * only the ports its routes use, so its bundle carries only those clients; all are built once per container, on
 * first use.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createStepFunctionsWorkflow } from '../../src/api/adapters/step-functions.ts';
import type { ApiDeps, WorkflowMonitor, WorkflowStarter } from '../../src/api/ports.ts';
import { createDynamoMemoryStore, documentClient } from '../../src/memory/dynamodb.ts';
import type { MemoryStore } from '../../src/memory/port.ts';
import { logger } from '../../src/platform/lambda.ts';
import type { ReportReader } from '../../src/reports/port.ts';

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`the ${name} environment variable is not set`);
  return value;
}

/** The memory store on the table named by TABLE_NAME; IDEMPOTENCY_TTL_SECONDS sets how long API keys last. */
export function memoryFromEnv(env: NodeJS.ProcessEnv = process.env): MemoryStore {
  const keySeconds = Number(env.IDEMPOTENCY_TTL_SECONDS);
  return createDynamoMemoryStore({
    client: documentClient(new DynamoDBClient({})),
    tableName: required(env, 'TABLE_NAME'),
    ...(Number.isFinite(keySeconds) && keySeconds > 0 ? { retention: { idempotencyKeySeconds: keySeconds } } : {}),
  });
}

export function workflowFromEnv(env: NodeJS.ProcessEnv = process.env): WorkflowStarter & WorkflowMonitor {
  return createStepFunctionsWorkflow({ client: new SFNClient({}), stateMachineArn: required(env, 'STATE_MACHINE_ARN') });
}

function notWired(port: string): never {
  throw new Error(`the ${port} port is not wired in this function`);
}

/** ApiDeps from the ports a handler uses; a route reaching an unwired port is a deployment bug (a 500). */
export function apiDeps(ports: { memory: MemoryStore; workflow?: WorkflowStarter; monitor?: WorkflowMonitor; reports?: ReportReader }): ApiDeps {
  return {
    memory: ports.memory,
    workflow: ports.workflow ?? { start: async () => notWired('workflow') },
    ...(ports.monitor ? { monitor: ports.monitor } : {}),
    reports: ports.reports ?? { read: async () => notWired('reports'), presign: async () => notWired('reports') },
    clock: Date.now,
    log: {
      warn: (message, extra) => logger.warn(message, extra ?? {}),
      error: (message, extra) => logger.error(message, extra ?? {}),
    },
  };
}

/** Builds the deps on the first invocation and keeps them for the container's life. */
export function once(build: () => ApiDeps): () => ApiDeps {
  let deps: ApiDeps | undefined;
  return () => (deps ??= build());
}
