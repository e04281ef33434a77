import { describe, expect, it } from 'vitest';
import { RECORD_TIER, SlidingExtremes, SortedWindow, TailModel, createStreamingDetector } from './streaming-detector.ts';
import { MINUTE, T0, seededNoise } from './test-series.ts';

/** Runs a fresh detector over values sampled every `stepMs`; returns the scores. */
function scores(values: number[], stepMs = 5 * MINUTE): number[] {
  const detector = createStreamingDetector();
  return values.map((v, i) => detector.update(T0 + i * stepMs, v));
}
const maxOf = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

describe('SortedWindow', () => {
  it('keeps the quantiles of the last `capacity` values', () => {
    const noise = seededNoise(31);
    const window = new SortedWindow(50);
    const all: number[] = [];
    for (let i = 0; i < 400; i++) {
      const v = Math.round(noise() * 10); // many ties
      window.push(v);
      all.push(v);
      const last = all.slice(-50).sort((a, b) => a - b);
      expect(window.size).toBe(last.length);
      expect(window.quantile(0)).toBe(last[0]);
      expect(window.quantile(1)).toBe(last[last.length - 1]);
      const pos = (last.length - 1) * 0.5;
      expect(window.quantile(0.5)).toBeCloseTo(last[Math.floor(pos)]! + (last[Math.ceil(pos)]! - last[Math.floor(pos)]!) * (pos - Math.floor(pos)), 12);
    }
  });
});

describe('SlidingExtremes', () => {
  it('tracks the min and max of the last `capacity` values', () => {
    const noise = seededNoise(32);
    const extremes = new SlidingExtremes(30);
    const all: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = noise();
      extremes.push(v);
      all.push(v);
      const last = all.slice(-30);
      expect(extremes.min).toBe(Math.min(...last));
      expect(extremes.max).toBe(Math.max(...last));
    }
  });
});

describe('TailModel', () => {
  // An exponential sample (quantile function -ln(1 - u)): a long upper tail, q90 ~ 2.3, q99 ~ 4.6.
  const sample = Array.from({ length: 1000 }, (_, i) => -Math.log(1 - (i + 0.5) / 1000));
  const reference = new SortedWindow(1000);
  for (const v of sample) reference.push(v);
  const q90 = reference.quantile(0.9);
  const q99 = reference.quantile(0.99);
  const probe = (v: number): number => {
    const model = new TailModel(1000, 50);
    for (const x of sample) model.observe(x);
    return model.observe(v);
  };

  it('is silent inside the central 80 % and grows one unit per decade of tail probability', () => {
    expect(probe(1)).toBe(0);
    expect(probe(q90 + 1e-9)).toBeCloseTo(1, 6); // 10 % of the history is beyond q90
    expect(probe(q99)).toBeCloseTo(2, 10); // 1 %
    expect(probe(q99 + (q99 - q90))).toBeCloseTo(3, 10); // extrapolated: 0.1 %
  });

  it('floors the decade width of a tail that has no spread', () => {
    // The lower tail is crammed into [0, 0.1]: a value just below it must not look impossibly rare.
    const q01 = reference.quantile(0.01);
    const floorWidth = (0.05 * (q99 - q01) + 1e-3) * Math.LN10;
    expect(probe(0)).toBeCloseTo(1 + (reference.quantile(0.1) - 0) / floorWidth, 10);
    expect(probe(0)).toBeLessThan(2);
  });

  it('says nothing before it has minHistory values', () => {
    const model = new TailModel(100, 20);
    for (let i = 0; i < 20; i++) expect(model.observe(i)).toBe(0);
    expect(model.observe(1e6)).toBeGreaterThan(0);
  });
});

describe('createStreamingDetector', () => {
  const noise = seededNoise(33);
  const base = Array.from({ length: 3000 }, () => 50 + 2 * noise());

  it('scores in [0, 1], the same way every time', () => {
    const s = scores(base);
    expect(s.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(scores(base)).toEqual(s);
  });

  it('is causal: a score depends only on the samples up to it', () => {
    const other = [...base.slice(0, 1500), ...base.slice(1500).map((v) => v * 3 + 100)];
    expect(scores(other).slice(0, 1500)).toEqual(scores(base).slice(0, 1500));
  });

  it('stays silent on a flat line', () => {
    expect(maxOf(scores(new Array<number>(2000).fill(7)))).toBe(0);
  });

  it('ranks a spike beyond the range of the history as a record', () => {
    const values = [...base.slice(0, 2000), 120, ...base.slice(2000, 2100)];
    const s = scores(values);
    expect(s[2000]).toBeGreaterThanOrEqual(RECORD_TIER);
    expect(maxOf(s.slice(1000, 2000))).toBeLessThan(RECORD_TIER);
  });

  it('reports a sustained shift at its onset, not on every shifted sample', () => {
    const values = [...base.slice(0, 2000), ...base.slice(2000, 2300).map((v) => v + 30)];
    const s = scores(values);
    expect(s[2000]).toBeGreaterThanOrEqual(RECORD_TIER);
    expect(maxOf(s.slice(2010, 2300))).toBeLessThan(s[2000]! / 2);
  });

  it('detects a level shift that stays inside the usual range', () => {
    // Noise around 50 whose range was set by rare excursions to 35 and 65; later the level moves up by 6
    // for good, far from the last excursion (an excursion raises the bar for `suppressSamples` samples).
    const n = seededNoise(34);
    const excursion = (i: number): boolean => i % 400 === 0 && i < 2200;
    const values = Array.from({ length: 2600 }, (_, i) => (excursion(i) ? (i % 800 ? 65 : 35) : 50 + n() + (i >= 2300 ? 6 : 0)));
    const s = scores(values);
    const before = maxOf(s.slice(1500, 2300).filter((_, k) => !excursion(k + 1500)));
    const onset = maxOf(s.slice(2300, 2310));
    expect(onset).toBeLessThan(RECORD_TIER);
    expect(onset).toBeGreaterThan(before);
  });

  it('detects a broken daily pattern whose values stay in range', () => {
    // Ten days of a 5-minute daily cycle; on day 9, from 06:00 to 12:00, the morning peak never comes.
    const n = seededNoise(35);
    const perDay = 288;
    const values = Array.from({ length: 10 * perDay }, (_, i) => {
      const phase = (2 * Math.PI * (i % perDay)) / perDay;
      const flattened = i >= 8 * perDay + 72 && i < 8 * perDay + 144;
      return (flattened ? 50 : 50 + 20 * Math.sin(phase)) + 0.5 * n();
    });
    const s = scores(values);
    const normalDay = maxOf(s.slice(7 * perDay, 8 * perDay));
    const broken = maxOf(s.slice(8 * perDay + 72, 8 * perDay + 144));
    expect(maxOf(s.slice(8 * perDay + 72, 8 * perDay + 144))).toBeLessThan(RECORD_TIER);
    expect(broken).toBeGreaterThan(normalDay);
  });

  it('ignores non-finite values and copes with irregular sampling', () => {
    const detector = createStreamingDetector();
    let t = T0;
    const n = seededNoise(36);
    for (let i = 0; i < 1000; i++) {
      t += (3 + Math.abs(n()) * 4) * MINUTE;
      const s = detector.update(t, i % 50 === 0 ? Number.NaN : 10 + n());
      if (i % 50 === 0) expect(s).toBe(0);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it('rejects invalid options', () => {
    expect(() => createStreamingDetector({ tailLength: 0 })).toThrow(/tailLength/);
    expect(() => createStreamingDetector({ recordTolerance: -1 })).toThrow(/recordTolerance/);
  });
});
