/**
 * Descriptive statistics of a window of one series, and the arithmetic that combines series: re-bucketing to a
 * longer period, adding counters together, dividing errors by requests. Pure.
 */
import { quantileSorted } from './baseline.ts';
import type { Series } from './series.ts';

export interface WindowStats {
  n: number;
  /** The latest value and when it was measured (a stale `currentAt` means the metric stopped reporting). */
  current: number;
  currentAt: number;
  mean: number;
  min: number;
  minAt: number;
  max: number;
  maxAt: number;
  p95: number;
  /** Sum of the values: the total of a count metric read with the Sum statistic. */
  sum: number;
}

/** Statistics of a series (assumed ascending, as toSeries returns it); undefined when it is empty. */
export function describeSeries(series: Series): WindowStats | undefined {
  const { timestamps, values } = series;
  const n = values.length;
  if (n === 0) return undefined;
  let sum = 0;
  let minI = 0;
  let maxI = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    if (values[i]! < values[minI]!) minI = i;
    if (values[i]! > values[maxI]!) maxI = i;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n,
    current: values[n - 1]!,
    currentAt: timestamps[n - 1]!,
    mean: sum / n,
    min: values[minI]!,
    minAt: timestamps[minI]!,
    max: values[maxI]!,
    maxAt: timestamps[maxI]!,
    p95: quantileSorted(sorted, 0.95),
    sum,
  };
}

export type Aggregation = 'sum' | 'mean' | 'max' | 'min';

/**
 * Re-buckets a series to `periodMs` (buckets aligned to multiples of the period since the epoch, as CloudWatch
 * aligns them), combining the samples of a bucket with `how`. A period no longer than the series' own spacing
 * returns the series unchanged.
 */
export function resample(series: Series, periodMs: number, how: Aggregation): Series {
  if (!(periodMs > 0) || series.timestamps.length < 2) return series;
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < series.timestamps.length; i++) {
    const bucket = Math.floor(series.timestamps[i]! / periodMs) * periodMs;
    const list = buckets.get(bucket);
    if (list) list.push(series.values[i]!);
    else buckets.set(bucket, [series.values[i]!]);
  }
  if (buckets.size === series.timestamps.length) return series;
  const out: Series = { timestamps: [], values: [] };
  for (const [t, vs] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
    out.timestamps.push(t);
    out.values.push(combineValues(vs, how));
  }
  return out;
}

function combineValues(values: readonly number[], how: Aggregation): number {
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/**
 * Adds count series together timestamp by timestamp; a series missing at a timestamp counts as 0 there, as
 * CloudWatch omits the datapoints of count metrics (ALB HTTP codes) in periods without any.
 */
export function addSeries(series: readonly Series[]): Series {
  const totals = new Map<number, number>();
  for (const s of series) {
    for (let i = 0; i < s.timestamps.length; i++) totals.set(s.timestamps[i]!, (totals.get(s.timestamps[i]!) ?? 0) + s.values[i]!);
  }
  const timestamps = [...totals.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((t) => totals.get(t)!) };
}

/**
 * numerator / denominator at every timestamp where the denominator is positive, capped at 1 (an ELB 5XX can
 * answer a request the target never counted); the numerator counts as 0 where it has no datapoint.
 */
export function ratioSeries(numerator: Series, denominator: Series): Series {
  const num = new Map<number, number>();
  numerator.timestamps.forEach((t, i) => num.set(t, numerator.values[i]!));
  const out: Series = { timestamps: [], values: [] };
  denominator.timestamps.forEach((t, i) => {
    const d = denominator.values[i]!;
    if (d > 0) {
      out.timestamps.push(t);
      out.values.push(Math.min(1, (num.get(t) ?? 0) / d));
    }
  });
  return out;
}

/** A series with every value multiplied by `factor` (unit conversion). */
export function scaleSeries(series: Series, factor: number): Series {
  return factor === 1 ? series : { timestamps: series.timestamps, values: series.values.map((v) => v * factor) };
}
