/** Helpers every backend's operations share: time windows on the investigation clock, and bounded lists. */
import { InputError } from '../domain/errors.ts';
import { parseDuration, parseTimeExpression, type TimeWindow } from '../domain/time.ts';

/** A point in time from an argument: ISO instant, relative (`30m` before now), `now` or epoch ms. */
export function timeArgument(args: Record<string, unknown>, field: string, now: number): number | undefined {
  const value = args[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new InputError(`argument '${field}' must be an ISO 8601 instant or a relative time such as 30m`, field);
  }
  const t = parseTimeExpression(value, now);
  if (t === null) {
    throw new InputError(
      `argument '${field}' is not a time: '${String(value)}' (use an ISO 8601 instant like 2026-03-14T10:00:00Z or a relative window like 30m, 6h, 7d)`,
      field,
    );
  }
  return t;
}

/** A duration argument such as `time_window: "6h"`, in ms. */
export function durationArgument(args: Record<string, unknown>, field: string): number | undefined {
  const value = args[field];
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'string' ? parseDuration(value) : null;
  if (ms === null || ms <= 0) {
    throw new InputError(`argument '${field}' must be a duration such as 15m, 1h, 6h, 24h or 7d (got '${String(value)}')`, field);
  }
  return ms;
}

export interface WindowFields {
  start?: string;
  end?: string;
  /** A duration ending at `end` (or now), e.g. `time_window: 6h`. */
  window?: string;
  /** A lower bound only, e.g. `since: 30m` or an instant. */
  since?: string;
}

/**
 * Resolves a query window from whichever of the given fields the call used. Precedence: explicit start, then
 * since, then a window length back from the end; the default lookback otherwise. End defaults to now.
 */
export function resolveWindow(
  args: Record<string, unknown>,
  now: number,
  fields: WindowFields,
  defaultLookbackMs: number,
): TimeWindow {
  const end = (fields.end ? timeArgument(args, fields.end, now) : undefined) ?? now;
  const explicitStart = fields.start ? timeArgument(args, fields.start, now) : undefined;
  const since = fields.since ? timeArgument(args, fields.since, now) : undefined;
  const length = fields.window ? durationArgument(args, fields.window) : undefined;
  const start = explicitStart ?? since ?? end - (length ?? defaultLookbackMs);
  if (start > end) {
    const field = fields.start && explicitStart !== undefined ? fields.start : (fields.since ?? fields.end ?? 'start');
    throw new InputError(`the window starts after it ends (${new Date(start).toISOString()} > ${new Date(end).toISOString()})`, field);
  }
  return { start, end };
}

export interface Bounded<T> {
  items: T[];
  total_count: number;
  truncated: boolean;
}

/** The first `limit` items with the total count, so callers know what they did not see. */
export function bounded<T>(items: readonly T[], limit: number): Bounded<T> {
  return { items: items.slice(0, Math.max(0, limit)), total_count: items.length, truncated: items.length > limit };
}
