import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateScenario, scenarioFolders, totals, type ScenarioOutcome } from '../../eval/run.ts';
import { openLocalStores } from '../../local/stores.ts';
import { UsageError, type Command } from '../command.ts';
import { defaultScenariosRoot } from '../scenarios.ts';

const usage = `Usage: sre-agent eval [--scenarios <dir>] [--json <file>] [--timeout <seconds>]

Runs the local investigation (the state machine with the real handlers) on every scenario folder of a directory
and grades each as the scenario contract's Grading section says: top-1, top-3, mentions, status and time.

  --scenarios <dir>    a folder of scenario folders (default: fixtures/scenarios)
  --json <file>        also write {"totals": {...}, "scenarios": [...]} to this file
  --timeout <seconds>  per scenario (default 120); a timeout is wrong on every count`;

const command: Command = {
  path: ['eval'],
  summary: 'Run and grade the investigation on every scenario of a folder',
  usage,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { scenarios: { type: 'string' }, json: { type: 'string' }, timeout: { type: 'string', default: '120' } } });
    const timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds, not '${values.timeout}'`);
    let dirs: string[];
    try {
      dirs = scenarioFolders(values.scenarios ?? defaultScenariosRoot());
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    // A fresh, in-memory memory table: scenarios must not learn from each other.
    const stores = await openLocalStores({ persistent: false, reportsDir: mkdtempSync(join(tmpdir(), 'sre-agent-eval-')) });
    const outcomes: ScenarioOutcome[] = [];
    const width = Math.max(...dirs.map((d) => d.split('/').pop()!.length), 8);
    io.out(`${'scenario'.padEnd(width)}  top-1  top-3  mentions  status     seconds  root cause`);
    try {
      for (const dir of dirs) {
        const o = await evaluateScenario(dir, stores, timeout * 1000);
        outcomes.push(o);
        const mark = (b: boolean) => (b ? '  ✓  ' : '  ✗  ');
        io.out(
          `${o.id.padEnd(width)}  ${mark(o.top1)}  ${mark(o.top3)}  ${o.mentions.toFixed(2).padStart(8)}  ${o.status.padEnd(9)}  ${o.seconds.toFixed(2).padStart(7)}  ${o.rootCause}${o.top1 ? '' : `  (expected ${o.expected})`}${o.error ? `  [${o.error}]` : ''}`,
        );
      }
    } finally {
      await stores.close();
    }
    const t = totals(outcomes);
    io.out('');
    io.out(`top-1 ${(t.top1 * 100).toFixed(1)}%  top-3 ${(t.top3 * 100).toFixed(1)}%  mentions ${t.mentions.toFixed(2)}  crashes ${t.crashes}  median ${t.p50Seconds.toFixed(2)} s  p95 ${t.p95Seconds.toFixed(2)} s  (${t.scenarios} scenarios)`);
    if (values.json) {
      writeFileSync(values.json, `${JSON.stringify({ totals: { top1: t.top1, top3: t.top3, mentions: t.mentions, crashes: t.crashes, p50Seconds: t.p50Seconds, p95Seconds: t.p95Seconds }, scenarios: outcomes }, null, 2)}\n`);
      io.out(`Wrote ${values.json}`);
    }
    return 0;
  },
};
export default command;
