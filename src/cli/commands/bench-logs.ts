import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { BenchInputError, DEFAULT_REPETITIONS, formatReport, reportToJson, runLogBench } from '../../bench/logs.ts';

/** The repository root, from this file's location (src/cli/commands/), not from the working directory. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEFAULT_DATA = resolve(REPO_ROOT, '..', 'shared', 'benchmarks', 'loghub2k');
const DEFAULT_SYNTHETIC_LINES = 1_000_000;

const usage = `Usage: sre-agent bench logs [--data <dir>] [--json <file>] [--synthetic-lines <n>] [--repetitions <n>]

Mines the Content column of every *_2k.log_structured.csv in <dir> with the log template miner
(one configuration for all data sets) and reports, per data set: grouping accuracy (GA, against
EventId), parsing accuracy (PA, exact template match against <name>_2k.log_structured_corrected.csv
when present) and lines per second; then a synthetic scaling run per template count.

Options:
  --data <dir>             Loghub-2k directory (default: ${DEFAULT_DATA})
  --json <file>            Also write the results as JSON to <file>
  --synthetic-lines <n>    Lines per synthetic run (default: ${DEFAULT_SYNTHETIC_LINES}; 0 skips them)
  --repetitions <n>        Timed runs per data set, best kept (default: ${DEFAULT_REPETITIONS})`;

function positiveInteger(value: string | undefined, flag: string, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new UsageError(`${flag} must be a${allowZero ? ' non-negative' : ' positive'} integer, got '${value}'`);
  return n;
}

const command: Command = {
  path: ['bench', 'logs'],
  summary: 'Log template mining on Loghub-2k: grouping/parsing accuracy and throughput',
  usage,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          data: { type: 'string' },
          json: { type: 'string' },
          'synthetic-lines': { type: 'string' },
          repetitions: { type: 'string' },
        },
        allowPositionals: false,
        strict: true,
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const dataDir = values.data !== undefined ? resolve(values.data) : DEFAULT_DATA;
    const syntheticLines = positiveInteger(values['synthetic-lines'], '--synthetic-lines', DEFAULT_SYNTHETIC_LINES, true);
    const repetitions = positiveInteger(values.repetitions, '--repetitions', DEFAULT_REPETITIONS, false);

    let report;
    try {
      report = runLogBench(dataDir, { repetitions, syntheticLines });
    } catch (error) {
      if (error instanceof BenchInputError) throw new UsageError(error.message);
      throw error;
    }
    for (const line of formatReport(report)) io.out(line);
    if (values.json !== undefined) {
      const file = resolve(values.json);
      try {
        writeFileSync(file, `${JSON.stringify(reportToJson(report), null, 2)}\n`);
      } catch (error) {
        throw new Error(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      io.out(`\nWrote ${file}`);
    }
    return 0;
  },
};

export default command;
