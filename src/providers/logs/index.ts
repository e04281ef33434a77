/** Chooses the logs provider from the environment. */
import { cloudWatchLogsProviderFromEnv } from './cloudwatch.ts';
import { createFixtureLogsProvider } from './fixture.ts';
import type { LogsProvider } from './port.ts';

export type { LogsProvider } from './port.ts';
export { createFixtureLogsProvider } from './fixture.ts';

/**
 * `SRE_AGENT_SCENARIO=<scenario dir>` → the recorded scenario's CloudWatch Logs events. The CloudWatch Logs
 * provider (selected by `LOGS_PROVIDER=cloudwatch`) is not available yet; anything else is a configuration error.
 */
export function logsProviderFromEnv(env: NodeJS.ProcessEnv = process.env): LogsProvider {
  if (env.SRE_AGENT_SCENARIO) return createFixtureLogsProvider(env.SRE_AGENT_SCENARIO);
  if (env.LOGS_PROVIDER?.trim() === 'cloudwatch') return cloudWatchLogsProviderFromEnv(env);
  const selected = env.LOGS_PROVIDER ? ` (LOGS_PROVIDER=${env.LOGS_PROVIDER} is not available yet)` : '';
  throw new Error(
    `No logs provider configured${selected}: set SRE_AGENT_SCENARIO to a scenario folder (e.g. fixtures/scenarios/<id>) to read recorded CloudWatch Logs events`,
  );
}
