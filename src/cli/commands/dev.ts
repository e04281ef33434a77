import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type LocalWorkflow, startDevServer } from '../../local/dev-server.ts';
import { runLocalInvestigation } from '../../local/investigation.ts';
import { loadScenarioMeta } from '../../providers/fixture/scenario.ts';
import { stateDir } from '../../platform/paths.ts';
import { UsageError, type Command } from '../command.ts';
import { defaultScenarioDir, defaultScenariosRoot } from '../scenarios.ts';

const usage = `Usage: sre-agent dev [--port <n>] [--scenario <dir>] [--s3] [--ephemeral]

Serves the REST API on loopback with the same route code as the API Lambdas: Bearer tokens from
\`sre-agent token\` are checked as API Gateway's Cognito authorizer checks them (scopes included), investigations
run locally in the background on the scenario's tools, memory is DynamoDB on dynalite, reports are files.

  --port <n>         port (default 7412; 0 picks a free one)
  --scenario <dir>   scenario folder the tools serve (default: the bundled reference incident); a request may
                     also name a bundled scenario in its body ("scenario": "payments-oom")
  --s3               keep reports in S3 on s3rver instead of .sre-agent/reports
  --ephemeral        keep the tables in memory (default: persisted in .sre-agent/dynalite)`;

/**
 * The dev server's workflow: the local state machine (src/local/investigation.ts) over the request's scenario,
 * with the dev server's memory and report stores, so the API's records, progress and reports are the run's own.
 */
export function scenarioWorkflow(defaultScenario: string): LocalWorkflow {
  return async ({ request }, context) => {
    const trigger = request.trigger;
    const run = await runLocalInvestigation({
      scenarioDir: context.scenarioDir ?? defaultScenario,
      // The tools serve the scenario's recorded data; the trigger is the request's own (question or alarm event).
      ...(trigger.type === 'question' ? { question: trigger.question } : { trigger }),
      ...(request.now ? { now: request.now } : {}),
      ...(request.requestedBy ? { userId: request.requestedBy } : {}),
      investigationId: request.investigationId,
      memory: context.memory,
      reports: context.reports,
    });
    return run.result;
  };
}

function bundledScenario(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(name)) return undefined;
  const dir = join(defaultScenariosRoot(), name);
  return existsSync(join(dir, 'scenario.json')) ? dir : undefined;
}

const command: Command = {
  path: ['dev'],
  summary: 'Serve the REST API on loopback (local API Gateway + Cognito authorizer, dynalite, local workflow)',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '7412' },
        scenario: { type: 'string' },
        s3: { type: 'boolean', default: false },
        ephemeral: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not '${values.port}'`);
    const scenarioDir = values.scenario ?? defaultScenarioDir();
    if (!existsSync(join(scenarioDir, 'scenario.json'))) throw new UsageError(`--scenario: no scenario.json in ${scenarioDir}`);
    const scenario = loadScenarioMeta(scenarioDir);
    const server = await startDevServer({
      runWorkflow: scenarioWorkflow(scenarioDir),
      port,
      scenarioDir,
      resolveScenario: bundledScenario,
      persist: !values.ephemeral,
      reports: values.s3 ? 's3rver' : 'folder',
      log: {
        warn: (message, extra) => io.err(`warn: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}`),
        error: (message, extra) => io.err(`error: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}`),
      },
    });
    io.out(`sre-agent API (scenario '${scenario.id}') listening at ${server.url}`);
    io.out(`State: ${stateDir()}${values.ephemeral ? ' (tables in memory)' : ''}`);
    io.out(`Try: curl -H "Authorization: Bearer $(sre-agent token --user alice)" -H 'content-type: application/json' \\`);
    const trigger = scenario.trigger as { type?: string; question?: string } | undefined;
    const question = trigger?.type === 'question' && trigger.question ? trigger.question : 'What is wrong right now?';
    io.out(`       -d '${JSON.stringify({ question }).replace(/'/g, '')}' ${server.url}/investigations`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};
export default command;
