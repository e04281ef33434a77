/**
 * The scoring rules of the Numenta Anomaly Benchmark (NAB v1.1), as in numenta/NAB's sweeper and optimizer:
 *
 * - The first 15 % of each file (at most 750 rows) is probationary: never scored.
 * - Inside an anomaly window only the earliest detection counts, worth tpWeight * S(p) / S(-1), where S is the
 *   scaled sigmoid 2 / (1 + e^(5p)) - 1 and p = -(right - i + 1) / width is the row's relative position
 *   (p = -1 at the window's first row, so an immediate detection earns exactly tpWeight).
 * - A window without detection costs fnWeight.
 * - Every detection outside a window adds fpWeight * S(p) with p = (i - right of the preceding window) /
 *   (its width - 1): slightly late detections cost almost nothing, far ones nearly fpWeight; before any
 *   window (no preceding window) a false positive costs the full fpWeight.
 * - A row is a detection when its anomaly score is >= the threshold; the threshold is chosen per profile
 *   to maximise the corpus score, over every distinct score the detector produced.
 * - Normalised score = 100 * (raw - null) / (perfect - null), where the null detector misses every window
 *   (null = -fnWeight per window) and the perfect one detects each at its first row with no false positive
 *   (perfect = tpWeight per window).
 */

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
  tnWeight?: number;
}

/** NAB's config/profiles.json, used when a corpus has none. */
export const NAB_PROFILES: Readonly<Record<string, CostMatrix>> = {
  standard: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.11, tnWeight: 1.0 },
  reward_low_FP_rate: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.22, tnWeight: 1.0 },
  reward_low_FN_rate: { tpWeight: 1.0, fnWeight: 2.0, fpWeight: 0.11, tnWeight: 1.0 },
};

export const PROBATION_PERCENT = 0.15;
/** NAB caps the probationary period at 15 % of 5000 rows. */
const PROBATION_CAP_ROWS = 5000;
/**
 * The threshold that detects nothing, as in NAB; anomaly scores must lie in [0, 1], so it is above them all.
 */
export const NO_DETECTION_THRESHOLD = 1.1;

/** Rows [0, probationaryLength) of a file are not scored. */
export function probationaryLength(rows: number, percent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * PROBATION_CAP_ROWS);
}

/** NAB's scaled sigmoid: +0.987 at p = -1 (window start), 0 at p = 0 (window end), -0.987 at p = 1, -1 from p = 3 on. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** One data file with its labelled anomaly windows (inclusive [start, end] epoch ms). */
export interface LabeledFile {
  /** `category/file.csv`, as in NAB's label files. */
  name: string;
  timestamps: readonly number[];
  windows: ReadonlyArray<readonly [number, number]>;
}

/**
 * Everything about a file that does not depend on the detector or the profile, computed once:
 * which window (if any) each row is in, and the unweighted sigmoid value a detection there would get.
 */
export interface PreparedFile {
  name: string;
  rows: number;
  probation: number;
  /** Windows as row index ranges, keeping only those with at least one scored row. */
  windows: Array<{ left: number; right: number }>;
  /** Per row: index into `windows`, or -1 outside every window. */
  windowOf: Int32Array;
  /** Per row: S(p) / S(-1) inside a window, S(p) after a window, -1 before any window. */
  unweighted: Float64Array;
}

