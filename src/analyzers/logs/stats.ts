/**
 * `stats <fn>(<field>) by <fields>, bin(<period>)` over records, in the manner of CloudWatch Logs Insights:
 * groups by the values of one or more fields (a record with several values of a field, such as two exception
 * types, counts in each) and/or a time bin aligned to the epoch; count, sum, avg, min, max or a percentile of
 * a numeric field. Records lacking a grouping field are left out; with a bin and no fields, empty bins are
 * filled with zero so the series has no holes.
 */
import type { TimeWindow } from '../../domain/time.ts';
import { fieldValues } from './filter.ts';
import type { LogRecord } from './record.ts';

export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'p50', 'p90', 'p95', 'p99'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface StatsSpec {
  by: readonly string[];
  binMs?: number;
  aggregate: Aggregate;
  /** The numeric field the aggregate reads (not needed for count). */
  field?: string;
  window: TimeWindow;
}

export interface StatsRow {
  /** The group's values, in the order of `by`. */
  values: string[];
  /** Start of the time bin (epoch ms). */
  bin?: number;
  /** Records in the group. */
  count: number;
  /** The aggregate over the group's numeric values (absent for count, or when none was numeric). */
  value?: number;
}

// At most this many groups are built (a field with unbounded values, such as a request id, stops here).
const MAX_GROUPS = 20_000;
const MAX_FILLED_BINS = 10_000;

interface Group {
  values: string[];
  bin?: number;
  count: number;
  numbers: number[];
  sum: number;
  min: number;
  max: number;
}

/** The leading number of a field value: `5000`, `5000ms` and `1.5` read as numbers; anything else is not one. */
export function numericValue(text: string): number | undefined {
  const n = Number.parseFloat(text);
  return Number.isFinite(n) ? n : undefined;
}

export function computeStats(records: readonly LogRecord[], spec: StatsSpec): { rows: StatsRow[]; groupsCapped: boolean } {
  const groups = new Map<string, Group>();
  let capped = false;
  const keepNumbers = spec.aggregate.startsWith('p');
  for (const r of records) {
    let combos: string[][] = [[]];
    let missing = false;
    for (const field of spec.by) {
      const values = fieldValues(r, field);
      if (!values) {
        missing = true;
        break;
      }
      const next: string[][] = [];
      for (const combo of combos) for (const v of values) next.push([...combo, v]);
      combos = next;
    }
    if (missing) continue;
    const bin = spec.binMs ? Math.floor(r.timestamp / spec.binMs) * spec.binMs : undefined;
    let number: number | undefined;
    if (spec.aggregate !== 'count' && spec.field) {
      const v = fieldValues(r, spec.field);
      number = v ? numericValue(v[0]!) : undefined;
    }
    for (const values of combos) {
      const key = `${bin ?? ''}\u0001${values.join('\u0000')}`;
      let g = groups.get(key);
      if (!g) {
        if (groups.size >= MAX_GROUPS) {
          capped = true;
          continue;
        }
        g = { values, ...(bin !== undefined ? { bin } : {}), count: 0, numbers: [], sum: 0, min: Infinity, max: -Infinity };
        groups.set(key, g);
      }
      g.count++;
      if (number !== undefined) {
        g.sum += number;
        if (number < g.min) g.min = number;
        if (number > g.max) g.max = number;
        if (keepNumbers || spec.aggregate === 'avg') g.numbers.push(number);
      }
    }
  }
  if (spec.binMs && spec.by.length === 0) fillBins(groups, spec.binMs, spec.window);
  const rows: StatsRow[] = [];
  for (const g of groups.values()) {
    const row: StatsRow = { values: g.values, count: g.count, ...(g.bin !== undefined ? { bin: g.bin } : {}) };
    const value = aggregateValue(spec.aggregate, g);
    if (value !== undefined) row.value = value;
    rows.push(row);
  }
  return { rows, groupsCapped: capped };
}

function fillBins(groups: Map<string, Group>, binMs: number, window: TimeWindow): void {
  const first = Math.floor(window.start / binMs) * binMs;
  const last = Math.floor(window.end / binMs) * binMs;
  if ((last - first) / binMs > MAX_FILLED_BINS) return;
  for (let t = first; t <= last; t += binMs) {
    const key = `${t}\u0001`;
    if (!groups.has(key)) groups.set(key, { values: [], bin: t, count: 0, numbers: [], sum: 0, min: Infinity, max: -Infinity });
  }
}

function aggregateValue(fn: Aggregate, g: Group): number | undefined {
  // No numeric value in the group: min stayed at its initial Infinity.
  if (fn === 'count' || !Number.isFinite(g.min)) return undefined;
  switch (fn) {
    case 'sum':
      return round(g.sum);
    case 'avg':
      return round(g.sum / g.numbers.length);
    case 'min':
      return g.min;
    case 'max':
      return g.max;
    default: {
      const q = Number(fn.slice(1)) / 100;
      const sorted = g.numbers.slice().sort((a, b) => a - b);
      // Nearest rank, as Logs Insights' pct().
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
