/**
 * The API's routes — method, path, the scopes API Gateway's Cognito authorizer requires (any one of them), the
 * Lambda that serves it — and the dispatcher every API Lambda and the dev server share: match the route (404 /
 * 405), check the caller (401 / 403, again, behind the authorizer), run the route core, and turn errors into
 * JSON that names the field at fault and never carries a stack or a secret.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { InputError } from '../domain/errors.ts';
import { requestFromEvent, resultFromResponse } from './gateway-event.ts';
import { HttpError, type ApiRequest, type ApiResponse, errorResponse, json } from './http.ts';
import { SCOPES, hasAnyScope } from './identity.ts';
import type { ApiDeps } from './ports.ts';

export type RouteId = 'startInvestigation' | 'listInvestigations' | 'getInvestigation' | 'getReport' | 'getPreferences' | 'putPreferences';

export interface RouteSpec {
  id: RouteId;
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway resource path. */
  path: string;
  /** `authorizationScopes` of the method: any one grants access. */
  scopes: readonly string[];
  /** The Lambda entry serving it (lambdas/api/<handler>/handler.ts). */
  handler: 'start-investigation' | 'list-investigations' | 'get-investigation' | 'get-report' | 'preferences';
}

export type RouteCore = (request: ApiRequest, deps: ApiDeps) => Promise<ApiResponse>;

/** A route with its core. Each Lambda binds only its own cores (src/api/routes/index.ts binds them all). */
export interface Route extends RouteSpec {
  core: RouteCore;
}

// As the stack's authorizationScopes: the admin scope grants every route (admins manage everyone's investigations).
const READ = [SCOPES.read, SCOPES.admin];
const WRITE = [SCOPES.write, SCOPES.admin];

export const ROUTE_SPECS: readonly RouteSpec[] = [
  { id: 'startInvestigation', method: 'POST', path: '/investigations', scopes: WRITE, handler: 'start-investigation' },
  { id: 'listInvestigations', method: 'GET', path: '/investigations', scopes: READ, handler: 'list-investigations' },
  { id: 'getInvestigation', method: 'GET', path: '/investigations/{id}', scopes: READ, handler: 'get-investigation' },
  { id: 'getReport', method: 'GET', path: '/investigations/{id}/report', scopes: READ, handler: 'get-report' },
  { id: 'getPreferences', method: 'GET', path: '/preferences', scopes: READ, handler: 'preferences' },
  { id: 'putPreferences', method: 'PUT', path: '/preferences', scopes: WRITE, handler: 'preferences' },
];

export function route(id: RouteId, core: RouteCore): Route {
  return { ...ROUTE_SPECS.find((r) => r.id === id)!, core };
}

export type RouteMatch<R extends RouteSpec = RouteSpec> =
  | { ok: true; route: R; pathParameters: Record<string, string> }
  | { ok: false; response: ApiResponse };

/** Finds the route for a method and path among `routes`: 404 for an unknown path, 405 (with Allow) for a known one. */
export function matchRoute<R extends RouteSpec = RouteSpec>(method: string, path: string, routes: readonly R[] = ROUTE_SPECS as readonly R[]): RouteMatch<R> {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const candidates: Array<{ route: R; params: Record<string, string> }> = [];
  for (const route of routes) {
    const params = matchPath(route.path, normalized);
    if (params) candidates.push({ route, params });
  }
  if (!candidates.length) return { ok: false, response: json(404, { error: 'not_found', message: `no route for ${path}` }) };
  const hit = candidates.find((c) => c.route.method === method.toUpperCase());
  if (!hit) {
    const allow = [...new Set(candidates.map((c) => c.route.method))].sort().join(', ');
    return { ok: false, response: json(405, { error: 'method_not_allowed', message: `${method.toUpperCase()} is not allowed on ${path}; use ${allow}` }, { allow }) };
  }
  return { ok: true, route: hit.route, pathParameters: hit.params };
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const m = /^\{(\w+)\}$/.exec(t[i]!);
    if (m) {
      if (!p[i]) return undefined;
      try {
        params[m[1]!] = decodeURIComponent(p[i]!);
      } catch {
        return undefined;
      }
    } else if (t[i] !== p[i]) return undefined;
  }
  return params;
}

export interface DispatchOptions {
  /** The routes this Lambda serves (all of src/api/routes/index.ts for the dev server). */
  routes: readonly Route[];
  /** Reports unexpected errors (the Lambdas log them with Powertools); the client only sees a request id. */
  onError?(error: unknown, request: { method: string; path: string; requestId?: string }): void;
}

export async function handleApiEvent(event: APIGatewayProxyEvent, deps: ApiDeps, options: DispatchOptions): Promise<APIGatewayProxyResult> {
  const match = matchRoute(event.httpMethod, event.path, options.routes);
  if (!match.ok) return resultFromResponse(match.response);
  let request: ApiRequest | undefined;
  try {
    request = requestFromEvent(event, match.pathParameters);
    if (!request.caller) throw new HttpError(401, 'unauthorized', 'a bearer token is required');
    if (!hasAnyScope(request.caller, match.route.scopes)) {
      throw new HttpError(403, 'insufficient_scope', `this route needs the ${match.route.scopes.join(' or ')} scope`);
    }
    return resultFromResponse(await match.route.core(request, deps));
  } catch (error) {
    if (error instanceof HttpError || error instanceof InputError) return resultFromResponse(errorResponse(error, request?.requestId));
    const requestId = request?.requestId ?? event.requestContext?.requestId;
    options.onError?.(error, { method: event.httpMethod, path: event.path, ...(requestId ? { requestId } : {}) });
    return resultFromResponse(json(500, { error: 'internal_error', message: 'an internal error occurred', ...(requestId ? { requestId } : {}) }));
  }
}
