import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TemplateMiner } from '../analyzers/logs/template-miner.ts';
import type { TemplateMinerOptions } from '../analyzers/logs/template-miner.ts';
import { parseCsv } from './csv.ts';

// ---------------------------------------------------------------------------------------------
// Metrics

/**
 * Grouping accuracy as Loghub defines it (logpai/loghub evaluator): a line counts as correct when
 * the mined group it is in holds exactly the lines of its ground-truth group — no more, no fewer.
 * Returns the share of such lines.
 */
export function groupingAccuracy(truth: readonly string[], mined: readonly (number | string)[]): number {
  if (truth.length !== mined.length) throw new Error(`grouping accuracy: ${truth.length} true labels but ${mined.length} mined`);
  if (truth.length === 0) return 0;
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  // Per mined group: its size, and its true label if all its lines share one (null otherwise).
  const minedGroups = new Map<number | string, { size: number; label: string | null }>();
  for (let i = 0; i < mined.length; i++) {
    const g = minedGroups.get(mined[i]!);
    if (!g) minedGroups.set(mined[i]!, { size: 1, label: truth[i]! });
    else {
      g.size++;
      if (g.label !== truth[i]) g.label = null;
    }
  }
  let correct = 0;
  for (const g of minedGroups.values()) {
    if (g.label !== null && truthSize.get(g.label) === g.size) correct += g.size;
  }
  return correct / truth.length;
}

/**
 * The normalisation applied to both the mined and the true template before exact comparison:
 * whitespace runs become one space and the ends are trimmed, and consecutive variables — "<*>"
 * directly adjacent or separated only by whitespace — count as one "<*>". (How many variables a
 * run like "10.0.0.1 - -" holds is not observable, and the corrected templates disagree on it.)
 * Everything else — punctuation, case, constants — must match exactly.
 */
export function normaliseTemplate(template: string): string {
  return template
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/<\*>(?: ?<\*>)+/g, '<*>');
}

/** Share of lines whose mined template equals the true template after normaliseTemplate on both sides. */
export function parsingAccuracy(truthTemplates: readonly string[], minedTemplates: readonly string[]): number {
  if (truthTemplates.length !== minedTemplates.length) {
    throw new Error(`parsing accuracy: ${truthTemplates.length} true templates but ${minedTemplates.length} mined`);
  }
  if (truthTemplates.length === 0) return 0;
  const normalised = new Map<string, string>();
  const norm = (t: string): string => {
    let n = normalised.get(t);
    if (n === undefined) normalised.set(t, (n = normaliseTemplate(t)));
    return n;
  };
  let correct = 0;
  for (let i = 0; i < truthTemplates.length; i++) if (norm(truthTemplates[i]!) === norm(minedTemplates[i]!)) correct++;
  return correct / truthTemplates.length;
}

// ---------------------------------------------------------------------------------------------
// Mining and timing

export interface MinedLines {
  /** Final group id of each line. */
  groups: number[];
  /** Final template of each line's group. */
  templates: string[];
  miner: TemplateMiner;
}

/** Mines the lines with a fresh miner and reports each line's final group and template. */
export function mineLines(lines: readonly string[], options?: Partial<TemplateMinerOptions>): MinedLines {
  const miner = new TemplateMiner(options);
  const ids = new Array<number>(lines.length);
  for (let i = 0; i < lines.length; i++) ids[i] = miner.add(lines[i]!);
  const templateOf = new Map<number, string>();
  const groups = new Array<number>(lines.length);
  const templates = new Array<string>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const id = miner.resolve(ids[i]!);
    groups[i] = id;
    let t = templateOf.get(id);
    if (t === undefined) templateOf.set(id, (t = miner.template(id).template));
    templates[i] = t;
  }
  return { groups, templates, miner };
}

export interface MiningTime {
  /** Elapsed (wall-clock) seconds. */
  seconds: number;
  /** CPU seconds of the process over the same run (the miner is single-threaded; GC helpers add a little). */
  cpuSeconds: number;
}

