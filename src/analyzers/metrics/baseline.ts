/**
 * Robust location and scale of a baseline: median and interquartile range, which a few spikes or a daily
 * peak inside the baseline window barely move (a mean and standard deviation would absorb them).
 */
export interface RobustBaseline {
  median: number;
  q1: number;
  q3: number;
  iqr: number;
  /** Robust sigma: IQR / 1.349 (the IQR of a normal distribution is 1.349 sigma), floored; see robustBaseline. */
  scale: number;
  /** Number of finite values the baseline was computed from. */
  n: number;
}

/** IQR of the standard normal distribution: turns an IQR into a sigma-equivalent. */
const IQR_TO_SIGMA = 1.349;
/** Mean absolute deviation of a normal distribution is sigma * sqrt(2/pi); this undoes it. */
const MEAN_ABS_DEV_TO_SIGMA = Math.sqrt(Math.PI / 2);
/**
 * The scale never drops below this share of |median|: a baseline that is flat at 200 ms should call
 * 202 ms a 1-sigma move rather than an infinitely unlikely one.
 */
const MIN_SCALE_RELATIVE = 0.01;
/** Last-resort absolute floor, reached only by baselines that are exactly zero (no errors at all). */
const MIN_SCALE_ABSOLUTE = 1e-6;

/** Quantile `p` (0..1) of ascending `sorted` values, linearly interpolated between order statistics. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

/**
 * Median, quartiles and a robust sigma of `values` (non-finite values are ignored).
 * The scale is IQR/1.349; when more than half the baseline is one repeated value (IQR = 0, typical of
 * error counts that are mostly zero) it falls back to the mean absolute deviation from the median, so
 * the occasional non-zero values still set the scale; finally it is floored at 1 % of |median| (or 1e-6
 * for an all-zero baseline) so that robust z-scores against a flat baseline stay finite.
 * An empty input gives NaN statistics with n = 0.
 */
export function robustBaseline(values: readonly number[]): RobustBaseline {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, q1: Number.NaN, q3: Number.NaN, iqr: Number.NaN, scale: Number.NaN, n: 0 };
  const med = quantileSorted(sorted, 0.5);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  let scale = iqr / IQR_TO_SIGMA;
  if (scale <= 0) {
    let absDev = 0;
    for (const v of sorted) absDev += Math.abs(v - med);
    scale = (absDev / n) * MEAN_ABS_DEV_TO_SIGMA;
  }
  scale = Math.max(scale, MIN_SCALE_RELATIVE * Math.abs(med), MIN_SCALE_ABSOLUTE);
  return { median: med, q1, q3, iqr, scale, n };
}

/** How many robust sigmas `value` lies above (positive) or below (negative) the baseline median. */
export function robustZ(value: number, b: RobustBaseline): number {
  if (b.n === 0) return Number.NaN;
  return (value - b.median) / b.scale;
}