export function prepareFile(file: LabeledFile): PreparedFile {
  const { timestamps } = file;
  const rows = timestamps.length;
  const probation = probationaryLength(rows);
  const located: Array<{ left: number; right: number }> = [];
  for (const [start, end] of [...file.windows].sort((a, b) => a[0] - b[0])) {
    let left = 0;
    while (left < rows && timestamps[left]! < start) left++;
    let right = left - 1;
    while (right + 1 < rows && timestamps[right + 1]! <= end) right++;
    if (right >= left) located.push({ left, right });
  }
  // A window of only probationary rows cannot be scored (NAB gives it no score part), but false positives
  // after it are still measured from it.
  const windows = located.filter((w) => w.right >= probation);
  const windowOf = new Int32Array(rows).fill(-1);
  const unweighted = new Float64Array(rows);
  const maxTp = scaledSigmoid(-1);
  let next = 0;
  let previous: { left: number; right: number } | undefined;
  for (let i = 0; i < rows; i++) {
    const current = next < located.length && i >= located[next]!.left ? located[next]! : undefined;
    if (current && i <= current.right) {
      windowOf[i] = windows.indexOf(current);
      const width = current.right - current.left + 1;
      unweighted[i] = scaledSigmoid(-(current.right - i + 1) / width) / maxTp;
      if (i === current.right) {
        previous = current;
        next++;
      }
    } else if (!previous) {
      unweighted[i] = -1;
    } else {
      const width = previous.right - previous.left + 1;
      // NAB divides by (width - 1); a one-row window would divide by zero, so treat it as far away.
      unweighted[i] = width > 1 ? scaledSigmoid((i - previous.right) / (width - 1)) : -1;
    }
  }
  return { name: file.name, rows, probation, windows, windowOf, unweighted };
}

export interface FileScore {
  /** Raw NAB score of the file: sum of window parts (tp or -fn) and false-positive costs. */
  score: number;
  windows: number;
  detected: number;
  missed: number;
  /** Detections outside every window (rows), and their total cost (negative). */
  falsePositives: number;
  falsePositiveCost: number;
}

function checkScores(file: PreparedFile, scores: ArrayLike<number>): void {
  if (scores.length !== file.rows) throw new RangeError(`${file.name}: ${scores.length} anomaly scores for ${file.rows} rows`);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s >= 0 && s <= 1)) throw new RangeError(`${file.name}: anomaly score ${s} at row ${i} is outside [0, 1]`);
  }
}

/** Scores one file's anomaly scores at a threshold (detection: score >= threshold). */
export function scoreFile(file: PreparedFile, scores: ArrayLike<number>, cost: CostMatrix, threshold: number): FileScore {
  checkScores(file, scores);
  const best = new Float64Array(file.windows.length).fill(Number.NaN);
  let falsePositives = 0;
  let falsePositiveCost = 0;
  for (let i = file.probation; i < file.rows; i++) {
    if (scores[i]! < threshold) continue;
    const w = file.windowOf[i]!;
    if (w >= 0) {
      // Rows are visited in order, so the first detection in a window is its earliest (and best) one.
      if (Number.isNaN(best[w]!)) best[w] = file.unweighted[i]! * cost.tpWeight;
    } else {
      falsePositives++;
      falsePositiveCost += file.unweighted[i]! * cost.fpWeight;
    }
  }
  let score = falsePositiveCost;
  let detected = 0;
  for (const part of best) {
    if (Number.isNaN(part)) score -= cost.fnWeight;
    else {
      score += part;
      detected++;
    }
  }
  return { score, windows: file.windows.length, detected, missed: file.windows.length - detected, falsePositives, falsePositiveCost };
}

export interface ThresholdScore {
  threshold: number;
  score: number;
}

/**
 * The corpus score at every candidate threshold, highest threshold first, as NAB's sweeper computes it:
 * all scored rows are visited from the highest anomaly score down; each distinct score is a threshold,
 * and lowering the threshold to it adds its rows as detections.
 */
