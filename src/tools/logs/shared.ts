/**
 * What every logs operation shares: reading a window of records through the provider (parsed once per event,
 * stack traces re-joined), resolving log-group and service arguments, and rendering records as tool output.
 */
import {
  CONTINUATION_GAP_MS, type ErrorSignature, type LogLevel, type LogRecord, isEmptySignature, joinMultiline, matchesSource, parseLogEvent,
  recordSignature, workloadResource,
} from '../../analyzers/logs/index.ts';
import { fieldValues } from '../../analyzers/logs/filter.ts';
import { InputError } from '../../domain/errors.ts';
import { type TimeWindow, toIso } from '../../domain/time.ts';
import type { LogEventRecord, LogsProvider } from '../../providers/logs/port.ts';
import { timeArgument } from '../common.ts';
import { ToolError } from '../errors.ts';

export const HOUR_MS = 3_600_000;

/** Operation arguments: their declared shape, and still a record for the shared argument helpers. */
export type ToolArgs<T> = T & Record<string, unknown>;
/** Events one call reads at most; beyond it the newest are kept and results say `partial`. */
export const MAX_SCAN_EVENTS = 50_000;
const MAX_MESSAGE = 2_000;
const MAX_SAMPLE = 500;
const MAX_TRACE_LINES = 60;
const MAX_TRACE_CHARS = 6_000;

// Events are parsed once per process: by object when the provider hands out the same objects (the fixture
// provider), by group and eventId when it returns fresh copies of the same events (CloudWatch, in a warm Lambda).
const parsedEvents = new WeakMap<LogEventRecord, LogRecord>();
const parsedById = new Map<string, LogRecord>();
const MAX_CACHED_IDS = 100_000;

function parseCached(event: LogEventRecord): LogRecord {
  let record = parsedEvents.get(event);
  if (record) return record;
  const key = event.eventId ? `${event.logGroupName}\u0000${event.eventId}` : undefined;
  record = key ? parsedById.get(key) : undefined;
  if (!record || record.eventTimestamp !== event.timestamp || record.logStream !== event.logStreamName) {
    record = parseLogEvent(event);
    if (key) {
      if (parsedById.size >= MAX_CACHED_IDS) parsedById.clear();
      parsedById.set(key, record);
    }
  }
  parsedEvents.set(event, record);
  return record;
}

export interface LoadedRecords {
  /** Entries in the window, ascending by time. */
  records: LogRecord[];
  /** The provider stopped at MAX_SCAN_EVENTS: counts are lower bounds. */
  partial: boolean;
}

/**
 * The records of a window. The query is padded by the continuation gap on both sides so that a trace
 * straddling an edge is joined to its entry; entries are then kept by their own time.
 */
export async function loadRecords(
  provider: LogsProvider,
  window: TimeWindow,
  options: { logGroupNames?: string[]; anyOf?: string[] } = {},
): Promise<LoadedRecords> {
  const result = await provider.queryEvents({
    start: window.start - CONTINUATION_GAP_MS,
    end: window.end + CONTINUATION_GAP_MS,
    ...(options.logGroupNames ? { logGroupNames: options.logGroupNames } : {}),
    ...(options.anyOf?.length ? { anyOf: options.anyOf } : {}),
    limit: MAX_SCAN_EVENTS,
  });
  const joined = joinMultiline(result.events.map(parseCached));
  const records = joined.filter((r) => r.timestamp >= window.start && r.timestamp <= window.end);
  return { records, partial: result.truncated };
}

/**
 * Log groups named by an argument: each a full name, or a part of exactly one known group's name
 * (case-insensitive). Undefined when none was given (every group).
 */
export async function resolveLogGroups(provider: LogsProvider, requested: readonly string[] | undefined, field: string): Promise<string[] | undefined> {
  if (!requested?.length) return undefined;
  const known = await provider.listLogGroups();
  const out: string[] = [];
  for (const name of requested) {
    if (known.includes(name)) {
      out.push(name);
      continue;
    }
    const lower = name.toLowerCase();
    const candidates = known.filter((g) => g.toLowerCase().includes(lower));
    if (candidates.length === 1) out.push(candidates[0]!);
    else if (candidates.length > 1) {
      throw new InputError(`argument '${field}': '${name}' matches several log groups (${candidates.join(', ')}); give one full name`, field);
    } else {
      throw new ToolError('NotFound', `No log group '${name}'. Log groups: ${known.join(', ') || 'none'}`, field);
    }
  }
  return [...new Set(out)];
}

