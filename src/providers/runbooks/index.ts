/**
 * Chooses the runbooks provider from the environment: `SRE_AGENT_SCENARIO=<folder>` serves that scenario's
 * library (its `runbooks/` folder, else the default library); `SRE_AGENT_RUNBOOKS_DIR=<folder>` alone serves a
 * plain folder of runbooks. The S3 / Bedrock Knowledge Base provider (selected by `RUNBOOKS_PROVIDER`) comes with
 * the AWS providers.
 */
import { ToolError } from '../../tools/errors.ts';
import { createDirectoryRunbooksProvider, createFixtureRunbooksProvider } from './fixture.ts';
import type { RunbooksProvider } from './port.ts';
import { s3RunbooksProviderFromEnv } from './s3.ts';

export type { RunbookDocument, RunbookProblem, RunbooksProvider } from './port.ts';
export { createDirectoryRunbooksProvider, createFixtureRunbooksProvider, defaultRunbooksDir, scenarioRunbooksDir } from './fixture.ts';

export function runbooksProviderFromEnv(env: NodeJS.ProcessEnv = process.env): RunbooksProvider {
  const scenario = env.SRE_AGENT_SCENARIO?.trim();
  if (scenario) return createFixtureRunbooksProvider(scenario, env);
  const dir = env.SRE_AGENT_RUNBOOKS_DIR?.trim();
  if (dir) return createDirectoryRunbooksProvider(dir);
  const selected = env.RUNBOOKS_PROVIDER?.trim();
  if (selected === 's3') return s3RunbooksProviderFromEnv(env);
  // A configuration error, not a passing fault: Internal (not retryable), with a message that says what to set.
  throw new ToolError(
    'Internal',
    selected
      ? `RUNBOOKS_PROVIDER=${selected} is not available in this build; set SRE_AGENT_SCENARIO=<scenario folder> or SRE_AGENT_RUNBOOKS_DIR=<folder of runbooks>`
      : 'No runbooks provider configured: set SRE_AGENT_SCENARIO=<scenario folder> to serve a recorded scenario, or SRE_AGENT_RUNBOOKS_DIR=<folder of markdown runbooks> (RUNBOOKS_PROVIDER selects the S3 / Knowledge Base provider once it exists)',
  );
}
