/**
 * Selecting records: text patterns (case-insensitive substring, or `/regex/flags`), a minimum level, and the
 * identities a caller names a source by (service, workload, pod, namespace, container, log group), plus field
 * values of structured lines. Field names resolve the same way everywhere (fieldValues).
 */
import { InputError } from '../../domain/errors.ts';
import { parseResource } from '../../domain/resource.ts';
import { type LogLevel, levelRank } from './level.ts';
import { type LogRecord, workloadResource } from './record.ts';
import { lowerText, recordSignature, searchText, textPairs } from './record-facts.ts';
import { SIGNATURE_KIND_NAMES, SIGNATURE_KINDS, type SignatureKind } from './signatures.ts';
import { fieldText, getField } from './structured.ts';

export type TextPattern = { kind: 'substring'; needle: string; source: string } | { kind: 'regex'; re: RegExp; source: string };

const REGEX_LITERAL_RE = /^\/(.+)\/([imsu]*)$/s;
const MAX_PATTERN_LENGTH = 500;

/**
 * A text pattern from an argument: `/expr/flags` is a regular expression (flags i, m, s, u), anything else a
 * case-insensitive substring. Throws InputError naming the field when the expression does not compile.
 */
export function compileTextPattern(pattern: string, field: string): TextPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new InputError(`argument '${field}' is longer than ${MAX_PATTERN_LENGTH} characters`, field);
  const m = REGEX_LITERAL_RE.exec(pattern);
  if (m) {
    try {
      return { kind: 'regex', re: new RegExp(m[1]!, m[2]!), source: pattern };
    } catch (error) {
      throw new InputError(`argument '${field}' is not a valid regular expression: ${(error as Error).message}`, field);
    }
  }
  if (!pattern.trim()) throw new InputError(`argument '${field}' must not be empty`, field);
  return { kind: 'substring', needle: pattern.toLowerCase(), source: pattern };
}

export function matchesText(record: LogRecord, pattern: TextPattern): boolean {
  if (pattern.kind === 'substring') return lowerText(record).includes(pattern.needle);
  pattern.re.lastIndex = 0;
  return pattern.re.test(searchText(record));
}

/** Whether a record comes from the named source: service, workload, container, namespace, pod, app label, or `Kind/namespace/name`. */
export function matchesSource(record: LogRecord, name: string): boolean {
  const ref = name.includes('/') ? parseResource(name) : null;
  if (ref) {
    const kind = ref.kind.toLowerCase();
    if (kind === 'pod') return record.pod === ref.name && (!ref.namespace || record.namespace === ref.namespace);
    if (kind === 'namespace') return record.namespace === ref.name;
    if (kind === 'replicaset') return record.workload?.replicaSet === ref.name && (!ref.namespace || record.namespace === ref.namespace);
    return !!record.workload && record.workload.kind.toLowerCase() === kind && record.workload.name === ref.name && (!ref.namespace || record.namespace === ref.namespace);
  }
  const n = name.toLowerCase();
  return (
    record.service.toLowerCase() === n ||
    record.workload?.name.toLowerCase() === n ||
    record.container?.toLowerCase() === n ||
    record.namespace?.toLowerCase() === n ||
    record.pod?.toLowerCase() === n ||
    record.labels?.app?.toLowerCase() === n ||
    record.labels?.['app.kubernetes.io/name']?.toLowerCase() === n
  );
}

/** A pod by exact name, or every pod whose name extends it (`checkout-api-7f9c6d5b4` selects its ReplicaSet's pods). */
export function matchesPod(record: LogRecord, pod: string): boolean {
  if (!record.pod) return false;
  return record.pod === pod || record.pod.startsWith(`${pod}-`);
}

/** A workload by name (`checkout-api`) or resource (`Deployment/checkout/checkout-api`). */
export function matchesWorkload(record: LogRecord, workload: string): boolean {
  if (!record.workload) return false;
  if (workload.includes('/')) return workloadResource(record)?.toLowerCase() === workload.toLowerCase() || matchesSource(record, workload);
  return record.workload.name.toLowerCase() === workload.toLowerCase();
}

export interface RecordFilter {
  text?: TextPattern;
  exclude?: TextPattern;
  minLevel?: LogLevel;
  source?: string;
  pod?: string;
  namespace?: string;
  workload?: string;
  container?: string;
  fieldEquals?: ReadonlyArray<{ field: string; value: string }>;
}

export function matchesFilter(record: LogRecord, f: RecordFilter): boolean {
  if (f.minLevel && levelRank(record.level) < levelRank(f.minLevel)) return false;
  if (f.source && !matchesSource(record, f.source)) return false;
  if (f.pod && !matchesPod(record, f.pod)) return false;
  if (f.namespace && record.namespace !== f.namespace) return false;
  if (f.workload && !matchesWorkload(record, f.workload)) return false;
  if (f.container && record.container !== f.container) return false;
  if (f.fieldEquals) {
    for (const { field, value } of f.fieldEquals) {
      const values = fieldValues(record, field);
      const want = value.toLowerCase();
      if (!values || !values.some((v) => v.toLowerCase() === want)) return false;
    }
  }
  if (f.text && !matchesText(record, f.text)) return false;
  if (f.exclude && matchesText(record, f.exclude)) return false;
  return true;
}

/** Built-in field names, in addition to the kinds of error signature (`exception`, `condition`, ...). */
export const BUILTIN_FIELDS = [
  'service', 'level', 'namespace', 'pod', 'container', 'workload', 'workload_kind', 'replica_set', 'node', 'image', 'log_group',
  'log_stream', 'stream', 'message', 'correlation_id',
] as const;

const SIGNATURE_FIELD: Readonly<Record<string, SignatureKind>> = Object.fromEntries(
  SIGNATURE_KINDS.map((k) => [SIGNATURE_KIND_NAMES[k], k]),
);

/**
 * The values of a field for a record, as text: a built-in (service, level, pod, workload, ...), a kind of error
 * signature (`exception`, `endpoint`, `condition`: possibly several values), `label.<key>` for a pod label,
 * or a field of the line itself (JSON key or dotted path, logfmt key, `key=value` pair in a text line).
 * Undefined when the record has no such field.
 */
export function fieldValues(record: LogRecord, field: string): string[] | undefined {
  const one = (v: string | undefined): string[] | undefined => (v === undefined || v === '' ? undefined : [v]);
  switch (field) {
    case 'service':
      return [record.service];
    case 'level':
      return [record.level];
    case 'namespace':
      return one(record.namespace);
    case 'pod':
      return one(record.pod);
    case 'container':
      return one(record.container);
    case 'workload':
      return one(record.workload?.name);
    case 'workload_kind':
      return one(record.workload?.kind);
    case 'replica_set':
      return one(record.workload?.replicaSet);
    case 'node':
      return one(record.node);
    case 'image':
      return one(record.image);
    case 'log_group':
      return [record.logGroup];
    case 'log_stream':
      return one(record.logStream);
    case 'stream':
      return one(record.stream);
    case 'message':
      return [record.message];
    case 'correlation_id':
      return one(record.correlationId);
  }
  const kind = SIGNATURE_FIELD[field];
  if (kind) {
    const values = recordSignature(record)[kind];
    return values?.length ? values.map(String) : undefined;
  }
  if (field.startsWith('label.')) return one(record.labels?.[field.slice(6)]);
  if (record.fields) {
    const v = fieldText(getField(record.fields, field));
    if (v !== undefined) return one(v);
  }
  return one(textPairs(record)[field]);
}
