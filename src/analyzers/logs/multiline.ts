/**
 * Re-joins multi-line entries that arrive one line per event (a shipper without a multiline parser, or
 * CloudWatch agents splitting on newlines) into the event that started them: Java traces (`\tat ...`,
 * `Caused by:`, `... 12 more`), Python tracebacks (`Traceback (most recent call last):` through the exception
 * line, chained tracebacks included), Go panics and goroutine dumps, Node `    at ...` frames, and CRI partial
 * lines (`_p: "P"`). A line joins the open entry of the same stream (group, log stream, stdout/stderr, pod,
 * container) when it carries no stamp or level of its own and arrives within CONTINUATION_GAP_MS.
 * Single pass; records from the parse cache are never mutated (joined entries are copies).
 */
import { levelRank } from './level.ts';
import { parseLine } from './line.ts';
import type { LogRecord } from './record.ts';

export const CONTINUATION_GAP_MS = 2_000;

type Mode = 'none' | 'java' | 'python' | 'python-end' | 'go';

interface Open {
  index: number;
  mode: Mode;
  /** The entry itself started with a trace header (a bare `Traceback`, `panic:` or exception line). */
  traceHead: boolean;
  lastEvent: number;
  lines: string[];
  /** The previous event was a CRI partial line: the next one continues it verbatim. */
  partial: boolean;
  partialText: string;
}

