import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNabCorpus } from '../../bench/nab-corpus.ts';
import { formatReport, runNab, toJsonReport } from '../../bench/nab-run.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

/** The repository root, found from this file rather than the working directory so the command runs from anywhere. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEFAULT_DATA = resolve(REPO_ROOT, '..', 'shared', 'benchmarks', 'nab');

const usage = `Usage: sre-agent bench anomaly [--data <dir>] [--windows <file>] [--json <file>]

Runs the streaming anomaly detector over a corpus laid out like the Numenta Anomaly Benchmark and scores it
with NAB v1.1's rules (standard, reward_low_FP_rate and reward_low_FN_rate profiles, threshold optimised per
profile, normalised so the null detector scores 0 and a perfect one 100).

Options:
  --data <dir>      NAB folder: data/<category>/*.csv, labels/combined_windows.json, config/profiles.json
                    (default: ${DEFAULT_DATA})
  --windows <file>  anomaly windows (default: <data>/labels/combined_windows.json)
  --json <file>     also write {profiles, categories, thresholds, details} as JSON
  -h, --help        show this help`;

const command: Command = {
  path: ['bench', 'anomaly'],
  summary: 'Metric anomaly detection scored with the NAB rules',
  usage,
  async run(args, io) {
    let values: { data?: string; windows?: string; json?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { data: { type: 'string' }, windows: { type: 'string' }, json: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const dataDir = values.data ? resolve(values.data) : DEFAULT_DATA;
    const corpus = loadNabCorpus(dataDir, values.windows ? resolve(values.windows) : undefined);
    const report = runNab(corpus);
    io.out(
      `NAB scoring of the streaming detector: ${report.files} files, ${report.rows} rows, ${report.windows} windows ` +
        `(detection ${report.detectSeconds.toFixed(1)} s); profiles from ${corpus.profilesSource}`,
    );
    io.out('score: normalised NAB score (null detector 0, perfect 100); found: windows detected; FPs: detections outside windows');
    io.out('');
    for (const line of formatReport(report)) io.out(line);
    if (values.json) {
      const path = resolve(values.json);
      try {
        writeFileSync(path, `${JSON.stringify(toJsonReport(report), null, 2)}\n`);
      } catch (error) {
        throw new Error(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
      io.out(`JSON report written to ${path}`);
    }
    return 0;
  },
};

export default command;
