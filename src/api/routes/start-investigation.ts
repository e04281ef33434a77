/**
 * POST /investigations: validates `{question}` or `{alarmEvent}`, honours `Idempotency-Key` (same key from the same
 * user → the same investigation; the key reused for a different request → 409), records the investigation as
 * queued, starts the workflow named by its id, and answers 202 with where to poll.
 */
import type { InvestigationRecord } from '../../memory/port.ts';
import { HttpError, type ApiRequest, type ApiResponse, header, isNamedError, json } from '../http.ts';
import { newInvestigationId } from '../ids.ts';
import type { ApiDeps, ExecutionInput } from '../ports.ts';
import { type StartRequest, parseIdempotencyKey, parseStartBody } from '../schemas.ts';
import { canonicalJson, links, requireCaller } from './common.ts';

export async function startInvestigation(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const caller = requireCaller(request);
  const key = parseIdempotencyKey(header(request, 'idempotency-key'));
  const start = parseStartBody(request.body, caller.subject);

  if (key !== undefined) {
    const existing = await deps.memory.findByIdempotencyKey(caller.subject, key);
    if (existing) return replay(request, deps, existing, start);
  }

  const now = deps.clock();
  const investigationId = (deps.newId ?? newInvestigationId)(now);
  const at = new Date(now).toISOString();
  const record: InvestigationRecord = {
    investigationId,
    requester: caller.subject,
    status: 'queued',
    trigger: start.trigger,
    createdAt: at,
    updatedAt: at,
    steps: [],
    ...(key !== undefined ? { idempotencyKey: key } : {}),
  };
  try {
    await deps.memory.putInvestigation(record);
  } catch (error) {
    // Another request with the same key got there first: answer as its replay.
    if (key !== undefined && isNamedError(error, 'IdempotencyKeyInUse')) {
      const winner = await deps.memory.findByIdempotencyKey(caller.subject, key);
      if (winner) return replay(request, deps, winner, start);
    }
    throw error;
  }
  await launch(deps, record, start);
  const updated = (await deps.memory.getInvestigation(investigationId)) ?? record;
  return accepted(request, updated, 202);
}

async function replay(request: ApiRequest, deps: ApiDeps, existing: InvestigationRecord, start: StartRequest): Promise<ApiResponse> {
  if (canonicalJson(existing.trigger) !== canonicalJson(start.trigger)) {
    throw new HttpError(409, 'conflict', 'this Idempotency-Key was already used for a different request', {
      field: 'Idempotency-Key',
      extra: { investigationId: existing.investigationId },
    });
  }
  // The first request stored its record but its workflow never started (it failed, or it is still on its way):
  // start it now. Executions are named by the investigation id, so a second start cannot run it twice.
  if (!existing.executionArn && (existing.status === 'queued' || existing.status === 'failed')) {
    await launch(deps, existing, start);
    existing = (await deps.memory.getInvestigation(existing.investigationId)) ?? existing;
  }
  return accepted(request, existing, 200, { 'idempotent-replayed': 'true' });
}

async function launch(deps: ApiDeps, record: InvestigationRecord, start: StartRequest): Promise<void> {
  const input: ExecutionInput = {
    request: {
      investigationId: record.investigationId,
      trigger: record.trigger,
      requestedBy: record.requester,
      ...(start.now !== undefined ? { now: start.now } : {}),
      ...(deps.passScenario && start.scenario !== undefined ? { scenario: start.scenario } : {}),
    },
  };
  let executionArn: string;
  try {
    executionArn = await deps.workflow.start(record.investigationId, input);
  } catch (error) {
    deps.log?.error('could not start the investigation workflow', {
      investigationId: record.investigationId,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    await deps.memory.updateInvestigation(record.investigationId, { status: 'failed', updatedAt: new Date(deps.clock()).toISOString() });
    throw new HttpError(503, 'service_unavailable', 'the investigation could not be started; retry with the same Idempotency-Key', {
      extra: { investigationId: record.investigationId },
      headers: { 'retry-after': '5' },
    });
  }
  await deps.memory.updateInvestigation(record.investigationId, {
    executionArn,
    ...(record.status === 'failed' ? { status: 'queued' as const } : {}),
    updatedAt: new Date(deps.clock()).toISOString(),
  });
}

function accepted(request: ApiRequest, record: InvestigationRecord, statusCode: 200 | 202, headers: Record<string, string> = {}): ApiResponse {
  const { statusUrl, reportUrl } = links(request, record.investigationId);
  return json(statusCode, { investigationId: record.investigationId, status: record.status, statusUrl, reportUrl }, { location: statusUrl, ...headers });
}