/** Time taken by a fresh miner to add every line: the miner alone, strings already in memory. */
export function timeMining(lines: readonly string[], options?: Partial<TemplateMinerOptions>): MiningTime {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const miner = new TemplateMiner(options);
  for (let i = 0; i < lines.length; i++) miner.add(lines[i]!);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // Keep the miner observable so the loop cannot be optimised away.
  if (miner.templates().length < 0) throw new Error('unreachable');
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export interface Throughput {
  /** Lines per second of wall-clock time, best run. */
  linesPerSecond: number;
  /** Lines per CPU second, best run: less sensitive to other load on the machine. */
  cpuLinesPerSecond: number;
}

/** Lines per second: the best of `repetitions` timed runs after `warmups` untimed ones (single thread). */
export function measureThroughput(lines: readonly string[], repetitions: number, warmups = 2, options?: Partial<TemplateMinerOptions>): Throughput {
  if (lines.length === 0) return { linesPerSecond: 0, cpuLinesPerSecond: 0 };
  for (let i = 0; i < warmups; i++) timeMining(lines, options);
  let best = Infinity;
  let bestCpu = Infinity;
  for (let i = 0; i < Math.max(1, repetitions); i++) {
    const t = timeMining(lines, options);
    best = Math.min(best, t.seconds);
    bestCpu = Math.min(bestCpu, t.cpuSeconds);
  }
  return { linesPerSecond: lines.length / Math.max(best, 1e-9), cpuLinesPerSecond: lines.length / Math.max(bestCpu, 1e-9) };
}

// ---------------------------------------------------------------------------------------------
// Loghub data sets

export interface LogDataset {
  /** Data set name, from `<name>_2k.log_structured.csv`. */
  name: string;
  file: string;
  /** The Content column: the messages to mine. */
  contents: string[];
  /** The EventId column: the ground-truth groups. */
  eventIds: string[];
  /** EventTemplate of the corrected file, line for line, or null when there is none. */
  correctedTemplates: string[] | null;
}

const STRUCTURED_SUFFIX = '_2k.log_structured.csv';
const CORRECTED_SUFFIX = '_2k.log_structured_corrected.csv';

/** The structured CSV files of a Loghub-2k directory, sorted by name; throws if the directory is missing or holds none. */
export function findLoghubFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BenchInputError(`data directory not found: ${dir}`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(STRUCTURED_SUFFIX))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) throw new BenchInputError(`no *${STRUCTURED_SUFFIX} files in ${dir}`);
  return files;
}

/** An input problem (missing file or column, malformed CSV), reported to the user as is. */
export class BenchInputError extends Error {
  override readonly name = 'BenchInputError';
}

