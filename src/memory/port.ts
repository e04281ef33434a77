/**
 * The memory of the system (one DynamoDB table in AWS, dynalite locally): investigation records, user
 * preferences, what investigations learned per service, and incident history by fingerprint.
 */
import type { InvestigationResult } from '../domain/result.ts';
import type { Category } from '../domain/taxonomy.ts';
import type { TriggerInput } from '../domain/trigger.ts';
import type { MemoryHints, Preferences } from '../engine/types.ts';

export type InvestigationStatus = 'queued' | 'running' | 'completed' | 'partial' | 'failed';

export interface InvestigationRecord {
  investigationId: string;
  /** Who asked: the Cognito subject, or `alarm:<alarm name>` for alarm-triggered runs. */
  requester: string;
  status: InvestigationStatus;
  trigger: TriggerInput;
  createdAt: string;
  updatedAt: string;
  /** Steps done so far (Normalize, Plan, Specialists, Synthesize, Finalize), for progress. */
  steps?: string[];
  /** The Step Functions execution, when started through one. */
  executionArn?: string;
  result?: InvestigationResult;
  /** Where the markdown report is (S3 key or file path). */
  reportKey?: string;
  /** Request idempotency key, when the caller gave one. */
  idempotencyKey?: string;
}

export interface IncidentHistoryEntry {
  fingerprint: string;
  category: Category;
  resource: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  lastInvestigationId: string;
  lastResolution?: string;
}

export interface MemoryStore {
  putInvestigation(record: InvestigationRecord): Promise<void>;
  /** Updates status/steps/result of an existing record. */
  updateInvestigation(id: string, patch: Partial<Omit<InvestigationRecord, 'investigationId' | 'requester' | 'createdAt'>>): Promise<void>;
  getInvestigation(id: string): Promise<InvestigationRecord | undefined>;
  /** The requester's most recent investigations, newest first (all requesters when undefined: admins). */
  listInvestigations(requester: string | undefined, limit: number): Promise<InvestigationRecord[]>;
  /** The investigation an idempotency key already started, if any. */
  findByIdempotencyKey(requester: string, key: string): Promise<InvestigationRecord | undefined>;

  getPreferences(userId: string): Promise<Preferences | undefined>;
  putPreferences(userId: string, preferences: Preferences): Promise<void>;

  /**
   * What earlier investigations learned that bears on these resources (dependencies, incident history; all recent
   * history when none are given), over the 30 days before `now` (the investigation clock; the store's clock otherwise).
   */
  hints(resources: readonly string[], options?: { now?: string }): Promise<MemoryHints>;
  /** Records what this investigation found: incident history by fingerprint and dependencies seen. */
  learn(result: InvestigationResult, learned: { dependencies: Record<string, string[]>; at: string }): Promise<void>;
}

/** The fingerprint of an incident: its category and resource. Repeats of the same failure share it. */
export function fingerprint(category: Category, resource: string): string {
  return `${category}#${resource}`;
}
