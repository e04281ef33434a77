/**
 * API Gateway REST (proxy integration, payload 1.0) events in and results out. The Lambdas receive these from
 * API Gateway; the dev server builds the same events, claims included, so both run the same route code.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from './http.ts';
import { callerFromClaims } from './identity.ts';

export function requestFromEvent(event: APIGatewayProxyEvent, pathParameters: Record<string, string>): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (typeof v === 'string') query[k] = v;
  const body = event.body == null ? null : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null | undefined)?.claims;
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    pathParameters: { ...pathParameters, ...definedOnly(event.pathParameters) },
    query,
    headers,
    body,
    caller: callerFromClaims(claims),
    baseUrl: baseUrlOf(event, headers),
    ...(event.requestContext?.requestId ? { requestId: event.requestContext.requestId } : {}),
  };
}

/**
 * `https://<domain>/<stage or base path>`: requestContext.path is the full path the client used
 * (`/prod/investigations`) and event.path the resource path (`/investigations`); what precedes it is the stage
 * on the execute-api domain, or the base path mapping on a custom domain.
 */
function baseUrlOf(event: APIGatewayProxyEvent, headers: Record<string, string>): string {
  const host = event.requestContext?.domainName ?? headers.host;
  if (!host) return '';
  const proto = headers['x-forwarded-proto'] ?? 'https';
  const full = event.requestContext?.path;
  const prefix = full && full.endsWith(event.path) ? full.slice(0, full.length - event.path.length) : '';
  return `${proto}://${host}${prefix.replace(/\/+$/, '')}`;
}

function definedOnly(params: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

export function resultFromResponse(response: ApiResponse): APIGatewayProxyResult {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}

export interface ProxyEventInit {
  method: string;
  /** Resource path with concrete values: `/investigations/inv-1`. */
  path: string;
  /** The route template: `/investigations/{id}`. */
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | null;
  /** Authorizer claims, as API Gateway's Cognito authorizer passes them (strings). */
  claims?: Record<string, string>;
  domainName?: string;
  stage?: string;
  requestId?: string;
  sourceIp?: string;
}

/** An API Gateway REST proxy event, as API Gateway would deliver it after its Cognito authorizer. */
export function buildProxyEvent(init: ProxyEventInit): APIGatewayProxyEvent {
  const stage = init.stage ?? '$default';
  const requestId = init.requestId ?? crypto.randomUUID();
  const headers = init.headers ?? {};
  const query = init.query && Object.keys(init.query).length ? init.query : null;
  const now = Date.now();
  return {
    resource: init.resource,
    path: init.path,
    httpMethod: init.method.toUpperCase(),
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: init.pathParameters && Object.keys(init.pathParameters).length ? init.pathParameters : null,
    stageVariables: null,
    body: init.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: init.claims ? { claims: init.claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: init.method.toUpperCase(),
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: init.sourceIp ?? '127.0.0.1',
        user: null,
        userAgent: headers['user-agent'] ?? null,
        userArn: null,
      },
      path: stage === '$default' ? init.path : `/${stage}${init.path}`,
      stage,
      requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: init.resource,
      ...(init.domainName ? { domainName: init.domainName } : {}),
    },
  };
}
