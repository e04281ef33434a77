/**
 * Container logs as `kubectl logs --timestamps` prints them: an RFC 3339 timestamp, a space, the line. Lines
 * without a timestamp (a recording's continuation lines) inherit the previous line's time, so a time filter
 * keeps a stack trace together with the line that started it.
 */
import { parseInstant } from '../domain/time.ts';
import { iso } from './objects.ts';

export interface LogLine {
  /** Epoch ms, when known. */
  time?: number;
  message: string;
}

const STAMP_RE = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)(?: |\t|$)(.*)$/;

export function parseTimestampedLog(text: string): LogLine[] {
  const out: LogLine[] = [];
  let last: number | undefined;
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const m = STAMP_RE.exec(line);
    const t = m ? parseInstant(m[1]!) : null;
    if (m && t !== null) {
      last = t;
      out.push({ time: t, message: m[2]! });
    } else {
      out.push({ ...(last !== undefined ? { time: last } : {}), message: line });
    }
  }
  return out;
}

/** A case-insensitive matcher: the pattern as a regular expression, or as plain text when it is not one. */
export function logMatcher(pattern: string): (line: string) => boolean {
  try {
    const re = new RegExp(pattern, 'i');
    return (line) => re.test(line);
  } catch {
    const needle = pattern.toLowerCase();
    return (line) => line.toLowerCase().includes(needle);
  }
}

export interface LogFilter {
  since?: number;
  until?: number;
  pattern?: string;
  /** Keep the last `limit` matching lines, as `--tail` does. */
  limit: number;
}

export interface FilteredLog {
  lines: Array<{ timestamp?: string; message: string }>;
  total_count: number;
  truncated: boolean;
}

export function filterLog(lines: readonly LogLine[], filter: LogFilter): FilteredLog {
  const match = filter.pattern ? logMatcher(filter.pattern) : undefined;
  const kept = lines.filter(
    (l) =>
      (filter.since === undefined || (l.time !== undefined && l.time >= filter.since)) &&
      (filter.until === undefined || (l.time !== undefined && l.time <= filter.until)) &&
      (!match || match(l.message)),
  );
  const tail = kept.slice(Math.max(0, kept.length - filter.limit));
  return {
    lines: tail.map((l) => ({ ...(l.time !== undefined ? { timestamp: iso(l.time) } : {}), message: l.message })),
    total_count: kept.length,
    truncated: kept.length > tail.length,
  };
}

const ERROR_WORDS = /\b(error|exception|fatal|panic|traceback|killed|refused|denied|timed? ?out|not found|no such|cannot|can't|unable|failed|invalid|missing|out of memory|oom)\b|Error:|Exception:/i;
// Stack frames and source excerpts: Java `at ...`, Python `File "..."`, caret markers, Go goroutine frames.
const FRAME = /^\s+(at |\.\.\. \d+ more|File ")|^\s*[\^~]+\s*$|^\s+\S+\.go:\d+/;

/**
 * The line that best says why a container died: the last error-like line that is not a stack frame (a Python
 * traceback ends with it; a Java one starts with it, so the first exception line of the last trace wins).
 */
export function lastErrorLine(lines: readonly LogLine[]): LogLine | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!FRAME.test(line.message) && ERROR_WORDS.test(line.message)) {
      // Walk back over a Java-style trace to the exception line that opened it.
      let j = i;
      while (j > 0 && /^\s+at |^Caused by:/.test(lines[j]!.message)) j--;
      return lines[j];
    }
  }
  return undefined;
}
