/**
 * Log patterns around an incident: lines are grouped into templates by the template miner, and each template
 * is compared before and after a pivot (the alarm, a rollout): how often it occurred on each side, whether it
 * is new (absent before the pivot), its rate change, who logged it and which error signatures it carries.
 * This is how a model or the specialist finds "templates that are new or spike near the incident".
 */
import type { TimeWindow } from '../../domain/time.ts';
import { Counter } from './counter.ts';
import { type LogLevel, levelRank, maxLevel } from './level.ts';
import { type LogRecord, workloadResource } from './record.ts';
import { recordSignature, sampleText } from './record-facts.ts';
import { type ErrorSignature, mergeSignature } from './signatures.ts';
import { TemplateMiner } from './template-miner.ts';

/** A template whose rate after the pivot is at least this multiple of its rate before counts as spiking. */
export const SPIKE_RATIO = 3;
/** ... and it must occur at least this often after the pivot. */
export const MIN_SPIKE_COUNT = 3;
/** Distinct lines per pattern whose signatures are read (their variables differ: hosts, ports, codes). */
const SIGNATURE_SAMPLES = 25;
const LISTED = 10;

export interface PatternOptions {
  window: TimeWindow;
  /** Epoch ms inside the window; lines at or after it count as "after". */
  pivot: number;
  minOccurrences: number;
}

export interface PatternStat {
  /** The template: constant words, variables as `<*>`. */
  template: string;
  count: number;
  countBefore: number;
  countAfter: number;
  /** Absent before the pivot, present after. */
  isNew: boolean;
  /** Rate after the pivot over rate before (per unit of time); undefined when absent before. */
  spikeRatio?: number;
  /** New, or spiking (ratio ≥ SPIKE_RATIO with at least MIN_SPIKE_COUNT lines after). */
  anomalous: boolean;
  firstSeen: number;
  lastSeen: number;
  /** The most severe level among its lines. */
  level: LogLevel;
  services: string[];
  workloads: string[];
  pods: string[];
  podCount: number;
  images: string[];
  signature: ErrorSignature;
  /** One line of the pattern: the first after the pivot, else the latest. */
  sample: string;
}

interface Acc {
  count: number;
  before: number;
  after: number;
  first: number;
  last: number;
  level: LogLevel;
  services: Counter;
  workloads: Counter;
  pods: Counter;
  images: Counter;
  signature: ErrorSignature;
  sampled: Set<string>;
  sampleAfter?: LogRecord;
  latest: LogRecord;
}

export interface PatternAnalysis {
  patterns: PatternStat[];
  /** Lines analysed. */
  lines: number;
  /** Templates found before min_occurrences was applied. */
  templates: number;
}

/** Groups the records into templates and compares each before and after the pivot; ranked (see rankPatterns). */
export function analyzePatterns(records: readonly LogRecord[], options: PatternOptions): PatternAnalysis {
  const miner = new TemplateMiner();
  const ids = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) ids[i] = miner.add(records[i]!.message);

  const accs = new Map<number, Acc>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const id = miner.resolve(ids[i]!);
    let acc = accs.get(id);
    if (!acc) {
      acc = {
        count: 0, before: 0, after: 0, first: r.timestamp, last: r.timestamp, level: r.level,
        services: new Counter(), workloads: new Counter(), pods: new Counter(), images: new Counter(),
        signature: {}, sampled: new Set(), latest: r,
      };
      accs.set(id, acc);
    }
    acc.count++;
    if (r.timestamp >= options.pivot) {
      acc.after++;
      acc.sampleAfter ??= r;
    } else acc.before++;
    if (r.timestamp < acc.first) acc.first = r.timestamp;
    if (r.timestamp >= acc.last) {
      acc.last = r.timestamp;
      acc.latest = r;
    }
    acc.level = maxLevel(acc.level, r.level);
    acc.services.add(r.service);
    acc.workloads.add(workloadResource(r));
    acc.pods.add(r.pod);
    acc.images.add(r.image);
    if (acc.sampled.size < SIGNATURE_SAMPLES && !acc.sampled.has(r.message)) {
      acc.sampled.add(r.message);
      mergeSignature(acc.signature, recordSignature(r));
    }
  }

  const beforeMs = Math.max(0, options.pivot - options.window.start);
  const afterMs = Math.max(0, options.window.end - options.pivot);
  const patterns: PatternStat[] = [];
  for (const [id, acc] of accs) {
    if (acc.count < options.minOccurrences) continue;
    const isNew = acc.before === 0 && acc.after > 0;
    let spikeRatio: number | undefined;
    if (acc.before > 0 && beforeMs > 0) {
      spikeRatio = afterMs > 0 ? round2(acc.after / afterMs / (acc.before / beforeMs)) : 0;
    }
    const spiking = spikeRatio !== undefined && spikeRatio >= SPIKE_RATIO && acc.after >= MIN_SPIKE_COUNT;
    patterns.push({
      template: miner.template(id).template,
      count: acc.count,
      countBefore: acc.before,
      countAfter: acc.after,
      isNew,
      ...(spikeRatio !== undefined ? { spikeRatio } : {}),
      anomalous: isNew || spiking,
      firstSeen: acc.first,
      lastSeen: acc.last,
      level: acc.level,
      services: acc.services.top(LISTED),
      workloads: acc.workloads.top(LISTED),
      pods: acc.pods.top(LISTED),
      podCount: acc.pods.size,
      images: acc.images.top(LISTED),
      signature: acc.signature,
      sample: sampleText(acc.sampleAfter ?? acc.latest),
    });
  }
  return { patterns: rankPatterns(patterns), lines: records.length, templates: accs.size };
}

/**
 * Most telling first: anomalous (new or spiking) warnings and errors, then other anomalous patterns, then
 * other warnings and errors, then the rest; within each tier by count after the pivot, then total count.
 */
export function rankPatterns(patterns: PatternStat[]): PatternStat[] {
  const tier = (p: PatternStat): number => {
    const severe = levelRank(p.level) >= levelRank('WARN');
    if (p.anomalous && severe) return 0;
    if (p.anomalous) return 1;
    if (severe) return 2;
    return 3;
  };
  return patterns.sort(
    (a, b) => tier(a) - tier(b) || levelRank(b.level) - levelRank(a.level) || b.countAfter - a.countAfter || b.count - a.count || a.firstSeen - b.firstSeen,
  );
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
