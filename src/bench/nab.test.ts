import { describe, expect, it } from 'vitest';
import {
  NAB_PROFILES,
  normalizeScore,
  optimizeThreshold,
  prepareFile,
  probationaryLength,
  scaledSigmoid,
  scoreCorpus,
  scoreFile,
  sweepThresholds,
} from './nab.ts';
import type { LabeledFile } from './nab.ts';

const standard = NAB_PROFILES.standard!;
const lowFn = NAB_PROFILES.reward_low_FN_rate!;
const MIN = 60_000;

/** A file of `rows` one-minute rows whose windows are given as inclusive row ranges. */
function file(name: string, rows: number, windows: Array<[number, number]>): LabeledFile {
  return { name, timestamps: Array.from({ length: rows }, (_, i) => i * MIN), windows: windows.map(([a, b]) => [a * MIN, b * MIN] as const) };
}
/** Scores that are 1 at the given rows and 0 elsewhere. */
function detections(rows: number, at: number[]): number[] {
  return Array.from({ length: rows }, (_, i) => (at.includes(i) ? 1 : 0));
}

// 100 rows: probation = rows 0..14; one window of 10 rows, 40..49.
const single = prepareFile(file('cat/single.csv', 100, [[40, 49]]));
/** NAB's sigmoid at the documented positions (from the docstring of nab/sweeper.py). */
const S_MINUS_1 = 0.98661;

describe('scaledSigmoid', () => {
  it('has the values NAB documents', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(S_MINUS_1, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-S_MINUS_1, 5);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(scaledSigmoid(10)).toBe(-1);
  });
});

describe('probationaryLength', () => {
  it('is 15 % of the rows, at most 750', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(4032)).toBe(604);
    expect(probationaryLength(22695)).toBe(750);
  });
});

describe('scoreFile', () => {
  it('gives a detection on the first row of a window the full tp weight', () => {
    expect(scoreFile(single, detections(100, [40]), standard, 0.5)).toMatchObject({ score: 1, detected: 1, missed: 0, falsePositives: 0 });
  });

  it('gives a detection on the last row of a window S(-1/width) / S(-1)', () => {
    // position -(49 - 49 + 1) / 10 = -0.1; S(-0.1) = 2 / (1 + e^-0.5) - 1 = 0.244919.
    const s = scoreFile(single, detections(100, [49]), standard, 0.5);
    expect(s.score).toBeCloseTo(0.244919 / S_MINUS_1, 5);
    expect(s.detected).toBe(1);
  });

  it('counts only the earliest detection in a window', () => {
    // Row 45: position -(49 - 45 + 1) / 10 = -0.5 -> 0.84828 / 0.98661.
    const alone = scoreFile(single, detections(100, [45]), standard, 0.5);
    expect(alone.score).toBeCloseTo(0.84828 / S_MINUS_1, 4);
    const withLater = scoreFile(single, detections(100, [45, 47, 49]), standard, 0.5);
    expect(withLater.score).toBe(alone.score);
    expect(withLater.falsePositives).toBe(0);
  });

  it('charges a missed window the fn weight of the profile', () => {
    expect(scoreFile(single, detections(100, []), standard, 0.5)).toMatchObject({ score: -1, detected: 0, missed: 1 });
    expect(scoreFile(single, detections(100, []), lowFn, 0.5).score).toBe(-2);
  });

  it('charges a false positive before any window the full fp weight', () => {
    const s = scoreFile(single, detections(100, [20, 40]), standard, 0.5);
    expect(s.falsePositives).toBe(1);
    expect(s.falsePositiveCost).toBeCloseTo(-0.11, 12);
    expect(s.score).toBeCloseTo(1 - 0.11, 12);
  });

  it('weights a false positive after a window by its distance from the window end', () => {
    // Row 50: (50 - 49) / (10 - 1) = 1/9 -> S = 2 / (1 + e^(5/9)) - 1 = -0.270847.
    const near = scoreFile(single, detections(100, [40, 50]), standard, 0.5);
    expect(near.falsePositiveCost).toBeCloseTo(-0.270847 * 0.11, 6);
    // Row 58: (58 - 49) / 9 = 1 -> -0.98661.
    const later = scoreFile(single, detections(100, [40, 58]), standard, 0.5);
    expect(later.falsePositiveCost).toBeCloseTo(-S_MINUS_1 * 0.11, 6);
    // Row 76: three window lengths after -> the full fp weight.
    const far = scoreFile(single, detections(100, [40, 76]), standard, 0.5);
    expect(far.falsePositiveCost).toBeCloseTo(-0.11, 12);
    expect(scoreFile(single, detections(100, [40, 76]), NAB_PROFILES.reward_low_FP_rate!, 0.5).falsePositiveCost).toBeCloseTo(-0.22, 12);
  });

  it('ignores detections in the probationary period', () => {
    const s = scoreFile(single, detections(100, [0, 5, 14]), standard, 0.5);
    expect(s).toMatchObject({ score: -1, falsePositives: 0 });
    expect(scoreFile(single, detections(100, [15]), standard, 0.5).falsePositives).toBe(1);
  });

  it('scores a window that starts in the probationary period from its scored rows only', () => {
    const early = prepareFile(file('cat/early.csv', 100, [[10, 19]]));
    // Row 12 is probationary and does not count; row 16 is at -(19 - 16 + 1) / 10 = -0.4.
    const s = scoreFile(early, detections(100, [12, 16]), standard, 0.5);
    expect(s.score).toBeCloseTo(scaledSigmoid(-0.4) / scaledSigmoid(-1), 12);
    expect(scoreFile(early, detections(100, [12]), standard, 0.5).score).toBe(-1);
  });

  it('treats a score equal to the threshold as a detection', () => {
    const scores = detections(100, []);
    scores[40] = 0.7;
    expect(scoreFile(single, scores, standard, 0.7).detected).toBe(1);
    expect(scoreFile(single, scores, standard, 0.70001).detected).toBe(0);
  });

  it('rejects scores outside [0, 1] and a wrong number of scores', () => {
    expect(() => scoreFile(single, detections(100, []).map((v, i) => (i === 3 ? 1.5 : v)), standard, 0.5)).toThrow(/row 3/);
    expect(() => scoreFile(single, [0, 0], standard, 0.5)).toThrow(/2 anomaly scores for 100 rows/);
  });
});

