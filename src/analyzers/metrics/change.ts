import { median, robustBaseline, robustZ } from './baseline.ts';
import type { RobustBaseline } from './baseline.ts';
import { findChangePoint } from './change-point.ts';
import { recursDaily, recursWeekly } from './seasonality.ts';
import { lowerBound, sliceByTime, typicalStep } from './series.ts';
import type { Series } from './series.ts';

export interface ChangeWindow {
  /** Baseline: samples with baselineStart <= t <= baselineEnd and t < start (the incident window wins any overlap). */
  baselineStart: number;
  baselineEnd: number;
  /** Incident (recent) window: samples with start <= t <= end. */
  start: number;
  end: number;
}

export interface ChangeSummary {
  baseline: RobustBaseline;
  /** Statistics of the incident window; NaN when it holds no sample (n = 0). */
  recent: { median: number; max: number; min: number; last: number; n: number };
  /**
   * Robust z of the incident window against the baseline, signed: of its median when the window moved as a
   * whole (or nothing stands out), of its most extreme sample when only a spike stands out.
   */
  score: number;
  /** Which way the incident window deviates; 'none' unless `anomalous`. */
  direction: 'up' | 'down' | 'none';
  /**
   * The median is at least ANOMALY_Z robust sigmas from the baseline, or a single sample at least SPIKE_Z and
   * beyond anything the baseline saw; in both cases with a change of at least MIN_RELATIVE_CHANGE of the
   * baseline's level (or spread, when the level is near zero), so 50.0 -> 50.1 on a flat series is not flagged.
   * Needs MIN_BASELINE_SAMPLES baseline samples and one incident sample.
   */
  anomalous: boolean;
  /** When the deviation started (epoch ms): the change point of a step or ramp, else the first sample of the excursion. */
  onset?: number;
  /** Most extreme incident-window sample in the direction of the deviation (the largest |z| when there is none). */
  peak?: { at: number; value: number };
  /** Set when the same deviation happened at this time of day on previous days (see recursDaily). */
  recursDaily?: { matchingDays: number; checkedDays: number } | undefined;
  /** Set when it happened at this time on the same weekday of previous weeks instead (a weekly batch). */
  recursWeekly?: { matchingWeeks: number; checkedWeeks: number } | undefined;
}

/** A window median this many robust sigmas out is a sustained shift (the median of several samples is far less noisy than one). */
export const ANOMALY_Z = 3;
/** A lone sample must be this far out to count on its own: the largest of a few hundred normal samples rarely passes 4. */
export const SPIKE_Z = 6;
/** A change must also be at least this share of the baseline's level (or of its IQR when the level is near zero). */
export const MIN_RELATIVE_CHANGE = 0.1;
/** Fewer baseline samples than this cannot tell noise from change. */
export const MIN_BASELINE_SAMPLES = 3;
/**
 * The excursion that defines the onset: consecutive samples at least this many robust sigmas out, and at
 * least EXCURSION_SHARE of the deviation's own z (a noise sample at 2 sigma is not part of a jump to 100) ...
 */
const EXCURSION_Z = 2;
const EXCURSION_SHARE = 0.25;
/** ... where a single sample back inside (noise on a plateau) does not end it. */
const EXCURSION_MAX_GAP = 1;
/** Samples on a ramp before it leaves the noise already sit this far out, mostly. */
const RAMP_LEAN_Z = 0.5;

/**
 * Compares an incident window of a metric with a pre-incident baseline: how far it moved (robust z), which
 * way, whether that is anomalous, when it started, its peak, and whether the same thing happens daily.
 * `series` may extend beyond the windows: earlier days are used only to test daily recurrence.
 */
