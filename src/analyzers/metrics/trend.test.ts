import { describe, expect, it } from 'vitest';
import { robustBaseline } from './baseline.ts';
import { MINUTE, T0, regularSeries, seededNoise } from './test-series.ts';
import { classifyTrend, normalQuantile, pointAnomalies, theilSenSlope, zForPercentile } from './trend.ts';

const HOUR = 60 * MINUTE;

describe('normalQuantile and zForPercentile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(normalQuantile(1.5))).toBe(true);
  });

  it('turns an anomaly percentile into a z-score threshold', () => {
    expect(zForPercentile(95)).toBeCloseTo(1.645, 3);
    expect(zForPercentile(99)).toBeCloseTo(2.326, 3);
    expect(zForPercentile(50)).toBe(0);
    expect(zForPercentile(100)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('theilSenSlope', () => {
  it('recovers the slope of a noisy line and ignores a few wild outliers', () => {
    const noise = seededNoise(5);
    const s = regularSeries(120, (i) => 100 + 2 * i + noise() + (i % 30 === 0 ? 500 : 0));
    expect(theilSenSlope(s) * MINUTE).toBeCloseTo(2, 1);
  });

  it('is 0 for fewer than two samples and thins long series', () => {
    expect(theilSenSlope({ timestamps: [T0], values: [1] })).toBe(0);
    const long = regularSeries(5000, (i) => 3 * i);
    expect(theilSenSlope(long, 100) * MINUTE).toBeCloseTo(3, 6);
  });
});

describe('pointAnomalies', () => {
  const noise = seededNoise(9);
  const baseline = robustBaseline(regularSeries(60, () => 200 + 5 * noise()).values);

  it('flags datapoints beyond the threshold that are also a material change', () => {
    const window = regularSeries(10, (i) => (i === 7 ? 600 : 200), T0 + HOUR);
    const found = pointAnomalies(window, baseline, zForPercentile(99), 0.1);
    expect(found.map((a) => a.at)).toEqual([T0 + HOUR + 7 * MINUTE]);
    expect(found[0]!.z).toBeGreaterThan(10);
  });

  it('does not flag a statistically unusual but immaterial wobble of a flat series', () => {
    const flat = robustBaseline(regularSeries(60, (i) => 50 + (i % 2) * 0.01).values);
    const window = regularSeries(5, () => 50.5, T0 + HOUR);
    expect(pointAnomalies(window, flat, zForPercentile(99), 0.1)).toEqual([]);
  });

  it('flags nothing at a threshold of 100 and more at a lower one', () => {
    const window = regularSeries(30, (i) => 200 + 12 * Math.sin(i), T0 + HOUR);
    expect(pointAnomalies(window, baseline, zForPercentile(100), 0)).toEqual([]);
    const at95 = pointAnomalies(window, baseline, zForPercentile(95), 0).length;
    const at999 = pointAnomalies(window, baseline, zForPercentile(99.9), 0).length;
    expect(at95).toBeGreaterThan(at999);
  });
});

describe('classifyTrend', () => {
  const base = robustBaseline([100, 101, 99, 100, 102, 98, 100]);
  const common = { spanMs: HOUR, baseline: base, anomalies: [], samples: 60, minRelativeChange: 0.1 };

  it('follows a significant shift first', () => {
    expect(classifyTrend({ ...common, shift: 'up', slopePerMs: 0 })).toBe('increasing');
    expect(classifyTrend({ ...common, shift: 'down', slopePerMs: 0 })).toBe('decreasing');
  });

  it('calls a material steady drift a trend and a small one stable', () => {
    expect(classifyTrend({ ...common, shift: 'none', slopePerMs: 20 / HOUR })).toBe('increasing');
    expect(classifyTrend({ ...common, shift: 'none', slopePerMs: -20 / HOUR })).toBe('decreasing');
    expect(classifyTrend({ ...common, shift: 'none', slopePerMs: 1 / HOUR })).toBe('stable');
  });

  it('calls anomalies in both directions volatile', () => {
    const anomalies = [
      { at: T0, value: 150, z: 30 },
      { at: T0 + MINUTE, value: 50, z: -30 },
    ];
    expect(classifyTrend({ ...common, shift: 'none', slopePerMs: 0, anomalies })).toBe('volatile');
  });
});
