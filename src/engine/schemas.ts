/**
 * Validation of what crosses the state machine between steps. Each step validates its event on arrival so a
 * malformed payload fails with the offending field named, not deep inside the engine.
 */
import * as z from 'zod';
import { specialistReportSchema } from '../domain/findings.ts';
import { SPECIALISTS, hypothesisSchema } from '../domain/result.ts';
import { CATEGORIES } from '../domain/taxonomy.ts';
import { parseInstant } from '../domain/time.ts';
import { SYMPTOMS } from './symptoms.ts';

const instant = z.string().refine((s) => parseInstant(s) !== null, { message: 'must be an ISO 8601 instant' });

const alarmMetric = z.object({
  namespace: z.string(),
  metricName: z.string(),
  dimensions: z.record(z.string(), z.string()),
  stat: z.string().optional(),
  period: z.number().optional(),
});

export const triggerValueSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('alarm'),
    alarmName: z.string().min(1),
    alarmArn: z.string().optional(),
    state: z.string(),
    reason: z.string().optional(),
    description: z.string().optional(),
    at: instant,
    metrics: z.array(alarmMetric),
    region: z.string().optional(),
    account: z.string().optional(),
  }),
  z.object({ type: z.literal('question'), question: z.string().min(1), userId: z.string().optional() }),
]);

export const preferencesSchema = z.object({
  reportStyle: z.enum(['technical', 'executive']).optional(),
  timeZone: z.string().optional(),
  escalationContacts: z.array(z.string()).optional(),
  notificationChannels: z.array(z.string()).optional(),
  preferredSpecialists: z.array(z.enum(SPECIALISTS)).optional(),
  timeBudgetSeconds: z.number().positive().optional(),
});

export const memoryHintsSchema = z.object({
  dependencies: z.record(z.string(), z.array(z.string())).optional(),
  history: z
    .array(
      z.object({
        fingerprint: z.string(),
        category: z.enum(CATEGORIES),
        resource: z.string(),
        count: z.number(),
        lastSeen: z.string(),
        lastResolution: z.string().optional(),
        lastInvestigationId: z.string().optional(),
      }),
    )
    .optional(),
});

export const investigationInputSchema = z.object({
  investigationId: z.string().min(1),
  trigger: triggerValueSchema,
  now: instant,
  requestedBy: z.string().optional(),
  preferences: preferencesSchema.optional(),
  memory: memoryHintsSchema.optional(),
});

const taskSchema = z.object({
  selected: z.boolean(),
  reason: z.string(),
  targets: z.array(z.string()),
  categories: z.array(z.enum(CATEGORIES)).optional(),
  subjects: z.array(z.string()).optional(),
});

export const planSchema = z.object({
  round: z.number().int().min(1),
  window: z.object({ start: instant, pivot: instant, incidentStart: instant, end: instant }),
  focus: z.object({
    terms: z.array(z.string()),
    namespaces: z.array(z.string()),
    symptoms: z.array(z.enum(SYMPTOMS)),
    alarmMetric: alarmMetric.optional(),
    text: z.string(),
  }),
  specialists: z.object({ kubernetes: taskSchema, logs: taskSchema, metrics: taskSchema, runbooks: taskSchema }),
});

export const outcomeSchema = z.object({
  verdict: z.enum(['root-cause', 'expected-behaviour', 'nothing-found']),
  explanation: z.string(),
  rootCause: hypothesisSchema.nullable(),
  hypotheses: z.array(hypothesisSchema),
  dependencies: z.record(z.string(), z.array(z.string())),
});

export const specialistEventSchema = z.object({ input: investigationInputSchema, plan: planSchema });

export const supervisorEventSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('normalize'),
    request: z.object({
      investigationId: z.string().min(1).optional(),
      trigger: z.unknown(),
      requestedBy: z.string().optional(),
      now: z.string().optional(),
    }),
  }),
  z.object({ step: z.literal('plan'), input: investigationInputSchema, nextPlan: planSchema.nullable().optional() }),
  z.object({
    step: z.literal('synthesize'),
    input: investigationInputSchema,
    plan: planSchema,
    round: z.array(specialistReportSchema),
    history: z.array(specialistReportSchema),
  }),
  z.object({
    step: z.literal('finalize'),
    input: investigationInputSchema,
    outcome: outcomeSchema,
    history: z.array(specialistReportSchema),
    startedAt: instant,
  }),
]);
export type SupervisorEvent = z.infer<typeof supervisorEventSchema>;
