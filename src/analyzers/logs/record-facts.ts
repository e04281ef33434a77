/**
 * Facts derived from a record on demand and memoised per record object: its error signature, its lower-cased
 * text for case-insensitive search, and its `key=value` pairs when the line is plain text. Records from the
 * parse cache are shared between calls, so each fact is computed at most once per line.
 */
import { levelRank } from './level.ts';
import { ENVELOPE_KEYS } from './line.ts';
import type { LogRecord } from './record.ts';
import { type ErrorSignature, extractSignature, signatureText, statusFromFields } from './signatures.ts';
import { getField, parseLogfmt } from './structured.ts';

const signatures = new WeakMap<LogRecord, ErrorSignature>();
const lowered = new WeakMap<LogRecord, string>();
const pairs = new WeakMap<LogRecord, Record<string, string>>();

const EMPTY: ErrorSignature = Object.freeze({}) as ErrorSignature;
const byText = new Map<string, ErrorSignature>();
const MAX_CACHED_TEXTS = 20_000;

/**
 * The record's error signature. Read from WARN, ERROR and FATAL lines and from lines whose structured HTTP
 * status is 4xx/5xx; informational lines carry none (this keeps the cost proportional to the errors).
 */
export function recordSignature(record: LogRecord): ErrorSignature {
  let sig = signatures.get(record);
  if (sig) return sig;
  const status = statusFromFields(record.fields, getField);
  if (levelRank(record.level) >= levelRank('WARN') || status !== undefined) {
    // Error lines repeat word for word (a retry loop, every pod of a Deployment): extract once per text.
    const text = signatureText(record.message, record.stackTrace);
    const key = status === undefined ? text : `${text}\u0000${status}`;
    sig = byText.get(key);
    if (!sig) {
      // Shared between records: frozen, so that no caller can change another line's signature.
      sig = deepFreeze(extractSignature(text, status));
      if (byText.size >= MAX_CACHED_TEXTS) byText.clear();
      byText.set(key, sig);
    }
  } else {
    sig = EMPTY;
  }
  signatures.set(record, sig);
  return sig;
}

/** The record's searchable text (its line with any joined trace), lower-cased. */
export function lowerText(record: LogRecord): string {
  let text = lowered.get(record);
  if (text === undefined) {
    text = searchText(record).toLowerCase();
    lowered.set(record, text);
  }
  return text;
}

/** What text search runs over: the line as written (JSON included) plus a trace carried in a field. */
export function searchText(record: LogRecord): string {
  return record.stackTrace && !record.line.includes(record.stackTrace) ? `${record.line}\n${record.stackTrace}` : record.line;
}

/** `key=value` pairs of a plain-text line (structured lines use their fields). */
export function textPairs(record: LogRecord): Record<string, string> {
  let kv = pairs.get(record);
  if (!kv) {
    kv = record.line.includes('=') ? parseLogfmt(record.line.length > 4_000 ? record.line.slice(0, 4_000) : record.line) : {};
    pairs.set(record, kv);
  }
  return kv;
}

function deepFreeze(sig: ErrorSignature): ErrorSignature {
  for (const values of Object.values(sig)) Object.freeze(values);
  return Object.freeze(sig);
}

const MAX_SAMPLE_FIELDS = 8;
const MAX_FIELD_VALUE = 60;

/**
 * A structured line as a person reads it: the message, then the scalar fields that are not envelope
 * (`pg pool stats (totalCount=5 idleCount=0 waitingCount=9 max=5)`). A pattern's sample quotes this, so the
 * numbers a structured logger keeps beside its message are not lost. Plain-text lines: the message.
 */
export function sampleText(record: LogRecord): string {
  const fields = record.fields;
  if (!fields) return record.message;
  const facts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (facts.length >= MAX_SAMPLE_FIELDS) break;
    if (ENVELOPE_KEYS.has(key)) continue;
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value === 'string' && value.length <= MAX_FIELD_VALUE ? value : undefined;
    if (text === undefined || text === '' || record.message.includes(`${key}=`)) continue;
    facts.push(`${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`);
  }
  return facts.length ? `${record.message} (${facts.join(' ')})` : record.message;
}
