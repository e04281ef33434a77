import { describe, expect, it } from 'vitest';
import { ANOMALY_Z, SPIKE_Z, summarizeChange } from './change.ts';
import { DAY_MS } from './seasonality.ts';
import { toSeries } from './series.ts';
import { MINUTE, T0, regularSeries, seededNoise } from './test-series.ts';

const HOUR = 60 * MINUTE;
/** Baseline: the first hour; incident window: the second hour (one sample a minute). */
const window = { baselineStart: T0, baselineEnd: T0 + HOUR, start: T0 + HOUR, end: T0 + 2 * HOUR - MINUTE };

describe('summarizeChange', () => {
  it('flags a step in the error rate (0.5 % -> 40 %) with its exact onset', () => {
    const noise = seededNoise(21);
    const onsetIndex = 65;
    const s = regularSeries(120, (i) => (i < onsetIndex ? 0.5 + 0.05 * noise() : 40 + noise()));
    const c = summarizeChange(s, window);
    expect(c.anomalous).toBe(true);
    expect(c.direction).toBe('up');
    expect(c.score).toBeGreaterThan(ANOMALY_Z);
    expect(c.onset).toBe(T0 + onsetIndex * MINUTE);
    expect(c.baseline.n).toBe(60);
    expect(c.recent.n).toBe(60);
    expect(c.peak!.value).toBe(c.recent.max);
    expect(c.recursDaily).toBeUndefined();
  });

  it('dates a memory leak from where the ramp starts, before the alarm window', () => {
    const noise = seededNoise(22);
    const leakIndex = 45;
    // 1 GB flat, then +8 MB a minute; the alarm (window.start) fires 15 minutes into the leak.
    const s = regularSeries(120, (i) => 1000 + (i >= leakIndex ? 8 * (i - leakIndex + 1) : 0) + 3 * noise());
    const c = summarizeChange(s, window);
    expect(c.anomalous).toBe(true);
    expect(c.direction).toBe('up');
    expect(Math.abs(c.onset! - (T0 + leakIndex * MINUTE))).toBeLessThanOrEqual(MINUTE);
    expect(c.peak!.at).toBe(T0 + 119 * MINUTE);
  });

  it('flags a lone spike by its own z and dates it to the spike', () => {
    const noise = seededNoise(23);
    const s = regularSeries(120, (i) => (i === 90 ? 400 : 100 + 2 * noise()));
    const c = summarizeChange(s, window);
    expect(c.anomalous).toBe(true);
    expect(c.direction).toBe('up');
    expect(c.score).toBeGreaterThan(SPIKE_Z);
    expect(c.onset).toBe(T0 + 90 * MINUTE);
    expect(c.peak).toEqual({ at: T0 + 90 * MINUTE, value: 400 });
  });

  it('does not flag a spike no bigger than those already in the baseline', () => {
    const noise = seededNoise(24);
    const s = regularSeries(120, (i) => (i === 20 || i === 90 ? 400 : 100 + 2 * noise()));
    const c = summarizeChange(s, window);
    expect(c.anomalous).toBe(false);
    expect(c.direction).toBe('none');
    expect(c.onset).toBeUndefined();
  });

  it('flags traffic dropping to zero', () => {
    const noise = seededNoise(25);
    const s = regularSeries(120, (i) => (i < 80 ? 1000 + 30 * noise() : 0));
    const c = summarizeChange(s, window);
    expect(c.anomalous).toBe(true);
    expect(c.direction).toBe('down');
    expect(c.score).toBeLessThan(-ANOMALY_Z);
    expect(c.onset).toBe(T0 + 80 * MINUTE);
    expect(c.peak!.value).toBe(0);
    expect(c.recent.min).toBe(0);
  });

  it('flags errors appearing after a flat-zero baseline with a finite score', () => {
    const s = regularSeries(120, (i) => (i < 100 ? 0 : i - 97));
    const c = summarizeChange(s, window);
    expect(c.baseline.iqr).toBe(0);
    expect(c.anomalous).toBe(true);
    expect(c.direction).toBe('up');
    expect(Number.isFinite(c.score)).toBe(true);
    expect(c.onset).toBe(T0 + 100 * MINUTE);
  });

  it('does not flag a statistically clear but small relative change', () => {
    const noise = seededNoise(26);
    // 100 +- 1, then 106: about 4 robust sigmas, but only 6 % of the level.
    const s = regularSeries(120, (i) => (i < 60 ? 100 : 106) + noise());
    const c = summarizeChange(s, window);
    expect(Math.abs(c.score)).toBeGreaterThan(ANOMALY_Z);
    expect(c.anomalous).toBe(false);
    expect(c.direction).toBe('none');
  });

  it('does not flag noise', () => {
    const noise = seededNoise(27);
    const c = summarizeChange(regularSeries(120, () => 50 + 5 * noise()), window);
    expect(c.anomalous).toBe(false);
    expect(Math.abs(c.score)).toBeLessThan(ANOMALY_Z);
  });

  it('copes with sparse samples and missing points', () => {
    // Baseline reported every 7 minutes; the incident window has only two points.
    const noise = seededNoise(28);
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < 60; i += 7) {
      ts.push(T0 + i * MINUTE);
      vs.push(200 + 5 * noise());
    }
    ts.push(T0 + 70 * MINUTE, T0 + 95 * MINUTE);
    vs.push(900, 950);
    const c = summarizeChange(toSeries(ts, vs), window);
    expect(c.baseline.n).toBe(9);
    expect(c.recent.n).toBe(2);
    expect(c.anomalous).toBe(true);
    expect(c.onset).toBe(T0 + 70 * MINUTE);
  });

  it('reports an empty incident window without judging it', () => {
    const s = regularSeries(60, () => 10);
    const c = summarizeChange(s, window);
    expect(c.recent.n).toBe(0);
    expect(Number.isNaN(c.recent.median)).toBe(true);
    expect(c.anomalous).toBe(false);
    expect(c.score).toBe(0);
    expect(c.peak).toBeUndefined();
  });

  it('scores but does not judge a baseline of fewer than three samples', () => {
    const s = toSeries([T0, T0 + 30 * MINUTE, T0 + 70 * MINUTE], [1, 1, 500]);
    const c = summarizeChange(s, window);
    expect(c.baseline.n).toBe(2);
    expect(c.score).toBeGreaterThan(ANOMALY_Z);
    expect(c.anomalous).toBe(false);
    expect(c.peak).toEqual({ at: T0 + 70 * MINUTE, value: 500 });
  });

  describe('with a daily peak at 14:00', () => {
    const STEP = 5 * MINUTE;
    /** Two days and 15 hours of 5-minute samples: 20 normally, 80 from 14:00 to 14:30 every day (or on `peakDays`). */
    const daily = (peakHour = 14): ReturnType<typeof regularSeries> => {
      const noise = seededNoise(29);
      return regularSeries((2 * DAY_MS + 15 * HOUR) / STEP, (i) => {
        const minute = (i * 5) % 1440;
        const day = Math.floor((i * 5) / 1440);
        const hour = day === 2 ? peakHour : 14;
        return minute >= hour * 60 && minute < hour * 60 + 30 ? 80 + noise() : 20 + noise();
      }, T0, STEP);
    };
    // Baseline: the 26 hours before today's 14:00, which include yesterday's peak.
    const today14 = T0 + 2 * DAY_MS + 14 * HOUR;
    const peakWindow = { baselineStart: today14 - 26 * HOUR, baselineEnd: today14, start: today14, end: today14 + 25 * MINUTE };

    it('flags the peak but marks it as recurring daily', () => {
      const c = summarizeChange(daily(), peakWindow);
      expect(c.anomalous).toBe(true);
      expect(c.direction).toBe('up');
      expect(c.recursDaily).toEqual({ matchingDays: 2, checkedDays: 2 });
    });

    it('keeps the baseline robust to the peak it contains', () => {
      const c = summarizeChange(daily(), { ...peakWindow, start: today14 - 3 * HOUR, end: today14 - 2 * HOUR });
      expect(c.baseline.median).toBeCloseTo(20, 0);
      expect(c.anomalous).toBe(false);
    });

    it('does not mark a peak at an unusual hour as recurring', () => {
      const s = daily(3);
      const today3 = T0 + 2 * DAY_MS + 3 * HOUR;
      const c = summarizeChange(s, { baselineStart: today3 - 26 * HOUR, baselineEnd: today3, start: today3, end: today3 + 25 * MINUTE });
      expect(c.anomalous).toBe(true);
      expect(c.onset).toBe(today3);
      expect(c.recursDaily).toBeUndefined();
    });
  });
});
