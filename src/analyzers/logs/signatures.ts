/**
 * Error signatures: the structured facts an error line states, independent of which service wrote it —
 * exception types, errno names, HTTP statuses (only where the text says it is a status), gRPC codes, the
 * endpoints and hosts named, SQLSTATEs, AWS error codes, TLS/x509 failures, vendor error codes, and a small
 * vocabulary of normalised conditions (connection_refused, dns_failure, disk_full, out_of_memory, ...) that
 * the evidence engine can reason over.
 *
 * Performance: every rule is guarded by a cheap substring test on the lower-cased text; the regexes are
 * linear (no nested unbounded quantifiers) and the text is capped, so a line costs microseconds.
 */
import { type PhraseMatcher, createPhraseMatcher } from './phrase-matcher.ts';

export interface ErrorSignature {
  exceptions?: string[];
  error_codes?: string[];
  errnos?: string[];
  http_statuses?: number[];
  grpc_codes?: string[];
  endpoints?: string[];
  hosts?: string[];
  sqlstates?: string[];
  aws_errors?: string[];
  tls_errors?: string[];
  conditions?: string[];
}

export const SIGNATURE_KINDS = [
  'exceptions', 'error_codes', 'errnos', 'http_statuses', 'grpc_codes', 'endpoints', 'hosts', 'sqlstates', 'aws_errors', 'tls_errors', 'conditions',
] as const;
export type SignatureKind = (typeof SIGNATURE_KINDS)[number];

/** The singular name of a kind, as used in `kind:value` keys (`exception:java.net.ConnectException`). */
export const SIGNATURE_KIND_NAMES: Readonly<Record<SignatureKind, string>> = {
  exceptions: 'exception',
  error_codes: 'error_code',
  errnos: 'errno',
  http_statuses: 'http_status',
  grpc_codes: 'grpc_code',
  endpoints: 'endpoint',
  hosts: 'host',
  sqlstates: 'sqlstate',
  aws_errors: 'aws_error',
  tls_errors: 'tls_error',
  conditions: 'condition',
};

const MAX_TEXT = 4_000;
const MAX_PER_KIND = 8;

class Collector {
  private readonly sets = new Map<SignatureKind, Set<string | number>>();
  add(kind: SignatureKind, value: string | number): void {
    let set = this.sets.get(kind);
    if (!set) this.sets.set(kind, (set = new Set()));
    if (set.size < MAX_PER_KIND) set.add(value);
  }
  has(kind: SignatureKind, value: string | number): boolean {
    return this.sets.get(kind)?.has(value) ?? false;
  }
  values(kind: SignatureKind): Array<string | number> {
    return [...(this.sets.get(kind) ?? [])];
  }
  delete(kind: SignatureKind, value: string | number): void {
    this.sets.get(kind)?.delete(value);
  }
  result(): ErrorSignature {
    const out: ErrorSignature = {};
    for (const kind of SIGNATURE_KINDS) {
      const set = this.sets.get(kind);
      if (!set || set.size === 0) continue;
      (out as Record<string, unknown>)[kind] = [...set];
    }
    return out;
  }
}

// ---- exceptions and AWS error codes ---------------------------------------------------------------------------

