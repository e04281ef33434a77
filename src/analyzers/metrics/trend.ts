/**
 * Trend and point-anomaly analysis of one window against a robust baseline: a Theil-Sen slope (the median of
 * pairwise slopes, which a few outliers cannot tilt), datapoints beyond a percentile of the baseline's robust
 * normal fit, and the one-word trend the sample API reports. Pure.
 */
import { median, type RobustBaseline } from './baseline.ts';
import type { Series } from './series.ts';

/**
 * The normal quantile function (inverse CDF) by Acklam's rational approximation, relative error below 1.2e-9.
 * Returns -Infinity / Infinity at p = 0 / 1 and NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * The robust z-score a datapoint must reach to lie beyond the given percentile (0-100) of a normal distribution:
 * 95 -> 1.64, 99 -> 2.33, 99.9 -> 3.09. At or below 50 every deviation counts (0); 100 means none does.
 */
export function zForPercentile(percentile: number): number {
  if (percentile <= 50) return 0;
  if (percentile >= 100) return Number.POSITIVE_INFINITY;
  return normalQuantile(percentile / 100);
}

/**
 * Theil-Sen slope in value units per millisecond: the median of the slopes between every pair of samples. Long
 * series are thinned to `maxPoints` evenly spaced samples first (the estimate is robust, the cost quadratic).
 * 0 with fewer than two samples.
 */
export function theilSenSlope(series: Series, maxPoints = 300): number {
  const n = series.timestamps.length;
  if (n < 2) return 0;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < n; i += stride) {
    ts.push(series.timestamps[i]!);
    vs.push(series.values[i]!);
  }
  const slopes: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    for (let j = i + 1; j < ts.length; j++) {
      const dt = ts[j]! - ts[i]!;
      if (dt > 0) slopes.push((vs[j]! - vs[i]!) / dt);
    }
  }
  return slopes.length ? median(slopes) : 0;
}

export interface PointAnomaly {
  at: number;
  value: number;
  /** Robust z against the baseline, signed. */
  z: number;
}

/**
 * Datapoints at least `zThreshold` robust sigmas from the baseline median and, like summarizeChange requires of a
 * shift, off by at least `minRelativeChange` of the baseline's level (or IQR when the level is near zero), so a
 * flat series does not turn 50.0 -> 50.1 into an anomaly.
 */
export function pointAnomalies(series: Series, baseline: RobustBaseline, zThreshold: number, minRelativeChange: number): PointAnomaly[] {
  if (baseline.n === 0 || !Number.isFinite(zThreshold)) return [];
  const materialDelta = minRelativeChange * Math.max(Math.abs(baseline.median), baseline.iqr);
  const out: PointAnomaly[] = [];
  for (let i = 0; i < series.values.length; i++) {
    const value = series.values[i]!;
    const z = (value - baseline.median) / baseline.scale;
    if (Math.abs(z) >= zThreshold && Math.abs(value - baseline.median) >= materialDelta && Math.abs(z) > 0) {
      out.push({ at: series.timestamps[i]!, value, z });
    }
  }
  return out;
}

export type Trend = 'increasing' | 'decreasing' | 'stable' | 'volatile';

/**
 * One word for a window: a significant shift against the baseline says increasing/decreasing by its direction;
 * otherwise a steady drift over the window that is material (at least `minRelativeChange` of the level and two
 * robust sigmas) says so too; a window whose anomalous points go both ways, or that flags more than a fifth of
 * its points, is volatile; the rest is stable.
 */
export function classifyTrend(input: {
  shift: 'up' | 'down' | 'none';
  slopePerMs: number;
  spanMs: number;
  baseline: RobustBaseline;
  anomalies: readonly PointAnomaly[];
  samples: number;
  minRelativeChange: number;
}): Trend {
  if (input.shift === 'up') return 'increasing';
  if (input.shift === 'down') return 'decreasing';
  const { baseline } = input;
  if (baseline.n > 0) {
    const drift = input.slopePerMs * input.spanMs;
    const material = Math.max(input.minRelativeChange * Math.abs(baseline.median), 2 * baseline.scale);
    if (Math.abs(drift) >= material) return drift > 0 ? 'increasing' : 'decreasing';
  }
  const ups = input.anomalies.filter((a) => a.z > 0).length;
  const downs = input.anomalies.length - ups;
  if ((ups > 0 && downs > 0) || (input.samples > 0 && input.anomalies.length > input.samples / 5)) return 'volatile';
  return 'stable';
}
