/**
 * Contract of the runbook tools over every bundled scenario (each scenario's own runbooks/ folder, or the default
 * library): every operation with several argument sets must succeed and match its response schema; then filters,
 * ranking boosts and limits must visibly do what they say. Also checks openapi/runbooks.yaml itself: a valid
 * OpenAPI 3.0.3 document written to AgentCore Gateway's rules, keeping the reference sample's operations.
 * (The runbook tools take no time arguments, so there are no windows to measure against the scenario clock.)
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoriesOfIncidentType, normalizeSeverity } from '../../src/analyzers/runbooks/index.ts';
import type { ScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { createDirectoryRunbooksProvider, createFixtureRunbooksProvider } from '../../src/providers/runbooks/fixture.ts';
import type { RunbookDocument, RunbooksProvider } from '../../src/providers/runbooks/port.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { loadOpenApiDocument, loadToolDefinitions, openApiDir } from '../../src/tools/openapi.ts';
import { runbooksBackend } from '../../src/tools/runbooks/index.ts';
import { type ArgumentCases, assertEveryOperationCovered, bundledScenarios, runContract } from './harness.ts';

type Node = Record<string, unknown>;
const scenarios = bundledScenarios();

function invokerFor(provider: RunbooksProvider, now = Date.UTC(2026, 2, 14, 10, 32)) {
  return createToolInvoker(runbooksBackend, {
    provider: () => provider,
    clock: () => now,
    validateResponses: true,
    onInternalError: (error) => {
      throw error;
    },
  });
}

async function call(provider: RunbooksProvider, name: string, args: Record<string, unknown>) {
  const outcome = await invokerFor(provider).invoke(name, args);
  if (!outcome.ok) expect.fail(`${name}(${JSON.stringify(args)}) failed: ${outcome.error.type}: ${outcome.error.message}`);
  return outcome.result as Node;
}

/** Things in the scenario's library, so the cases exercise real runbooks. */
async function pick(scenario: ScenarioMeta) {
  const docs = await createFixtureRunbooksProvider(scenario.dir).list();
  const withCategory = docs.find((d) => d.categories.length > 0) ?? docs[0];
  const specific = docs.find((d) => d.services.length > 0 && d.categories.length > 0);
  return {
    ids: docs.slice(0, 3).map((d) => d.id),
    category: withCategory?.categories[0] ?? 'crash-loop',
    title: withCategory?.title ?? 'pods restarting',
    service: specific?.services[0],
    specific,
  };
}

const cases: Record<string, ArgumentCases> = {
  search_runbooks: async (s) => {
    const { category, title, service } = await pick(s);
    return [
      {},
      { category },
      { symptoms: title },
      { keyword: title.split(/\s+/)[0]! },
      { incident_type: 'availability' },
      { incident_type: 'security', severity: 'critical' },
      { severity: 'high', limit: 1 },
      { category, service: service ?? 'checkout-api', symptoms: 'pods restarting with errors', limit: 2 },
      { symptoms: 'OOMKilled exit code 137', limit: 50 },
    ];
  },
  get_incident_playbook: async (s) => (await pick(s)).ids.map((id) => ({ playbook_id: id })),
  get_troubleshooting_guide: async (s) => {
    const { category } = await pick(s);
    return [{}, { category: 'kubernetes' }, { category: 'database', issue_type: 'connection' }, { category }, { issue_type: 'CrashLoopBackOff', limit: 1 }, { service: 'any-service', limit: 20 }];
  },
  get_escalation_procedures: async (s) => {
    const { category } = await pick(s);
    return [{}, { severity: 'critical' }, { incident_type: 'availability' }, { incident_type: category }, { incident_type: 'database outage', severity: 'high' }, { limit: 1 }];
  },
  get_common_resolutions: async (s) => {
    const { category, title, service } = await pick(s);
    return [{ issue: 'OOMKilled' }, { issue: title, ...(service ? { service } : {}) }, { issue: category, limit: 1 }, { issue: 'connection refused', limit: 20 }];
  },
  get_runbook: async (s) => (await pick(s)).ids.map((id) => ({ runbook_id: id })),
};

