/** `sre-agent investigate --api <url>`: start an investigation through a deployed stack, follow it, print the report. */
import type { CommandIO } from '../command.ts';
import { remoteInvestigation } from './api-client.ts';

export async function investigateThroughApi(options: { apiUrl: string; question: string | undefined; json: boolean; io: CommandIO }): Promise<number> {
  if (!options.question) {
    options.io.err('Give the question to investigate, e.g. sre-agent investigate --api <url> "why are checkout requests failing?"');
    return 2;
  }
  const { investigation, report } = await remoteInvestigation({ apiUrl: options.apiUrl, question: options.question, io: options.io });
  if (report) options.io.out(report);
  const result = investigation.result;
  if (options.json && result) options.io.out(JSON.stringify(result));
  return investigation.status === 'failed' ? 1 : 0;
}
