/**
 * The runbooks tool Lambda (an AgentCore Gateway Lambda target): one handler serves every operation of
 * openapi/runbooks.yaml. `createHandler` lets the local MCP server and tests inject a scenario's provider.
 */
import { investigationClock } from '../../../src/providers/clock.ts';
import { runbooksProviderFromEnv } from '../../../src/providers/runbooks/index.ts';
import type { RunbooksProvider } from '../../../src/providers/runbooks/port.ts';
import { createToolLambdaHandler } from '../../../src/tools/lambda.ts';
import { runbooksBackend } from '../../../src/tools/runbooks/index.ts';

export interface HandlerDeps {
  provider: () => RunbooksProvider | Promise<RunbooksProvider>;
  clock?: () => number;
}

export function createHandler(deps: HandlerDeps) {
  return createToolLambdaHandler(runbooksBackend, { provider: deps.provider, ...(deps.clock ? { clock: deps.clock } : {}) });
}

export const handler = createHandler({
  provider: () => runbooksProviderFromEnv(process.env),
  clock: investigationClock(process.env),
});