describe('openapi/runbooks.yaml', () => {
  const doc = loadOpenApiDocument('runbooks') as Node;
  const paths = doc.paths as Record<string, Record<string, Node>>;
  const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const shared = ((doc.components as Node).parameters ?? {}) as Record<string, Node>;
  const params = (op: Node) => ((op.parameters ?? []) as Node[]).map((p) => (p.$ref ? shared[String(p.$ref).split('/').pop()!]! : p));

  it('is a valid OpenAPI 3.0.3 document', async () => {
    await expect(SwaggerParser.validate(join(openApiDir(), 'runbooks.yaml'))).resolves.toBeTruthy();
    expect(doc.openapi).toBe('3.0.3');
  });

  it('follows the AgentCore Gateway rules', () => {
    for (const { op } of operations) {
      const id = op.operationId as string;
      expect(id).toMatch(/^[a-z0-9_]{1,48}$/);
      expect((op.responses as Node).default, id).toBeTruthy();
      expect(String(op.summary ?? ''), id).not.toContain('\n');
      expect(String(op.description ?? '').length, id).toBeGreaterThan(100);
      expect(op.requestBody, id).toBeUndefined();
      for (const p of params(op)) {
        expect(p.style, `${id}.${p.name}`).toBeUndefined();
        expect(p.explode, `${id}.${p.name}`).toBeUndefined();
        expect((p.schema as Node).type ?? 'ref', `${id}.${p.name} must not be an array`).not.toBe('array');
        expect(String(p.description ?? ''), `${id}.${p.name}`).not.toBe('');
      }
    }
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node as Node)) {
        expect(['oneOf', 'anyOf', 'allOf', 'nullable', 'not']).not.toContain(key);
        walk(value);
      }
    };
    walk(doc);
    // What the model reads: every argument keeps its own description through the converter.
    for (const def of loadToolDefinitions(['runbooks'])) {
      for (const [name, schema] of Object.entries(def.inputSchema.properties)) expect(String(schema.description ?? ''), `${def.name}.${name}`).toMatch(/\w{3,}.*\./);
    }
  });

  it("keeps the sample's five operations as GET with their parameter names and enum values", () => {
    // From the reference sample's runbooks_api.yaml.
    const PARITY: Record<string, Record<string, string[] | null>> = {
      search_runbooks: { incident_type: ['performance', 'availability', 'security', 'deployment'], keyword: null, severity: ['low', 'medium', 'high', 'critical'] },
      get_incident_playbook: { playbook_id: null },
      get_troubleshooting_guide: { category: ['kubernetes', 'performance', 'networking', 'database'], issue_type: null },
      get_escalation_procedures: { severity: ['low', 'medium', 'high', 'critical'], incident_type: null },
      get_common_resolutions: { issue: null, service: null },
    };
    for (const [id, expected] of Object.entries(PARITY)) {
      const found = operations.find((o) => o.op.operationId === id);
      expect(found?.method, id).toBe('get');
      const def = loadToolDefinitions(['runbooks']).find((d) => d.operationId === id)!;
      for (const [name, values] of Object.entries(expected)) {
        const schema = def.inputSchema.properties[name];
        expect(schema, `${id}.${name}`).toBeDefined();
        if (values) expect(schema!.enum as string[], `${id}.${name}`).toEqual(expect.arrayContaining(values));
      }
    }
    expect(loadToolDefinitions(['runbooks']).find((d) => d.operationId === 'get_common_resolutions')!.inputSchema.required).toEqual(['issue']);
  });

  it('bounds every list result with a limit, total_count and truncated', () => {
    for (const def of loadToolDefinitions(['runbooks'])) {
      if (def.operationId === 'get_incident_playbook' || def.operationId === 'get_runbook') continue;
      expect(def.inputSchema.properties.limit, def.name).toMatchObject({ type: 'integer', minimum: 1 });
      expect(def.inputSchema.properties.limit!.maximum, def.name).toBeGreaterThan(0);
      expect((def.outputSchema as Node).required, def.name).toEqual(expect.arrayContaining(['total_count', 'truncated']));
    }
  });
});

