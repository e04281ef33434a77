import { describe, expect, it, vi } from 'vitest';
import { localContext } from '../../../src/platform/lambda.ts';
import { createFixtureRunbooksProvider } from '../../../src/providers/runbooks/fixture.ts';
import { bundledScenarios } from '../../../test/contract/harness.ts';

// Before any import: Powertools reads these when its logger and metrics are created.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const tool = (operationId: string) => localContext('runbooks-tools', { bedrockAgentCoreToolName: `runbooks___${operationId}` });

describe('runbooks tool Lambda', () => {
  it('runs the tool named in the AgentCore client context over the injected provider', async () => {
    const { createHandler } = await import('./handler.ts');
    const scenario = bundledScenarios()[0]!;
    const provider = createFixtureRunbooksProvider(scenario.dir);
    const handler = createHandler({ provider: () => provider, clock: () => scenario.now });
    const [first] = await provider.list();
    const search = (await handler({ symptoms: first!.title, limit: 2 }, tool('search_runbooks'))) as { runbooks: Array<{ id: string }>; total_count: number };
    expect(search.runbooks.length).toBeGreaterThan(0);
    expect(search.runbooks.length).toBeLessThanOrEqual(2);
    expect(search.runbooks.map((r) => r.id)).toContain(first!.id);
    const playbook = (await handler({ playbook_id: first!.id }, tool('get_incident_playbook'))) as { id: string; source: string };
    expect(playbook).toMatchObject({ id: first!.id, source: first!.source });
  });

  it('returns tool errors as data: unknown or missing tool names, invalid arguments, unknown ids', async () => {
    const { createHandler } = await import('./handler.ts');
    const handler = createHandler({ provider: () => createFixtureRunbooksProvider(bundledScenarios()[0]!.dir) });
    expect(await handler({}, tool('delete_runbook'))).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await handler({}, localContext('runbooks-tools'))).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await handler({ limit: 'many' }, tool('search_runbooks'))).toMatchObject({ error: { type: 'InvalidArgument', field: 'limit' } });
    expect(await handler({}, tool('get_common_resolutions'))).toMatchObject({ error: { type: 'InvalidArgument', field: 'issue' } });
    expect(await handler({ playbook_id: 'no-such-runbook' }, tool('get_incident_playbook'))).toMatchObject({ error: { type: 'NotFound', field: 'playbook_id' } });
  });

  it('wires the exported handler to SRE_AGENT_SCENARIO', async () => {
    const scenario = bundledScenarios()[0]!;
    process.env.SRE_AGENT_SCENARIO = scenario.dir;
    try {
      // The exported handler reads the environment when its module loads, as at a Lambda cold start.
      vi.resetModules();
      const { handler } = await import('./handler.ts');
      const result = (await handler({}, tool('search_runbooks'))) as { library_size: number };
      expect(result.library_size).toBe((await createFixtureRunbooksProvider(scenario.dir).list()).length);
    } finally {
      delete process.env.SRE_AGENT_SCENARIO;
    }
  });

  it('says which variable to set when no provider is configured', async () => {
    delete process.env.SRE_AGENT_SCENARIO;
    delete process.env.SRE_AGENT_RUNBOOKS_DIR;
    vi.resetModules();
    const { handler } = await import('./handler.ts');
    const result = (await handler({}, tool('search_runbooks'))) as { error: { type: string; message: string; retryable: boolean } };
    expect(result.error).toMatchObject({ type: 'Internal', retryable: false });
    expect(result.error.message).toContain('SRE_AGENT_SCENARIO');
  });
});
