import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { measureFunctions, measureScenario, median, type FunctionPerf, type ScenarioPerf } from '../../bench/perf.ts';
import { scenarioFolders } from '../../eval/run.ts';
import { UsageError, type Command } from '../command.ts';
import { defaultScenariosRoot } from '../scenarios.ts';

const usage = `Usage: sre-agent bench perf [--scenarios <dir>] [--runs <n>] [--json <file>] [--skip-functions] [--skip-scenarios]

Per Lambda: the minified bundle size from a real synthesis (local esbuild) and the cold module-load time (median of
<n> fresh Node processes). Per scenario: the local investigation's time (first run in a fresh process, and a second,
warm run) and the process's peak memory.

  --scenarios <dir>   scenario folders (default: fixtures/scenarios)
  --runs <n>          fresh processes per bundle for the load time (default 5)
  --json <file>       also write {"functions": [...], "scenarios": [...], "summary": {...}}`;

const command: Command = {
  path: ['bench', 'perf'],
  summary: 'Lambda bundle sizes and cold-load times, local investigation time and peak memory per scenario',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        scenarios: { type: 'string' },
        runs: { type: 'string', default: '5' },
        json: { type: 'string' },
        'skip-functions': { type: 'boolean', default: false },
        'skip-scenarios': { type: 'boolean', default: false },
      },
    });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, not '${values.runs}'`);
    let functions: FunctionPerf[] = [];
    if (!values['skip-functions']) {
      io.out('Synthesizing and bundling every function (local esbuild)…');
      functions = measureFunctions(runs);
      const width = Math.max(...functions.map((f) => f.name.length));
      io.out(`${'function'.padEnd(width)}  bundle KiB  cold load ms`);
      for (const f of functions) io.out(`${f.name.padEnd(width)}  ${(f.bundleBytes / 1024).toFixed(0).padStart(10)}  ${f.coldLoadMs.toFixed(1).padStart(12)}`);
      io.out('');
    }
    const scenarios: ScenarioPerf[] = [];
    if (!values['skip-scenarios']) {
      let dirs: string[];
      try {
        dirs = scenarioFolders(values.scenarios ?? defaultScenariosRoot());
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const width = Math.max(...dirs.map((d) => d.split('/').pop()!.length));
      io.out(`${'scenario'.padEnd(width)}  cold s  warm s  peak MiB`);
      for (const dir of dirs) {
        const p = measureScenario(dir);
        scenarios.push(p);
        io.out(`${p.scenario.padEnd(width)}  ${p.coldSeconds.toFixed(2).padStart(6)}  ${p.warmSeconds.toFixed(2).padStart(6)}  ${p.peakRssMiB.toFixed(0).padStart(8)}`);
      }
      io.out('');
    }
    const summary = {
      maxBundleKiB: functions.length ? Math.max(...functions.map((f) => f.bundleBytes)) / 1024 : null,
      maxColdLoadMs: functions.length ? Math.max(...functions.map((f) => f.coldLoadMs)) : null,
      medianColdSeconds: scenarios.length ? median(scenarios.map((s) => s.coldSeconds)) : null,
      medianWarmSeconds: scenarios.length ? median(scenarios.map((s) => s.warmSeconds)) : null,
      maxPeakRssMiB: scenarios.length ? Math.max(...scenarios.map((s) => s.peakRssMiB)) : null,
    };
    io.out(
      `largest bundle ${summary.maxBundleKiB?.toFixed(0) ?? '-'} KiB · slowest cold load ${summary.maxColdLoadMs?.toFixed(1) ?? '-'} ms · median investigation ${summary.medianColdSeconds?.toFixed(2) ?? '-'} s cold / ${summary.medianWarmSeconds?.toFixed(2) ?? '-'} s warm · peak memory ${summary.maxPeakRssMiB?.toFixed(0) ?? '-'} MiB`,
    );
    if (values.json) {
      writeFileSync(values.json, `${JSON.stringify({ functions, scenarios, summary }, null, 2)}\n`);
      io.out(`Wrote ${values.json}`);
    }
    return 0;
  },
};
export default command;
