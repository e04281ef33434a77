/**
 * CloudWatch Logs Insights, the parts that are pure text: the query the logs provider runs and the parsing of
 * GetQueryResults rows back into FilteredLogEvent-shaped records. Kept apart from the API calls so both can be
 * read (and tested) against what the service documents.
 */
import { parseInstant } from '../../domain/time.ts';
import type { LogEventRecord } from './port.ts';

/** Rows one Insights query returns at most (the `limit` command's maximum). */
export const INSIGHTS_MAX_ROWS = 10_000;
/** Log groups one StartQuery may name. */
export const INSIGHTS_MAX_GROUPS = 50;
/** StartQuery rejects longer query strings. */
const MAX_QUERY_LENGTH = 10_000;

/** A literal inside an Insights `/regex/`: regex metacharacters and the delimiter escaped, line breaks flattened. */
export function regexLiteral(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The events of a window, newest first, at most `limit`: the four fields a FilteredLogEvent needs (Insights adds
 * `@ptr`, which identifies an event across overlapping queries). `anyOf` becomes one case-insensitive regex; a
 * hint list too long for a query is dropped (the port allows extra events, and the caller filters again).
 */
export function buildInsightsQuery(anyOf: readonly string[] | undefined, limit: number): string {
  const lines = ['fields @timestamp, @message, @logStream, @log'];
  const terms = (anyOf ?? []).map((t) => t.trim()).filter(Boolean);
  const base = ['| sort @timestamp desc', `| limit ${Math.max(1, Math.min(INSIGHTS_MAX_ROWS, Math.floor(limit)))}`];
  if (terms.length) {
    const filter = `| filter @message like /(?i)(${terms.map(regexLiteral).join('|')})/`;
    if (lines[0]!.length + filter.length + base.join('\n').length + 2 < MAX_QUERY_LENGTH) lines.push(filter);
  }
  return [...lines, ...base].join('\n');
}

export interface InsightsField {
  field?: string;
  value?: string;
}

export interface InsightsRow {
  event: LogEventRecord;
  /** `@ptr`: unique per event, to drop the overlap between consecutive queries. */
  ptr: string | undefined;
}

/**
 * `@timestamp` as Insights prints it: `2026-03-14 10:31:59.123`, UTC without a zone designator. ISO forms and
 * epoch milliseconds are accepted too, for robustness.
 */
export function parseInsightsTimestamp(value: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)$/.exec(value.trim());
  if (m) {
    const [, day, time] = m;
    const [hms, frac = ''] = time!.split('.');
    const t = Date.parse(`${day}T${hms}.${(frac + '000').slice(0, 3)}Z`);
    return Number.isFinite(t) ? t : null;
  }
  if (/^\d{12,14}$/.test(value.trim())) return Number(value);
  return parseInstant(value);
}

/**
 * `@log` is `<account id>:<log group name>`; the group name is what FilterLogEvents and the rest of the
 * project use, so the account prefix is removed.
 */
export function logGroupOfField(value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  const m = /^\d{12}:(.+)$/.exec(value);
  return m ? m[1]! : value;
}

/** One GetQueryResults row as a record; null when it lacks a timestamp or a message. */
export function parseInsightsRow(row: readonly InsightsField[], fallbackGroup: string): InsightsRow | null {
  const fields = new Map<string, string>();
  for (const f of row) if (f.field && f.value !== undefined) fields.set(f.field, f.value);
  const ts = fields.get('@timestamp');
  const message = fields.get('@message');
  const timestamp = ts === undefined ? null : parseInsightsTimestamp(ts);
  if (timestamp === null || message === undefined) return null;
  return {
    event: {
      logGroupName: logGroupOfField(fields.get('@log'), fallbackGroup),
      logStreamName: fields.get('@logStream') ?? '',
      timestamp,
      message,
    },
    ptr: fields.get('@ptr'),
  };
}
