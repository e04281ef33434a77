import { describe, expect, it } from 'vitest';
import { computeStats, numericValue } from './stats.ts';
import { T0, records } from './test-records.ts';

const recs = records([
  { at: 10, log: '{"level":"info","msg":"req","route":"/a","latency_ms":100}' },
  { at: 20, log: '{"level":"info","msg":"req","route":"/a","latency_ms":300}' },
  { at: 70, log: '{"level":"error","msg":"req","route":"/b","latency_ms":"900ms"}' },
  { at: 200, log: '{"level":"error","msg":"req","route":"/b"}', pod: 'checkout-api-7f9c6d5b4-z9z9z' },
  { at: 210, log: '{"level":"warn","msg":"no route"}' },
]);
const window = { start: T0, end: T0 + 300_000 };

describe('computeStats', () => {
  it('counts by one field, leaving out records that lack it', () => {
    const { rows } = computeStats(recs, { by: ['route'], aggregate: 'count', window });
    expect(rows.map((r) => [r.values, r.count]).sort()).toEqual([[['/a'], 2], [['/b'], 2]]);
  });

  it('groups by several fields', () => {
    const { rows } = computeStats(recs, { by: ['route', 'level'], aggregate: 'count', window });
    expect(rows.map((r) => r.values.join('|')).sort()).toEqual(['/a|INFO', '/b|ERROR']);
  });

  it('bins time without fields, filling empty bins with zero', () => {
    const { rows } = computeStats(recs, { by: [], binMs: 60_000, aggregate: 'count', window });
    const series = rows.sort((a, b) => a.bin! - b.bin!).map((r) => [(r.bin! - T0) / 60_000, r.count]);
    expect(series).toEqual([[0, 2], [1, 1], [2, 0], [3, 2], [4, 0], [5, 0]]);
  });

  it('aggregates a numeric field (its leading number), skipping lines without one', () => {
    const avg = computeStats(recs, { by: ['route'], aggregate: 'avg', field: 'latency_ms', window }).rows;
    expect(Object.fromEntries(avg.map((r) => [r.values[0], r.value]))).toEqual({ '/a': 200, '/b': 900 });
    const max = computeStats(recs, { by: [], aggregate: 'max', field: 'latency_ms', window }).rows;
    expect(max).toEqual([{ values: [], count: 5, value: 900 }]);
    const p50 = computeStats(recs, { by: [], aggregate: 'p50', field: 'latency_ms', window }).rows;
    expect(p50[0]!.value).toBe(300);
    const none = computeStats(recs, { by: ['level'], aggregate: 'sum', field: 'missing', window }).rows;
    expect(none.every((r) => r.value === undefined)).toBe(true);
  });

  it('counts a line with several values of a field in each', () => {
    const multi = records([{ at: 1, log: 'ERROR dial tcp 10.0.0.1:5432: connect: connection refused; dial tcp 10.0.0.2:5432: i/o timeout' }]);
    const { rows } = computeStats(multi, { by: ['endpoint'], aggregate: 'count', window });
    expect(rows.map((r) => r.values[0]).sort()).toEqual(['10.0.0.1:5432', '10.0.0.2:5432']);
  });
});

describe('numericValue', () => {
  it('reads leading numbers', () => {
    expect(numericValue('1200ms')).toBe(1200);
    expect(numericValue('0.5')).toBe(0.5);
    expect(numericValue('abc')).toBeUndefined();
  });
});
