import { robustBaseline } from './baseline.ts';
import { lowerBound, upperBound } from './series.ts';
import type { Series } from './series.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const WEEK_MS = 7 * DAY_MS;
/** Below this many robust sigmas the value at `at` is ordinary, so there is no deviation whose recurrence to test. */
const MIN_DEVIATION_Z = 2;
/** A previous day matches when it deviated the same way by at least this share of today's deviation. */
const MATCH_SHARE = 0.5;

export interface DailyRecurrence {
  recurs: boolean;
  /** Previous days that deviated the same way, by at least half as much, within the tolerance of the same time of day. */
  matchingDays: number;
  /** Previous days with at least one sample within the tolerance of the same time of day. */
  checkedDays: number;
}

/**
 * Does the deviation seen at `at` also happen at the same time of day on previous days (a nightly batch job,
 * the morning traffic peak), which makes it a poor explanation for an incident?
 *
 * The deviation is the sample nearest to `at` (within the tolerance) minus the series' robust median,
 * computed from every sample outside +-tolerance of `at`. Each previous day d that has samples within
 * +-tolerance of `at - d days` is checked; it matches when its most extreme sample in the same direction
 * deviates by at least half as much. The deviation recurs when at least `minDays` days (default 1) and at
 * least half of the checked days match. Tolerance defaults to 30 minutes.
 */
export function recursDaily(series: Series, at: number, opts: { toleranceMinutes?: number; minDays?: number } = {}): DailyRecurrence {
  return recursEvery(series, at, DAY_MS, opts);
}

/** The same test a week apart: a weekly batch (the Sunday report) deviates on the same weekday, not every day. */
export function recursWeekly(series: Series, at: number, opts: { toleranceMinutes?: number; minDays?: number } = {}): DailyRecurrence {
  return recursEvery(series, at, WEEK_MS, opts);
}

/** Does the deviation at `at` recur `periodMs` earlier (and 2×, 3× earlier where the series reaches)? */
export function recursEvery(
  series: Series,
  at: number,
  periodMs: number,
  opts: { toleranceMinutes?: number; minDays?: number } = {},
): DailyRecurrence {
  const tolerance = Math.max(0, opts.toleranceMinutes ?? 30) * 60_000;
  const minDays = Math.max(1, Math.floor(opts.minDays ?? 1));
  const { timestamps, values } = series;
  const none = (checkedDays: number): DailyRecurrence => ({ recurs: false, matchingDays: 0, checkedDays });
  if (timestamps.length === 0) return none(0);

  const nearFrom = lowerBound(timestamps, at - tolerance);
  const nearTo = upperBound(timestamps, at + tolerance);
  if (nearFrom >= nearTo) return none(0);
  let current = nearFrom;
  for (let i = nearFrom; i < nearTo; i++) {
    if (Math.abs(timestamps[i]! - at) < Math.abs(timestamps[current]! - at)) current = i;
  }
  const reference = robustBaseline([...values.slice(0, nearFrom), ...values.slice(nearTo)]);

  let checkedDays = 0;
  let matchingDays = 0;
  const deviation = values[current]! - reference.median;
  const deviates = reference.n > 0 && Math.abs(deviation) / reference.scale >= MIN_DEVIATION_Z;
  for (let day = 1; at - day * periodMs >= timestamps[0]! - tolerance; day++) {
    const sameTime = at - day * periodMs;
    const from = lowerBound(timestamps, sameTime - tolerance);
    const to = upperBound(timestamps, sameTime + tolerance);
    if (from >= to) continue;
    checkedDays++;
    if (!deviates) continue;
    let extreme = deviation > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (let i = from; i < to; i++) extreme = deviation > 0 ? Math.max(extreme, values[i]!) : Math.min(extreme, values[i]!);
    if ((extreme - reference.median) / deviation >= MATCH_SHARE) matchingDays++;
  }
  if (!deviates) return none(checkedDays);
  return { recurs: matchingDays >= minDays && 2 * matchingDays >= checkedDays, matchingDays, checkedDays };
}
