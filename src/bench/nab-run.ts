import { createStreamingDetector } from '../analyzers/metrics/streaming-detector.ts';
import type { StreamingDetectorOptions } from '../analyzers/metrics/streaming-detector.ts';
import { categoryOf, prepareFile, scoreCorpus } from './nab.ts';
import type { ProfileResult, ScoreTotals } from './nab.ts';
import type { NabCorpus } from './nab-corpus.ts';

export interface NabRunReport {
  files: number;
  rows: number;
  windows: number;
  detectSeconds: number;
  /** Per profile (names as in profiles.json): threshold, totals, per-category and per-file scores. */
  results: Record<string, ProfileResult>;
}

/** Runs a fresh streaming detector over every file of the corpus, row by row, then scores the output with NAB's rules. */
export function runNab(corpus: NabCorpus, detectorOptions?: StreamingDetectorOptions): NabRunReport {
  const started = performance.now();
  const scored = corpus.files.map((f) => {
    const detector = createStreamingDetector(detectorOptions);
    const scores = new Float64Array(f.values.length);
    for (let i = 0; i < f.values.length; i++) scores[i] = detector.update(f.timestamps[i]!, f.values[i]!);
    return { file: prepareFile(f), scores };
  });
  const detectSeconds = (performance.now() - started) / 1000;
  const results = scoreCorpus(scored, corpus.profiles);
  return {
    files: corpus.files.length,
    rows: corpus.files.reduce((n, f) => n + f.values.length, 0),
    windows: scored.reduce((n, s) => n + s.file.windows.length, 0),
    detectSeconds,
    results,
  };
}

/** `reward_low_FP_rate` -> `reward_low_FP`: the short profile names of the JSON report. */
export function shortProfileName(name: string): string {
  return name.replace(/_rate$/, '');
}

export interface NabJsonReport {
  profiles: Record<string, number | null>;
  categories: Record<string, Record<string, number | null>>;
  thresholds: Record<string, number>;
  details: Record<string, { total: ScoreTotals; categories: Record<string, ScoreTotals> }>;
}

/** The machine-readable report: normalised scores per profile and per category, thresholds, and the counts behind them. */
export function toJsonReport(report: NabRunReport): NabJsonReport {
  const out: NabJsonReport = { profiles: {}, categories: {}, thresholds: {}, details: {} };
  for (const [profile, result] of Object.entries(report.results)) {
    const key = shortProfileName(profile);
    out.profiles[key] = result.total.normalized;
    out.thresholds[key] = result.threshold;
    out.details[key] = { total: result.total, categories: result.categories };
    for (const [category, totals] of Object.entries(result.categories)) {
      (out.categories[category] ??= {})[key] = totals.normalized;
    }
  }
  return out;
}

/** Human-readable tables: one row per category and a total row, one column group per profile. */
export function formatReport(report: NabRunReport): string[] {
  const profiles = Object.keys(report.results);
  const categories = [...new Set(Object.keys(Object.values(report.results)[0]?.files ?? {}).map(categoryOf))].sort();
  const cell = (t: ScoreTotals): string => {
    const score = t.normalized === null ? `raw ${t.raw.toFixed(2)}` : t.normalized.toFixed(1);
    return `${score.padStart(9)} ${`${t.detected}/${t.windows}`.padStart(6)} ${String(t.falsePositives).padStart(5)}`;
  };
  const width = Math.max(8, ...categories.map((c) => c.length));
  const lines: string[] = [];
  lines.push(`${''.padEnd(width)}  ${profiles.map((p) => shortProfileName(p).padEnd(22)).join('  ')}`);
  lines.push(`${'category'.padEnd(width)}  ${profiles.map(() => `${'score'.padStart(9)} ${'found'.padStart(6)} ${'FPs'.padStart(5)}`).join('  ')}`);
  for (const category of categories) {
    lines.push(`${category.padEnd(width)}  ${profiles.map((p) => cell(report.results[p]!.categories[category]!)).join('  ')}`);
  }
  lines.push(`${'total'.padEnd(width)}  ${profiles.map((p) => cell(report.results[p]!.total)).join('  ')}`);
  lines.push('');
  lines.push(`thresholds: ${profiles.map((p) => `${shortProfileName(p)} ${report.results[p]!.threshold.toFixed(4)}`).join(', ')}`);
  return lines;
}