describe('threshold optimisation', () => {
  const scores = detections(100, []);
  scores[45] = 0.9; // inside the window, half-way
  scores[20] = 0.8; // before the window: a full-weight false positive

  it('sweeps every distinct score from the top, starting with no detection', () => {
    const sweep = sweepThresholds([{ file: single, scores }], standard);
    expect(sweep.map((s) => s.threshold)).toEqual([1.1, 0.9, 0.8, 0]);
    expect(sweep[0]!.score).toBe(-1);
    expect(sweep[1]!.score).toBeCloseTo(0.84828 / S_MINUS_1, 4);
    expect(sweep[2]!.score).toBeCloseTo(0.84828 / S_MINUS_1 - 0.11, 4);
    // At 0 every row is a detection: the window is caught at its first row (1.0) and every other
    // scored row is a false positive.
    const everything = scoreFile(single, scores, standard, 0);
    expect(sweep[3]!.score).toBeCloseTo(everything.score, 10);
  });

  it('agrees with scoring each file at every swept threshold', () => {
    const other = prepareFile(file('cat/other.csv', 60, [[20, 25], [40, 45]]));
    const otherScores = Array.from({ length: 60 }, (_, i) => ((i * 37) % 11) / 10);
    const corpus = [{ file: single, scores }, { file: other, scores: otherScores }];
    for (const { threshold, score } of sweepThresholds(corpus, standard)) {
      const direct = corpus.reduce((sum, c) => sum + scoreFile(c.file, c.scores, standard, threshold).score, 0);
      expect(score).toBeCloseTo(direct, 10);
    }
  });

  it('picks the threshold with the best corpus score', () => {
    expect(optimizeThreshold([{ file: single, scores }], standard).threshold).toBe(0.9);
  });

  it('prefers the higher threshold on a tie', () => {
    // Lowering the threshold from 0.9 to 0.6 only adds a later detection in the same window: same score.
    const tied = detections(100, []);
    tied[45] = 0.9;
    tied[47] = 0.6;
    expect(optimizeThreshold([{ file: single, scores: tied }], standard).threshold).toBe(0.9);
  });

  it('detects nothing when every detection would be a false positive', () => {
    const none = prepareFile(file('cat/none.csv', 100, []));
    expect(optimizeThreshold([{ file: none, scores: detections(100, [50]) }], standard)).toEqual({ threshold: 1.1, score: 0 });
  });
});

describe('normalisation', () => {
  const a = prepareFile(file('alpha/a.csv', 200, [[60, 79], [150, 169]]));
  const b = prepareFile(file('beta/b.csv', 120, [[50, 61]]));
  const c = prepareFile(file('gamma/c.csv', 120, []));

  it('gives the null detector 0 and a perfect detector 100 in every profile', () => {
    const nullScores = [a, b, c].map((f) => ({ file: f, scores: new Array<number>(f.rows).fill(0.5) }));
    const perfectScores = [a, b, c].map((f) => ({ file: f, scores: detections(f.rows, f.windows.map((w) => w.left)) }));
    for (const profile of Object.keys(NAB_PROFILES)) {
      expect(scoreCorpus(nullScores, NAB_PROFILES)[profile]!.total.normalized).toBeCloseTo(0, 10);
      expect(scoreCorpus(perfectScores, NAB_PROFILES)[profile]!.total.normalized).toBeCloseTo(100, 10);
    }
  });

  it('reports categories separately, with no normalised score for a category without windows', () => {
    const scores = [
      { file: a, scores: detections(200, [60]) }, // one of two windows, at its start
      { file: b, scores: detections(120, []) },
      { file: c, scores: detections(120, [100]) }, // a false positive with no window anywhere
    ];
    const result = scoreCorpus(scores, { standard })['standard']!;
    expect(result.threshold).toBe(1);
    expect(result.categories['alpha']).toMatchObject({ raw: 0, windows: 2, detected: 1, normalized: 50 });
    expect(result.categories['beta']).toMatchObject({ raw: -1, normalized: 0 });
    expect(result.categories['gamma']).toMatchObject({ windows: 0, falsePositives: 1, normalized: null });
    expect(result.categories['gamma']!.raw).toBeCloseTo(-0.11, 12);
    // Total: raw -1.11 over 3 windows: 100 * (-1.11 + 3) / 6.
    expect(result.total.normalized).toBeCloseTo((100 * (3 - 1.11)) / 6, 10);
  });

  it('uses the profile weights for null and perfect', () => {
    expect(normalizeScore(-2 * 4, 4, lowFn)).toBe(0);
    expect(normalizeScore(4, 4, lowFn)).toBe(100);
    expect(normalizeScore(0, 4, lowFn)).toBeCloseTo(100 * (8 / 12), 10);
    expect(normalizeScore(0, 0, standard)).toBeUndefined();
  });
});
