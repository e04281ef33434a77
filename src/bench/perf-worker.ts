/**
 * One scenario's local investigation, twice, in this (fresh) process: prints {scenario, coldSeconds, warmSeconds,
 * peakRssMiB} as JSON. Run by `sre-agent bench perf`; memory is the process's peak resident set.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runLocalInvestigation } from '../local/investigation.ts';
import { openLocalStores } from '../local/stores.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: perf-worker <scenario dir>');
const stores = await openLocalStores({ persistent: false, reportsDir: mkdtempSync(join(tmpdir(), 'perf-reports-')) });
try {
  const time = async () => {
    const started = performance.now();
    await runLocalInvestigation({ scenarioDir: dir, reports: stores.reports, memory: stores.memory });
    return (performance.now() - started) / 1000;
  };
  const coldSeconds = await time();
  const warmSeconds = await time();
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ scenario: basename(dir), coldSeconds, warmSeconds, peakRssMiB })}\n`);
} finally {
  await stores.close();
}
