/**
 * Performance figures anyone can reproduce: per Lambda, the minified bundle size from a real synthesis (local
 * esbuild) and its cold module-load time (median over fresh Node processes, as a Lambda cold start imports it);
 * per scenario, the local investigation's time and peak memory, each in a fresh process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../lib/config.ts';
import { SreAgentStack } from '../../lib/sre-agent-stack.ts';
import { projectRoot } from '../platform/paths.ts';

export interface FunctionPerf {
  /** The function's logical id without its hash, e.g. ToolsKubernetesFunction. */
  name: string;
  bundleBytes: number;
  coldLoadMs: number;
}

export interface ScenarioPerf {
  scenario: string;
  /** Investigation time of the first investigation in a fresh process (includes JIT warm-up). */
  coldSeconds: number;
  /** Investigation time of a second investigation in the same process. */
  warmSeconds: number;
  peakRssMiB: number;
}

/** Synthesizes the stack with real bundling (the MCP-server option, so every function exists) into a temp folder. */
export function synthesizeBundles(): { outdir: string; functions: Array<{ name: string; dir: string; env: Record<string, string> }> } {
  const root = projectRoot();
  const cdkContext = (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const outdir = mkdtempSync(join(tmpdir(), 'sre-agent-perf-'));
  const app = new App({ outdir, analyticsReporting: false, context: cdkContext });
  const stack = new SreAgentStack(app, 'SreAgent', { config: parseConfig({ ...cdkContext, gateway: 'lambda' }), env: { account: '000000000000', region: 'us-east-1' } });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const functions = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => {
      const key = (r.Properties.Code as { S3Key: string }).S3Key;
      const dir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const vars = ((r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
      const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^\/var\/task/, dir) : `placeholder-${k.toLowerCase()}`]));
      // The logical id reads as the construct path (ToolsKubernetesFunction…) minus the hash suffix.
      return { name: logicalId.replace(/[0-9A-F]{8}$/, ''), dir, env };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { outdir, functions };
}

/** Median time to import a bundle in a fresh Node process, measured inside that process. */
export function coldLoadMs(dir: string, env: Record<string, string>, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(join(dir, 'index.mjs'))}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    times.push(Number(out));
  }
  return median(times);
}

export function measureFunctions(runs: number): FunctionPerf[] {
  const { outdir, functions } = synthesizeBundles();
  try {
    return functions.map((f) => ({ name: f.name, bundleBytes: statSync(join(f.dir, 'index.mjs')).size, coldLoadMs: coldLoadMs(f.dir, f.env, runs) }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs src/bench/perf-worker.ts in a fresh process for one scenario. */
export function measureScenario(scenarioDir: string): ScenarioPerf {
  const root = projectRoot();
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'src/bench/perf-worker.ts'), scenarioDir], {
    cwd: root,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ScenarioPerf;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
