/**
 * Chooses the metrics provider from the environment. `SRE_AGENT_SCENARIO=<dir>` serves a recorded scenario; the
 * CloudWatch provider (selected by METRICS_PROVIDER=aws) arrives with the AWS providers.
 */
import { ToolError } from '../../tools/errors.ts';
import { cloudWatchMetricsProviderFromEnv } from './cloudwatch.ts';
import { createFixtureMetricsProvider } from './fixture.ts';
import type { MetricsProvider } from './port.ts';

export { createFixtureMetricsProvider } from './fixture.ts';
export type * from './port.ts';

export function metricsProviderFromEnv(env: NodeJS.ProcessEnv): MetricsProvider {
  const scenario = env.SRE_AGENT_SCENARIO;
  if (scenario) return createFixtureMetricsProvider(scenario);
  if (env.METRICS_PROVIDER?.trim() === 'cloudwatch') return cloudWatchMetricsProviderFromEnv(env);
  const selected = env.METRICS_PROVIDER ? ` (METRICS_PROVIDER=${env.METRICS_PROVIDER} is not available in this build)` : '';
  // Not retryable: configuration, not a passing fault. The message reaches the caller, so it says what to set.
  throw new ToolError(
    'Internal',
    `No metrics provider is configured${selected}: set SRE_AGENT_SCENARIO to a scenario folder (e.g. fixtures/scenarios/<id>) to serve recorded CloudWatch data`,
  );
}
