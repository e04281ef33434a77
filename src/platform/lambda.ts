/**
 * Observability shared by every Lambda: Powertools logger, tracer and metrics, wired through middy. Handlers
 * stay thin: `export const handler = lambdaHandler(async (event, context) => core(...))`.
 * Outside Lambda (local runs, tests) the tracer is inert, and POWERTOOLS_LOG_LEVEL / POWERTOOLS_METRICS_DISABLED
 * keep the console quiet.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sre-agent' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sre-agent' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SreAgent',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sre-agent',
});

export type LambdaFunction<E, R> = (event: E, context: Context) => Promise<R>;

export interface HandlerOptions {
  /**
   * Flush the shared metrics store after each invocation (Powertools logMetrics). Handlers that only publish
   * single metrics (their own dimensions, published at once) turn it off.
   */
  flushMetrics?: boolean;
}

export function lambdaHandler<E, R>(fn: LambdaFunction<E, R>, options: HandlerOptions = {}) {
  const handler = middy(fn)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }));
  return options.flushMetrics === false ? handler : handler.use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
}

/** A Context for invoking a handler in process (local runs, tests), with an optional AgentCore client context. */
export function localContext(functionName: string, custom?: Record<string, string>, timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    ...(custom ? { clientContext: { custom, client: undefined as never, env: undefined as never } } : {}),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
