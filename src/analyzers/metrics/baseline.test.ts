import { describe, expect, it } from 'vitest';
import { median, quantileSorted, robustBaseline, robustZ } from './baseline.ts';

describe('robustBaseline', () => {
  it('computes median, quartiles and sigma = IQR / 1.349', () => {
    const b = robustBaseline([9, 1, 8, 2, 7, 3, 6, 4, 5]);
    expect(b).toMatchObject({ median: 5, q1: 3, q3: 7, iqr: 4, n: 9 });
    expect(b.scale).toBeCloseTo(4 / 1.349, 10);
  });

  it('is barely moved by a spike inside the baseline', () => {
    const quiet = robustBaseline([10, 11, 9, 10, 10, 11, 9, 10]);
    const spiky = robustBaseline([10, 11, 9, 10, 10, 11, 9, 1000]);
    expect(spiky.median).toBe(quiet.median);
    // The standard deviation of `spiky` is about 346; the robust sigma stays at the scale of the noise.
    expect(spiky.scale).toBeLessThan(1);
  });

  it('floors the scale of a flat baseline at 1 % of its level', () => {
    const b = robustBaseline([200, 200, 200, 200]);
    expect(b.iqr).toBe(0);
    expect(b.scale).toBeCloseTo(2, 10);
    expect(robustZ(202, b)).toBeCloseTo(1, 10);
  });

  it('uses the mean absolute deviation when most of the baseline is one value', () => {
    // Error counts: mostly zero, two ones. IQR is 0, but the ones should set the scale.
    const b = robustBaseline([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(b.iqr).toBe(0);
    expect(b.scale).toBeCloseTo(0.2 * Math.sqrt(Math.PI / 2), 10);
  });

  it('keeps z finite against an all-zero baseline', () => {
    const b = robustBaseline([0, 0, 0, 0, 0]);
    expect(b.scale).toBeGreaterThan(0);
    expect(Number.isFinite(robustZ(5, b))).toBe(true);
    expect(robustZ(5, b)).toBeGreaterThan(1000);
  });

  it('ignores non-finite values and reports n = 0 for nothing', () => {
    expect(robustBaseline([1, Number.NaN, 3, Number.POSITIVE_INFINITY]).n).toBe(2);
    const empty = robustBaseline([]);
    expect(empty.n).toBe(0);
    expect(Number.isNaN(empty.median)).toBe(true);
    expect(Number.isNaN(robustZ(1, empty))).toBe(true);
  });
});

describe('robustZ', () => {
  it('is signed', () => {
    const b = robustBaseline([9, 1, 8, 2, 7, 3, 6, 4, 5]);
    expect(robustZ(5 + 2 * b.scale, b)).toBeCloseTo(2, 10);
    expect(robustZ(5 - 3 * b.scale, b)).toBeCloseTo(-3, 10);
  });
});

describe('quantiles', () => {
  it('interpolates between order statistics', () => {
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