const TRACEBACK_RE = /^Traceback \(most recent call last\):/;
const PY_CHAIN_RE = /^(?:During handling of the above exception|The above exception was the direct cause)/;
// Java causes, suppressed exceptions, elided frames, and Reactor's assembly trace.
const JAVA_CONT_RE = /^(?:Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames omitted)|Error has been observed at the following site|Original Stack Trace:)/;
const EXCEPTION_HEAD_RE = /^(?:Exception in thread "[^"]*" )?(?:[a-zA-Z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Throwable)(?::|$)/;
const GO_START_RE = /^(?:panic: |fatal error: )/;
const GO_CONT_RE = /^(?:goroutine \d+ \[|\[signal |created by |exit status \d+|\[recovered\])/;
const GO_FUNC_RE = /^[\w./*()[\]{}-]+\(.*\)$/;

/** A piece of a Java-style trace: an indented frame, a cause, elided frames, or an exception line. */
function isFragment(line: string): boolean {
  const c = line.charCodeAt(0);
  return ((c === 32 || c === 9) && line.trim() !== '') || JAVA_CONT_RE.test(line) || EXCEPTION_HEAD_RE.test(line);
}

function startMode(line: string): Mode {
  if (TRACEBACK_RE.test(line)) return 'python';
  if (GO_START_RE.test(line)) return 'go';
  if (EXCEPTION_HEAD_RE.test(line)) return 'java';
  return 'none';
}

function streamKey(r: LogRecord): string {
  return `${r.logGroup}\u0000${r.logStream}\u0000${r.stream ?? ''}\u0000${r.pod ?? ''}\u0000${r.container ?? ''}`;
}

/** Whether an unheaded line continues the open entry, and the mode after it; undefined when it starts a new one. */
function continues(open: Open, opener: LogRecord, line: string): Mode | undefined {
  const c = line.charCodeAt(0);
  if (line.trim() === '') return open.mode === 'python' || open.mode === 'python-end' || open.mode === 'go' ? open.mode : undefined;
  if (c === 32 || c === 9) return open.mode === 'none' ? 'java' : open.mode;
  if (JAVA_CONT_RE.test(line)) return 'java';
  const severe = levelRank(opener.level) >= levelRank('WARN');
  if (TRACEBACK_RE.test(line)) return severe || open.mode !== 'none' ? 'python' : undefined;
  if (open.mode === 'python') return 'python-end'; // the exception line that closes a traceback
  if (PY_CHAIN_RE.test(line)) return open.mode === 'python-end' ? 'python' : undefined;
  if (open.mode === 'go' && (GO_CONT_RE.test(line) || GO_FUNC_RE.test(line))) return 'go';
  if (GO_CONT_RE.test(line) && severe) return 'go';
  if (EXCEPTION_HEAD_RE.test(line)) return severe || open.mode === 'java' ? 'java' : undefined;
  return undefined;
}

/** Joins continuation lines into their entries. Input ascending by event time; output ascending by timestamp. */
export function joinMultiline(input: readonly LogRecord[]): LogRecord[] {
  const records = inWriteOrder(input);
  const out: LogRecord[] = [];
  const open = new Map<string, Open>();

  const finish = (o: Open): void => {
    if (!o.lines.length && !o.partialText) return;
    const base = out[o.index]!;
    let record: LogRecord = base;
    if (o.partialText) {
      // Re-parse the whole line now that its parts are together.
      const line = base.line + o.partialText;
      const parsed = parseLine(line, base.eventTimestamp);
      record = { ...base, line, message: parsed.message, level: parsed.level, levelExplicit: parsed.levelExplicit };
      if (parsed.fields) record.fields = parsed.fields;
    }
    if (o.lines.length) {
      const extra = o.lines.join('\n');
      const joined = o.traceHead ? `${record.line}\n${extra}` : extra;
      record = {
        ...record,
        line: `${record.line}\n${extra}`,
        stackTrace: record.stackTrace ? `${record.stackTrace}\n${joined}` : joined,
      };
      if (o.traceHead && TRACEBACK_RE.test(base.line)) {
        // A bare traceback reads best as its exception line (`KeyError: 'user_id'`).
        const last = [...o.lines].reverse().find((l) => l && !/^\s/.test(l) && !PY_CHAIN_RE.test(l) && !TRACEBACK_RE.test(l));
        if (last) record.message = last;
      }
      if (!record.levelExplicit && levelRank(record.level) < levelRank('ERROR') && /Exception|Error|Traceback|panic:/.test(extra)) {
        record.level = 'ERROR';
      }
    }
    out[o.index] = record;
  };

  const begin = (r: LogRecord, key: string, lines: string[] = []): void => {
    const mode = startMode(r.line);
    open.set(key, { index: out.length, mode: lines.length && mode === 'none' ? 'java' : mode, traceHead: mode !== 'none', lastEvent: r.eventTimestamp, lines, partial: r.partial, partialText: '' });
    out.push(r);
  };

  // Trace fragments with no entry to join yet. Recorded nanosecond times are not always consistent with the
  // order lines were written, so a trace may appear to start a few nanoseconds before the line that heads it:
  // fragments join the next entry of their stream when it follows within a millisecond, and otherwise stand as
  // an entry of their own (the first fragment heading it).
  const pending = new Map<string, LogRecord[]>();
  const flush = (key: string): void => {
    const fragments = pending.get(key);
    if (!fragments) return;
    pending.delete(key);
    const o = open.get(key);
    if (o) finish(o);
    begin(fragments[0]!, key, fragments.slice(1).map((f) => f.line));
  };

  for (const r of records) {
    const key = streamKey(r);
    const waiting = pending.get(key);
    if (waiting) {
      const last = waiting[waiting.length - 1]!;
      if (r.headed && r.writeMs - last.writeMs <= 1) {
        pending.delete(key);
        const o = open.get(key);
        if (o) finish(o);
        begin(r, key, waiting.map((f) => f.line));
        continue;
      }
      if (!r.headed && isFragment(r.line) && r.eventTimestamp - last.eventTimestamp <= CONTINUATION_GAP_MS) {
        waiting.push(r);
        continue;
      }
      flush(key);
    }
    const o = open.get(key);
    if (o && r.eventTimestamp - o.lastEvent <= CONTINUATION_GAP_MS) {
      if (o.partial) {
        o.partialText += r.line;
        o.partial = r.partial;
        o.lastEvent = r.eventTimestamp;
        continue;
      }
      if (!r.headed) {
        const mode = continues(o, out[o.index]!, r.line);
        if (mode) {
          o.mode = mode;
          o.lines.push(r.line);
          o.lastEvent = r.eventTimestamp;
          continue;
        }
      }
    }
    if (!r.headed && r.line.trim() === '') continue; // a stray blank line is no entry
    if (o) finish(o);
    open.delete(key);
    if (!r.headed && isFragment(r.line)) {
      pending.set(key, [r]);
      continue;
    }
    begin(r, key);
  }
  for (const key of [...pending.keys()]) flush(key);
  for (const o of open.values()) finish(o);
  // Line stamps may disagree slightly with event order across streams; keep entries in time order (stable).
  let sorted = true;
  for (let i = 1; i < out.length && sorted; i++) if (out[i]!.timestamp < out[i - 1]!.timestamp) sorted = false;
  if (!sorted) out.sort((a, b) => a.timestamp - b.timestamp);
  return out;
}

const writeOrder = (a: LogRecord, b: LogRecord) => a.writeMs - b.writeMs || a.subMs - b.subMs;

/** The records in the order they were written: by the shipper's time where known, else the event's (stable). */
function inWriteOrder(records: readonly LogRecord[]): readonly LogRecord[] {
  for (let i = 1; i < records.length; i++) {
    if (writeOrder(records[i - 1]!, records[i]!) > 0) return records.slice().sort(writeOrder);
  }
  return records;
}
