/**
 * One log line → timestamp, level, message and structured fields, for the formats production logs use:
 * JSON (zap, logrus, pino, bunyan, structlog, ECS, Serilog), logfmt, klog (`E0314 10:31:52.123456 1 x.go:12]`),
 * text with a leading stamp and a level word (`[ERROR]`, Spring Boot / logback `ERROR`, Python `ERROR:root:`,
 * Postgres `FATAL:`, nginx `[error]`, Python `- ERROR -`), access logs (level from the HTTP status) and
 * unadorned lines (level read from the wording). Pure; every regex is linear, most are anchored.
 */
import { type LogLevel, levelWord, normalizeLevel } from './level.ts';
import { type Fields, fieldText, firstField, looksLikeLogfmt, parseJsonObject, parseLogfmt } from './structured.ts';
import { accessLogTimestamp, klogTimestamp, leadingTimestamp, timestampValue } from './timestamp.ts';

export interface ParsedLine {
  /** The line's own timestamp (epoch ms), when it has one. */
  timestamp?: number;
  level: LogLevel;
  /** Whether the line states its level (true) or the level was read from its wording (false). */
  levelExplicit: boolean;
  /** The human message: JSON `msg` (with its `error`), or the text after the stamp and level. */
  message: string;
  /** JSON or logfmt fields, when the line is structured. */
  fields?: Fields;
  /** A `service` the line names itself (JSON / logfmt). */
  service?: string;
  correlationId?: string;
  /** A stack trace carried in a field (JSON `stack_trace`, `exc_info`, `err.stack`...). */
  stackTrace?: string;
  /** The line opens a new entry (stamp, level prefix, structured); continuation lines of a trace do not. */
  headed: boolean;
}

const LEVEL_KEYS = ['level', 'severity', 'lvl', 'log.level', 'loglevel', 'log_level', 'levelname', 'severity_text', 'severityText', '@l', 'LEVEL', 'Level'];
const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp', '@t', 'datetime', 'asctime', 'date', 'eventTime', 'Timestamp', 't'];
const MESSAGE_KEYS = ['msg', 'message', '@m', '@mt', 'event', 'text', 'short_message', 'body', 'Message', 'log'];
const ERROR_KEYS = ['error', 'err', 'exception', 'error.message', 'error_message', 'errorMessage', 'exc', 'thrown'];
const STACK_KEYS = ['stack_trace', 'stacktrace', 'stackTrace', 'stack', 'exc_info', 'traceback', 'error.stack_trace', 'error.stack', 'err.stack', 'exception.stacktrace', 'exception.stack_trace', 'thrown.extendedStackTrace'];
const SERVICE_KEYS = ['service', 'service.name', 'service_name', 'serviceName', 'app', 'application', 'app_name'];
const CORRELATION_KEYS = ['correlation_id', 'correlationId', 'request_id', 'requestId', 'req_id', 'reqId', 'x_request_id', 'trace_id', 'traceId', 'trace.id', 'traceID', 'dd.trace_id'];

/** Keys every structured line carries (stamps, levels, messages, ids, process details): not facts of its own. */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  ...LEVEL_KEYS, ...TIME_KEYS, ...MESSAGE_KEYS, ...ERROR_KEYS, ...STACK_KEYS, ...SERVICE_KEYS, ...CORRELATION_KEYS,
  'pid', 'hostname', 'host', 'v', 'name', 'logger', 'logger_name', 'caller', 'thread', 'thread_name', 'threadName', 'source', 'span_id', 'spanId', 'dd.span_id', '@i', '@x',
]);

const SYSLOG_TAG_RE = /^[\w.-]+ [\w./-]+\[\d+\]: |^[\w.-]+ (?:kernel|systemd|kubelet|containerd|dockerd|sshd|cron|CRON): /;
const KLOG_RE = /^([IWEF])(\d{4}) (\d{2}:\d{2}:\d{2}\.\d{1,9})\s+\d+ [^\s\]]+\] ?/;
// "GET /path HTTP/1.1" 503 (combined / common log format and most ingress controllers), or a request summary
// that starts with the method: GET /v1/items 503 12ms.
const ACCESS_RE = /"(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE) [^"\s]* HTTP\/[\d.]+" (\d{3}) |^(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \/\S* ([1-5]\d{2})\b/;

