import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { localContext } from '../../../src/platform/lambda.ts';
import { loadScenarioMeta } from '../../../src/providers/fixture/scenario.ts';
import { createFixtureKubernetesProvider } from '../../../src/providers/kubernetes/fixture.ts';
import { SCENARIOS_ROOT, bundledScenarios } from '../../../test/contract/harness.ts';

// Before any import: Powertools reads these when its logger and metrics are created.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

describe('Kubernetes tool Lambda', () => {
  it('runs the tool named in the AgentCore client context over the injected provider and clock', async () => {
    const { createHandler } = await import('./handler.ts');
    const scenario = bundledScenarios()[0]!;
    const handler = createHandler({ provider: () => createFixtureKubernetesProvider(scenario.dir), clock: () => scenario.now });
    const result = (await handler({ since: '30m', limit: 5 }, localContext('k8s-tools', { bedrockAgentCoreToolName: 'kubernetes___get_cluster_events' }))) as {
      events: unknown[];
      window: { start: string; end: string };
      total_count: number;
    };
    expect(result.window).toEqual({ start: new Date(scenario.now - 30 * 60_000).toISOString(), end: new Date(scenario.now).toISOString() });
    expect(result.events.length).toBeLessThanOrEqual(5);
    expect(typeof result.total_count).toBe('number');
  });

  it('returns tool errors as data: unknown or missing tool names, invalid arguments', async () => {
    const { createHandler } = await import('./handler.ts');
    const handler = createHandler({ provider: () => createFixtureKubernetesProvider(join(SCENARIOS_ROOT, 'none')) });
    expect(await handler({}, localContext('k8s-tools', { bedrockAgentCoreToolName: 'kubernetes___drain_node' }))).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await handler({}, localContext('k8s-tools'))).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await handler({ limit: 0 }, localContext('k8s-tools', { bedrockAgentCoreToolName: 'kubernetes___get_pod_status' }))).toMatchObject({ error: { type: 'InvalidArgument', field: 'limit' } });
  });

  it('wires the exported handler to SRE_AGENT_SCENARIO and the scenario clock', async () => {
    const scenario = bundledScenarios()[0]!;
    process.env.SRE_AGENT_SCENARIO = scenario.dir;
    try {
      // The exported handler reads the environment when its module loads, as at a Lambda cold start.
      vi.resetModules();
      const { handler } = await import('./handler.ts');
      const result = (await handler({}, localContext('k8s-tools', { bedrockAgentCoreToolName: 'kubernetes___scan_cluster_problems' }))) as { window: { end: string } };
      expect(result.window.end).toBe(new Date(loadScenarioMeta(scenario.dir).now).toISOString());
    } finally {
      delete process.env.SRE_AGENT_SCENARIO;
    }
  });
});
