/** GET /investigations: the caller's investigations, newest first; `?all=true` lists everyone's (admins only). */
import { HttpError, type ApiRequest, type ApiResponse, json } from '../http.ts';
import { SCOPES } from '../identity.ts';
import type { ApiDeps } from '../ports.ts';
import { parseListQuery } from '../schemas.ts';
import { links, requireCaller, summarizeTrigger } from './common.ts';

export async function listInvestigations(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const caller = requireCaller(request);
  const { limit, all } = parseListQuery(request.query);
  if (all && !caller.isAdmin) {
    throw new HttpError(403, 'forbidden', `listing everyone's investigations needs the ${SCOPES.admin} scope or the admins group`, { field: 'all' });
  }
  const records = await deps.memory.listInvestigations(all ? undefined : caller.subject, limit);
  const items = records.map((r) => ({
    investigationId: r.investigationId,
    status: r.status,
    requester: r.requester,
    trigger: summarizeTrigger(r.trigger),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.result?.rootCause ? { rootCause: r.result.rootCause } : {}),
    statusUrl: links(request, r.investigationId).statusUrl,
  }));
  return json(200, { items, count: items.length });
}
