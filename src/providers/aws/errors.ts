/**
 * AWS failures → tool errors. The AWS SDK v3 reports a service error by its `name` (the error code), with the
 * HTTP status in `$metadata`; Node reports network failures by `code`. Each is sorted into a fault kind that
 * decides both whether a call is retried and which ToolError the caller finally sees. Messages name the IAM
 * action and the resource, because "access denied" without them cannot be fixed by whoever reads the report.
 */
import { ToolError } from '../../tools/errors.ts';

export type FaultKind =
  /** Rate or concurrency limits: retried with backoff, then Throttled. */
  | 'throttled'
  /** Server-side or network trouble that may pass: retried, then Unavailable. */
  | 'transient'
  /** No answer in time: Timeout (not retried: the caller's own deadline is what ran out). */
  | 'timeout'
  | 'denied'
  | 'not-found'
  /** The service rejected the request as malformed: a bug or an unsupported argument, never retried. */
  | 'invalid'
  /** Missing region or credentials: the deployment is misconfigured. */
  | 'config'
  | 'unknown';

export interface AwsFault {
  kind: FaultKind;
  /** The service's error code (`ThrottlingException`) or Node's (`ECONNRESET`), else the error's name. */
  code: string;
  message: string;
  status?: number;
}

const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'TransactionInProgressException',
  // CloudWatch Logs answers StartQuery with this when the account's concurrent Insights queries are all in use:
  // a capacity limit that frees up within seconds, so it is retried like throttling.
  'LimitExceededException',
  'LimitExceeded',
]);

const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
  'AuthorizationError',
  'AllAccessDisabled',
  'KMS.AccessDeniedException',
]);

const NOT_FOUND_CODES = new Set(['ResourceNotFoundException', 'NoSuchBucket', 'NoSuchKey', 'NotFound', 'NotFoundException', 'ResourceNotFound']);

const TRANSIENT_CODES = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServiceError',
  'InternalServiceFault',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceException',
  'RequestTimeout',
  'RequestTimeoutException',
  'PriorRequestNotComplete',
  'TransientError',
  'EC2ThrottledException',
  'IDPCommunicationError',
  'ServiceFailureException',
  'DependencyFailedException',
  'BadGatewayException',
  // A skewed clock: the signer corrects its offset from the response, so the next attempt succeeds.
  'RequestTimeTooSkewed',
  'RequestExpired',
  'InvalidSignatureException',
]);

const INVALID_CODES = new Set([
  'ValidationException',
  'ValidationError',
  'InvalidParameterException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidParameterCombination',
  'InvalidParameterCombinationException',
  'MissingParameter',
  'MissingRequiredParameter',
  'MalformedQueryException',
  'InvalidNextToken',
  'InvalidNextTokenException',
  'InvalidFormat',
  'InvalidRequestException',
  'SerializationException',
  'UnsupportedOperationException',
  'BadRequestException',
  'InvalidOperationException',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError', 'AbortError', 'RequestTimeoutError']);

export function classifyAwsError(error: unknown): AwsFault {
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    Code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
    $retryable?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const nodeCode = typeof e.code === 'string' ? e.code : '';
  const awsCode = typeof e.Code === 'string' ? e.Code : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const message = typeof e.message === 'string' ? e.message : typeof error === 'string' ? error : '';
  const code = [awsCode, name, nodeCode].find((c) => c && c !== 'Error') || nodeCode || name || 'Error';
  const fault = (kind: FaultKind, c = code): AwsFault => ({ kind, code: c, message, ...(status !== undefined ? { status } : {}) });

  for (const c of [awsCode, name]) {
    if (!c) continue;
    if (THROTTLE_CODES.has(c)) return fault('throttled', c);
    if (DENIED_CODES.has(c)) return fault('denied', c);
    if (NOT_FOUND_CODES.has(c)) return fault('not-found', c);
    if (TRANSIENT_CODES.has(c)) return fault('transient', c);
    if (INVALID_CODES.has(c)) return fault('invalid', c);
  }
  if (TIMEOUT_CODES.has(name) || TIMEOUT_CODES.has(nodeCode)) return fault('timeout');
  if (NETWORK_CODES.has(nodeCode) || NETWORK_CODES.has(name)) return fault('transient', nodeCode || name);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) return fault('config', name || 'CredentialsProviderError');
  if (/region is missing/i.test(message)) return fault('config', 'RegionMissing');
  if (status === 429) return fault('throttled');
  if (status === 401 || status === 403) return fault('denied');
  if (status === 404) return fault('not-found');
  if (status !== undefined && status >= 500) return fault('transient');
  if (e.$retryable) return fault('transient');
  if (e.$fault === 'server') return fault('transient');
  if (status !== undefined && status >= 400) return fault('invalid');
  return fault('unknown');
}

/** Whether a fault is worth another attempt. */
export function isRetryableFault(fault: AwsFault): boolean {
  return fault.kind === 'throttled' || fault.kind === 'transient';
}

export interface AwsCallContext {
  /** The service as a reader knows it: `CloudWatch Logs`, `Amazon EKS`. */
  service: string;
  /** The IAM action: `logs:StartQuery`. */
  action: string;
  /** What the call was about: a log group, a bucket/prefix, a cluster. */
  resource?: string;
  /** The NotFound message to use instead of the generic one (e.g. "log group X does not exist"). */
  notFound?: string;
}

const MAX_DETAIL = 300;

function detail(fault: AwsFault): string {
  const text = fault.message.replace(/\s+/g, ' ').trim();
  const clipped = text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
  return clipped && clipped !== fault.code ? `${fault.code}: ${clipped}` : fault.code;
}

/** The tool error a caller sees for a failed AWS call, after `attempts` attempts. */
export function toToolError(error: unknown, ctx: AwsCallContext, attempts = 1): ToolError {
  if (error instanceof ToolError) return error;
  const fault = classifyAwsError(error);
  const on = ctx.resource ? ` on ${ctx.resource}` : '';
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  switch (fault.kind) {
    case 'throttled':
      return new ToolError('Throttled', `${ctx.service} throttled ${ctx.action}${on}${tries} (${detail(fault)}); try again shortly or narrow the request`);
    case 'transient':
      return new ToolError('Unavailable', `${ctx.service} is unavailable for ${ctx.action}${on}${tries} (${detail(fault)})`);
    case 'timeout':
      return new ToolError('Timeout', `${ctx.service} did not answer ${ctx.action}${on} in time (${detail(fault)})`);
    case 'denied':
      return new ToolError(
        'AccessDenied',
        `Access denied: the tool's role may not call ${ctx.action}${on} (${detail(fault)}); grant ${ctx.action} to the tool role`,
      );
    case 'not-found':
      return new ToolError('NotFound', ctx.notFound ?? `${ctx.resource ?? 'The resource'} was not found by ${ctx.action} (${detail(fault)})`);
    case 'config':
      return new ToolError(
        'Internal',
        fault.code === 'RegionMissing'
          ? `${ctx.service}: no AWS region is configured; set AWS_REGION`
          : `${ctx.service}: no AWS credentials are available to call ${ctx.action} (${detail(fault)})`,
      );
    case 'invalid':
      return new ToolError('Internal', `${ctx.service} rejected ${ctx.action}${on} (${detail(fault)})`);
    default:
      return new ToolError('Internal', `${ctx.service} ${ctx.action}${on} failed (${detail(fault)})`);
  }
}
