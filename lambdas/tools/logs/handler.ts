/** The logs tools Lambda (AgentCore Gateway Lambda target): search, errors, patterns, counts, queries, signatures. */
import { investigationClock } from '../../../src/providers/clock.ts';
import { logsProviderFromEnv } from '../../../src/providers/logs/index.ts';
import type { LogsProvider } from '../../../src/providers/logs/port.ts';
import { createToolLambdaHandler } from '../../../src/tools/lambda.ts';
import { logsToolBackend } from '../../../src/tools/logs/index.ts';

export function createHandler(deps: { provider: () => LogsProvider | Promise<LogsProvider>; clock?: () => number }) {
  return createToolLambdaHandler(logsToolBackend, deps);
}

export const handler = createHandler({ provider: () => logsProviderFromEnv(process.env), clock: investigationClock(process.env) });
