/**
 * GET /investigations/{id}: status, steps done, and the result once finished. While the record says the
 * investigation is still going, the execution is asked too: a timeout or abort ends the execution without the
 * supervisor ever writing the record, and the caller should hear about it rather than poll forever.
 */
import type { InvestigationRecord, InvestigationStatus } from '../../memory/port.ts';
import { type ApiRequest, type ApiResponse, json } from '../http.ts';
import type { ApiDeps, ExecutionStatus } from '../ports.ts';
import { TERMINAL, investigationIdParam, links, loadVisible, summarizeTrigger } from './common.ts';

export async function getInvestigation(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const id = investigationIdParam(request);
  const record = await loadVisible(request, deps, id);
  let status: InvestigationStatus = record.status;
  let failure: { error: string; message: string } | undefined;
  // Still going by the record, or failed without a result (the supervisor never finished): ask the execution why.
  const ask = !TERMINAL.has(record.status) || (record.status === 'failed' && !record.result);
  if (ask && record.executionArn && deps.monitor) {
    const execution = await describeSafely(deps, record);
    if (execution && execution.state !== 'RUNNING' && execution.state !== 'SUCCEEDED') {
      status = 'failed';
      failure = describeFailure(execution);
    }
  }
  return json(200, {
    investigationId: record.investigationId,
    status,
    requester: record.requester,
    trigger: summarizeTrigger(record.trigger),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    steps: record.steps ?? [],
    ...(failure ? { failure } : {}),
    ...(TERMINAL.has(status) && record.result ? { result: record.result } : {}),
    ...links(request, record.investigationId),
  });
}

async function describeSafely(deps: ApiDeps, record: InvestigationRecord): Promise<ExecutionStatus | undefined> {
  try {
    return await deps.monitor!.describe(record.executionArn!);
  } catch (error) {
    // The record is still the answer; the execution's view is a refinement.
    deps.log?.warn('could not describe the execution', {
      investigationId: record.investigationId,
      error: error instanceof Error ? error.name : String(error),
    });
    return undefined;
  }
}

/** A safe account of why an execution ended: the error name, and the message only of input errors (ours). */
export function describeFailure(execution: ExecutionStatus): { error: string; message: string } {
  const error = execution.error ?? execution.state;
  if (execution.state === 'TIMED_OUT' || error === 'States.Timeout') {
    return { error: 'States.Timeout', message: 'the investigation ran out of time' };
  }
  if (execution.state === 'ABORTED') return { error: 'Aborted', message: 'the investigation was stopped' };
  if (error === 'InputError' && execution.cause) {
    try {
      const cause = JSON.parse(execution.cause) as { errorMessage?: unknown };
      if (typeof cause.errorMessage === 'string') return { error, message: cause.errorMessage.slice(0, 500) };
    } catch {
      // Not the Lambda error JSON: fall through to the generic message.
    }
  }
  return { error, message: 'the investigation failed' };
}
