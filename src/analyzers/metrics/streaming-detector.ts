/**
 * A causal (online) anomaly detector for one metric stream: `update(t, x)` returns a score in [0, 1] computed
 * from x and earlier samples only, so it runs on live data and is scored fairly by NAB. Feed samples in
 * time order; non-finite values are ignored (score 0).
 *
 * Two tiers of evidence, because they differ in how often they are wrong:
 *
 * 1. Records (scores RECORD_TIER..1): the value leaves the range of the last `tailLength` samples by more
 *    than `recordTolerance` of that range. A metric breaking its high or low of the last weeks is rare and
 *    nearly always worth a look (NAB's own HTM detector adds a similar "spatial anomaly" rule).
 * 2. Statistical surprise (scores 0..RECORD_TIER): four features, each calibrated against its own history
 *    so that one threshold fits every series:
 *    - point: the value against the robust median and scale of recent history (spikes, drops);
 *    - level: the mean of the last few values (shifts too small for one sample to stand out);
 *    - jump: the value against the median of the last few values, counted only as far as it moves away
 *      from the long-run median (a burst that ends is a recovery, not an anomaly);
 *    - season: the value against the same time of day on previous days (a daily pattern that breaks while
 *      every value stays in the usual range: a missing peak, a flattened day, a holiday).
 *    A feature's surprise is -log10 of its tail probability under an exponential tail fitted through its
 *    own 90th and 99th percentiles, so heavy-tailed series (tweet counts) need much larger deviations than
 *    quiet ones. Only the part of the surprise that exceeds every surprise of the last `suppressSamples`
 *    samples is reported: a sustained anomaly is reported at its onset instead of on every sample, and a
 *    noisy stretch raises its own bar (NAB credits only the earliest detection in a window and charges
 *    every detection outside one).
 *
 * The defaults are one configuration for every series (they were chosen on NAB as a whole, never per file).
 */

export interface StreamingDetectorOptions {
  /** Samples of history for the robust median and scale the features are measured against. */
  historyLength?: number;
  /** Samples of history each feature's tail model is fitted to, and whose range a record must leave. */
  tailLength?: number;
  /** Samples averaged by the level feature. */
  levelWindow?: number;
  /** Samples of local context for the jump feature. */
  jumpWindow?: number;
  /** Previous days compared by the seasonal feature (none when the stream is shorter). */
  seasonalDays?: number;
  /** Samples the seasonal residual is averaged over (a single noisy sample is not a broken pattern). */
  seasonalSmoothing?: number;
  /** A statistical surprise must beat every surprise of this many previous samples to be reported. */
  suppressSamples?: number;
  /** A record must leave the range of the last `tailLength` samples by more than this share of it. */
  recordTolerance?: number;
  /** Features and records stay silent until they have this many values of history. */
  minHistory?: number;
}

export interface StreamingDetector {
  /** Feeds one sample (epoch ms, value); returns its anomaly score in [0, 1]. */
  update(timestamp: number, value: number): number;
}

export const DEFAULT_DETECTOR_OPTIONS: Readonly<Required<StreamingDetectorOptions>> = {
  historyLength: 1000,
  tailLength: 4000,
  levelWindow: 6,
  jumpWindow: 8,
  seasonalDays: 7,
  seasonalSmoothing: 6,
  suppressSamples: 150,
  recordTolerance: 0.02,
  minHistory: 50,
};

/** Records score in [RECORD_TIER, 1]; statistical surprises stay below it. */
export const RECORD_TIER = 0.75;
/** Surprise (in -log10 p) that maps to about 63 % of the statistical tier: spreads typical surprises over it. */
const SURPRISE_SCALE = 6;
const DAY_MS = 86_400_000;
const LN10 = Math.log(10);
/** IQR of a standard normal: turns an IQR into a sigma. */
const IQR_TO_SIGMA = 1.349;

