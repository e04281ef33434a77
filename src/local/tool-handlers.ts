/**
 * The tool Lambdas of a scenario, invoked in process on AgentCore Gateway's Lambda-target contract: the arguments
 * are the event and the tool name travels in the client context. This is what AgentCore does in AWS, so the local
 * gateway exercises the very handlers that are deployed.
 */
import { createHandler as kubernetesHandler } from '../../lambdas/tools/kubernetes/handler.ts';
import { createHandler as logsHandler } from '../../lambdas/tools/logs/handler.ts';
import { createHandler as metricsHandler } from '../../lambdas/tools/metrics/handler.ts';
import { createHandler as runbooksHandler } from '../../lambdas/tools/runbooks/handler.ts';
import { localContext } from '../platform/lambda.ts';
import { createFixtureKubernetesProvider } from '../providers/kubernetes/fixture.ts';
import { createFixtureLogsProvider } from '../providers/logs/fixture.ts';
import { createFixtureMetricsProvider } from '../providers/metrics/fixture.ts';
import { createFixtureRunbooksProvider } from '../providers/runbooks/fixture.ts';
import { isToolErrorBody } from '../tools/errors.ts';
import type { ToolInvocation } from '../tools/invoke.ts';
import { TOOL_NAME_CONTEXT_KEY } from '../tools/lambda.ts';
import { type Backend, parseToolName } from '../tools/openapi.ts';

export type LocalToolCall = (name: string, args: Record<string, unknown>) => Promise<ToolInvocation>;

type LambdaLike = (event: Record<string, unknown>, context: ReturnType<typeof localContext>) => Promise<unknown>;

/** One in-process "Lambda" per backend, over the scenario's recorded data and its clock. */
export function scenarioToolCall(scenarioDir: string, now: number): LocalToolCall {
  const clock = () => now;
  const handlers: Record<Backend, LambdaLike> = {
    kubernetes: kubernetesHandler({ provider: () => createFixtureKubernetesProvider(scenarioDir), clock }) as unknown as LambdaLike,
    logs: logsHandler({ provider: () => createFixtureLogsProvider(scenarioDir), clock }) as unknown as LambdaLike,
    metrics: metricsHandler({ provider: () => createFixtureMetricsProvider(scenarioDir), clock }) as unknown as LambdaLike,
    runbooks: runbooksHandler({ provider: () => createFixtureRunbooksProvider(scenarioDir), clock }) as unknown as LambdaLike,
  };
  return async (name, args) => {
    const parsed = parseToolName(name);
    if (!parsed) {
      return { ok: false, error: { type: 'UnknownTool', message: `Unknown tool '${name}': expected <backend>___<operation>`, retryable: false } };
    }
    const context = localContext(`sre-agent-tools-${parsed.backend}`, { [TOOL_NAME_CONTEXT_KEY]: name });
    const out = await handlers[parsed.backend](args, context);
    return isToolErrorBody(out) ? { ok: false, error: out.error } : { ok: true, result: out };
  };
}
