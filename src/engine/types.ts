/** The shapes that flow between the supervisor's steps and the specialists (and through the state machine). */
import type { SpecialistName } from '../domain/result.ts';
import type { Category } from '../domain/taxonomy.ts';
import type { AlarmMetric, Trigger } from '../domain/trigger.ts';
import type { Symptom } from './symptoms.ts';

export type ReportStyle = 'technical' | 'executive';

/** Who asked and how they like reports; from the preferences store. */
export interface Preferences {
  reportStyle?: ReportStyle;
  timeZone?: string;
  escalationContacts?: string[];
  notificationChannels?: string[];
  preferredSpecialists?: SpecialistName[];
  /** Seconds the whole investigation may take. */
  timeBudgetSeconds?: number;
}

/** What past investigations taught us, from the memory store. */
export interface MemoryHints {
  /** Workload → dependencies seen before (resources or hosts). */
  dependencies?: Record<string, string[]>;
  /** Incident history by fingerprint (category + resource). */
  history?: Array<{ fingerprint: string; category: Category; resource: string; count: number; lastSeen: string; lastResolution?: string; lastInvestigationId?: string }>;
}

export interface InvestigationInput {
  investigationId: string;
  trigger: Trigger;
  /** The investigation clock, ISO. */
  now: string;
  requestedBy?: string;
  preferences?: Preferences;
  memory?: MemoryHints;
}

export interface Window {
  /** Start of the look-back (baseline included), ISO. */
  start: string;
  /** The incident pivot: alarm time or question time, ISO. */
  pivot: string;
  /** Start of the incident window (shortly before the pivot), ISO. */
  incidentStart: string;
  end: string;
}

export interface Focus {
  /** Name tokens from alarm dimensions, alarm name or the question. */
  terms: string[];
  namespaces: string[];
  symptoms: Symptom[];
  alarmMetric?: AlarmMetric;
  /** The trigger in words, for runbook retrieval and the report. */
  text: string;
}

export interface SpecialistTask {
  selected: boolean;
  reason: string;
  /** Resources to look at more closely (round 2): workloads, services, nodes, hosts. */
  targets: string[];
  /** Categories of the leading hypotheses: runbooks to fetch, evidence to look for. */
  categories?: Category[];
  /** The leading hypotheses' resources, for targeted checks (e.g. their slowest requests). */
  subjects?: string[];
}

export interface Plan {
  round: number;
  window: Window;
  focus: Focus;
  specialists: Record<SpecialistName, SpecialistTask>;
}
