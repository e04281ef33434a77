/**
 * The metrics tool Lambda (an AgentCore Gateway Lambda target): one handler serves every operation of
 * openapi/metrics.yaml. `createHandler` lets the local MCP server and tests inject a scenario's provider.
 */
import { investigationClock } from '../../../src/providers/clock.ts';
import { metricsProviderFromEnv } from '../../../src/providers/metrics/index.ts';
import type { MetricsProvider } from '../../../src/providers/metrics/port.ts';
import { createToolLambdaHandler } from '../../../src/tools/lambda.ts';
import { metricsBackend } from '../../../src/tools/metrics/backend.ts';

export function createHandler(deps: { provider: () => MetricsProvider | Promise<MetricsProvider>; clock?: () => number }) {
  return createToolLambdaHandler(metricsBackend, deps);
}

export const handler = createHandler({ provider: () => metricsProviderFromEnv(process.env), clock: investigationClock(process.env) });
