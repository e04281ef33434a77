import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { localContext } from '../../../src/platform/lambda.ts';
import { createFixtureLogsProvider } from '../../../src/providers/logs/fixture.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { createHandler, handler } = await import('./handler.ts');

const NOW = Date.parse('2026-03-14T10:32:00Z');
const dir = mkdtempSync(join(tmpdir(), 'logs-handler-'));
mkdirSync(join(dir, 'cloudwatch', 'logs'), { recursive: true });
writeFileSync(
  join(dir, 'cloudwatch', 'logs', 'app.json'),
  JSON.stringify({
    logGroupName: '/ecs/orders',
    events: [
      { logStreamName: 'orders/1', timestamp: NOW - 20 * 60_000, message: '2026-03-14T10:12:00Z INFO started' },
      { logStreamName: 'orders/1', timestamp: NOW - 5 * 60_000, message: '2026-03-14T10:27:00Z ERROR dial tcp 10.0.3.7:5432: connect: connection refused' },
      // Before the default one-hour window: relative windows are measured from the scenario clock.
      { logStreamName: 'orders/1', timestamp: NOW - 2 * 3_600_000, message: '2026-03-14T08:32:00Z ERROR old failure' },
    ],
  }),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invoke = createHandler({ provider: () => createFixtureLogsProvider(dir), clock: () => NOW });
const ctx = (tool?: string) => localContext('sre-agent-logs-tools', tool ? { bedrockAgentCoreToolName: tool } : undefined);

describe('logs tool Lambda handler', () => {
  it('runs the tool the gateway names in the client context', async () => {
    const result = (await invoke({}, ctx('logs___get_error_logs'))) as { errors: Array<{ message: string; signature: unknown }>; window: unknown };
    expect(result.window).toEqual({ start: '2026-03-14T09:32:00.000Z', end: '2026-03-14T10:32:00.000Z' });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      message: 'dial tcp 10.0.3.7:5432: connect: connection refused',
      signature: { endpoints: ['10.0.3.7:5432'], conditions: ['connection_refused'] },
    });
  });

  it('accepts query-string style arguments (numbers as text)', async () => {
    const result = (await invoke({ event_type: '*', time_window: '3h', group_by: 'level', limit: '5' }, ctx('logs___count_log_events'))) as { total_count: number };
    expect(result.total_count).toBe(3);
  });

  it('returns errors as data: bad arguments name the field', async () => {
    expect(await invoke({ limit: 0 }, ctx('logs___get_recent_logs'))).toMatchObject({ error: { type: 'InvalidArgument', field: 'limit', retryable: false } });
  });

  it('a missing or unknown tool name is UnknownTool', async () => {
    expect(await invoke({}, ctx())).toMatchObject({ error: { type: 'UnknownTool' } });
    expect(await invoke({}, ctx('logs___no_such_tool'))).toMatchObject({ error: { type: 'UnknownTool' } });
  });

  it('the exported handler reports a missing provider configuration as an error result', async () => {
    const saved = process.env.SRE_AGENT_SCENARIO;
    delete process.env.SRE_AGENT_SCENARIO;
    try {
      expect(await handler({ pattern: 'x' }, ctx('logs___search_logs'))).toMatchObject({ error: { type: 'Internal' } });
    } finally {
      if (saved !== undefined) process.env.SRE_AGENT_SCENARIO = saved;
    }
  });
});