export function sweepThresholds(files: ReadonlyArray<{ file: PreparedFile; scores: ArrayLike<number> }>, cost: CostMatrix): ThresholdScore[] {
  let total = 0;
  for (const { file, scores } of files) {
    checkScores(file, scores);
    total += file.rows - file.probation;
  }
  // Flatten the scored rows of every file: anomaly score, contribution, and a corpus-wide window id.
  const anomaly = new Float64Array(total);
  const contribution = new Float64Array(total);
  const windowId = new Int32Array(total);
  let row = 0;
  let windowBase = 0;
  for (const { file, scores } of files) {
    for (let i = file.probation; i < file.rows; i++, row++) {
      anomaly[row] = scores[i]!;
      const w = file.windowOf[i]!;
      windowId[row] = w >= 0 ? windowBase + w : -1;
      contribution[row] = file.unweighted[i]! * (w >= 0 ? cost.tpWeight : cost.fpWeight);
    }
    windowBase += file.windows.length;
  }
  const order = Array.from({ length: total }, (_, k) => k).sort((a, b) => anomaly[b]! - anomaly[a]!);
  // Each window's part starts at -fnWeight and becomes the best (earliest) detection's tp score.
  const windowPart = new Float64Array(windowBase).fill(-cost.fnWeight);
  let score = 0 - cost.fnWeight * windowBase; // 0 - 0, not -0, for a corpus without windows
  const out: ThresholdScore[] = [];
  let threshold = NO_DETECTION_THRESHOLD;
  for (const k of order) {
    if (anomaly[k]! !== threshold) {
      out.push({ threshold, score });
      threshold = anomaly[k]!;
    }
    const w = windowId[k]!;
    if (w < 0) score += contribution[k]!;
    else if (contribution[k]! > windowPart[w]!) {
      score += contribution[k]! - windowPart[w]!;
      windowPart[w] = contribution[k]!;
    }
  }
  out.push({ threshold, score });
  return out;
}

/** The threshold with the highest corpus score; on a tie the higher threshold, as NAB's stable sort keeps. */
export function optimizeThreshold(files: ReadonlyArray<{ file: PreparedFile; scores: ArrayLike<number> }>, cost: CostMatrix): ThresholdScore {
  let best: ThresholdScore | undefined;
  for (const candidate of sweepThresholds(files, cost)) if (!best || candidate.score > best.score) best = candidate;
  return best!;
}

/** 100 * (raw - null) / (perfect - null); undefined for a corpus without windows (null and perfect coincide). */
export function normalizeScore(raw: number, windows: number, cost: CostMatrix): number | undefined {
  const nullScore = -cost.fnWeight * windows;
  const perfect = cost.tpWeight * windows;
  if (perfect === nullScore) return undefined;
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/** Totals of several files' scores at one threshold. */
export interface ScoreTotals {
  raw: number;
  /** Normalised 0 (null detector) .. 100 (perfect); null when there is no window to normalise by. */
  normalized: number | null;
  windows: number;
  detected: number;
  missed: number;
  falsePositives: number;
}

export function totalScores(scores: readonly FileScore[], cost: CostMatrix): ScoreTotals {
  const sum = (f: (s: FileScore) => number): number => scores.reduce((acc, s) => acc + f(s), 0);
  const windows = sum((s) => s.windows);
  const raw = sum((s) => s.score);
  return {
    raw,
    normalized: normalizeScore(raw, windows, cost) ?? null,
    windows,
    detected: sum((s) => s.detected),
    missed: sum((s) => s.missed),
    falsePositives: sum((s) => s.falsePositives),
  };
}

export interface ProfileResult {
  threshold: number;
  total: ScoreTotals;
  categories: Record<string, ScoreTotals>;
  files: Record<string, FileScore>;
}

/** The category of a NAB file name (`realTweets/Twitter_volume_AAPL.csv` -> `realTweets`). */
export function categoryOf(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? '' : name.slice(0, slash);
}

/**
 * Scores a detector's output on a corpus for each profile: optimise the threshold on the whole corpus, then
 * score every file at it and total per category and overall.
 */
export function scoreCorpus(
  files: ReadonlyArray<{ file: PreparedFile; scores: ArrayLike<number> }>,
  profiles: Readonly<Record<string, CostMatrix>>,
): Record<string, ProfileResult> {
  const out: Record<string, ProfileResult> = {};
  for (const [profile, cost] of Object.entries(profiles)) {
    const { threshold } = optimizeThreshold(files, cost);
    const perFile: Record<string, FileScore> = {};
    const byCategory = new Map<string, FileScore[]>();
    for (const { file, scores } of files) {
      const s = scoreFile(file, scores, cost, threshold);
      perFile[file.name] = s;
      const category = categoryOf(file.name);
      byCategory.set(category, [...(byCategory.get(category) ?? []), s]);
    }
    const categories: Record<string, ScoreTotals> = {};
    for (const [category, list] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) categories[category] = totalScores(list, cost);
    out[profile] = { threshold, total: totalScores(Object.values(perFile), cost), categories, files: perFile };
  }
  return out;
}
