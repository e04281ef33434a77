/**
 * Investigation ids: `inv-YYYYMMDD-HHMMSS-xxxxxx`, the format of src/engine/steps.ts's newInvestigationId (kept
 * here so the API bundles do not pull in the engine). Valid Step Functions execution names and file names.
 */
import { createHash, randomBytes } from 'node:crypto';

function stamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

export function newInvestigationId(now: number): string {
  return `inv-${stamp(now)}-${randomBytes(3).toString('hex')}`;
}

/**
 * The id of the investigation an alarm state change starts: derived from the alarm ARN and the state's timestamp,
 * so a redelivered event maps to the same investigation (and the same execution name) even past the
 * idempotency layer.
 */
export function alarmInvestigationId(alarmArn: string, stateTimestamp: number): string {
  const hash = createHash('sha256').update(`${alarmArn}\n${new Date(stateTimestamp).toISOString()}`).digest('hex').slice(0, 6);
  return `inv-${stamp(stateTimestamp)}-${hash}`;
}

export const INVESTIGATION_ID = /^[A-Za-z0-9_-]{1,80}$/;