const EXCEPTION_RE = /(?<![\w$.])((?:[a-zA-Z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Throwable|Fault))(?![\w$])/g;
const PY_LOWER_EXCEPTION_RE = /(?<![\w.])((?:socket\.)?(?:gaierror|herror))\b/g;

/** AWS error codes: throttling, quotas, auth and availability codes the SDKs and services return. */
const AWS_CODES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'ProvisionedThroughputExceededException', 'RequestThrottled', 'RequestThrottledException', 'SlowDown',
  'LimitExceededException', 'ServiceQuotaExceededException', 'KMSThrottlingException', 'EC2ThrottledException',
  'TransactionConflictException', 'ConditionalCheckFailedException', 'ResourceNotFoundException', 'AccessDeniedException',
  'AccessDenied', 'UnauthorizedOperation', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId',
  'SignatureDoesNotMatch', 'UnrecognizedClientException', 'ServiceUnavailable', 'ServiceUnavailableException',
  'InternalFailure', 'InternalServerError', 'RequestTimeout', 'RequestTimeoutException', 'NoSuchBucket', 'NoSuchKey',
  'ValidationException', 'ResourceInUseException', 'InsufficientInstanceCapacity', 'RequestExpired', 'InvalidAccessKeyId',
  'TooManyRequests', 'PriorRequestNotComplete', 'BandwidthLimitExceeded', 'ItemCollectionSizeLimitExceededException',
]);
const AWS_BARE_RE = /\b(Throttling|SlowDown|RequestLimitExceeded|AccessDenied|UnauthorizedOperation|ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch|ServiceUnavailable|InternalFailure|RequestTimeout|NoSuchBucket|NoSuchKey|InsufficientInstanceCapacity|RequestExpired|InvalidAccessKeyId|PriorRequestNotComplete|BandwidthLimitExceeded|RequestThrottled)\b/g;
/** [guard substring, regex capturing the code] */
const AWS_CONTEXT_RES: ReadonlyArray<[string, RegExp]> = [
  ['An error occurred (', /An error occurred \((\w+)\) when calling the \w+ operation/g], // botocore
  ['Error Code: ', /Error Code: (\w+)/g], // AWS SDK for Java v1
  ['api error ', /\bapi error (\w+):/g], // AWS SDK for Go v2
  ['status code: ', /\b(\w+): [^\n]{0,200}?\n?\s*status code: \d{3}, request id:/g], // AWS SDK for Go v1
];

function collectExceptions(text: string, c: Collector): void {
  if (text.includes('Exception') || text.includes('Error') || text.includes('Throwable') || text.includes('Fault')) {
    for (const m of text.matchAll(EXCEPTION_RE)) {
      const name = m[1]!;
      const simple = name.slice(name.lastIndexOf('.') + 1);
      const awsPackage = name.includes('amazonaws') || name.includes('awssdk');
      if (AWS_CODES.has(simple) && (awsPackage || simple === name)) c.add('aws_errors', simple);
      else if (awsPackage) c.add('aws_errors', simple);
      else c.add('exceptions', name);
    }
  }
  if (text.includes('error')) for (const m of text.matchAll(PY_LOWER_EXCEPTION_RE)) c.add('exceptions', m[1]!);
  // A qualified name makes its bare form redundant (java.net.ConnectException and ConnectException).
  const names = c.values('exceptions') as string[];
  for (const name of names) {
    if (!name.includes('.')) continue;
    const simple = name.slice(name.lastIndexOf('.') + 1);
    if (c.has('exceptions', simple)) c.delete('exceptions', simple);
  }
}

function collectAws(text: string, c: Collector): void {
  for (const [guard, re] of AWS_CONTEXT_RES) {
    if (!text.includes(guard)) continue;
    for (const m of text.matchAll(re)) if (m[1] && /^[A-Z]\w+$/.test(m[1])) c.add('aws_errors', m[1]);
  }
  for (const m of text.matchAll(AWS_BARE_RE)) c.add('aws_errors', m[1]!);
}

// ---- errno --------------------------------------------------------------------------------------------------

const ERRNO_RE = /\b(E(?:CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|NOTFOUND|AI_AGAIN|AI_NONAME|AI_FAIL|AI_NODATA|HOSTUNREACH|HOSTDOWN|NETUNREACH|NETDOWN|PIPE|ACCES|PERM|NOSPC|DQUOT|MFILE|NFILE|ADDRINUSE|ADDRNOTAVAIL|NOENT|ROFS|NOMEM|AGAIN|PROTO|NOTCONN|SOCKETTIMEDOUT|SHUTDOWN|BUSY))\b/g;
const ERRNO_NUMBER_RE = /(?:\[Errno (-?\d+)\]|\berrno[ =:]+(-?\d+)\b)/gi;
const ERRNO_NUMBERS: Readonly<Record<string, string>> = {
  '1': 'EPERM', '2': 'ENOENT', '5': 'EIO', '11': 'EAGAIN', '12': 'ENOMEM', '13': 'EACCES', '17': 'EEXIST', '24': 'EMFILE',
  '28': 'ENOSPC', '30': 'EROFS', '32': 'EPIPE', '98': 'EADDRINUSE', '99': 'EADDRNOTAVAIL', '101': 'ENETUNREACH',
  '103': 'ECONNABORTED', '104': 'ECONNRESET', '110': 'ETIMEDOUT', '111': 'ECONNREFUSED', '113': 'EHOSTUNREACH', '122': 'EDQUOT',
  '-2': 'EAI_NONAME', '-3': 'EAI_AGAIN', '-4': 'EAI_FAIL', '-5': 'EAI_NODATA',
};