const MAX_MESSAGE_SCAN = 400;

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Parses one line; `ref` (epoch ms, the event's time) dates stamps that lack a year or a date. */
export function parseLine(line: string, ref: number, shipperFields?: Fields): ParsedLine {
  if (shipperFields) return parseStructured(line, shipperFields, undefined, ref);
  const json = parseJsonObject(line);
  if (json) return parseStructured(line, json, undefined, ref);

  const klog = KLOG_RE.exec(line);
  if (klog) {
    return result(klogTimestamp(klog[2]!, klog[3]!, ref), normalizeLevel(klog[1]!)!, true, line.slice(klog[0].length), true);
  }

  const lead = leadingTimestamp(line, ref);
  let rest = lead ? line.slice(lead.end).trimStart() : line;
  if (lead && rest.charCodeAt(0) === 123) {
    // A stamp prefix (kubectl --timestamps, a runtime) before a JSON line.
    const inner = parseJsonObject(rest);
    if (inner) return parseStructured(rest, inner, lead.ms, ref);
  }
  if (looksLikeLogfmt(rest)) {
    const fields = parseLogfmt(rest);
    return parseStructured(rest, fields, lead?.ms, ref);
  }

  // syslog: `host program[pid]: message`
  const tag = lead ? SYSLOG_TAG_RE.exec(rest) : null;
  if (tag) rest = rest.slice(tag[0].length);

  const prefix = levelPrefix(rest);
  if (prefix) {
    rest = stripLogger(rest.slice(prefix.end).replace(/^[\s:|-]+/, ''));
    return result(lead?.ms, prefix.level, true, rest || line, true);
  }

  const access = ACCESS_RE.exec(rest.length > MAX_MESSAGE_SCAN ? rest.slice(0, MAX_MESSAGE_SCAN) : rest);
  if (access) {
    const status = Number(access[1] ?? access[2]);
    const timestamp = lead?.ms ?? accessLogTimestamp(rest);
    return result(timestamp, status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO', false, rest, true);
  }
  return result(lead?.ms, inferLevel(rest), false, rest, !!lead);
}

/** One object shape for every parsed line (absent fields undefined), which keeps V8's property access monomorphic. */
function result(
  timestamp: number | undefined,
  level: LogLevel,
  levelExplicit: boolean,
  message: string,
  headed: boolean,
  structured?: { fields: Fields; service: string | undefined; correlationId: string | undefined; stackTrace: string | undefined },
): ParsedLine {
  return {
    timestamp,
    level,
    levelExplicit,
    message,
    fields: structured?.fields,
    service: structured?.service,
    correlationId: structured?.correlationId,
    stackTrace: structured?.stackTrace,
    headed,
  };
}

function parseStructured(line: string, fields: Fields, leadMs: number | undefined, ref: number): ParsedLine {
  const rawLevel = firstField(fields, LEVEL_KEYS);
  let level = normalizeLevel(rawLevel);
  // Serilog compact JSON omits @l for Information.
  if (!level && rawLevel === undefined && ('@mt' in fields || '@m' in fields)) level = 'INFO';
  const time = leadMs ?? timestampValue(firstField(fields, TIME_KEYS), ref);
  const { message, stackTrace } = structuredMessage(fields, line);
  const service = str(firstField(fields, SERVICE_KEYS));
  const correlationId = str(firstField(fields, CORRELATION_KEYS));
  return result(time, level ?? inferLevel(message), !!level, message, true, { fields, service, correlationId, stackTrace });
}

/** The message of a structured line, with its error appended (`query failed: dial tcp ...: connection refused`). */
function structuredMessage(fields: Fields, line: string): { message: string; stackTrace: string | undefined } {
  const msg = str(firstField(fields, MESSAGE_KEYS));
  const errValue = firstField(fields, ERROR_KEYS);
  let errText: string | undefined;
  let stackTrace: string | undefined;
  if (errValue && typeof errValue === 'object' && !Array.isArray(errValue)) {
    const e = errValue as Fields;
    const type = str(e.type) ?? str(e.name) ?? str(e.kind) ?? str(e.class);
    const text = str(e.message) ?? str(e.msg) ?? str(e.reason);
    errText = type && text && !text.startsWith(type) ? `${type}: ${text}` : (text ?? type);
    stackTrace = str(e.stack) ?? str(e.stack_trace) ?? str(e.stacktrace) ?? str(e.extendedStackTrace);
  } else {
    errText = str(errValue);
  }
  const stackValue = stackTrace ?? fieldText(firstField(fields, STACK_KEYS));
  stackTrace = typeof stackValue === 'string' && stackValue.trim() && stackValue !== 'true' ? stackValue.trimEnd() : undefined;
  // A one-line "error" field that is really the trace's first line: keep it as the error, not a second trace.
  if (errText && errText.includes('\n')) {
    stackTrace ??= errText;
    errText = errText.slice(0, errText.indexOf('\n'));
  }
  let message: string;
  if (msg && errText && !msg.includes(errText)) message = `${msg}: ${errText}`;
  else message = msg ?? errText ?? compactFields(fields) ?? line;
  return { message: message.trimEnd(), stackTrace };
}

// After the level: Spring Boot's `[app,traceId] 1 --- [app] [thread] logger : `, logback's `logger - `, Python's `pkg.module: `.
const SPRING_PREFIX_RE = /^(?:\[[^\]]*\]\s+)?\d+ --- (?:\[[^\]]*\]\s*){1,3}[\w$.[\]/-]+\s+: /;
const LOGGER_PREFIX_RE = /^(?:\[[^\]]{1,60}\]\s+)?[A-Za-z_$][\w$]*(?:\.[\w$]+)+(?:\s+-\s+|:\s+)/;