export function logGroupArgument(args: Record<string, unknown>): string[] | undefined {
  return typeof args.log_group === 'string' ? [args.log_group] : undefined;
}

/**
 * Keeps the records of a source (service, workload, pod... see matchesSource). A name that logged nothing in
 * the window is a NotFound error listing those that did, so a caller can correct a wrong name.
 */
export function filterSource(records: readonly LogRecord[], source: string | undefined, window: TimeWindow, field = 'service'): LogRecord[] {
  if (!source) return records as LogRecord[];
  const out = records.filter((r) => matchesSource(r, source));
  if (out.length === 0) throw sourceNotFound(records, source, window, field);
  return out;
}

export function sourceNotFound(records: readonly LogRecord[], source: string, window: TimeWindow, field = 'service'): ToolError {
  const services = [...new Set(records.map((r) => r.service))].sort();
  const shown = services.slice(0, 30).join(', ') + (services.length > 30 ? `, and ${services.length - 30} more` : '');
  return new ToolError(
    'NotFound',
    `No log lines from '${source}' between ${toIso(window.start)} and ${toIso(window.end)}. Services that logged then: ${shown || 'none'}`,
    field,
  );
}

/** A pivot time argument inside the window; the window's middle by default. */
export function pivotArgument(args: Record<string, unknown>, now: number, window: TimeWindow): number {
  const pivot = timeArgument(args, 'pivot_time', now);
  if (pivot === undefined) return window.start + Math.floor((window.end - window.start) / 2);
  if (pivot < window.start || pivot > window.end) {
    throw new InputError(
      `argument 'pivot_time' (${toIso(pivot)}) must fall inside the window ${toIso(window.start)} – ${toIso(window.end)}`,
      'pivot_time',
    );
  }
  return pivot;
}

export function windowOutput(window: TimeWindow): { start: string; end: string } {
  return { start: toIso(window.start), end: toIso(window.end) };
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function clipSample(text: string): string {
  return clip(text, MAX_SAMPLE);
}

function clipTrace(trace: string): string {
  const lines = trace.split('\n');
  let out = lines.slice(0, MAX_TRACE_LINES).join('\n');
  if (out.length > MAX_TRACE_CHARS) out = out.slice(0, MAX_TRACE_CHARS);
  const omitted = lines.length - MAX_TRACE_LINES;
  return omitted > 0 ? `${out}\n... (${omitted} more lines)` : out;
}

export interface LogLineOutput {
  timestamp: string;
  level: LogLevel;
  message: string;
  service: string;
  namespace?: string;
  pod?: string;
  container?: string;
  workload?: string;
  log_group: string;
  stack_trace?: string;
  correlation_id?: string;
  signature?: ErrorSignature;
  fields?: Array<{ name: string; value: string }>;
}

/** A record as a tool returns it: compact, optional facts only when present. */
export function toLogLine(record: LogRecord, fields?: readonly string[]): LogLineOutput {
  const out: LogLineOutput = {
    timestamp: toIso(record.timestamp),
    level: record.level,
    message: clip(record.message, MAX_MESSAGE),
    service: record.service,
    log_group: record.logGroup,
  };
  if (record.namespace) out.namespace = record.namespace;
  if (record.pod) out.pod = record.pod;
  if (record.container) out.container = record.container;
  const workload = workloadResource(record);
  if (workload) out.workload = workload;
  if (record.stackTrace) out.stack_trace = clipTrace(record.stackTrace);
  if (record.correlationId) out.correlation_id = record.correlationId;
  const signature = recordSignature(record);
  if (!isEmptySignature(signature)) out.signature = signature;
  if (fields?.length) {
    const values: Array<{ name: string; value: string }> = [];
    for (const name of fields) {
      const v = fieldValues(record, name);
      if (v) values.push({ name, value: clip(v.join(', '), MAX_SAMPLE) });
    }
    out.fields = values;
  }
  return out;
}

/** The newest `limit` records, in time order, with what was left out. */
export function newest<T>(items: readonly T[], limit: number): { items: T[]; total_count: number; truncated: boolean } {
  return { items: items.slice(Math.max(0, items.length - limit)), total_count: items.length, truncated: items.length > limit };
}

export function partialFlag(partial: boolean): { partial?: true } {
  return partial ? { partial: true } : {};
}
