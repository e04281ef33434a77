import { describe, expect, it, vi } from 'vitest';
import { localContext } from '../../../src/platform/lambda.ts';
import { createFixtureMetricsProvider } from '../../../src/providers/metrics/fixture.ts';
import { bundledScenarios } from '../../../test/contract/harness.ts';

// Before any import: Powertools reads these when its logger and metrics are created.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const tool = (operationId: string) => localContext('metrics-tools', { bedrockAgentCoreToolName: `metrics___${operationId}` });

describe('metrics tool Lambda', () => {
  it('runs the tool named in the AgentCore client context over the injected provider and clock', async () => {
    const { createHandler } = await import('./handler.ts');
    const scenario = bundledScenarios()[0]!;
    const handler = createHandler({ provider: () => createFixtureMetricsProvider(scenario.dir), clock: () => scenario.now });
    const result = (await handler({ time_window: '30m', limit: 3 }, tool('get_error_rates'))) as { window: { start: string; end: string }; error_rates: unknown[]; total_count: number };
    expect(result.window).toEqual({ start: new Date(scenario.now - 30 * 60_000).toISOString(), end: new Date(scenario.now).toISOString() });
    expect(result.error_rates.length).toBeLessThanOrEqual(3);
    expect(typeof result.total_count).toBe('number');
  });

  it('returns tool errors as data: unknown or missing tool names, invalid arguments', async () => {
    const { createHandler } = await import('./handler.ts');
    const handler = createHandler({ provider: () => createFixtureMetricsProvider('/nonexistent') });
    expect(await handler({}, tool('put_metric_data'))).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await handler({}, localContext('metrics-tools'))).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await handler({ limit: 'many' }, tool('list_metrics'))).toMatchObject({ error: { type: 'InvalidArgument', field: 'limit' } });
    expect(await handler({ metric_name: 'cpu' }, tool('analyze_trends'))).toMatchObject({ series: [], total_count: 0 });
  });

  it('wires the exported handler to SRE_AGENT_SCENARIO and the scenario clock', async () => {
    const scenario = bundledScenarios()[0]!;
    process.env.SRE_AGENT_SCENARIO = scenario.dir;
    try {
      // The exported handler reads the environment when its module loads, as at a Lambda cold start.
      vi.resetModules();
      const { handler } = await import('./handler.ts');
      const result = (await handler({}, tool('get_performance_metrics'))) as { window: { end: string } };
      expect(result.window.end).toBe(new Date(scenario.now).toISOString());
    } finally {
      delete process.env.SRE_AGENT_SCENARIO;
    }
  });

  it('says which variable to set when no provider is configured', async () => {
    delete process.env.SRE_AGENT_SCENARIO;
    vi.resetModules();
    const { handler } = await import('./handler.ts');
    const result = (await handler({}, tool('list_metrics'))) as { error: { type: string; message: string; retryable: boolean } };
    expect(result.error).toMatchObject({ type: 'Internal', retryable: false });
    expect(result.error.message).toContain('SRE_AGENT_SCENARIO');
  });
});
