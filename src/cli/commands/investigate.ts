import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { InvestigationResult } from '../../domain/result.ts';
import { runLocalInvestigation } from '../../local/investigation.ts';
import type { StepProgress } from '../../local/runner.ts';
import { openLocalStores } from '../../local/stores.ts';
import { UsageError, type Command, type CommandIO } from '../command.ts';
import { defaultScenarioDir } from '../scenarios.ts';

const usage = `Usage: sre-agent investigate [--scenario <dir>] [--user <id>] [--json] ["question"]
       sre-agent investigate --api <url> ["question"]

Runs an investigation. Locally (the default): the investigation state machine, synthesized from the CDK stack,
runs on this machine with the real Lambda handlers, the MCP gateway on loopback over the scenario's recorded
data, DynamoDB on dynalite and reports under .sre-agent/reports. With --api: through a deployed stack's API.

  --scenario <dir>   scenario folder (default: the bundled reference incident, the AWS sample's)
  --user <id>        who asks (their preferences shape the report; the memory records it)
  --json             print the result JSON as the last line
  --api <url>        investigate through a deployed stack's API (after \`sre-agent login\`)
  "question"         ask this instead of the scenario's own alarm or question`;

const command: Command = {
  path: ['investigate'],
  summary: 'Investigate an incident: locally on a scenario, or through a deployed stack',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { scenario: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean', default: false }, api: { type: 'string' } },
      allowPositionals: true,
    });
    const question = positionals.join(' ').trim() || undefined;
    if (question !== undefined && question.length < 3) throw new UsageError('the question must be at least 3 characters');
    if (values.api) {
      const { investigateThroughApi } = await import('./investigate-api.ts');
      return investigateThroughApi({ apiUrl: values.api, question, json: values.json!, io });
    }
    const stores = await openLocalStores();
    try {
      const { result, markdown } = await runLocalInvestigation({
        scenarioDir: values.scenario ?? defaultScenarioDir(),
        ...(question ? { question } : {}),
        ...(values.user ? { userId: values.user } : {}),
        reports: stores.reports,
        memory: stores.memory,
        onStep: (p) => progress(io, p),
      });
      printOutcome(io, result, markdown);
      if (values.json) io.out(JSON.stringify(result));
      return result.status === 'failed' ? 1 : 0;
    } finally {
      await stores.close();
    }
  },
};
export default command;

function progress(io: CommandIO, p: StepProgress): void {
  if (p.phase === 'start') return;
  const took = p.durationMs !== undefined ? ` (${Math.round(p.durationMs)} ms)` : '';
  io.out(p.phase === 'end' ? `  ✓ ${p.state}${took}` : `  ✗ ${p.state}${took}: ${p.error}`);
}

export function printOutcome(io: CommandIO, result: InvestigationResult, markdown: string): void {
  io.out('');
  if (result.rootCause) {
    io.out(`Root cause: ${result.rootCause.category} on ${result.rootCause.resource} (confidence ${result.rootCause.confidence.toFixed(2)})`);
    io.out(`  ${result.rootCause.summary}`);
  } else {
    const summary = /## Summary\n\n([^\n]+)/.exec(markdown)?.[1];
    io.out(`No root cause: ${summary ?? 'nothing cleared the evidence bar'}`);
  }
  if (result.status !== 'completed') io.out(`Status: ${result.status}${result.gaps?.length ? ` — gaps: ${result.gaps.slice(0, 3).join('; ')}` : ''}`);
  const uri = result.report.uri;
  io.out(`Report: ${uri.startsWith('file://') ? fileURLToPath(uri) : uri}`);
}
