import { describe, expect, it } from 'vitest';
import { findChangePoint, medianFilter } from './change-point.ts';
import { MINUTE, T0, regularSeries, seededNoise } from './test-series.ts';

describe('findChangePoint', () => {
  it('finds the first sample of a step up and its size', () => {
    const noise = seededNoise(1);
    const s = regularSeries(60, (i) => (i < 30 ? 10 : 50) + noise());
    const cp = findChangePoint(s);
    expect(cp).not.toBeNull();
    expect(cp!.index).toBe(30);
    expect(cp!.at).toBe(T0 + 30 * MINUTE);
    expect(cp!.before).toBeCloseTo(10, 0);
    expect(cp!.after).toBeCloseTo(50, 0);
    expect(cp!.magnitude).toBeGreaterThan(20);
  });

  it('finds a drop to zero with a negative magnitude', () => {
    const noise = seededNoise(2);
    const s = regularSeries(50, (i) => (i < 35 ? 1000 + 30 * noise() : 0));
    const cp = findChangePoint(s);
    expect(cp?.index).toBe(35);
    expect(cp!.after).toBe(0);
    expect(cp!.magnitude).toBeLessThan(-10);
  });

  it('finds the knee where a ramp starts, not the middle of the ramp', () => {
    const noise = seededNoise(3);
    // Memory flat at 500 MB, then leaking 5 MB a minute from sample 40.
    const s = regularSeries(80, (i) => 500 + (i >= 40 ? 5 * (i - 39) : 0) + noise());
    const cp = findChangePoint(s);
    expect(cp).not.toBeNull();
    expect(Math.abs(cp!.index - 40)).toBeLessThanOrEqual(1);
    expect(cp!.magnitude).toBeGreaterThan(0);
  });

  it('finds a step in a noise-free zero series', () => {
    const s = regularSeries(12, (i) => (i < 8 ? 0 : [3, 5, 7, 9][i - 8]!));
    expect(findChangePoint(s)?.index).toBe(8);
  });

  it('returns null for noise', () => {
    const noise = seededNoise(4);
    expect(findChangePoint(regularSeries(100, () => 20 + noise()))).toBeNull();
  });

  it('returns null for a steady trend with no change of regime', () => {
    const noise = seededNoise(5);
    expect(findChangePoint(regularSeries(100, (i) => 100 + 0.5 * i + noise()))).toBeNull();
  });

  it('is not fooled by a single spike', () => {
    const noise = seededNoise(6);
    expect(findChangePoint(regularSeries(60, (i) => (i === 30 ? 500 : 20) + noise()))).toBeNull();
  });

  it('needs two segments of minSegment samples', () => {
    const s = regularSeries(5, (i) => (i < 3 ? 0 : 10));
    expect(findChangePoint(s)).toBeNull();
    expect(findChangePoint(s, { minSegment: 2 })?.index).toBe(3);
    // A step two samples from the end can only be placed where three samples remain after it.
    const late = regularSeries(20, (i) => (i < 18 ? 0 : 10));
    expect(findChangePoint(late, { minSegment: 3 })?.index).toBe(17);
    expect(findChangePoint(late, { minSegment: 2 })?.index).toBe(18);
  });
});

describe('medianFilter', () => {
  it('removes isolated spikes and keeps step edges', () => {
    expect(medianFilter([1, 1, 9, 1, 1], 3)).toEqual([1, 1, 1, 1, 1]);
    expect(medianFilter([0, 0, 0, 5, 5, 5], 3)).toEqual([0, 0, 0, 5, 5, 5]);
  });
});