/** A sliding window of the last `capacity` values kept sorted: O(capacity) updates, O(1) quantiles. */
export class SortedWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.size < this.capacity) {
      this.ring[(this.head + this.size) % this.capacity] = value;
      const at = this.lowerBound(value);
      this.sorted.copyWithin(at + 1, at, this.size);
      this.sorted[at] = value;
      this.size++;
      return;
    }
    const old = this.ring[this.head]!;
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    // Replace the evicted value by the new one, shifting only the elements between their positions.
    let i = this.lowerBound(old);
    if (value > old) {
      while (i + 1 < this.size && this.sorted[i + 1]! < value) {
        this.sorted[i] = this.sorted[i + 1]!;
        i++;
      }
    } else {
      while (i > 0 && this.sorted[i - 1]! > value) {
        this.sorted[i] = this.sorted[i - 1]!;
        i--;
      }
    }
    this.sorted[i] = value;
  }

  /** Linearly interpolated quantile, p in [0, 1]; NaN when empty. */
  quantile(p: number): number {
    if (this.size === 0) return Number.NaN;
    const pos = (this.size - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.min(this.size - 1, lo + 1);
    return this.sorted[lo]! + (this.sorted[hi]! - this.sorted[lo]!) * (pos - lo);
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Calibrates one feature against its own history. Each tail is modelled as exponential beyond the 90th
 * percentile (10th for the lower tail), with the decay that puts 1 % of the history beyond the 99th (1st):
 * p(x) = 0.1 * 10^-((x - q90) / (q99 - q90)). The surprise is -log10 p, 0 inside the central 80 %.
 */
export class TailModel {
  private readonly history: SortedWindow;

  constructor(
    capacity: number,
    private readonly minHistory: number,
  ) {
    this.history = new SortedWindow(capacity);
  }

  /** Surprise of `value` given the history so far; `value` then joins the history. */
  observe(value: number): number {
    const surprise = this.surprise(value);
    this.history.push(value);
    return surprise;
  }

  private surprise(value: number): number {
    const h = this.history;
    if (h.size < this.minHistory) return 0;
    const q01 = h.quantile(0.01);
    const q10 = h.quantile(0.1);
    const q90 = h.quantile(0.9);
    const q99 = h.quantile(0.99);
    // A floor on the decade width keeps a feature that has been constant from calling every wobble impossible.
    const minDecade = 0.05 * (q99 - q01) + 1e-3;
    if (value > q90) return 1 + (value - q90) / Math.max(q99 - q90, minDecade * LN10);
    if (value < q10) return 1 + (q10 - value) / Math.max(q10 - q01, minDecade * LN10);
    return 0;
  }
}

/** Minimum and maximum of the last `capacity` values, O(1) amortised per value (monotonic queues). */
export class SlidingExtremes {
  private readonly minQueue: Array<[number, number]> = [];
  private readonly maxQueue: Array<[number, number]> = [];
  private minHead = 0;
  private maxHead = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return Math.min(this.count, this.capacity);
  }

  get min(): number {
    return this.minHead < this.minQueue.length ? this.minQueue[this.minHead]![1] : Number.NaN;
  }

  get max(): number {
    return this.maxHead < this.maxQueue.length ? this.maxQueue[this.maxHead]![1] : Number.NaN;
  }

  push(value: number): void {
    const index = this.count++;
    while (this.minQueue.length > this.minHead && this.minQueue[this.minQueue.length - 1]![1] >= value) this.minQueue.pop();
    this.minQueue.push([index, value]);
    while (this.maxQueue.length > this.maxHead && this.maxQueue[this.maxQueue.length - 1]![1] <= value) this.maxQueue.pop();
    this.maxQueue.push([index, value]);
    const oldest = index - this.capacity + 1;
    while (this.minQueue[this.minHead]![0] < oldest) this.minHead++;
    while (this.maxQueue[this.maxHead]![0] < oldest) this.maxHead++;
    // Drop consumed heads now and then so the arrays do not grow without bound.
    if (this.minHead > 1024 && this.minHead * 2 > this.minQueue.length) {
      this.minQueue.splice(0, this.minHead);
      this.minHead = 0;
    }
    if (this.maxHead > 1024 && this.maxHead * 2 > this.maxQueue.length) {
      this.maxQueue.splice(0, this.maxHead);
      this.maxHead = 0;
    }
  }
}

/** Timestamps and values of the recent past, to look up "the same time on a previous day". */
class TimedHistory {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    let slot: number;
    if (this.size < this.capacity) {
      slot = (this.start + this.size) % this.capacity;
      this.size++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.times[slot] = t;
    this.values[slot] = v;
  }

  /** Median of the values within +-tolerance of t; NaN when there are none. */
  medianNear(t: number, tolerance: number): number {
    const at = (k: number): number => (this.start + k) % this.capacity;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[at(mid)]! < t - tolerance) lo = mid + 1;
      else hi = mid;
    }
    const found: number[] = [];
    for (let k = lo; k < this.size && this.times[at(k)]! <= t + tolerance; k++) found.push(this.values[at(k)]!);
    if (found.length === 0) return Number.NaN;
    found.sort((a, b) => a - b);
    return found[found.length >> 1]!;
  }
}

