/**
 * Structured log lines: JSON objects (zap, logrus JSON, pino, bunyan, structlog, ECS, Serilog compact) and
 * logfmt (`time=... level=error msg="..."`). Both parsers are single pass; neither throws.
 */

export type Fields = Record<string, unknown>;

/** The object a line holds when the whole line is a JSON object; undefined otherwise (cheap pre-check first). */
export function parseJsonObject(line: string): Fields | undefined {
  const first = line.charCodeAt(0);
  if (first !== 123 /* { */) return undefined;
  const last = line.charCodeAt(line.length - 1);
  if (last !== 125 /* } */) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `key=value` pairs of a line, values optionally double-quoted with backslash escapes. Bare words between pairs
 * are skipped, so `request failed status=503 path=/x` yields status and path. Keys are `[\w.-]+`.
 */
export function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 32) i++;
    const keyStart = i;
    while (i < n && isKeyChar(line.charCodeAt(i))) i++;
    const keyEnd = i;
    if (keyEnd > keyStart && i < n && line.charCodeAt(i) === 61 /* = */) {
      i++;
      let value: string;
      if (i < n && line.charCodeAt(i) === 34 /* " */) {
        i++;
        let buf = '';
        let segStart = i;
        while (i < n && line.charCodeAt(i) !== 34) {
          if (line.charCodeAt(i) === 92 /* \ */ && i + 1 < n) {
            buf += line.slice(segStart, i);
            const esc = line[i + 1]!;
            buf += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc;
            i += 2;
            segStart = i;
          } else i++;
        }
        buf += line.slice(segStart, i);
        value = buf;
        if (i < n) i++; // closing quote
      } else {
        const valueStart = i;
        while (i < n && line.charCodeAt(i) > 32) i++;
        value = line.slice(valueStart, i);
      }
      out[line.slice(keyStart, keyEnd)] = value;
      continue;
    }
    // Not a pair: skip the rest of this word.
    while (i < n && line.charCodeAt(i) > 32) {
      if (line.charCodeAt(i) === 34) {
        i++;
        while (i < n && line.charCodeAt(i) !== 34) i++;
      }
      i++;
    }
  }
  return out;
}

function isKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45 || c === 64;
}

/** True when a line reads as logfmt: it starts with a `key=` pair and holds a level, msg or time key. */
export function looksLikeLogfmt(line: string): boolean {
  let i = 0;
  const n = Math.min(line.length, 64);
  while (i < n && isKeyChar(line.charCodeAt(i))) i++;
  if (i === 0 || line.charCodeAt(i) !== 61) return false;
  return /(?:^|\s)(?:level|lvl|severity|msg|message|time|ts|t)=/.test(line.length > 400 ? line.slice(0, 400) : line);
}

/**
 * A field by name: the exact key first (`log.level`, ECS style), then a dotted path into nested objects
 * (`http.status_code` in `{"http": {"status_code": 503}}`).
 */
export function getField(fields: Fields, name: string): unknown {
  const direct = fields[name];
  if (direct !== undefined) return direct;
  const parts = pathParts(name);
  if (!parts) return undefined;
  let node: unknown = fields;
  for (const part of parts) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Fields)[part];
  }
  return node;
}

// Field names are few and repeat on every line: split each dotted name once.
const splitNames = new Map<string, string[] | null>();

function pathParts(name: string): string[] | null {
  let parts = splitNames.get(name);
  if (parts === undefined) {
    parts = name.includes('.') ? name.split('.') : null;
    if (splitNames.size < 10_000) splitNames.set(name, parts);
  }
  return parts;
}

/** The first of the names whose value is present (not null or empty). */
export function firstField(fields: Fields, names: readonly string[]): unknown {
  for (const name of names) {
    const value = getField(fields, name);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** A scalar rendered as text for matching and grouping; objects and arrays as compact JSON. */
export function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
