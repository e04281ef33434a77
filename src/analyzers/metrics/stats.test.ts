import { describe, expect, it } from 'vitest';
import { addSeries, describeSeries, ratioSeries, resample, scaleSeries } from './stats.ts';
import { MINUTE, T0, regularSeries } from './test-series.ts';

describe('describeSeries', () => {
  it('gives the latest value, extremes with their times, mean, p95 and sum', () => {
    const s = regularSeries(5, (i) => [3, 9, 1, 4, 5][i]!);
    const d = describeSeries(s)!;
    expect(d).toMatchObject({ n: 5, current: 5, currentAt: T0 + 4 * MINUTE, min: 1, minAt: T0 + 2 * MINUTE, max: 9, maxAt: T0 + MINUTE, sum: 22 });
    expect(d.mean).toBeCloseTo(4.4);
    expect(d.p95).toBeCloseTo(8.2);
  });

  it('is undefined for an empty series', () => {
    expect(describeSeries({ timestamps: [], values: [] })).toBeUndefined();
  });
});

describe('resample', () => {
  const s = regularSeries(6, (i) => i + 1); // 1..6, one a minute from T0 (a multiple of 5 minutes)

  it('adds counts, keeps extremes and averages gauges per aligned bucket', () => {
    expect(resample(s, 5 * MINUTE, 'sum')).toEqual({ timestamps: [T0, T0 + 5 * MINUTE], values: [15, 6] });
    expect(resample(s, 5 * MINUTE, 'max').values).toEqual([5, 6]);
    expect(resample(s, 5 * MINUTE, 'min').values).toEqual([1, 6]);
    expect(resample(s, 5 * MINUTE, 'mean').values).toEqual([3, 6]);
  });

  it('returns the series itself when the period is not longer than its spacing', () => {
    expect(resample(s, MINUTE, 'sum')).toBe(s);
  });
});

describe('addSeries and ratioSeries', () => {
  it('adds counters with missing datapoints counting as zero', () => {
    const a = { timestamps: [T0, T0 + MINUTE], values: [1, 2] };
    const b = { timestamps: [T0 + MINUTE, T0 + 2 * MINUTE], values: [10, 20] };
    expect(addSeries([a, b])).toEqual({ timestamps: [T0, T0 + MINUTE, T0 + 2 * MINUTE], values: [1, 12, 20] });
  });

  it('divides where the denominator is positive, treating a missing numerator as zero and capping at 1', () => {
    const errors = { timestamps: [T0 + MINUTE, T0 + 2 * MINUTE], values: [5, 50] };
    const requests = { timestamps: [T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE], values: [100, 10, 40, 0] };
    expect(ratioSeries(errors, requests)).toEqual({ timestamps: [T0, T0 + MINUTE, T0 + 2 * MINUTE], values: [0, 0.5, 1] });
  });

  it('scales values for unit conversion', () => {
    expect(scaleSeries({ timestamps: [T0], values: [0.25] }, 1000).values).toEqual([250]);
  });
});