describe('runbooks tools contract', () => {
  it('covers every operation of the spec', () => {
    assertEveryOperationCovered('runbooks', cases);
  });

  it('has scenarios to run on', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  for (const scenario of scenarios) {
    describe(scenario.id, () => {
      const provider = () => createFixtureRunbooksProvider(scenario.dir);

      it('answers every case within its response schema', async () => {
        const invoker = createToolInvoker(runbooksBackend, {
          provider,
          clock: () => scenario.now,
          onInternalError: (error) => {
            throw error;
          },
        });
        const results = await runContract(invoker, scenario, cases);
        expect(Object.keys(results).sort()).toEqual(loadToolDefinitions(['runbooks']).map((d) => d.operationId).sort());
      });

      it('bounds lists: a limit of 1 truncates when there is more, and total_count ignores the limit', async () => {
        const all = await call(provider(), 'search_runbooks', { limit: 50 });
        const one = await call(provider(), 'search_runbooks', { limit: 1 });
        expect(one.total_count).toBe(all.total_count);
        expect(one.runbooks).toHaveLength(Math.min(1, all.total_count as number));
        expect(one.truncated).toBe((all.total_count as number) > 1);
        expect(all.library_size).toBe((await provider().list()).length);
      });

      it('honours the filters: incident type, severity and keyword', async () => {
        const docs = await provider().list();
        const byId = new Map(docs.map((d) => [d.id, d]));
        const availability = await call(provider(), 'search_runbooks', { incident_type: 'availability', limit: 50 });
        const allowed = new Set(categoriesOfIncidentType('availability'));
        for (const r of availability.runbooks as Array<{ categories: string[] }>) expect(r.categories.some((c) => allowed.has(c as never))).toBe(true);
        expect(availability.total_count).toBe(docs.filter((d) => d.categories.some((c) => allowed.has(c))).length);

        const high = await call(provider(), 'search_runbooks', { severity: 'high', limit: 50 });
        expect(high.total_count).toBe(docs.filter((d) => normalizeSeverity(d.severity) === 'high').length);

        const word = docs[0]?.title.split(/\s+/).find((w) => w.length > 4);
        if (word) {
          const keyword = await call(provider(), 'search_runbooks', { keyword: word, limit: 50 });
          expect((keyword.runbooks as unknown[]).length).toBeGreaterThan(0);
          for (const r of keyword.runbooks as Array<{ id: string }>) {
            const d = byId.get(r.id)!;
            expect(`${d.title} ${d.body} ${d.categories.join(' ')}`.toLowerCase(), r.id).toContain(word.toLowerCase().slice(0, 4));
          }
        }
      });

      it('ranks runbooks written for the category first, and one written for the service above generic ones', async () => {
        const { category, service, specific } = await pick(scenario);
        const ranked = (await call(provider(), 'search_runbooks', { category, symptoms: 'errors and restarts', limit: 50 })).runbooks as Array<{
          categories: string[];
          score_breakdown: { category: number };
        }>;
        const firstOther = ranked.findIndex((r) => !r.categories.includes(category));
        const lastOwn = ranked.map((r) => r.categories.includes(category)).lastIndexOf(true);
        if (firstOther >= 0) expect(lastOwn).toBeLessThan(firstOther);
        if (service && specific) {
          const top = (await call(provider(), 'search_runbooks', { category: specific.categories[0], service, limit: 50 })).runbooks as Array<{ services: string[] }>;
          expect(top[0]!.services).toContain(service);
        }
      });

      it('serves every runbook of the library by id, with its steps verbatim from the file', async () => {
        for (const doc of await provider().list()) {
          const playbook = await call(provider(), 'get_incident_playbook', { playbook_id: doc.id });
          const runbook = await call(provider(), 'get_runbook', { runbook_id: doc.id });
          expect(playbook.steps).toEqual(runbook.steps);
          expect(runbook.source).toBe(doc.source);
          for (const step of runbook.steps as string[]) {
            // Verbatim up to the indentation of nested lines, which is relative to the list item.
            for (const line of step.split('\n')) expect(doc.body, doc.id).toContain(line.trim());
          }
        }
      });
    });
  }
});

describe('runbooks tool behaviour', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFile(join(dir, name), text);
  const doc = (id: string, fm: string, body: string) => `---\nid: ${id}\n${fm}\n---\n${body}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbooks-contract-'));
    await mkdir(dir, { recursive: true });
    await write('oom-generic.md', doc('oom-generic', 'title: OOM killed containers\ncategories: [oom-killed]\nseverity: high', '## Symptoms\n- OOMKilled, exit code 137\n## Diagnosis\n```bash\nkubectl top pod -n <namespace>\n```\n## Steps\n1. Raise the limit: `kubectl set resources deployment/<d> --limits=memory=1Gi`\n## Escalation\n1. **Service on-call** — page within 15 minutes.\n'));
    await write('oom-payments.md', doc('oom-payments', 'title: payment-api OOM\nservices: [payment-api]\ncategories: [oom-killed]\nseverity: sev1', '## Symptoms\n- payment-api OOMKilled\n## Steps\n1. Roll back payment-api.\n## Prevention\n- Load test.\n'));
    await write('db.md', doc('db-down', 'title: Database down\ncategories: [dependency-failure]\nseverity: critical', '## Diagnosis\n- `aws rds describe-db-instances --db-instance-identifier <db>`\n## Causes\n- failover\n## Steps\n1. Wait for failover.\n## Escalation\n- **Primary:** dba@example.com\n'));
    await write('policy.md', doc('sev1-policy', 'title: SEV1 escalation\ncategories: []\nseverity: critical', '## Escalation\n1. **Incident commander** — engage within 10 minutes.\n'));
    await write('broken.md', '---\nid: [broken\n---\nbody\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const provider = () => createDirectoryRunbooksProvider(dir);

  it('reports files left out of the library with the search results', async () => {
    const result = await call(provider(), 'search_runbooks', {});
    expect(result.library_size).toBe(4);
    expect(result.library_problems).toEqual([{ source: expect.stringContaining('broken.md'), message: expect.stringContaining('not valid YAML'), skipped: true }]);
  });

  it('explains the score of each match', async () => {
    const result = await call(provider(), 'search_runbooks', { category: 'oom-killed', service: 'payment-api', symptoms: 'OOMKilled' });
    const [first, second] = result.runbooks as Array<Node & { score_breakdown: Node }>;
    expect(first).toMatchObject({ id: 'oom-payments', services: ['payment-api'], severity: 'sev1', incident_type: 'performance', step_count: 1 });
    expect(first!.score_breakdown).toMatchObject({ category: 1, service: 0.3, semantic: 0 });
    expect(first!.reasons).toEqual(expect.arrayContaining(['written for category oom-killed', 'written for service payment-api']));
    expect(second).toMatchObject({ id: 'oom-generic', excerpt: 'OOMKilled, exit code 137' });
    expect(second!.matched_terms).toContain('oomkill');
  });

  it('reads severities on the sample scale (sev1 is critical)', async () => {
    const critical = await call(provider(), 'search_runbooks', { severity: 'critical' });
    expect((critical.runbooks as Array<{ id: string }>).map((r) => r.id).sort()).toEqual(['db-down', 'oom-payments', 'sev1-policy']);
  });

  it('blends semantic retrieval in when the provider has it, and falls back to lexical when it fails', async () => {
    const semantic: RunbooksProvider = { ...provider(), retrieve: async () => [{ id: 'db-down', score: 0.8 }, { id: 'unknown', score: 1 }] };
    const hybrid = await call(semantic, 'search_runbooks', { symptoms: 'something vague' });
    expect(hybrid.retrieval).toBe('hybrid');
    expect(hybrid.runbooks).toEqual([expect.objectContaining({ id: 'db-down', score_breakdown: { text: 0, category: 0, service: 0, semantic: 0.48 } })]);
    const failing: RunbooksProvider = {
      ...provider(),
      retrieve: async () => {
        throw new Error('knowledge base throttled');
      },
    };
    expect((await call(failing, 'get_common_resolutions', { issue: 'OOMKilled' })).retrieval).toBe('lexical_fallback');
    expect((await call(provider(), 'search_runbooks', { symptoms: 'OOMKilled' })).retrieval).toBe('lexical');
  });

  it('serves a playbook with its escalation chain and contacts, and a runbook with every section', async () => {
    const playbook = await call(provider(), 'get_incident_playbook', { playbook_id: 'db-down' });
    expect(playbook).toMatchObject({
      steps: ['Wait for failover.'],
      escalation: [{ level: 1, role: 'Primary', contact: 'dba@example.com', text: '**Primary:** dba@example.com', actions: [] }],
      incident_type: 'availability',
    });
    const runbook = await call(provider(), 'get_runbook', { runbook_id: 'db-down' });
    expect((runbook.sections as Array<{ kind: string }>).map((s) => s.kind)).toEqual(['diagnosis', 'causes', 'steps', 'escalation']);
    expect(runbook.front_matter).toEqual(expect.arrayContaining([{ name: 'categories', value: '["dependency-failure"]' }, { name: 'severity', value: 'critical' }]));
  });

  it('answers an unknown id with NotFound naming the argument and the closest ids', async () => {
    const outcome = await invokerFor(provider()).invoke('runbooks___get_incident_playbook', { playbook_id: 'oom' });
    expect(outcome).toMatchObject({ ok: false, error: { type: 'NotFound', field: 'playbook_id', retryable: false } });
    expect(!outcome.ok && outcome.error.message).toMatch(/closest ids: oom-generic, oom-payments/);
  });

  it('gives guides from diagnosis sections, filtered by area, ordered by the issue', async () => {
    const database = await call(provider(), 'get_troubleshooting_guide', { category: 'database' });
    expect(database.guides).toEqual([
      expect.objectContaining({ id: 'db-down', category: 'database', common_causes: ['failover'], diagnostic_commands: ['aws rds describe-db-instances --db-instance-identifier <db>'] }),
    ]);
    const kubernetes = await call(provider(), 'get_troubleshooting_guide', { category: 'kubernetes', issue_type: 'memory' });
    expect((kubernetes.guides as Array<{ id: string }>).map((g) => g.id)).toEqual(['oom-generic']);
    expect((await call(provider(), 'get_troubleshooting_guide', { issue_type: 'nothing like it' })).total_count).toBe(0);
  });

  it('orders escalation procedures by severity, then incident type, then general policies', async () => {
    const critical = await call(provider(), 'get_escalation_procedures', { severity: 'critical' });
    expect((critical.escalation_procedures as Array<{ id: string }>).map((p) => p.id)).toEqual(['sev1-policy', 'db-down']);
    const availability = await call(provider(), 'get_escalation_procedures', { severity: 'critical', incident_type: 'availability' });
    expect((availability.escalation_procedures as Array<{ id: string; reasons: string[] }>)[0]).toMatchObject({ id: 'db-down', reasons: ['severity critical', 'covers dependency-failure'] });
    const high = await call(provider(), 'get_escalation_procedures', { severity: 'high' });
    expect((high.escalation_procedures as Array<{ id: string }>).map((p) => p.id)).toEqual(['oom-generic']);
  });

  it('gives the resolutions of the best matches with quick fixes and permanent solutions', async () => {
    const result = await call(provider(), 'get_common_resolutions', { issue: 'OOMKilled', service: 'payment-api', limit: 1 });
    expect(result).toMatchObject({ total_count: 2, truncated: true });
    expect((result.resolutions as Node[])[0]).toMatchObject({ id: 'oom-payments', quick_fixes: [{ action: 'Roll back payment-api.' }], permanent_solutions: ['Load test.'] });
    const generic = await call(provider(), 'get_common_resolutions', { issue: 'oom-killed' });
    expect((generic.resolutions as Node[]).map((r) => r.id)).toEqual(['oom-generic', 'oom-payments']);
    expect((generic.resolutions as Array<{ quick_fixes: Node[] }>)[0]!.quick_fixes).toEqual([
      { action: 'Raise the limit: kubectl set resources deployment/<d> --limits=memory=1Gi', command: 'kubectl set resources deployment/<d> --limits=memory=1Gi' },
    ]);
  });

  it('names the offending argument', async () => {
    const invoker = invokerFor(provider());
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['runbooks___search_runbooks', { limit: 0 }, 'limit'],
      ['runbooks___search_runbooks', { limit: 51 }, 'limit'],
      ['runbooks___search_runbooks', { category: 'database-broken' }, 'category'],
      ['runbooks___search_runbooks', { severity: 'urgent' }, 'severity'],
      ['runbooks___search_runbooks', { incident_type: 'outage' }, 'incident_type'],
      ['runbooks___search_runbooks', { colour: 'red' }, 'colour'],
      ['runbooks___get_common_resolutions', {}, 'issue'],
      ['runbooks___get_incident_playbook', { playbook_id: '' }, 'playbook_id'],
      ['runbooks___get_troubleshooting_guide', { category: 'storage' }, 'category'],
    ];
    for (const [name, args, field] of cases) {
      const outcome = await invoker.invoke(name, args);
      expect(outcome, `${name}(${JSON.stringify(args)})`).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field, retryable: false } });
    }
  });

  it('reports unknown tools', async () => {
    const invoker = invokerFor(provider());
    for (const name of ['runbooks___delete_runbook', 'logs___search_runbooks', 'nothing']) {
      expect(await invoker.invoke(name, {})).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
    }
    expect(await invoker.invoke('search_runbooks', {})).toMatchObject({ ok: true });
  });

  it('serves a document the provider finds by id even when the listing does not hold it', async () => {
    const extra: RunbookDocument = { id: 'late', title: 'Late', services: [], categories: [], body: '## Steps\n1. go\n', source: 's3://bucket/late.md', frontMatter: {} };
    const base = provider();
    const lazy: RunbooksProvider = { list: () => base.list(), get: async (id) => (id === 'late' ? extra : base.get(id)) };
    expect(await call(lazy, 'get_runbook', { runbook_id: 'late' })).toMatchObject({ id: 'late', steps: ['go'], source: 's3://bucket/late.md' });
  });
});
