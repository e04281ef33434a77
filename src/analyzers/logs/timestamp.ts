/**
 * Timestamps inside log lines: the leading stamp of the common text formats, the access-log stamp, and the
 * values of structured `time` fields. Anchored patterns only (no scanning regexes), so a line costs one or two
 * `exec` calls. Zone-less stamps are read as UTC; stamps without a year (syslog, klog) or without a date take
 * them from the reference time (the CloudWatch event's timestamp), choosing the nearest candidate.
 */
import { parseInstant } from '../../domain/time.ts';

export interface LeadingTimestamp {
  /** Epoch ms. */
  ms: number;
  /** Index just after the stamp (and its closing bracket, when bracketed). */
  end: number;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// 2026-03-14T10:31:52.123Z, 2026-03-14 10:31:52,123 +0000, [2026-03-14T10:31:52.123456789+00:00], 2026/03/14 10:31:52
const DATE_TIME_RE =
  /^\[?(\d{4})([-/])(\d{2})\2(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)\b)?\]?/i;
// Mar 14 10:31:52 (syslog)
const SYSLOG_RE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/;
// 10:31:52.123 (logback's default pattern: time of day only)
const TIME_ONLY_RE = /^\[?(\d{2}):(\d{2}):(\d{2})[.,](\d{3,6})\]?/;
// [14/Mar/2026:10:31:52 +0000] (Apache / nginx access logs), found after the client address.
const CLF_RE = /\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]/;

function fraction(text: string | undefined): number {
  return text ? Number(text.slice(0, 3).padEnd(3, '0')) : 0;
}

function offsetMs(zone: string | undefined): number {
  if (!zone) return 0;
  const z = zone.toUpperCase();
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  const sign = z.startsWith('-') ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0)) * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 0 || mo > 11 || d < 1) return false;
  const leap = mo === 1 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[mo]! + (leap ? 1 : 0);
}

/** The candidate year (reference year, one before, one after) that puts month/day/time nearest the reference. */
function nearestYear(mo: number, d: number, h: number, mi: number, s: number, ms: number, ref: number): number | undefined {
  const year = new Date(ref).getUTCFullYear();
  let best: number | undefined;
  for (const y of [year - 1, year, year + 1]) {
    if (!validDate(y, mo, d)) continue;
    const t = Date.UTC(y, mo, d, h, mi, s, ms);
    if (best === undefined || Math.abs(t - ref) < Math.abs(best - ref)) best = t;
  }
  return best;
}

/** A stamp at the very start of a line, in any of the text formats above. */
export function leadingTimestamp(line: string, ref: number): LeadingTimestamp | undefined {
  const c = line.charCodeAt(0);
  const bracket = c === 91; /* [ */
  const first = bracket ? line.charCodeAt(1) : c;
  if (first >= 48 && first <= 57) {
    let m = DATE_TIME_RE.exec(line);
    if (m) {
      const [, y, , mo, d, h, mi, s, frac, zone] = m;
      const month = Number(mo) - 1;
      if (!validDate(Number(y), month, Number(d))) return undefined;
      const ms = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s), fraction(frac)) - offsetMs(zone);
      return { ms, end: m[0].length };
    }
    m = TIME_ONLY_RE.exec(line);
    if (m) {
      const [, h, mi, s, frac] = m;
      const day = new Date(ref);
      let best: number | undefined;
      for (const shift of [-1, 0, 1]) {
        const t = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + shift, Number(h), Number(mi), Number(s), fraction(frac));
        if (best === undefined || Math.abs(t - ref) < Math.abs(best - ref)) best = t;
      }
      return { ms: best!, end: m[0].length };
    }
    return undefined;
  }
  if (!bracket && first >= 65 && first <= 90) {
    const m = SYSLOG_RE.exec(line);
    if (!m) return undefined;
    const month = MONTHS[m[1]!.toLowerCase()];
    if (month === undefined) return undefined;
    const ms = nearestYear(month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), fraction(m[6]), ref);
    return ms === undefined ? undefined : { ms, end: m[0].length };
  }
  return undefined;
}

/** The `[14/Mar/2026:10:31:52 +0000]` stamp of an access-log line, searched in its first 120 characters. */
export function accessLogTimestamp(line: string): number | undefined {
  const m = CLF_RE.exec(line.length > 120 ? line.slice(0, 120) : line);
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined || !validDate(Number(m[3]), month, Number(m[1]))) return undefined;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMs(m[7]);
}

/** klog's `MMDD hh:mm:ss.uuuuuu` (after the level letter), dated by the reference year. */
export function klogTimestamp(mmdd: string, time: string, ref: number): number | undefined {
  const mo = Number(mmdd.slice(0, 2)) - 1;
  const d = Number(mmdd.slice(2, 4));
  const [h, mi, rest] = time.split(':');
  const [s, frac] = (rest ?? '').split('.');
  return nearestYear(mo, d, Number(h), Number(mi), Number(s), fraction(frac), ref);
}

/**
 * The value of a structured time field: an ISO 8601 string (any offset form, comma or dot fractions, a
 * trailing `UTC`), epoch seconds / ms / µs / ns as a number or digit string, or Mongo's `{"$date": ...}`.
 */
export function timestampValue(value: unknown, ref: number): number | undefined {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+(?:\.\d+)?$/.test(text)) return epochToMs(Number(text));
    const iso = parseInstant(text.replace(/ ?(?:UTC|GMT)$/i, 'Z'));
    if (iso !== null) return iso;
    const lead = leadingTimestamp(text, ref);
    return lead && lead.end >= text.length - 1 ? lead.ms : undefined;
  }
  if (value && typeof value === 'object' && '$date' in value) return timestampValue((value as { $date: unknown }).$date, ref);
  return undefined;
}

function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n < 1e11) return Math.round(n * 1000); // seconds (zap's `ts`, Python's `created`)
  if (n < 1e14) return Math.round(n); // milliseconds
  if (n < 1e17) return Math.round(n / 1e3); // microseconds
  return Math.round(n / 1e6); // nanoseconds
}