function collectErrnos(text: string, lower: string, c: Collector): void {
  for (const m of text.matchAll(ERRNO_RE)) c.add('errnos', m[1]!);
  if (lower.includes('errno')) {
    for (const m of text.matchAll(ERRNO_NUMBER_RE)) {
      const name = ERRNO_NUMBERS[m[1] ?? m[2]!];
      if (name) c.add('errnos', name);
    }
  }
}

// ---- HTTP statuses ------------------------------------------------------------------------------------------

const HTTP_STATUS_RES = [
  /\bHTTP\/\d(?:\.\d)?"?\s+([45]\d{2})\b/g,
  /\bHTTP\s+([45]\d{2})\b/gi,
  /\b(?:status(?:[ _-]?code)?|http[ _-]?status|response[ _-]?(?:code|status)|returned(?: status)?|responded with(?: status)?)["']?\s*[=:]?\s*["']?([45]\d{2})\b/gi,
  /\b([45]\d{2})\s+(?:Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Request Timeout|Conflict|Gone|Payload Too Large|Unprocessable Entity|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway|Service Unavailable|Gateway Timeout)\b/gi,
];
const HTTP_PHRASES: ReadonlyArray<[string, number]> = [
  ['too many requests', 429], ['internal server error', 500], ['bad gateway', 502], ['service unavailable', 503], ['gateway timeout', 504],
];
const STATUS_FIELDS = ['status', 'status_code', 'statusCode', 'http.status_code', 'http.response.status_code', 'response.status', 'res.statusCode', 'response_status', 'httpStatus'];

function collectHttp(text: string, lower: string, c: Collector): void {
  if (lower.includes('http') || lower.includes('status') || lower.includes('returned') || lower.includes('responded') || /\b[45]\d\d [A-Z]/.test(text)) {
    for (const re of HTTP_STATUS_RES) for (const m of text.matchAll(re)) c.add('http_statuses', Number(m[1]));
  }
  if (c.values('http_statuses').length === 0) {
    for (const [phrase, status] of HTTP_PHRASES) if (lower.includes(phrase)) c.add('http_statuses', status);
  }
}

/** An HTTP status (400-599) a structured line carries in a status field. */
export function statusFromFields(fields: Record<string, unknown> | undefined, get: (f: Record<string, unknown>, name: string) => unknown): number | undefined {
  if (!fields) return undefined;
  for (const name of STATUS_FIELDS) {
    const v = get(fields, name);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : undefined;
    if (n !== undefined && n >= 400 && n <= 599) return n;
  }
  return undefined;
}

// ---- gRPC -------------------------------------------------------------------------------------------------

const GRPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
];
const GRPC_NAMES = new Set(GRPC_CODES);
const GRPC_RES = [
  /\brpc error: code = (\w+)/g, // grpc-go
  /\bStatusCode\.([A-Z_]+)/g, // grpc-python
  /StatusRuntimeException: ([A-Z_]+)/g, // grpc-java
  /\bgrpc[-_.](?:status|code)["']?\s*[=:]\s*["']?(\w+)/gi, // access logs, interceptors
  /\bstatus: (\w+), message: "/g, // tonic (Rust)
];

function grpcName(raw: string): string | undefined {
  if (/^\d+$/.test(raw)) return GRPC_CODES[Number(raw)];
  const name = raw.includes('_') || raw === raw.toUpperCase() ? raw.toUpperCase() : raw.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const canonical = name === 'CANCELED' ? 'CANCELLED' : name;
  return GRPC_NAMES.has(canonical) ? canonical : undefined;
}

function collectGrpc(text: string, lower: string, c: Collector): void {
  if (!(lower.includes('rpc') || lower.includes('statuscode.') || lower.includes('status: '))) return;
  for (const re of GRPC_RES) {
    for (const m of text.matchAll(re)) {
      const name = grpcName(m[1]!);
      if (name && name !== 'OK') c.add('grpc_codes', name);
    }
  }
}

// ---- endpoints and hosts ----------------------------------------------------------------------------------

const URL_RE = /\b([a-z][a-z0-9+.-]{1,15}):\/\/(?:[^\s/@"'<>]{1,128}@)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::(\d{1,5}))?/g;
// host:port not inside a longer token (a colon or full stop may follow, not `:<digit>` as in file:line:col),
// and not the source side of `a->b`.
const HOST_PORT_RE = /(?<![\w.\-/:@[])((?:\d{1,3}\.){3}\d{1,3}|[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*):(\d{2,5})(?!\w|:\d|\.\w|->)/g;
// Java's InetSocketAddress prints `hostname/10.0.0.7:5432`: name the host, not just the address.
const JAVA_SOCKET_RE = /(?<![\w.-])([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*)\/((?:\d{1,3}\.){3}\d{1,3}):(\d{2,5})(?!\d)/g;
/** Hosts named by a name-resolution failure: [guard substring of the lower-cased text, regex]. */
const HOST_PORT_GUARD_RE = /[\w\]]:\d{2}/;
const DNS_HOST_RES: ReadonlyArray<[string, RegExp]> = [
  ['lookup ', /\blookup ([A-Za-z0-9][\w.-]*)(?: on [^\s:]+:\d+)?: (?:no such host|server misbehaving|i\/o timeout|Temporary failure)/g],
  ['getaddrinfo', /\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN|EAI_NONAME) ([A-Za-z0-9][\w.-]*)/g],
  ['unknownhost', /UnknownHostException: ([A-Za-z0-9][\w.-]*)/g],
  ['translate host', /could not translate host name "([^"\s]+)"/g],
  ['resolve host', /Could not resolve host:? ([A-Za-z0-9][\w.-]*)/gi],
  ['unknown host', /\bunknown host:? ([A-Za-z0-9][\w.-]*)/gi],
];
const SOURCE_EXTENSIONS = /\.(?:java|kt|scala|groovy|py|go|js|mjs|cjs|ts|tsx|jsx|rb|php|cs|c|cc|cpp|h|rs|swift|ex|exs|erl|clj|log|txt|yaml|yml|json|conf|sh)$/;
// Words that precede ":<number>" in ordinary text without naming a host.
const NOT_HOSTS = new Set([
  'timeout', 'duration', 'latency', 'port', 'retry', 'retries', 'attempt', 'attempts', 'count', 'size', 'line', 'status', 'code', 'time',
  'elapsed', 'took', 'ms', 'id', 'pid', 'tid', 'uid', 'gid', 'thread', 'worker', 'version', 'step', 'total', 'limit', 'offset', 'page',
  'error', 'errno', 'exit', 'signal', 'row', 'col', 'column', 'len', 'length', 'bytes', 'max', 'min', 'avg', 'p99', 'p95', 'p50', 'tcp', 'udp',
  'http', 'https', 'grpc', 'level', 'user', 'index', 'shard', 'partition', 'epoch', 'term', 'seq', 'batch', 'chunk', 'memory', 'cpu',
]);

function validPort(port: string): boolean {
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

function validIp(host: string): boolean {
  return host.split('.').every((p) => Number(p) <= 255);
}

function collectEndpoints(text: string, lower: string, c: Collector): void {
  if (text.includes('://')) {
    for (const m of text.matchAll(URL_RE)) {
      const host = m[2]!.replace(/\.$/, '');
      if (!host || SOURCE_EXTENSIONS.test(host)) continue;
      if (m[3] && validPort(m[3])) c.add('endpoints', `${host}:${m[3]}`);
      else c.add('hosts', host);
    }
  }
  for (const [guard, re] of DNS_HOST_RES) {
    if (!lower.includes(guard)) continue;
    for (const m of text.matchAll(re)) c.add('hosts', m[1]!.replace(/[.:]$/, ''));
  }
  if (!HOST_PORT_GUARD_RE.test(text)) return;
  if (text.includes('/')) {
    for (const m of text.matchAll(JAVA_SOCKET_RE)) {
      if (validPort(m[3]!) && validIp(m[2]!) && !SOURCE_EXTENSIONS.test(m[1]!)) c.add('endpoints', `${m[1]}:${m[3]}`);
    }
  }
  for (const m of text.matchAll(HOST_PORT_RE)) {
    const [, host, port] = m as unknown as [string, string, string];
    if (!validPort(port) || SOURCE_EXTENSIONS.test(host)) continue;
    const ip = /^\d/.test(host);
    if (ip && !validIp(host)) continue;
    if (!ip && !host.includes('.') && !host.includes('-') && (NOT_HOSTS.has(host) || Number(port) < 80)) continue;
    // Inside a URL the URL rule already took it.
    const endpoint = `${host}:${port}`;
    if (c.has('endpoints', endpoint)) continue;
    c.add('endpoints', endpoint);
  }
}

// ---- SQLSTATE, vendor error codes ---------------------------------------------------------------------------

const SQLSTATE_RE = /\bSQL ?STATE\b\s*[[:=(]?\s*["']?([0-9A-Z]{5})\b/gi;
const ERROR_CODE_RES = [
  /\b(ORA-\d{5})\b/g, // Oracle
  /\b(ERR_[A-Z][A-Z0-9_]{2,})\b/g, // Node.js
  /\b(ER_[A-Z][A-Z0-9_]{2,})\b/g, // MySQL (node drivers)
  /\bERROR (\d{4}) \([0-9A-Z]{5}\)/g, // MySQL client: ERROR 1045 (28000)
  /\b(?:error[ _-]?code|err[ _-]?code|errorCode)["']?\s*[=:]\s*["'[]?([A-Za-z0-9][\w.-]{1,40})/gi,
];

function collectCodes(text: string, lower: string, c: Collector): void {
  if (lower.includes('sql')) for (const m of text.matchAll(SQLSTATE_RE)) c.add('sqlstates', m[1]!.toUpperCase());
  if (text.includes('ORA-')) for (const m of text.matchAll(ERROR_CODE_RES[0]!)) c.add('error_codes', m[1]!);
  if (text.includes('ERR_')) for (const m of text.matchAll(ERROR_CODE_RES[1]!)) c.add('error_codes', m[1]!);
  if (text.includes('ER_')) for (const m of text.matchAll(ERROR_CODE_RES[2]!)) c.add('error_codes', m[1]!);
  if (text.includes('ERROR ')) for (const m of text.matchAll(ERROR_CODE_RES[3]!)) c.add('error_codes', `MySQL ${m[1]!}`);
  if (lower.includes('code')) {
    for (const m of text.matchAll(ERROR_CODE_RES[4]!)) {
      const code = m[1]!;
      if (code !== '0' && !c.has('aws_errors', code)) c.add('error_codes', code);
    }
  }
}

// ---- TLS ----------------------------------------------------------------------------------------------------

const TLS_RULES: ReadonlyArray<[string, RegExp]> = [
  ['certificate_expired', /certificate has expired|certificate (?:is )?expired|CERT_HAS_EXPIRED|CertificateExpiredException|certificate_expired|expired certificate|certificate is not yet valid/i],
  ['unknown_authority', /signed by unknown authority|unable to get local issuer certificate|PKIX path building failed|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate|unknown ca\b/i],
  ['hostname_mismatch', /x509: certificate is valid for|ERR_TLS_CERT_ALTNAME_INVALID|does not match (?:any of )?the (?:subject )?alternative names?|Hostname\/IP does not match|No subject alternative (?:DNS )?names?/i],
  ['certificate_revoked', /certificate (?:has been )?revoked|CERT_REVOKED/i],
  ['verify_failed', /certificate verify failed|CERTIFICATE_VERIFY_FAILED|bad certificate/i],
  ['handshake_failure', /handshake[_ ]failure|SSLHandshakeException|tls: handshake|TLS handshake (?:timeout|error|failed)|sslv3 alert|SSL routines/i],
];

const TLS_GUARDS = ['cert', 'tls', 'ssl', 'x509', 'handshake', 'pkix', 'unknown ca'];

function collectTls(lower: string, text: string, c: Collector): void {
  if (!TLS_GUARDS.some((g) => lower.includes(g))) return;
  for (const [name, re] of TLS_RULES) if (re.test(text)) c.add('tls_errors', name);
}

// ---- conditions ---------------------------------------------------------------------------------------------

/** Normalised conditions, each a list of lower-case phrases (substring tests) and optionally a regex. */
const CONDITION_RULES: ReadonlyArray<{ name: string; phrases: readonly string[]; re?: RegExp; caseSensitive?: RegExp }> = [
  { name: 'connection_refused', phrases: ['connection refused', 'econnrefused', 'refused to connect', 'connect: connection refused'] },
  { name: 'connection_reset', phrases: ['connection reset', 'econnreset', 'broken pipe', 'epipe', 'connection closed by peer', 'connection aborted', 'server closed the connection unexpectedly'] },
  {
    name: 'timeout',
    phrases: ['timed out', 'deadline exceeded', 'etimedout', 'timeoutexception', 'timeouterror', 'i/o timeout', 'timeout exceeded', 'timeout expired', 'timeout after', 'request timeout', 'connection timeout', 'read timeout', 'gateway timeout', 'esockettimedout', 'lock wait timeout'],
  },
  {
    name: 'dns_failure',
    phrases: ['no such host', 'enotfound', 'eai_again', 'eai_noname', 'name or service not known', 'temporary failure in name resolution', 'unknownhostexception', 'could not translate host name', 'nodename nor servname', 'server misbehaving', 'nxdomain', 'could not resolve host', 'name does not resolve', 'gaierror', 'unknown host'],
  },
  {
    name: 'connection_pool_exhausted',
    phrases: ['pool exhausted', 'pool is exhausted', 'connection is not available, request timed out', 'timeout acquiring', 'queuepool limit', 'pool timeout', 'timeout waiting for idle object', 'timeout waiting for connection from pool', 'connectionpooltimeoutexception', 'no available connection', 'all pooled connections were in use', 'all connections are in use', 'maximum pool size', 'max pool size', 'pooltimeouterror', 'waiting for available connection', 'unable to acquire jdbc connection', 'could not get connection from pool', 'connection pool is full', 'pool is full',
      // node-postgres (pg-pool: no client free within connectionTimeoutMillis), Prisma, Sequelize, Npgsql, SqlClient
      'timeout exceeded when trying to connect', 'timed out fetching a new connection from the connection pool', 'connectionacquiretimeouterror', 'pool has been exhausted', 'prior to obtaining a connection from the pool'],
  },
  { name: 'too_many_connections', phrases: ['too many clients', 'too many connections', 'remaining connection slots are reserved', 'er_con_count_error', 'max_connections', 'connection limit exceeded'] },
  {
    name: 'out_of_memory',
    phrases: ['outofmemoryerror', 'out of memory', 'cannot allocate memory', 'enomem', 'heap out of memory', 'memoryerror', 'oomkilled', 'oom-kill', 'oom killer', 'oom command not allowed', 'memory limit exceeded', 'gc overhead limit exceeded', 'java heap space', 'allocation failed', 'std::bad_alloc', 'killed process'],
  },
  { name: 'disk_full', phrases: ['no space left on device', 'enospc', 'disk full', 'disk is full', 'disk quota exceeded', 'edquot', 'database or disk is full', 'could not extend file', 'not enough space on the disk', 'errno 28]', 'filesystem full', 'volume full'] },
  { name: 'too_many_open_files', phrases: ['too many open files', 'emfile', 'enfile'] },
  { name: 'permission_denied', phrases: ['permission denied', 'eacces', 'eperm', 'accessdenied', 'access denied', 'not authorized to perform', 'forbidden', 'operation not permitted', 'insufficient privileges', 'unauthorizedoperation', 'read-only file system', 'erofs'] },
  {
    name: 'auth_failed',
    phrases: ['authentication failed', 'password authentication failed', 'access denied for user', 'invalid credentials', 'bad credentials', 'unauthorized', 'unauthenticated', 'invalid token', 'token expired', 'token has expired', 'expiredtoken', 'invalidclienttokenid', 'signaturedoesnotmatch', 'noauth', 'invalid api key', 'login failed', 'invalidaccesskeyid'],
  },
  {
    name: 'throttled',
    phrases: ['too many requests', 'rate limit', 'rate-limit', 'ratelimit', 'rate exceeded', 'throttl', 'requestlimitexceeded', 'toomanyrequests', 'provisionedthroughputexceeded', 'quota exceeded', 'quotaexceeded', 'resource_exhausted'],
  },
  {
    name: 'unavailable',
    phrases: ['service unavailable', 'upstream connect error', 'no healthy upstream', 'bad gateway', 'circuit breaker open', 'circuit breaker is open', 'circuitbreakeropen', 'circuit is open', 'unavailable', 'upstream timed out', 'upstream prematurely closed', 'no route to host', 'ehostunreach', 'enetunreach', 'network is unreachable'],
  },
  { name: 'panic', phrases: ['panic: ', 'fatal error: ', 'segmentation fault', 'sigsegv', 'core dumped', 'nil pointer dereference'] },
  { name: 'unhandled_exception', phrases: ['unhandled exception', 'unhandledpromiserejection', 'unhandled rejection', 'uncaughtexception', 'uncaught exception', 'exception in thread "main"', 'uncaught '] },
  {
    name: 'missing_config',
    phrases: ['environment variable', 'env var', 'config', 'keyerror', 'secret', 'not set', 'must be set', 'is required'],
    re: /(?:environment variable|env var|config(?:uration)? (?:key|value|file|property|setting)|required (?:setting|config|configuration|property))\b[^\n]{0,80}?\b(?:not set|missing|is required|must be set|not found|undefined|not defined|is empty|not provided)|(?:missing|required|undefined|unset)[ -](?:required )?(?:environment variable|env var|configuration|config key|config value|setting|property|secret)|could not (?:open|read|load|find) config(?:uration)? file/i,
    // An upper-case variable name that is missing: KeyError: 'DATABASE_URL', DATABASE_URL is not set.
    caseSensitive: /KeyError: '[A-Z][A-Z0-9_]{2,}'|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+ (?:is not set|must be set|is required|not set|is missing)/,
  },
  { name: 'file_not_found', phrases: ['no such file or directory', 'enoent', 'filenotfoundexception', 'nosuchfileexception'] },
  { name: 'deadlock', phrases: ['deadlock'] },
];

const ERRNO_CONDITIONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection_refused', ECONNRESET: 'connection_reset', EPIPE: 'connection_reset', ECONNABORTED: 'connection_reset',
  ETIMEDOUT: 'timeout', ESOCKETTIMEDOUT: 'timeout', ENOTFOUND: 'dns_failure', EAI_AGAIN: 'dns_failure', EAI_NONAME: 'dns_failure', EAI_FAIL: 'dns_failure',
  EAI_NODATA: 'dns_failure', ENOSPC: 'disk_full', EDQUOT: 'disk_full', EACCES: 'permission_denied', EPERM: 'permission_denied', EROFS: 'permission_denied',
  ENOMEM: 'out_of_memory', EMFILE: 'too_many_open_files', ENFILE: 'too_many_open_files', ENOENT: 'file_not_found',
  EHOSTUNREACH: 'unavailable', ENETUNREACH: 'unavailable',
};
const HTTP_CONDITIONS: Readonly<Record<number, string>> = { 401: 'auth_failed', 403: 'permission_denied', 408: 'timeout', 429: 'throttled', 502: 'unavailable', 503: 'unavailable', 504: 'timeout' };
const AWS_CONDITIONS: ReadonlyArray<[RegExp, string]> = [
  [/Throttl|SlowDown|RequestLimitExceeded|TooManyRequests|ProvisionedThroughputExceeded|LimitExceeded|QuotaExceeded|BandwidthLimitExceeded/, 'throttled'],
  [/AccessDenied|UnauthorizedOperation/, 'permission_denied'],
  [/ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|InvalidAccessKeyId|RequestExpired/, 'auth_failed'],
  [/ServiceUnavailable|InternalFailure|InsufficientInstanceCapacity/, 'unavailable'],
  [/RequestTimeout/, 'timeout'],
];
const GRPC_CONDITIONS: Readonly<Record<string, string>> = {
  UNAVAILABLE: 'unavailable', DEADLINE_EXCEEDED: 'timeout', RESOURCE_EXHAUSTED: 'throttled', UNAUTHENTICATED: 'auth_failed', PERMISSION_DENIED: 'permission_denied',
};

// Every condition phrase, matched in one pass over the lower-cased text.
// Built on first use, not at import: every Lambda that imports the analyzers would otherwise pay for it on a cold start.
let conditionMatcher: PhraseMatcher | undefined;
function conditionMatches(lower: string): Iterable<number> {
  conditionMatcher ??= createPhraseMatcher(CONDITION_RULES.flatMap((rule, i) => rule.phrases.map((p) => [p, i] as const)));
  return conditionMatcher.match(lower);
}

function collectConditions(text: string, lower: string, c: Collector): void {
  for (const i of conditionMatches(lower)) {
    const rule = CONDITION_RULES[i]!;
    if (rule.re && !(rule.re.test(text) || (rule.caseSensitive?.test(text) ?? false))) continue;
    c.add('conditions', rule.name);
  }
  for (const errno of c.values('errnos')) {
    const cond = ERRNO_CONDITIONS[errno as string];
    if (cond) c.add('conditions', cond);
  }
  for (const status of c.values('http_statuses')) {
    const cond = HTTP_CONDITIONS[status as number];
    if (cond) c.add('conditions', cond);
  }
  for (const code of c.values('grpc_codes')) {
    const cond = GRPC_CONDITIONS[code as string];
    if (cond) c.add('conditions', cond);
  }
  for (const code of c.values('aws_errors')) {
    for (const [re, cond] of AWS_CONDITIONS) if (re.test(code as string)) c.add('conditions', cond);
  }
  if (c.values('tls_errors').length) c.add('conditions', 'tls_error');
  if (c.values('tls_errors').includes('certificate_expired')) c.add('conditions', 'certificate_expired');
}

/**
 * The signature of an error text (a message plus the non-frame lines of its trace). `extraStatus` is an HTTP
 * status the line carries in a structured field. Returns an empty object when nothing is found.
 */
export function extractSignature(input: string, extraStatus?: number): ErrorSignature {
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  const lower = text.toLowerCase();
  const c = new Collector();
  collectExceptions(text, c);
  collectAws(text, c);
  collectErrnos(text, lower, c);
  collectHttp(text, lower, c);
  if (extraStatus !== undefined) c.add('http_statuses', extraStatus);
  collectGrpc(text, lower, c);
  collectEndpoints(text, lower, c);
  collectCodes(text, lower, c);
  collectTls(lower, text, c);
  collectConditions(text, lower, c);
  return c.result();
}

const FRAME_RE = /^\s*(?:at |File "|\.\.\. \d+ more|[\w./-]+\.go:\d+|\/)/;

/**
 * The text a signature is read from: the message, then the lines of the stack trace that state an error
 * (headers, `Caused by:`, a traceback's exception line), not its frames, whose class names are not errors.
 */
export function signatureText(message: string, stackTrace?: string): string {
  // Half the budget at most for the message, so that a long message leaves room for the trace's headers.
  const head = message.length > MAX_TEXT / 2 ? message.slice(0, MAX_TEXT / 2) : message;
  if (!stackTrace) return message;
  let out = head;
  let taken = 0;
  for (const line of stackTrace.split('\n', 400)) {
    if (!line.trim() || FRAME_RE.test(line) || /^\s/.test(line)) continue;
    if (line === message) continue;
    out += `\n${line}`;
    if (++taken >= 20 || out.length > MAX_TEXT) break;
  }
  return out;
}

export function isEmptySignature(sig: ErrorSignature): boolean {
  for (const kind of SIGNATURE_KINDS) if (sig[kind]?.length) return false;
  return true;
}

/** `kind:value` keys of a signature (`exception:java.net.ConnectException`, `http_status:503`), for aggregation. */
export function signatureKeys(sig: ErrorSignature): Array<{ kind: SignatureKind; value: string }> {
  const out: Array<{ kind: SignatureKind; value: string }> = [];
  for (const kind of SIGNATURE_KINDS) for (const v of sig[kind] ?? []) out.push({ kind, value: String(v) });
  return out;
}

/** Adds `from` into `into` (deduplicated, at most `cap` values per kind). */
export function mergeSignature(into: ErrorSignature, from: ErrorSignature, cap = MAX_PER_KIND): void {
  for (const kind of SIGNATURE_KINDS) {
    const values = from[kind];
    if (!values?.length) continue;
    const target = ((into as Record<string, Array<string | number>>)[kind] ??= []);
    for (const v of values) if (target.length < cap && !target.includes(v)) target.push(v);
  }
}
