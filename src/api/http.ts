/**
 * The API's request and response as the route cores see them: already authenticated (API Gateway's Cognito
 * authorizer, or the dev server standing in for it), headers lower-cased, body still text. Errors carry a status,
 * a stable code and a message that is safe to show; anything else becomes a 500 without details.
 */
import { InputError } from '../domain/errors.ts';
import type { Caller } from './identity.ts';

export interface ApiRequest {
  method: string;
  /** The resource path without stage or base path: `/investigations/inv-…`. */
  path: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string | null;
  /** Undefined when the request reached us without authorizer claims. */
  caller: Caller | undefined;
  /** Scheme, host and stage/base path of the API (`https://…/prod`), for the links in responses; '' when unknown. */
  baseUrl: string;
  requestId?: string;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...COMMON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function text(statusCode: number, body: string, contentType: string, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { 'content-type': contentType, ...COMMON_HEADERS, ...headers }, body };
}

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'insufficient_scope'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'not_ready'
  | 'service_unavailable'
  | 'internal_error';

/** An error response a route core throws or returns: status, code, a safe message, the field at fault. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: number, code: ErrorCode, message: string, options: { field?: string; extra?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

export function errorResponse(error: HttpError | InputError, requestId?: string): ApiResponse {
  if (error instanceof InputError) {
    return json(400, { error: 'bad_request', message: error.message, ...(error.field ? { field: error.field } : {}) });
  }
  return json(
    error.status,
    {
      error: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...error.extra,
      ...(error.status >= 500 && requestId ? { requestId } : {}),
    },
    error.headers,
  );
}

/** The first value of a header, by case-insensitive name. */
export function header(request: Pick<ApiRequest, 'headers'>, name: string): string | undefined {
  return request.headers[name.toLowerCase()];
}

/** An error of a module we must not import (an adapter), recognized by its name. */
export function isNamedError(error: unknown, name: string): error is Error & Record<string, unknown> {
  return error instanceof Error && error.name === name;
}
