/**
 * Real local bundling (esbuild, no Docker) of every function the stack deploys, with the MCP server option so
 * that its bundle is included too. Each asset must exist, stay under 1 MB of JavaScript, carry the files its
 * handler reads beside the bundle, and load as an ES module in Node: a tool bundle even answers a tool call
 * from the sample scenario copied into it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, missingEntries, resources, synth } from './support.ts';

const ONE_MB = 1024 * 1024;

interface Bundle {
  logicalId: string;
  dir: string;
  env: Record<string, string>;
}

let s: Synthesized;
let bundles: Bundle[];
const missing = missingEntries();

/** Environment values as a deployed function would see them: tokens become placeholders, /var/task the asset. */
function runtimeEnv(env: Record<string, unknown>, dir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^\/var\/task/, dir) : `placeholder-${k.toLowerCase()}`]),
  );
}

function bundleSize(dir: string): number {
  return statSync(join(dir, 'index.mjs')).size;
}

function dirSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/** Imports the bundle in a fresh Node process (as Lambda would) and runs `body` with the module as `m`. */
function runInNode(bundle: Bundle, body: string): string {
  const script = `const m = await import(${JSON.stringify(join(bundle.dir, 'index.mjs'))});\n${body}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', ...bundle.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

beforeAll(() => {
  if (missing.length) console.warn(`Bundled with a stub in place of (not written yet): ${missing.join(', ')}`);
  s = synth({ gateway: 'lambda' }, { bundle: true });
  const outdir = s.app.outdir;
  bundles = Object.entries(resources(s.template))
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => {
      // The asset's S3 key is `<hash>.zip`; the cloud assembly holds its folder as `asset.<hash>`.
      const key = (r.Properties!.Code as { S3Key: string }).S3Key;
      const dir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const env = ((r.Properties!.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
      return { logicalId, dir, env: runtimeEnv(env, dir) };
    });
}, 600_000);

describe('local bundling of every function', () => {
  it('bundles all 17 functions of the MCP-server deployment', () => {
    expect(bundles).toHaveLength(17);
  });

  it('produces one minified ESM index.mjs (with its source map) under 1 MB per function', () => {
    const report = bundles.map((b) => {
      expect(existsSync(join(b.dir, 'index.mjs')), b.logicalId).toBe(true);
      expect(existsSync(join(b.dir, 'index.mjs.map')), b.logicalId).toBe(true);
      return { id: b.logicalId, size: bundleSize(b.dir), asset: dirSize(b.dir) };
    });
    console.info(`Bundle sizes:\n${report.map((r) => `${r.id}: ${(r.size / 1024).toFixed(0)} KiB (asset ${(r.asset / 1024).toFixed(0)} KiB)`).join('\n')}`);
    // All offenders at once, so one run shows the whole picture.
    expect(report.filter((r) => r.size >= ONE_MB).map((r) => `${r.id}: ${(r.size / 1024).toFixed(0)} KiB`)).toEqual([]);
  });

  it('puts openapi/ beside the bundles that load tool definitions, and the sample scenario (without its ground truth) beside the tools', () => {
    const tools = bundles.filter((b) => /^Tools(Kubernetes|Logs|Metrics|Runbooks)Tool/.test(b.logicalId));
    expect(tools).toHaveLength(4);
    for (const b of [...tools, bundles.find((x) => x.logicalId.startsWith('ToolsMcpServer'))!]) {
      for (const spec of ['kubernetes', 'logs', 'metrics', 'runbooks']) expect(existsSync(join(b.dir, 'openapi', `${spec}.json`)), b.logicalId).toBe(true);
    }
    for (const b of tools) {
      const scenario = join(b.dir, 'scenarios', 'aws-sre-sample');
      expect(existsSync(join(scenario, 'scenario.json')), b.logicalId).toBe(true);
      expect(existsSync(join(scenario, 'expected.json')), b.logicalId).toBe(false);
    }
  });

  it('loads every bundle as an ES module in Node and exports a handler function', () => {
    for (const b of bundles) {
      const out = runInNode(b, "process.stdout.write(typeof m.handler);");
      expect(out, b.logicalId).toBe('function');
    }
  }, 300_000);

  it('answers a tool call from the bundled scenario, as AgentCore Gateway would invoke it', () => {
    const k8s = bundles.find((b) => b.logicalId.startsWith('ToolsKubernetesTool'))!;
    const out = runInNode(
      k8s,
      `const context = { functionName: 'k', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:k', memoryLimitInMB: '1024', awsRequestId: 'r', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 30000, clientContext: { custom: { bedrockAgentCoreToolName: 'kubernetes___scan_cluster_problems' } } };
       const result = await m.handler({}, context);
       process.stdout.write(JSON.stringify(result));`,
    );
    const result = JSON.parse(out) as Record<string, unknown>;
    expect(result.error).toBeUndefined();
    expect(Object.keys(result).length).toBeGreaterThan(0);
  }, 120_000);
});