export function summarizeChange(series: Series, window: ChangeWindow): ChangeSummary {
  const inBaseline = sliceByTime(series, window.baselineStart, window.baselineEnd);
  const beforeStart = lowerBound(inBaseline.timestamps, window.start);
  const baselineSeries = { timestamps: inBaseline.timestamps.slice(0, beforeStart), values: inBaseline.values.slice(0, beforeStart) };
  const recentSeries = sliceByTime(series, window.start, window.end);
  const baseline = robustBaseline(baselineSeries.values);
  const rv = recentSeries.values;
  const recent = {
    median: rv.length > 0 ? median(rv) : Number.NaN,
    max: rv.length > 0 ? rv.reduce((a, b) => Math.max(a, b)) : Number.NaN,
    min: rv.length > 0 ? rv.reduce((a, b) => Math.min(a, b)) : Number.NaN,
    last: rv.length > 0 ? rv[rv.length - 1]! : Number.NaN,
    n: rv.length,
  };
  const summary: ChangeSummary = { baseline, recent, score: 0, direction: 'none', anomalous: false };
  if (rv.length === 0 || baseline.n === 0) return summary;

  const levelZ = robustZ(recent.median, baseline);
  summary.score = levelZ;
  let peakIndex = 0;
  for (let i = 1; i < rv.length; i++) {
    if (Math.abs(rv[i]! - baseline.median) > Math.abs(rv[peakIndex]! - baseline.median)) peakIndex = i;
  }
  summary.peak = { at: recentSeries.timestamps[peakIndex]!, value: rv[peakIndex]! };
  if (baseline.n < MIN_BASELINE_SAMPLES) return summary;

  const material = (value: number): boolean =>
    Math.abs(value - baseline.median) >= MIN_RELATIVE_CHANGE * Math.max(Math.abs(baseline.median), baseline.iqr);
  const peakZ = robustZ(rv[peakIndex]!, baseline);
  const baselineMax = baselineSeries.values.reduce((a, b) => Math.max(a, b));
  const baselineMin = baselineSeries.values.reduce((a, b) => Math.min(a, b));
  const sustained = Math.abs(levelZ) >= ANOMALY_Z && material(recent.median);
  const spike =
    Math.abs(peakZ) >= SPIKE_Z &&
    material(rv[peakIndex]!) &&
    (peakZ > 0 ? rv[peakIndex]! > baselineMax : rv[peakIndex]! < baselineMin);
  if (!sustained && !spike) return summary;

  summary.anomalous = true;
  summary.score = sustained ? levelZ : peakZ;
  const sign = summary.score > 0 ? 1 : -1;
  summary.direction = sign > 0 ? 'up' : 'down';
  // The peak in the direction of the deviation (a sustained drop can sit beside a larger spike up).
  let directedPeak = -1;
  for (let i = 0; i < rv.length; i++) {
    if (sign * (rv[i]! - baseline.median) > 0 && (directedPeak < 0 || sign * (rv[i]! - rv[directedPeak]!) > 0)) directedPeak = i;
  }
  if (directedPeak >= 0) summary.peak = { at: recentSeries.timestamps[directedPeak]!, value: rv[directedPeak]! };
  const peakAt = summary.peak.at;

  const excursionZ = Math.max(EXCURSION_Z, EXCURSION_SHARE * Math.abs(summary.score));
  summary.onset = findOnset(series, window, baseline, sign * excursionZ, peakAt);
  const recurrence = recursDaily(series, peakAt);
  if (recurrence.recurs) summary.recursDaily = { matchingDays: recurrence.matchingDays, checkedDays: recurrence.checkedDays };
  else {
    const weekly = recursWeekly(series, peakAt);
    if (weekly.recurs) summary.recursWeekly = { matchingWeeks: weekly.matchingDays, checkedWeeks: weekly.checkedDays };
  }
  return summary;
}

/**
 * The start of the excursion that contains the peak, walking back (possibly into the baseline window, since
 * alarms fire after the fact) while samples stay `signedZ` robust sigmas out (negative: below the baseline). A ramp
 * crosses that line well after it starts, so a change point of the same sign shortly before the excursion
 * (no further back than the excursion is long, with the samples in between mostly leaning the same way) is
 * preferred: it marks the knee of the ramp.
 */
function findOnset(series: Series, window: ChangeWindow, baseline: RobustBaseline, signedZ: number, peakAt: number): number {
  const sign = Math.sign(signedZ);
  const span = sliceByTime(series, window.baselineStart, window.end);
  const { timestamps, values } = span;
  let i = timestamps.indexOf(peakAt);
  let start = i;
  let gap = 0;
  for (i = i - 1; i >= 0; i--) {
    if (sign * robustZ(values[i]!, baseline) >= Math.abs(signedZ)) {
      start = i;
      gap = 0;
    } else if (++gap > EXCURSION_MAX_GAP) {
      break;
    }
  }
  const excursionStart = timestamps[start]!;
  const changePoint = findChangePoint(span);
  if (!changePoint || Math.sign(changePoint.magnitude) !== sign) return excursionStart;
  if (changePoint.index >= start) return excursionStart;
  const step = typicalStep(span) ?? 0;
  if (changePoint.at < excursionStart - (peakAt - excursionStart) - step) return excursionStart;
  // The samples between the knee and the excursion must already lean the same way; else the change point
  // is an unrelated wobble (or a lone sample a sparse series happens to have there).
  const between = values.slice(changePoint.index, start);
  const leaning = between.filter((v) => sign * robustZ(v, baseline) >= RAMP_LEAN_Z).length;
  return between.length >= 2 && leaning >= (2 / 3) * between.length ? changePoint.at : excursionStart;
}
