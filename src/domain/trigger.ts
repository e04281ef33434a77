/**
 * What starts an investigation: an EventBridge "CloudWatch Alarm State Change" event or a question. Validated
 * at every entry (API body, alarm rule target, scenario file, CLI) with errors that name the offending field.
 */
import * as z from 'zod';
import { InputError } from './errors.ts';
import { parseInstant } from './time.ts';

const instant = z.string().refine((s) => parseInstant(s) !== null, { message: 'must be an ISO 8601 instant' });

// Dimensions arrive as a map in alarm events and as Name/Value lists in API shapes: accept both.
const dimensions = z
  .union([
    z.record(z.string(), z.string()),
    z.array(z.object({ name: z.string().optional(), Name: z.string().optional(), value: z.string().optional(), Value: z.string().optional() })),
  ])
  .transform((d) =>
    Array.isArray(d)
      ? Object.fromEntries(d.map((x) => [x.name ?? x.Name ?? '', x.value ?? x.Value ?? '']).filter(([k]) => k))
      : d,
  );

export const alarmEventSchema = z.looseObject({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.looseObject({
    alarmName: z.string().min(1),
    state: z.looseObject({
      value: z.string().min(1),
      reason: z.string().optional(),
      reasonData: z.string().optional(),
      timestamp: instant,
    }),
    previousState: z.looseObject({ value: z.string().optional(), timestamp: z.string().optional() }).optional(),
    configuration: z
      .looseObject({
        description: z.string().optional(),
        alarmRule: z.string().optional(),
        metrics: z
          .array(
            z.looseObject({
              id: z.string().optional(),
              expression: z.string().optional(),
              label: z.string().optional(),
              returnData: z.boolean().optional(),
              metricStat: z
                .looseObject({
                  metric: z.looseObject({ namespace: z.string().min(1), name: z.string().min(1), dimensions: dimensions.optional() }),
                  period: z.number().optional(),
                  stat: z.string().optional(),
                })
                .optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  }),
});
export type AlarmEvent = z.infer<typeof alarmEventSchema>;

export const questionSchema = z.string().trim().min(3, 'must be at least 3 characters').max(2000, 'must be at most 2000 characters');

export const triggerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('alarm'), event: alarmEventSchema }),
  z.object({ type: z.literal('question'), question: questionSchema, userId: z.string().min(1).optional() }),
]);
export type TriggerInput = z.infer<typeof triggerSchema>;

export interface AlarmMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat?: string;
  period?: number;
}

/** The trigger as the engine uses it, whatever its source. */
export type Trigger =
  | {
      type: 'alarm';
      alarmName: string;
      alarmArn?: string;
      state: string;
      reason?: string;
      description?: string;
      /** When the alarm changed state, ISO. */
      at: string;
      metrics: AlarmMetric[];
      region?: string;
      account?: string;
    }
  | { type: 'question'; question: string; userId?: string };

/** Validates a raw trigger and flattens it; throws InputError naming the first offending field. */
export function parseTrigger(raw: unknown): Trigger {
  return normalizeTrigger(parseOrThrow(triggerSchema, raw));
}

export function normalizeTrigger(t: TriggerInput): Trigger {
  if (t.type === 'question') return { type: 'question', question: t.question, ...(t.userId ? { userId: t.userId } : {}) };
  return alarmTrigger(t.event);
}

export function alarmTrigger(event: AlarmEvent): Trigger {
  const d = event.detail;
  const metrics: AlarmMetric[] = (d.configuration?.metrics ?? []).flatMap((m) =>
    m.metricStat
      ? [
          {
            namespace: m.metricStat.metric.namespace,
            metricName: m.metricStat.metric.name,
            dimensions: m.metricStat.metric.dimensions ?? {},
            ...(m.metricStat.stat ? { stat: m.metricStat.stat } : {}),
            ...(m.metricStat.period ? { period: m.metricStat.period } : {}),
          },
        ]
      : [],
  );
  return {
    type: 'alarm',
    alarmName: d.alarmName,
    ...(event.resources?.[0] ? { alarmArn: event.resources[0] } : {}),
    state: d.state.value,
    ...(d.state.reason ? { reason: d.state.reason } : {}),
    ...(d.configuration?.description ? { description: d.configuration.description } : {}),
    at: new Date(parseInstant(d.state.timestamp)!).toISOString(),
    metrics,
    ...(event.region ? { region: event.region } : {}),
    ...(event.account ? { account: event.account } : {}),
  };
}

/** zod parse whose failure becomes an InputError naming the field path (`detail.state.value`). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  // reportInput: zod 4 only says what the bad value was when asked, and 'is required' must mean absent.
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new InputError(path ? `'${path}' ${message}` : message, path || undefined);
}
