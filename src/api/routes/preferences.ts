/** GET and PUT /preferences: the caller's report style, contacts, channels, time zone, specialists, time budget. */
import { type ApiRequest, type ApiResponse, json } from '../http.ts';
import type { ApiDeps } from '../ports.ts';
import { parsePreferences } from '../schemas.ts';
import { requireCaller } from './common.ts';

export async function getPreferences(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const caller = requireCaller(request);
  return json(200, { preferences: (await deps.memory.getPreferences(caller.subject)) ?? {} });
}

export async function putPreferences(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const caller = requireCaller(request);
  const preferences = parsePreferences(request.body);
  await deps.memory.putPreferences(caller.subject, preferences);
  return json(200, { preferences });
}
