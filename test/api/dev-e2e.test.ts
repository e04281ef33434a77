/**
 * The dev API end to end with the real local workflow: HTTP → authorizer stand-in → route core → dynalite →
 * the synthesized state machine run in process over a bundled scenario → report → HTTP. What `sre-agent dev` serves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, investigateRemotely } from '../../src/api/client.ts';
import { scenarioWorkflow } from '../../src/cli/commands/dev.ts';
import { defaultScenarioDir, defaultScenariosRoot } from '../../src/cli/scenarios.ts';
import { type DevServer, startDevServer } from '../../src/local/dev-server.ts';
import { openLocalIssuer } from '../../src/mcp/local-issuer.ts';
import { SCOPE } from './helpers.ts';

const state = mkdtempSync(join(tmpdir(), 'sre-agent-e2e-'));
let server: DevServer;
let client: ReturnType<typeof createApiClient>;

beforeAll(async () => {
  const issuer = await openLocalIssuer(state);
  server = await startDevServer({
    runWorkflow: scenarioWorkflow(defaultScenarioDir()),
    issuer,
    stateDir: state,
    scenarioDir: defaultScenarioDir(),
    resolveScenario: (name) => (/^[a-z0-9-]+$/.test(name) ? join(defaultScenariosRoot(), name) : undefined),
  });
  const token = await issuer.mint({ subject: 'alice', username: 'alice', scopes: [SCOPE.read, SCOPE.write] });
  client = createApiClient({ baseUrl: server.url, token: async () => token });
});
afterAll(async () => {
  await server?.close();
  rmSync(state, { recursive: true, force: true });
});

describe('sre-agent dev with the local state machine', () => {
  it('investigates the bundled reference incident', async () => {
    const steps: string[] = [];
    const { investigation, report } = await investigateRemotely(
      client,
      { question: 'Why is the database pod crashing and what is the impact on the web service?' },
      { intervalMs: 100, timeoutMs: 120_000, onLine: (l) => steps.push(l) },
    );
    expect(investigation.status).toBe('completed');
    expect(investigation.steps).toEqual(expect.arrayContaining(['Normalize', 'Synthesize', 'Finalize']));
    expect(investigation.result?.rootCause).toMatchObject({ category: 'config-error', resource: 'Deployment/production/database-deployment' });
    expect(report).toContain('database-config');
    expect(steps).toContain('  ✓ Finalize');
  });

  it('remembers: the same incident again is reported as seen before', async () => {
    const { investigation, report } = await investigateRemotely(
      client,
      { question: 'Why is the database pod crashing and what is the impact on the web service?' },
      { intervalMs: 100, timeoutMs: 120_000 },
    );
    expect(investigation.status).toBe('completed');
    expect(report).toMatch(/Seen before: 1 time\(s\) in the last 30 days, last on 2024-01-15 \(inv-/);
    const hints = await server.memory.hints(['Deployment/production/database-deployment'], { now: '2024-01-15T14:31:00Z' });
    expect(hints.history?.[0]).toMatchObject({ fingerprint: 'config-error#Deployment/production/database-deployment', count: 2 });
  });

  it('runs the scenario a request names', async () => {
    const { investigation } = await investigateRemotely(
      client,
      { question: 'Why are the settlement workers in payments restarting?', scenario: 'payments-oom' },
      { intervalMs: 100, timeoutMs: 120_000 },
    );
    expect(investigation.result?.rootCause).toMatchObject({ category: 'oom-killed', resource: 'Deployment/payments/payments-settlement-worker' });
  });
});
