/**
 * From a log line's error signature (src/analyzers/logs/signatures.ts) to the findings vocabulary: which kind of
 * failure it states and which hosts it names. Shared by every specialist that reads log lines.
 */
import type { ErrorSignature } from '../../analyzers/logs/signatures.ts';
import type { SignatureKind } from '../../domain/findings.ts';

// Most specific first: a TLS failure on a refused connection is a TLS problem.
const CONDITION_KINDS: ReadonlyArray<[string, SignatureKind]> = [
  ['certificate_expired', 'tls'],
  ['tls_error', 'tls'],
  ['disk_full', 'disk'],
  ['dns_failure', 'dns'],
  ['connection_pool_exhausted', 'pool'],
  ['throttled', 'throttle'],
  ['out_of_memory', 'oom'],
  ['missing_config', 'config'],
  ['too_many_connections', 'connection'],
  ['connection_refused', 'connection'],
  ['connection_reset', 'connection'],
  ['unavailable', 'connection'],
  ['timeout', 'timeout'],
];

export interface ClassifiedSignature {
  kind: SignatureKind;
  /** A short label: the condition, exception or status that decided the kind. */
  label: string;
  /** Hosts / host:port / URLs the line names. */
  targets: string[];
}

export function classifySignature(sig: ErrorSignature): ClassifiedSignature | undefined {
  const conditions = new Set(sig.conditions ?? []);
  const targets = [...new Set([...(sig.endpoints ?? []), ...(sig.hosts ?? [])])];
  for (const [condition, kind] of CONDITION_KINDS) {
    if (!conditions.has(condition)) continue;
    const label = kind === 'tls' ? (sig.tls_errors?.[0] ?? condition) : (sig.aws_errors?.[0] ?? sig.errnos?.[0] ?? sig.exceptions?.[0] ?? condition);
    return { kind, label, targets };
  }
  const server = (sig.http_statuses ?? []).find((s) => s >= 500);
  if (server) return { kind: 'http-5xx', label: `HTTP ${server}`, targets };
  if (sig.exceptions?.length) return { kind: 'exception', label: sig.exceptions[0]!, targets };
  if (conditions.has('panic') || conditions.has('unhandled_exception')) return { kind: 'exception', label: [...conditions][0]!, targets };
  return undefined;
}