function readTable(file: string): { header: string[]; rows: string[][] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BenchInputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseCsv(text);
  } catch (error) {
    throw new BenchInputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function column(header: string[], name: string, file: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new BenchInputError(`${file} has no ${name} column (columns: ${header.join(', ')})`);
  return i;
}

/** Loads one `<name>_2k.log_structured.csv` and, if present beside it, its corrected templates. */
export function loadLoghubDataset(file: string): LogDataset {
  const name = basename(file).slice(0, -STRUCTURED_SUFFIX.length);
  const table = readTable(file);
  const contentAt = column(table.header, 'Content', file);
  const eventAt = column(table.header, 'EventId', file);
  const contents = table.rows.map((r) => r[contentAt]!);
  const eventIds = table.rows.map((r) => r[eventAt]!);
  if (contents.length === 0) throw new BenchInputError(`${file} has no rows`);

  let correctedTemplates: string[] | null = null;
  const correctedFile = file.slice(0, -STRUCTURED_SUFFIX.length) + CORRECTED_SUFFIX;
  if (existsSync(correctedFile)) {
    const corrected = readTable(correctedFile);
    const templateAt = column(corrected.header, 'EventTemplate', correctedFile);
    if (corrected.rows.length !== contents.length) {
      throw new BenchInputError(`${correctedFile} has ${corrected.rows.length} rows but ${file} has ${contents.length}`);
    }
    // Align on LineId when both files have it; otherwise line for line.
    const lineIdAt = table.header.indexOf('LineId');
    const correctedLineIdAt = corrected.header.indexOf('LineId');
    if (lineIdAt >= 0 && correctedLineIdAt >= 0) {
      const byLineId = new Map<string, string>();
      for (const r of corrected.rows) byLineId.set(r[correctedLineIdAt]!, r[templateAt]!);
      correctedTemplates = table.rows.map((r) => {
        const t = byLineId.get(r[lineIdAt]!);
        if (t === undefined) throw new BenchInputError(`${correctedFile} has no line with LineId ${r[lineIdAt]}`);
        return t;
      });
    } else {
      correctedTemplates = corrected.rows.map((r) => r[templateAt]!);
    }
  }
  return { name, file, contents, eventIds, correctedTemplates };
}

// ---------------------------------------------------------------------------------------------
// Synthetic scaling

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same lines on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number written in letters only (0 → "a", 27 → "bb"), so it is not masked as a variable. */
function lettersOf(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

export interface SyntheticLog {
  lines: string[];
  /** Index of the template each line was made from. */
  truth: number[];
}

const SLOT_KINDS = ['int', 'float', 'hex', 'ip', 'uuid', 'path', 'kv', 'duration', 'word'] as const;
type SlotKind = (typeof SLOT_KINDS)[number];

/**
 * Deterministic synthetic log lines from `templateCount` random templates: 3 to 24 tokens of
 * pseudo-words, with 1 to 4 variables at random positions (integers, floats, hex ids, IPs with
 * ports, UUIDs, paths, key=value pairs, durations with units, and at most one word variable from a
 * vocabulary of 40 that only the distinct-value rule can recognise). Template popularity is skewed
 * (Zipf-like), as in real logs.
 */
export function syntheticLog(lineCount: number, templateCount: number, seed = 1): SyntheticLog {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'dr', 'sh', 'th', 'gr', 'bl', 'xo', 'wy'];
  const word = (): string => {
    let w = '';
    const parts = 2 + int(3);
    for (let i = 0; i < parts; i++) w += syllables[int(syllables.length)];
    return w;
  };
  interface Slot {
    kind: SlotKind;
    key: string;
    vocabulary: string[];
  }
  const templates: Array<Array<string | Slot>> = [];
  for (let t = 0; t < templateCount; t++) {
    const length = 3 + int(22);
    const tokens: Array<string | Slot> = [];
    for (let i = 0; i < length; i++) tokens.push(word());
    const variables = 1 + int(Math.min(4, length - 2));
    let wordSlots = 0;
    for (let v = 0; v < variables; v++) {
      let kind = SLOT_KINDS[int(SLOT_KINDS.length)]!;
      // At most one word-only variable per template: with two or more, each combination of words
      // is rare and the miner keeps them apart (see the miner's notes on multi-word variables).
      if (kind === 'word' && wordSlots++ > 0) kind = 'int';
      const vocabulary = kind === 'word' ? Array.from({ length: 40 }, word) : [];
      tokens[int(length)] = { kind, key: word(), vocabulary };
    }
    // A word made from the template's index keeps templates distinct even if their random words collide.
    const constant = tokens.findIndex((tok) => typeof tok === 'string');
    if (constant >= 0) tokens[constant] = `${tokens[constant]}${lettersOf(t)}`;
    templates.push(tokens);
  }
  const hex = (digits: number): string => {
    let s = '';
    for (let i = 0; i < digits; i++) s += '0123456789abcdef'[int(16)];
    return s;
  };
  const value = (slot: Slot): string => {
    switch (slot.kind) {
      case 'int':
        return String(int(100000));
      case 'float':
        return (random() * 1000).toFixed(3);
      case 'hex':
        return `0x${hex(8)}`;
      case 'ip':
        return `10.${int(256)}.${int(256)}.${int(256)}:${1024 + int(60000)}`;
      case 'uuid':
        return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
      case 'path':
        return `/var/lib/${slot.key}/${int(500)}/data.bin`;
      case 'kv':
        return `${slot.key}=${random() < 0.5 ? String(int(1000)) : slot.key.slice(0, 3) + 'x'}`;
      case 'duration':
        return `${(random() * 500).toFixed(1)} ${['ms', 'sec', 'min'][int(3)]}`;
      case 'word':
        return slot.vocabulary[int(slot.vocabulary.length)]!;
    }
  };
  // Zipf-like popularity: template k is drawn with weight 1 / (k + 1).
  const cumulative = new Float64Array(templateCount);
  let total = 0;
  for (let k = 0; k < templateCount; k++) cumulative[k] = total += 1 / (k + 1);
  const pick = (): number => {
    const r = random() * total;
    let lo = 0;
    let hi = templateCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lines = new Array<string>(lineCount);
  const truth = new Array<number>(lineCount);
  for (let i = 0; i < lineCount; i++) {
    const t = pick();
    truth[i] = t;
    const parts = templates[t]!.map((tok) => (typeof tok === 'string' ? tok : value(tok)));
    lines[i] = parts.join(' ');
  }
  return { lines, truth };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

export interface DatasetResult {
  name: string;
  lines: number;
  groupsMined: number;
  groupsTrue: number;
  groupingAccuracy: number;
  /** null when the data set has no corrected templates. */
  parsingAccuracy: number | null;
  linesPerSecond: number;
  cpuLinesPerSecond: number;
}

export interface SyntheticResult {
  templates: number;
  lines: number;
  groupsMined: number;
  groupingAccuracy: number;
  linesPerSecond: number;
  cpuLinesPerSecond: number;
}

export interface LogBenchReport {
  datasets: DatasetResult[];
  meanGroupingAccuracy: number;
  /** Mean over the data sets that have corrected templates; null if none has. */
  meanParsingAccuracy: number | null;
  /** All data sets' lines over the sum of their best mining times. */
  linesPerSecond: number;
  /** The same over CPU times. */
  cpuLinesPerSecond: number;
  /** Timed runs per data set. */
  repetitions: number;
  synthetic: SyntheticResult[];
}

export interface LogBenchOptions {
  /** Timed runs per data set (best kept). */
  repetitions?: number;
  /** Lines per synthetic run; 0 skips the synthetic runs. */
  syntheticLines?: number;
  /** Template counts of the synthetic runs. */
  syntheticTemplates?: readonly number[];
  miner?: Partial<TemplateMinerOptions>;
}

/** Accuracy of the miner on one data set, and its throughput. */
export function benchDataset(dataset: LogDataset, repetitions: number, options?: Partial<TemplateMinerOptions>): DatasetResult {
  const mined = mineLines(dataset.contents, options);
  return {
    name: dataset.name,
    lines: dataset.contents.length,
    groupsMined: new Set(mined.groups).size,
    groupsTrue: new Set(dataset.eventIds).size,
    groupingAccuracy: groupingAccuracy(dataset.eventIds, mined.groups),
    parsingAccuracy: dataset.correctedTemplates ? parsingAccuracy(dataset.correctedTemplates, mined.templates) : null,
    ...measureThroughput(dataset.contents, repetitions, 2, options),
  };
}

/** One synthetic scaling run: accuracy against the generating templates and lines per second. */
export function benchSynthetic(lineCount: number, templateCount: number, options?: Partial<TemplateMinerOptions>): SyntheticResult {
  const log = syntheticLog(lineCount, templateCount, 20240 + templateCount);
  const mined = mineLines(log.lines, options); // also the warm-up
  const { linesPerSecond, cpuLinesPerSecond } = measureThroughput(log.lines, 2, 0, options);
  return {
    templates: templateCount,
    lines: lineCount,
    groupsMined: new Set(mined.groups).size,
    groupingAccuracy: groupingAccuracy(log.truth.map(String), mined.groups),
    linesPerSecond,
    cpuLinesPerSecond,
  };
}

export const DEFAULT_SYNTHETIC_TEMPLATES: readonly number[] = [10, 100, 1_000, 10_000];
/**
 * Timed runs per data set by default. A run of 2,000 lines takes a few milliseconds, so many runs
 * cost little and make it likely that one ran undisturbed on a shared machine.
 */
export const DEFAULT_REPETITIONS = 30;

/** Runs every Loghub data set of the directory, then the synthetic scaling runs. */
export function runLogBench(dir: string, options: LogBenchOptions = {}): LogBenchReport {
  const datasets = findLoghubFiles(dir).map(loadLoghubDataset);
  const repetitions = options.repetitions ?? DEFAULT_REPETITIONS;
  // Warm the JIT on every data set first, so the first one measured is not penalised.
  for (const d of datasets) timeMining(d.contents, options.miner);
  const results = datasets.map((d) => benchDataset(d, repetitions, options.miner));
  const withPa = results.filter((r) => r.parsingAccuracy !== null);
  const totalLines = results.reduce((s, r) => s + r.lines, 0);
  const totalSeconds = results.reduce((s, r) => s + r.lines / r.linesPerSecond, 0);
  const totalCpuSeconds = results.reduce((s, r) => s + r.lines / r.cpuLinesPerSecond, 0);
  const synthetic: SyntheticResult[] = [];
  const syntheticLines = options.syntheticLines ?? 1_000_000;
  if (syntheticLines > 0) {
    for (const t of options.syntheticTemplates ?? DEFAULT_SYNTHETIC_TEMPLATES) synthetic.push(benchSynthetic(syntheticLines, t, options.miner));
  }
  return {
    datasets: results,
    meanGroupingAccuracy: mean(results.map((r) => r.groupingAccuracy)),
    meanParsingAccuracy: withPa.length > 0 ? mean(withPa.map((r) => r.parsingAccuracy!)) : null,
    linesPerSecond: totalLines / Math.max(totalSeconds, 1e-9),
    cpuLinesPerSecond: totalLines / Math.max(totalCpuSeconds, 1e-9),
    repetitions,
    synthetic,
  };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The JSON form written by `bench logs --json`. */
export function reportToJson(report: LogBenchReport): object {
  return {
    datasets: report.datasets.map((d) => ({
      name: d.name,
      groupingAccuracy: d.groupingAccuracy,
      parsingAccuracy: d.parsingAccuracy,
      linesPerSecond: Math.round(d.linesPerSecond),
    })),
    mean: { groupingAccuracy: report.meanGroupingAccuracy, parsingAccuracy: report.meanParsingAccuracy },
    linesPerSecond: Math.round(report.linesPerSecond),
    synthetic: report.synthetic.map((s) => ({ ...s, linesPerSecond: Math.round(s.linesPerSecond), cpuLinesPerSecond: Math.round(s.cpuLinesPerSecond) })),
  };
}

/** The report as text table lines. */
export function formatReport(report: LogBenchReport): string[] {
  const pct = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
  const rate = (x: number): string => Math.round(x).toLocaleString('en-US');
  const rows = [['dataset', 'lines', 'groups mined/true', 'GA', 'PA', 'lines/s']];
  for (const d of report.datasets) {
    rows.push([d.name, String(d.lines), `${d.groupsMined}/${d.groupsTrue}`, pct(d.groupingAccuracy), pct(d.parsingAccuracy), rate(d.linesPerSecond)]);
  }
  rows.push(['mean', '', '', pct(report.meanGroupingAccuracy), pct(report.meanParsingAccuracy), rate(report.linesPerSecond)]);
  const out = table(rows, [false, true, true, true, true, true]);
  out.splice(out.length - 1, 0, '-'.repeat(out[0]!.length));
  out.push(`lines/s: the miner alone, one thread, best of ${report.repetitions} runs after warm-up (${rate(report.cpuLinesPerSecond)} lines per CPU second overall)`);
  if (report.synthetic.length > 0) {
    out.push('', 'Synthetic scaling (deterministic lines, Zipf-distributed templates):');
    const srows = [['templates', 'lines', 'groups mined', 'GA', 'lines/s', 'lines/CPU-s']];
    for (const s of report.synthetic) {
      srows.push([rate(s.templates), rate(s.lines), rate(s.groupsMined), pct(s.groupingAccuracy), rate(s.linesPerSecond), rate(s.cpuLinesPerSecond)]);
    }
    out.push(...table(srows, [true, true, true, true, true, true]));
  }
  return out;
}

function table(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}
