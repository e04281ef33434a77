import { describe, expect, it } from 'vitest';
import { records } from '../../analyzers/logs/test-records.ts';
import type { LogsProvider } from '../../providers/logs/port.ts';
import { ToolError } from '../errors.ts';
import { filterSource, newest, pivotArgument, resolveLogGroups, toLogLine } from './shared.ts';

const provider: LogsProvider = {
  listLogGroups: async () => ['/aws/containerinsights/prod/application', '/aws/containerinsights/prod/dataplane', '/ecs/orders'],
  queryEvents: async () => ({ events: [], truncated: false }),
};

describe('resolveLogGroups', () => {
  it('accepts full names and unique parts; ambiguous parts are invalid, unknown names not found', async () => {
    expect(await resolveLogGroups(provider, undefined, 'log_group')).toBeUndefined();
    expect(await resolveLogGroups(provider, ['/ecs/orders', 'APPLICATION'], 'log_group')).toEqual(['/ecs/orders', '/aws/containerinsights/prod/application']);
    await expect(resolveLogGroups(provider, ['containerinsights'], 'log_groups')).rejects.toMatchObject({ field: 'log_groups', message: expect.stringContaining('several') });
    await expect(resolveLogGroups(provider, ['/nope'], 'log_group')).rejects.toBeInstanceOf(ToolError);
  });
});

describe('pivotArgument', () => {
  const window = { start: 0, end: 3_600_000 };
  it('defaults to the middle and must fall inside the window', () => {
    expect(pivotArgument({}, 3_600_000, window)).toBe(1_800_000);
    expect(pivotArgument({ pivot_time: '10m' }, 3_600_000, window)).toBe(3_000_000);
    expect(() => pivotArgument({ pivot_time: '2h' }, 3_600_000, window)).toThrow(/inside the window/);
  });
});

describe('filterSource', () => {
  const recs = records([{ at: 1, log: 'INFO a' }, { at: 2, log: 'INFO b', pod: 'orders-db-0', namespace: 'orders' }]);
  it('keeps a source and lists the services that logged when none matches', () => {
    expect(filterSource(recs, 'orders-db', { start: 0, end: 1 })).toHaveLength(1);
    expect(() => filterSource(recs, 'payments', { start: 0, end: 1 })).toThrow(/Services that logged then: checkout-api, orders-db/);
  });
});

describe('newest / toLogLine', () => {
  it('keeps the newest items in order', () => {
    expect(newest([1, 2, 3, 4], 2)).toEqual({ items: [3, 4], total_count: 4, truncated: true });
    expect(newest([1], 5)).toEqual({ items: [1], total_count: 1, truncated: false });
  });

  it('bounds long messages and traces', () => {
    const frames = Array.from({ length: 100 }, (_, i) => `\tat a.B.m${i}(B.java:${i})`).join('\n');
    const [r] = records([{ at: 1, log: JSON.stringify({ level: 'error', msg: 'x'.repeat(5_000), stack_trace: `java.lang.IllegalStateException: boom\n${frames}` }) }]);
    const line = toLogLine(r!);
    expect(line.message.length).toBe(2_000);
    expect(line.stack_trace!.split('\n')).toHaveLength(61);
    expect(line.stack_trace).toMatch(/\.\.\. \(41 more lines\)$/);
    expect(line.signature?.exceptions).toEqual(['java.lang.IllegalStateException']);
    expect(line).toMatchObject({ level: 'ERROR', service: 'checkout-api', workload: 'Deployment/checkout/checkout-api', namespace: 'checkout' });
  });
});
