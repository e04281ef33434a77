/** Helpers the route cores share: the caller, ownership, links, record summaries. */
import type { Caller } from '../identity.ts';
import { HttpError, type ApiRequest } from '../http.ts';
import { INVESTIGATION_ID } from '../ids.ts';
import type { ApiDeps } from '../ports.ts';
import type { InvestigationRecord } from '../../memory/port.ts';
import type { TriggerInput } from '../../domain/trigger.ts';

export function requireCaller(request: ApiRequest): Caller {
  if (!request.caller) throw new HttpError(401, 'unauthorized', 'the request carries no verified identity');
  return request.caller;
}

export function investigationIdParam(request: ApiRequest): string {
  const id = request.pathParameters.id;
  if (!id || !INVESTIGATION_ID.test(id)) {
    throw new HttpError(400, 'bad_request', "'id' must be an investigation id (letters, digits, - and _)", { field: 'id' });
  }
  return id;
}

/** The record when the caller may see it. Someone else's investigation is "not found", never "forbidden". */
export async function loadVisible(request: ApiRequest, deps: ApiDeps, id: string): Promise<InvestigationRecord> {
  const caller = requireCaller(request);
  const record = await deps.memory.getInvestigation(id);
  if (!record || (record.requester !== caller.subject && !caller.isAdmin)) {
    throw new HttpError(404, 'not_found', `no investigation ${id}`);
  }
  return record;
}

export function links(request: ApiRequest, id: string): { statusUrl: string; reportUrl: string } {
  const statusUrl = `${request.baseUrl}/investigations/${encodeURIComponent(id)}`;
  return { statusUrl, reportUrl: `${statusUrl}/report` };
}

export const TERMINAL = new Set(['completed', 'partial', 'failed']);

export type TriggerSummary =
  | { type: 'question'; question: string }
  | { type: 'alarm'; alarmName: string; state: string; at: string; alarmArn?: string };

export function summarizeTrigger(trigger: TriggerInput): TriggerSummary {
  if (trigger.type === 'question') return { type: 'question', question: trigger.question };
  const d = trigger.event.detail;
  return {
    type: 'alarm',
    alarmName: d.alarmName,
    state: d.state.value,
    at: d.state.timestamp,
    ...(trigger.event.resources?.[0] ? { alarmArn: trigger.event.resources[0] } : {}),
  };
}

/** Canonical JSON (keys sorted at every level): equal requests compare equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