/** The message without the logger and thread decoration that follows the level in common text layouts. */
function stripLogger(text: string): string {
  const m = SPRING_PREFIX_RE.exec(text) ?? LOGGER_PREFIX_RE.exec(text);
  // `java.net.ConnectException: refused` is the message itself, not a logger.
  if (!m || m[0].length >= text.length || /(?:Exception|Error|Throwable)\s*[:-]/.test(m[0])) return text;
  return text.slice(m[0].length);
}

// Keys that say when, how severe, or carry machinery (CloudWatch embedded metric format) rather than content.
const NOT_CONTENT = new Set([...LEVEL_KEYS, ...TIME_KEYS, '_aws', '@version', 'level_value']);
const MAX_COMPACT = 400;

/**
 * A JSON line with no message field (a metrics record, an audit event) as `key=value` pairs of its top-level
 * scalars, which reads (and groups into patterns) far better than the raw JSON.
 */
function compactFields(fields: Fields): string | undefined {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (NOT_CONTENT.has(key) || value === null || typeof value === 'object') continue;
    const text = typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : String(value);
    out += `${out ? ' ' : ''}${key}=${text}`;
    if (out.length > MAX_COMPACT) break;
  }
  return out || undefined;
}

const LEADING_NOISE_RE = /^(?:[[(<].*[\])>]:?|[\d.:,+/-]+|-{1,3}|\||[A-Z]{2,4}|#\d+)$/;

/**
 * The level word near the start of a text line (after its stamp): `[ERROR]`, `<warn>`, `ERROR:` (Python's
 * `ERROR:root:`, Postgres `FATAL:`), or a bare upper-case `ERROR` preceded only by prefix noise (thread in
 * brackets, pid, `---`, zone) or set off by ` - ` / ` | ` (`app - ERROR - msg`). Up to five tokens are read.
 */
export function levelPrefix(text: string): { level: LogLevel; end: number } | undefined {
  const n = Math.min(text.length, 160);
  let i = 0;
  let prevToken = '';
  let allNoise = true;
  for (let t = 0; t < 5 && i < n; t++) {
    while (i < n && text.charCodeAt(i) <= 32) i++;
    const start = i;
    while (i < n && text.charCodeAt(i) > 32) i++;
    if (i === start) break;
    const token = text.slice(start, i);
    const first = token.charCodeAt(0);
    if (first === 91 || first === 60 || first === 40) {
      // [ERROR] <warn> (INFO) [error]:
      const close = token.search(/[\])>]/);
      if (close > 1) {
        const level = levelWord(token.slice(1, close));
        if (level) return { level, end: start + close + 1 };
      }
    } else if ((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) {
      const colon = token.indexOf(':');
      const word = colon > 0 ? token.slice(0, colon) : token;
      // Upper case anywhere in the prefix (ERROR, WARN:); any case as the first word before a colon (winston's `info:`).
      // (`panic: ` is Go's runtime, not a level prefix: it stays in the message.)
      if (isUpper(word) || (colon === token.length - 1 && allNoise && word !== 'panic')) {
        const level = levelWord(word);
        if (level) {
          if (colon > 0) {
            // ERROR:root:message (Python's default format): drop the logger name too.
            const logger = /^[\w.-]+:/.exec(token.slice(colon + 1));
            return { level, end: start + colon + 1 + (logger ? logger[0].length : 0) };
          }
          const next = /^\s+(\S+)/.exec(text.slice(i, i + 8))?.[1];
          const delimited = (prevToken === '-' || prevToken === '|') && (next === '-' || next === '|' || next === ':');
          if (allNoise || delimited) return { level, end: i };
        }
      }
    }
    if (!LEADING_NOISE_RE.test(token)) allNoise = false;
    prevToken = token;
  }
  return undefined;
}

function isUpper(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return word.length > 0;
}

const FATAL_START_RE = /^(?:panic: |fatal error: |FATAL[: ]|Segmentation fault|SIGSEGV)/;
const ERROR_START_RE = /^(?:Traceback \(most recent call last\)|Exception in thread |Unhandled exception|Uncaught )/;
const EXCEPTION_HEAD_RE = /^(?:[a-zA-Z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Throwable)(?::|$)/;
const ERROR_WORD_RE = /\b(?:error|errors occurred|exception|fatal|panic|failed|failure|refused|unable to|cannot|could not|timed out|timeout expired|out of memory|killed process|no space left)\b/i;
const WARN_WORD_RE = /\b(?:warn|warning|deprecated|retrying|degraded)\b/i;

/** The level of a line that states none, from its wording: FATAL for panics, ERROR for failures, WARN, else INFO. */
export function inferLevel(text: string): LogLevel {
  const head = text.length > MAX_MESSAGE_SCAN ? text.slice(0, MAX_MESSAGE_SCAN) : text;
  if (FATAL_START_RE.test(head)) return 'FATAL';
  if (ERROR_START_RE.test(head) || EXCEPTION_HEAD_RE.test(head) || ERROR_WORD_RE.test(head)) return 'ERROR';
  if (WARN_WORD_RE.test(head)) return 'WARN';
  return 'INFO';
}
