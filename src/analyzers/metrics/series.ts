/** A metric time series: epoch-millisecond timestamps in ascending order, one finite value per timestamp. */
export interface Series {
  timestamps: number[];
  values: number[];
}

/**
 * Builds a clean Series from raw samples (CloudWatch, Prometheus, CSV): sorts by time, drops samples whose
 * timestamp or value is not finite, and merges samples that share a timestamp into their mean, so every
 * analysis downstream can assume strictly increasing timestamps.
 */
export function toSeries(timestamps: number[], values: number[]): Series {
  if (timestamps.length !== values.length) {
    throw new RangeError(`toSeries: ${timestamps.length} timestamps but ${values.length} values`);
  }
  const samples: Array<[number, number]> = [];
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    const v = values[i]!;
    if (Number.isFinite(t) && Number.isFinite(v)) samples.push([t, v]);
  }
  samples.sort((a, b) => a[0] - b[0]);
  const out: Series = { timestamps: [], values: [] };
  let i = 0;
  while (i < samples.length) {
    const t = samples[i]![0];
    let sum = 0;
    let count = 0;
    while (i < samples.length && samples[i]![0] === t) {
      sum += samples[i]![1];
      count++;
      i++;
    }
    out.timestamps.push(t);
    out.values.push(sum / count);
  }
  return out;
}

/** Index of the first sample at or after `t` (binary search; `length` when there is none). */
export function lowerBound(timestamps: readonly number[], t: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timestamps[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first sample after `t` (binary search; `length` when there is none). */
export function upperBound(timestamps: readonly number[], t: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timestamps[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The samples with start <= timestamp <= end. */
export function sliceByTime(series: Series, start: number, end: number): Series {
  const from = lowerBound(series.timestamps, start);
  const to = upperBound(series.timestamps, end);
  return { timestamps: series.timestamps.slice(from, to), values: series.values.slice(from, to) };
}

/** The typical spacing between samples (median of the gaps), or undefined with fewer than two samples. */
export function typicalStep(series: Series): number | undefined {
  const n = series.timestamps.length;
  if (n < 2) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) gaps.push(series.timestamps[i]! - series.timestamps[i - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}
