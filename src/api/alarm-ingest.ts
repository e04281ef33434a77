/**
 * The alarm trigger's core: an EventBridge "CloudWatch Alarm State Change" event becomes an investigation. Pure
 * over the ports; the ingest Lambda wraps `startAlarmInvestigation` in Powertools idempotency keyed on the alarm
 * ARN and the state's timestamp, and the id derived from the same two makes a redelivery past that layer land on
 * the same record and the same execution name.
 */
import { InputError } from '../domain/errors.ts';
import { parseInstant } from '../domain/time.ts';
import { type AlarmEvent, alarmEventSchema } from '../domain/trigger.ts';
import type { InvestigationRecord, MemoryStore } from '../memory/port.ts';
import { isNamedError } from './http.ts';
import { parseStrict } from './schemas.ts';
import { alarmInvestigationId } from './ids.ts';
import type { ExecutionInput, WorkflowStarter } from './ports.ts';

export interface AlarmStateChange {
  event: AlarmEvent;
  alarmName: string;
  /** The alarm ARN (the event's first resource), or a stand-in built from account, region and name. */
  alarmArn: string;
  state: string;
  /** The state change's timestamp, ISO (normalized). */
  stateTimestamp: string;
}

export type AlarmCheck = { ok: true; alarm: AlarmStateChange } | { ok: false; field: string | undefined; message: string };

/** Validates the event with the trigger schema; a failure names the offending field (`detail.state.value`). */
export function checkAlarmEvent(raw: unknown): AlarmCheck {
  let event: AlarmEvent;
  try {
    event = parseStrict(alarmEventSchema, raw) as AlarmEvent;
  } catch (error) {
    if (error instanceof InputError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
  const d = event.detail;
  const alarmArn = event.resources?.[0] ?? `alarm:${event.account ?? 'unknown'}:${event.region ?? 'unknown'}:${d.alarmName}`;
  return {
    ok: true,
    alarm: { event, alarmName: d.alarmName, alarmArn, state: d.state.value, stateTimestamp: new Date(parseInstant(d.state.timestamp)!).toISOString() },
  };
}

export interface AlarmIngestPorts {
  memory: MemoryStore;
  workflow: WorkflowStarter;
  clock: () => number;
}

export interface AlarmIngestResult {
  investigationId: string;
  executionArn: string;
}

/** Records the investigation (requester `alarm:<name>`) and starts its execution; safe to repeat. */
export async function startAlarmInvestigation(alarm: AlarmStateChange, ports: AlarmIngestPorts): Promise<AlarmIngestResult> {
  const investigationId = alarmInvestigationId(alarm.alarmArn, Date.parse(alarm.stateTimestamp));
  const requester = `alarm:${alarm.alarmName}`;
  const at = new Date(ports.clock()).toISOString();
  const record: InvestigationRecord = {
    investigationId,
    requester,
    status: 'queued',
    trigger: { type: 'alarm', event: alarm.event },
    createdAt: at,
    updatedAt: at,
    steps: [],
  };
  try {
    await ports.memory.putInvestigation(record);
  } catch (error) {
    // A redelivery after a partial run: the record is there, make sure the execution is too.
    if (!isNamedError(error, 'InvestigationExists')) throw error;
  }
  const input: ExecutionInput = { request: { investigationId, trigger: record.trigger, requestedBy: requester } };
  const executionArn = await ports.workflow.start(investigationId, input);
  await ports.memory.updateInvestigation(investigationId, { executionArn, updatedAt: new Date(ports.clock()).toISOString() });
  return { investigationId, executionArn };
}
