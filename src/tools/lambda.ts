/**
 * A tool Lambda on AgentCore Gateway's Lambda-target contract: the event is the tool's arguments and the tool
 * name arrives as `context.clientContext.custom.bedrockAgentCoreToolName` (`<target>___<operationId>`).
 * Failures come back as `{ "error": {...} }` because the gateway hides thrown errors from the caller.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { lambdaHandler, logger, metrics } from '../platform/lambda.ts';
import type { ToolErrorBody } from './errors.ts';
import { type InvokerDeps, type ToolBackend, createToolInvoker } from './invoke.ts';

export const TOOL_NAME_CONTEXT_KEY = 'bedrockAgentCoreToolName';

export function toolNameFromContext(context: Pick<Context, 'clientContext'> | undefined): string | undefined {
  const custom = context?.clientContext?.custom as Record<string, unknown> | undefined;
  const name = custom?.[TOOL_NAME_CONTEXT_KEY];
  return typeof name === 'string' && name ? name : undefined;
}

export function createToolLambdaHandler<P>(backend: ToolBackend<P>, deps: InvokerDeps<P>) {
  const invoker = createToolInvoker(backend, {
    ...deps,
    onInternalError: (error, tool) => {
      logger.error('tool failed', { tool, error: error as Error });
      deps.onInternalError?.(error, tool);
    },
  });
  return lambdaHandler(async (event: Record<string, unknown> | null, context: Context): Promise<unknown> => {
    const name = toolNameFromContext(context);
    if (!name) {
      const body: ToolErrorBody = {
        error: { type: 'UnknownTool', message: `No tool name in the client context (${TOOL_NAME_CONTEXT_KEY})`, retryable: false },
      };
      return body;
    }
    const outcome = await invoker.invoke(name, event ?? {});
    // A single metric carries its own dimension: no state shared between invocations running side by side.
    const metric = metrics.singleMetric();
    metric.addDimension('tool', name);
    metric.addMetric(outcome.ok ? 'ToolCalls' : 'ToolErrors', MetricUnit.Count, 1);
    if (!outcome.ok) logger.warn('tool error', { tool: name, error: outcome.error });
    return outcome.ok ? outcome.result : ({ error: outcome.error } satisfies ToolErrorBody);
  }, { flushMetrics: false });
}
