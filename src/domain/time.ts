/**
 * Time parsing shared by every tool: ISO 8601 instants in the forms production data uses, and relative
 * windows (`30m`, `6h`) measured from the investigation clock (the scenario's `now`, or the wall clock).
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  sec: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|hr|d|w)$/i;
// 2026-03-14T10:31:52Z, 2026-03-14T10:31:52.310+0000, 2026-03-14 10:31:52+00:00, 2026-03-14T10:31:52.123456789Z
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds in a duration like `30m`, `6h`, `7d`, `90s`; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return null;
  const unit = DURATION_UNITS[m[2]!.toLowerCase()]!;
  return Math.round(Number(m[1]) * unit);
}

/**
 * Epoch milliseconds of an ISO 8601 instant, accepting `Z`, `+00:00`, `+0000`, `+00`, fractional seconds of any
 * precision (truncated to ms) and a space instead of `T`. A missing offset means UTC. Null when not an instant.
 */
export function parseInstant(text: string): number | null {
  const m = INSTANT_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), s ? Number(s) : 0, ms);
  if (Number.isNaN(t)) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    t -= sign * offsetMin * 60_000;
  }
  // Reject calendar overflow such as 2026-02-31, which Date.UTC silently rolls over.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  return t;
}

/**
 * A point in time given as an ISO instant, a relative window (`30m` = 30 minutes before now), `now`,
 * or epoch milliseconds. Null when the value is none of these.
 */
export function parseTimeExpression(value: string | number, now: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  if (text.toLowerCase() === 'now') return now;
  const duration = parseDuration(text.replace(/^-/, '').replace(/\s*ago$/i, ''));
  if (duration !== null) return now - duration;
  if (/^\d{12,14}$/.test(text)) return Number(text);
  return parseInstant(text);
}

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export interface TimeWindow {
  start: number;
  end: number;
}