export function createStreamingDetector(opts: StreamingDetectorOptions = {}): StreamingDetector {
  const o = { ...DEFAULT_DETECTOR_OPTIONS, ...opts };
  for (const key of ['historyLength', 'tailLength', 'levelWindow', 'jumpWindow', 'seasonalSmoothing', 'suppressSamples', 'minHistory'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`streaming detector: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (!Number.isInteger(o.seasonalDays) || o.seasonalDays < 0) throw new RangeError(`streaming detector: seasonalDays must be a non-negative integer, got ${o.seasonalDays}`);
  if (!(o.recordTolerance >= 0)) throw new RangeError(`streaming detector: recordTolerance must be >= 0, got ${o.recordTolerance}`);
  const history = new SortedWindow(o.historyLength);
  const gaps = new SortedWindow(64);
  const recent: number[] = [];
  const tail = (): TailModel => new TailModel(o.tailLength, o.minHistory);
  const point = tail();
  const level = tail();
  const jump = tail();
  const season = tail();
  // Enough samples for `seasonalDays` days at 1-minute resolution (coarser streams simply keep more days).
  const timed = new TimedHistory(o.seasonalDays * 1440 + 64);
  const seasonalResiduals: number[] = [];
  const surprises = new Float64Array(o.suppressSamples);
  let count = 0;
  let lastTimestamp = Number.NaN;
  const range = new SlidingExtremes(o.tailLength);

  return {
    update(timestamp: number, value: number): number {
      if (!Number.isFinite(value)) return 0;
      if (Number.isFinite(lastTimestamp) && timestamp > lastTimestamp) gaps.push(timestamp - lastTimestamp);
      lastTimestamp = timestamp;

      let surprise = 0;
      if (history.size >= 2) {
        const median = history.quantile(0.5);
        const spread = history.quantile(0.99) - history.quantile(0.01);
        const scale = Math.max((history.quantile(0.75) - history.quantile(0.25)) / IQR_TO_SIGMA, 0.01 * spread, 1e-9 * Math.abs(median), 1e-12);
        const pointZ = (value - median) / scale;

        let levelSum = value;
        const levelCount = Math.min(o.levelWindow, recent.length + 1);
        for (let i = 1; i < levelCount; i++) levelSum += recent[recent.length - i]!;
        const levelZ = (levelSum / levelCount - median) / scale;

        const local = recent.slice(-o.jumpWindow).sort((a, b) => a - b);
        const jumpZ = local.length > 0 ? (value - local[local.length >> 1]!) / scale : 0;
        // Only as far as the move leads away from the long-run median: a burst ending is a recovery.
        const awayZ = jumpZ * pointZ > 0 ? Math.sign(jumpZ) * Math.min(Math.abs(jumpZ), Math.abs(pointZ)) : 0;

        surprise = Math.max(point.observe(pointZ), level.observe(levelZ), jump.observe(awayZ));

        const seasonZ = seasonalResidual(timestamp, value, scale);
        if (seasonZ !== undefined) surprise = Math.max(surprise, season.observe(seasonZ));
      }

      history.push(value);
      timed.push(timestamp, value);
      recent.push(value);
      if (recent.length > Math.max(o.levelWindow, o.jumpWindow)) recent.shift();

      let recentMax = 0;
      for (let i = 0; i < surprises.length; i++) recentMax = Math.max(recentMax, surprises[i]!);
      surprises[count % surprises.length] = surprise;

      let score = surprise > recentMax ? RECORD_TIER * (1 - Math.exp(-(surprise - recentMax) / SURPRISE_SCALE)) : 0;
      if (range.size >= o.minHistory) {
        const width = range.max - range.min;
        const beyond = Math.max(value - range.max, range.min - value);
        if (beyond > o.recordTolerance * width) {
          // Ordered by how far the record goes beyond the range, so the biggest breaks rank first.
          score = RECORD_TIER + (1 - RECORD_TIER) * (0.5 + 0.5 * (width > 0 ? Math.min(1, beyond / width) : 1));
        }
      }
      range.push(value);
      count++;
      return score;
    },
  };

  /** The value's smoothed deviation from the same time on previous days, in units of `scale`; undefined without two such days. */
  function seasonalResidual(timestamp: number, value: number, scale: number): number | undefined {
    if (o.seasonalDays <= 0 || gaps.size === 0) return undefined;
    // Irregular streams (traffic sensors) are matched within two typical sampling steps.
    const tolerance = 2 * gaps.quantile(0.5);
    const sameTime: number[] = [];
    for (let d = 1; d <= o.seasonalDays; d++) {
      const v = timed.medianNear(timestamp - d * DAY_MS, tolerance);
      if (Number.isFinite(v)) sameTime.push(v);
    }
    if (sameTime.length < 2) return undefined;
    sameTime.sort((a, b) => a - b);
    seasonalResiduals.push((value - sameTime[sameTime.length >> 1]!) / scale);
    if (seasonalResiduals.length > o.seasonalSmoothing) seasonalResiduals.shift();
    return seasonalResiduals.reduce((a, b) => a + b, 0) / seasonalResiduals.length;
  }
}
