import { median, robustBaseline } from './baseline.ts';
import type { Series } from './series.ts';

/** The most significant change of regime in a series. */
export interface ChangePoint {
  /** Index of the first sample of the new regime. */
  index: number;
  /** Its timestamp (epoch ms): the onset of the change. */
  at: number;
  /** Median of the values before the change. */
  before: number;
  /** Median of the values from the change on. */
  after: number;
  /** (after - before) in robust sigmas of the noise before the change; signed. */
  magnitude: number;
}

/** A shift smaller than this many robust sigmas is noise, not a change point. */
export const MIN_CHANGE_Z = 3;
/**
 * The split model must leave at most this share of the error of the best unsplit model (one constant level or
 * one straight line); otherwise a steady trend or plain noise would always yield some "best" split.
 */
const MAX_RESIDUAL_RATIO = 0.7;
/** sigma of a difference of two independent samples is sqrt(2) sigma; 1.4826 turns a MAD into a sigma. */
const MAD_TO_SIGMA = 1.4826;

/**
 * Finds the onset of the most significant level shift: a step (error rate 0.5 % to 40 %), a drop (traffic to
 * zero) or the knee where a ramp starts (memory leak). Each split is scored by fitting a constant level before
 * it and a straight line from it on (so a ramp is matched at its start, not half-way up), on a median-filtered
 * copy of the values so single-sample spikes cannot pose as a shift. Returns null for fewer than
 * 2 x minSegment samples, or when no split explains the series clearly better than one level or one line,
 * or when the shift is below MIN_CHANGE_Z robust sigmas.
 */
export function findChangePoint(series: Series, opts: { minSegment?: number } = {}): ChangePoint | null {
  const minSegment = Math.max(2, Math.floor(opts.minSegment ?? 3));
  const n = series.values.length;
  if (n < 2 * minSegment) return null;

  const t0 = series.timestamps[0]!;
  const span = series.timestamps[n - 1]! - t0 || 1;
  const x = series.timestamps.map((t) => (t - t0) / span);
  const raw = series.values;
  const smooth = medianFilter(raw, n >= 20 ? 5 : n >= 8 ? 3 : 1);
  const mean = smooth.reduce((s, v) => s + v, 0) / n;
  const y = smooth.map((v) => v - mean); // centred, so large absolute values keep their precision in the sums

  // Suffix sums let each split's straight-line fit be computed in O(1).
  const sx = new Float64Array(n + 1);
  const sxx = new Float64Array(n + 1);
  const sy = new Float64Array(n + 1);
  const syy = new Float64Array(n + 1);
  const sxy = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    sx[i] = sx[i + 1]! + x[i]!;
    sxx[i] = sxx[i + 1]! + x[i]! * x[i]!;
    sy[i] = sy[i + 1]! + y[i]!;
    syy[i] = syy[i + 1]! + y[i]! * y[i]!;
    sxy[i] = sxy[i + 1]! + x[i]! * y[i]!;
  }
  const lineSse = (from: number): number => {
    const m = n - from;
    const vx = sxx[from]! - (sx[from]! * sx[from]!) / m;
    const vy = syy[from]! - (sy[from]! * sy[from]!) / m;
    if (vx <= 1e-15) return Math.max(0, vy);
    const cxy = sxy[from]! - (sx[from]! * sy[from]!) / m;
    return Math.max(0, vy - (cxy * cxy) / vx);
  };
  const levelSse = (to: number): number => {
    // Left segment [0, to): prefix sums derived from the suffix sums.
    const s = sy[0]! - sy[to]!;
    const ss = syy[0]! - syy[to]!;
    return Math.max(0, ss - (s * s) / to);
  };

  let bestK = -1;
  let bestSse = Number.POSITIVE_INFINITY;
  for (let k = minSegment; k <= n - minSegment; k++) {
    const sse = levelSse(k) + lineSse(k);
    if (sse < bestSse) {
      bestSse = sse;
      bestK = k;
    }
  }
  const unsplitSse = Math.min(levelSse(n), lineSse(0));
  if (bestK < 0 || unsplitSse <= 0 || bestSse > MAX_RESIDUAL_RATIO * unsplitSse) return null;

  const beforeValues = raw.slice(0, bestK);
  const before = median(beforeValues);
  const after = median(raw.slice(bestK));
  const scale = Math.max(robustBaseline(beforeValues).scale, differenceNoise(raw));
  const magnitude = (after - before) / scale;
  if (!(Math.abs(magnitude) >= MIN_CHANGE_Z)) return null;
  return { index: bestK, at: series.timestamps[bestK]!, before, after, magnitude };
}

/**
 * Centred running median of odd `width`; width 1 returns a copy. Near the ends the window shrinks symmetrically
 * (a lopsided window would average across a step in the last samples and blur its position).
 */
export function medianFilter(values: readonly number[], width: number): number[] {
  const half = Math.floor(width / 2);
  if (half <= 0) return [...values];
  return values.map((_, i) => {
    const radius = Math.min(half, i, values.length - 1 - i);
    return median(values.slice(i - radius, i + radius + 1));
  });
}

/**
 * Sample-to-sample noise sigma from the median absolute deviation of first differences: a level shift is a
 * single large difference and a ramp only moves their median, so neither inflates it.
 */
function differenceNoise(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs: number[] = [];
  for (let i = 1; i < values.length; i++) diffs.push(values[i]! - values[i - 1]!);
  const m = median(diffs);
  const mad = median(diffs.map((d) => Math.abs(d - m)));
  return (MAD_TO_SIGMA * mad) / Math.SQRT2;
}
