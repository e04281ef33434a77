/**
 * The supervisor's Plan step: classify the trigger, decide the time window and which specialists run (in
 * parallel). A second, targeted round is planned from the first round's analysis (see replan).
 */
import { SPECIALISTS, type SpecialistName } from '../domain/result.ts';
import type { Category } from '../domain/taxonomy.ts';
import { toIso } from '../domain/time.ts';
import type { Trigger } from '../domain/trigger.ts';
import { nameTokens } from './names.ts';
import { symptomsOf } from './symptoms.ts';
import type { Focus, InvestigationInput, Plan, SpecialistTask, Window } from './types.ts';

const LOOKBACK_MS = 3 * 3_600_000;
const INCIDENT_LEAD_MS = 30 * 60_000;

// Dimensions that name the account's plumbing, not the thing that is failing.
const PLUMBING_DIMENSIONS = new Set(['clustername', 'instanceid', 'autoscalinggroupname', 'availabilityzone', 'region', 'nodename', 'stage', 'env', 'environment']);

export function triggerTime(trigger: Trigger, now: number): number {
  return trigger.type === 'alarm' ? Math.min(Date.parse(trigger.at), now) : now;
}

export function focusOf(trigger: Trigger): Focus {
  if (trigger.type === 'question') {
    return { terms: unique(nameTokens(trigger.question)), namespaces: [], symptoms: symptomsOf(trigger.question), text: trigger.question };
  }
  const metric = trigger.metrics[0];
  const terms: string[] = [];
  const namespaces: string[] = [];
  for (const m of trigger.metrics) {
    for (const [name, value] of Object.entries(m.dimensions)) {
      if (PLUMBING_DIMENSIONS.has(name.toLowerCase())) continue;
      if (name.toLowerCase() === 'namespace') namespaces.push(value);
      terms.push(...nameTokens(value));
    }
  }
  terms.push(...nameTokens(trigger.alarmName));
  const text = [trigger.alarmName, trigger.description, metric ? `${metric.namespace} ${metric.metricName}` : '', trigger.reason]
    .filter(Boolean)
    .join(' — ');
  const symptoms = symptomsOf([trigger.alarmName, trigger.description ?? '', ...trigger.metrics.map((m) => m.metricName)].join(' '));
  return {
    terms: unique(terms),
    namespaces: unique(namespaces),
    symptoms,
    ...(metric ? { alarmMetric: metric } : {}),
    text,
  };
}

export function windowOf(trigger: Trigger, now: number): Window {
  const pivot = triggerTime(trigger, now);
  return {
    start: toIso(pivot - LOOKBACK_MS),
    pivot: toIso(pivot),
    incidentStart: toIso(pivot - INCIDENT_LEAD_MS),
    end: toIso(now),
  };
}

/** Round one: every specialist the user has not opted out of, over the whole window. */
export function planInvestigation(input: InvestigationInput): Plan {
  const now = Date.parse(input.now);
  const preferred = input.preferences?.preferredSpecialists;
  const specialists = Object.fromEntries(
    SPECIALISTS.map((name): [SpecialistName, SpecialistTask] => {
      const selected = !preferred?.length || preferred.includes(name) || name === 'kubernetes';
      return [name, { selected, reason: selected ? 'first round: broad look at the whole window' : 'not among the preferred specialists', targets: [] }];
    }),
  ) as Record<SpecialistName, SpecialistTask>;
  return { round: 1, window: windowOf(input.trigger, now), focus: focusOf(input.trigger), specialists };
}

export interface FollowUp {
  /** Resources to examine more closely, per specialist. */
  targets: Partial<Record<SpecialistName, string[]>>;
  /** Categories to look for evidence of (logs) or remediation for (runbooks), per specialist. */
  categories: Partial<Record<SpecialistName, Category[]>>;
  /** The leading hypotheses' resources. */
  subjects?: string[];
  reason: string;
}

/** Round two: only the specialists with targeted follow-ups, each told what to look at. */
export function replan(previous: Plan, followUp: FollowUp): Plan {
  const specialists = Object.fromEntries(
    SPECIALISTS.map((name): [SpecialistName, SpecialistTask] => {
      const targets = followUp.targets[name] ?? [];
      const categories = followUp.categories[name];
      const selected = targets.length > 0 || (categories?.length ?? 0) > 0;
      return [
        name,
        {
          selected,
          reason: selected ? followUp.reason : 'nothing further to check',
          targets,
          ...(categories?.length ? { categories } : {}),
          ...(followUp.subjects?.length ? { subjects: followUp.subjects } : {}),
        },
      ];
    }),
  ) as Record<SpecialistName, SpecialistTask>;
  return { ...previous, round: previous.round + 1, specialists };
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
