import { describe, expect, it } from 'vitest';
import { lowerBound, sliceByTime, toSeries, typicalStep, upperBound } from './series.ts';

describe('toSeries', () => {
  it('sorts samples by time', () => {
    expect(toSeries([3000, 1000, 2000], [3, 1, 2])).toEqual({ timestamps: [1000, 2000, 3000], values: [1, 2, 3] });
  });

  it('drops samples with a NaN or infinite value or timestamp', () => {
    const s = toSeries([1000, 2000, Number.NaN, 4000, 5000], [1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5]);
    expect(s).toEqual({ timestamps: [1000, 5000], values: [1, 5] });
  });

  it('merges samples that share a timestamp into their mean', () => {
    const s = toSeries([2000, 1000, 2000, 2000], [10, 1, 20, 60]);
    expect(s).toEqual({ timestamps: [1000, 2000], values: [1, 30] });
  });

  it('rejects timestamps and values of different lengths', () => {
    expect(() => toSeries([1, 2], [1])).toThrow(/2 timestamps but 1 values/);
  });

  it('returns an empty series for no samples', () => {
    expect(toSeries([], [])).toEqual({ timestamps: [], values: [] });
  });
});

describe('time helpers', () => {
  const s = toSeries([10, 20, 30, 40], [1, 2, 3, 4]);

  it('finds bounds by binary search', () => {
    expect(lowerBound(s.timestamps, 20)).toBe(1);
    expect(upperBound(s.timestamps, 20)).toBe(2);
    expect(lowerBound(s.timestamps, 25)).toBe(2);
    expect(lowerBound(s.timestamps, 99)).toBe(4);
  });

  it('slices inclusively at both ends', () => {
    expect(sliceByTime(s, 20, 30)).toEqual({ timestamps: [20, 30], values: [2, 3] });
    expect(sliceByTime(s, 41, 50)).toEqual({ timestamps: [], values: [] });
  });

  it('reports the median sampling step, ignoring one gap', () => {
    expect(typicalStep(toSeries([0, 60, 120, 600, 660], [1, 1, 1, 1, 1]))).toBe(60);
    expect(typicalStep(toSeries([0], [1]))).toBeUndefined();
  });
});
