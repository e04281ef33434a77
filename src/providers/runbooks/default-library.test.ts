/**
 * The default runbook library (fixtures/runbooks/): valid under the scenario contract, covering every root-cause
 * category, written to the house structure, generic, and retrievable from the evidence an incident produces.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnalyzedRunbook, RunbookIndex, analyzeRunbook } from '../../analyzers/runbooks/index.ts';
import { CATEGORIES, type Category } from '../../domain/taxonomy.ts';
import { checkScenario } from '../../eval/scenario-contract.ts';
import { projectRoot } from '../../platform/paths.ts';
import { bundledScenarios } from '../../../test/contract/harness.ts';
import { createDirectoryRunbooksProvider } from './fixture.ts';

const DIR = join(projectRoot(), 'fixtures', 'runbooks');
const provider = createDirectoryRunbooksProvider(DIR);
const runbooks: AnalyzedRunbook[] = (await provider.list()).map(analyzeRunbook);
const byCategory = (c: Category) => runbooks.filter((r) => r.categories.includes(c));

describe('the default runbook library', () => {
  it('passes the scenario contract checker as a runbooks/ folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'default-runbooks-'));
    try {
      await writeFile(join(dir, 'scenario.json'), JSON.stringify({ id: 'lib', title: 'lib', now: '2026-03-14T10:32:00Z', cluster: 'c', region: 'us-east-1', trigger: { type: 'question', question: 'Why?' } }));
      await writeFile(join(dir, 'expected.json'), JSON.stringify({ category: 'none', mentions: [] }));
      await cp(DIR, join(dir, 'runbooks'), { recursive: true });
      expect(await checkScenario(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses without problems: at least 16 generic runbooks covering every category except none', async () => {
    expect(await provider.problems()).toEqual([]);
    expect((await readdir(DIR)).filter((f) => f.endsWith('.md'))).toHaveLength(runbooks.length);
    expect(runbooks.length).toBeGreaterThanOrEqual(16);
    for (const r of runbooks) expect(r.services, r.id).toEqual([]);
    for (const c of CATEGORIES) {
      if (c === 'none') expect(byCategory(c), c).toEqual([]);
      else expect(byCategory(c).length, c).toBeGreaterThan(0);
    }
    // Generic and database dependencies each have their own runbook.
    expect(byCategory('dependency-failure').length).toBeGreaterThanOrEqual(2);
  });

  it('gives every category runbook symptoms, diagnosis commands, numbered steps, verification and an escalation chain', async () => {
    for (const r of runbooks) {
      expect(r.severityLevel, r.id).toBeDefined();
      expect(r.escalation.length, r.id).toBeGreaterThan(0);
      for (const level of r.escalation) expect(level.role, `${r.id}: ${level.text}`).toBeTruthy();
      expect(r.verification.length, r.id).toBeGreaterThan(0);
      if (!r.categories.length) continue; // escalation policies
      expect(r.symptoms.length, r.id).toBeGreaterThan(0);
      expect(r.diagnosticCommands.length, r.id).toBeGreaterThan(0);
      expect(r.steps.length, r.id).toBeGreaterThanOrEqual(3);
      expect(r.prevention.length, r.id).toBeGreaterThan(0);
      const steps = r.sections.find((s) => s.kind === 'steps')!;
      expect(steps.heading, r.id).toBe('Steps');
      expect(steps.content, r.id).toMatch(/^1\. /);
      // Commands use placeholders, never a real cluster's names.
      for (const cmd of r.diagnosticCommands) {
        for (const m of cmd.matchAll(/kubectl [^|\n]*? -n (\S+)/g)) expect(m[1], `${r.id}: ${cmd}`).toMatch(/^(<[^>]+>?|kube-system)$/);
      }
    }
  });

  it('starts the bad deployment procedure with the rollback, quoted verbatim', async () => {
    const [rollback] = byCategory('bad-deployment').filter((r) => r.categories[0] === 'bad-deployment');
    expect(rollback!.steps[0]).toContain('`kubectl rollout undo deployment/<deployment> -n <namespace>`');
    const text = await readFile(join(DIR, `${rollback!.id}.md`), 'utf8');
    expect(text).toContain(rollback!.steps[0]!);
  });

  it('never names a bundled scenario or one of its workloads', async () => {
    // Third-party components that scenarios deploy and runbooks legitimately mention.
    const components = /^(coredns|cert-manager.*|cluster-autoscaler|external-secrets.*|karpenter|metrics-server|aws-load-balancer-controller)$/;
    const text = (await Promise.all(runbooks.map((r) => readFile(join(DIR, `${r.id}.md`), 'utf8')))).join('\n').toLowerCase();
    for (const s of bundledScenarios()) {
      const names = new Set([s.id]);
      const deployments = JSON.parse(await readFile(join(s.dir, 'kubernetes', 'deployments.json'), 'utf8').catch(() => '{"items":[]}')) as {
        items?: Array<{ metadata?: { name?: string } }>;
      };
      for (const d of deployments.items ?? []) if (d.metadata?.name?.includes('-') && !components.test(d.metadata.name)) names.add(d.metadata.name);
      for (const name of names) expect(text, `${s.id}: ${name}`).not.toMatch(new RegExp(`(?<![\\w-])${name.replace(/[-.]/g, '\\$&')}(?![\\w-])`));
    }
  });
});

describe('retrieval over the default library', () => {
  const index = new RunbookIndex(runbooks);
  // Evidence as production writes it (log lines, event messages, reasons); no category given.
  const EVIDENCE: Record<Exclude<Category, 'none'>, string> = {
    'oom-killed': 'Last State: Terminated Reason: OOMKilled Exit Code: 137',
    'crash-loop': 'Back-off restarting failed container; Error: missing required environment variable DATABASE_URL',
    'config-error': 'Error: couldn\'t find key DB_URL in ConfigMap shop/api-config',
    'image-pull': 'Failed to pull image "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2": manifest unknown; ImagePullBackOff',
    unschedulable: 'FailedScheduling 0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint',
    'node-failure': 'NodeNotReady: Kubelet stopped posting node status',
    'probe-failure': 'Readiness probe failed: Get "http://10.0.1.23:8080/healthz": context deadline exceeded',
    'bad-deployment': 'error rate rose right after the rollout of revision 14; ProgressDeadlineExceeded',
    'dependency-failure': 'connect ECONNREFUSED 10.100.12.7:6379 (redis)',
    'connection-pool-exhaustion': 'HikariPool-1 - Connection is not available, request timed out after 30000ms',
    'cpu-saturation': 'nr_throttled rising, CPU throttling at the limit, latency up',
    'traffic-surge': 'RequestCount tripled and the HPA is at maxReplicas',
    'certificate-expired': 'x509: certificate has expired or is not yet valid',
    'dns-failure': 'dial tcp: lookup orders-db on 172.20.0.10:53: no such host',
    'disk-full': 'could not write to file "pg_wal/000000010000000A": No space left on device',
    'rate-limited': 'ThrottlingException: Rate exceeded (HTTP 429)',
  };

  it.each(Object.entries(EVIDENCE))('%s: the evidence alone finds a runbook for it first', (category, evidence) => {
    const [top] = index.rank({ text: evidence });
    expect(top?.runbook.categories, `${top?.runbook.id}`).toContain(category);
  });

  it('with the category known, a database error picks the database runbook and a cache error the generic one', () => {
    expect(index.rank({ categories: ['dependency-failure'], text: 'FATAL: the database system is in recovery mode' })[0]!.runbook.id).toBe('database-dependency-failure');
    expect(index.rank({ categories: ['dependency-failure'], text: 'redis connection refused' })[0]!.runbook.id).toBe('dependency-failure');
  });
});
