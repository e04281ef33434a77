/**
 * Request validation for the API: JSON bodies, query strings, preferences. Every failure is an InputError naming
 * the offending field (`question`, `alarmEvent.detail.state.value`, `escalationContacts.1`, `limit`).
 */
import * as z from 'zod';
import { InputError } from '../domain/errors.ts';
import { SPECIALISTS } from '../domain/result.ts';
import { parseInstant } from '../domain/time.ts';
import { type AlarmEvent, type TriggerInput, alarmEventSchema, questionSchema } from '../domain/trigger.ts';
import type { Preferences } from '../engine/types.ts';

/** Parses a JSON body that must be an object; unknown fields are refused by name (typos do not pass silently). */
export function parseJsonObject(body: string | null): Record<string, unknown> {
  if (body === null || body.trim() === '') throw new InputError("'body' is required: send a JSON object", 'body');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InputError("'body' is not valid JSON", 'body');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError("'body' must be a JSON object", 'body');
  return value as Record<string, unknown>;
}

/**
 * zod parse whose failure becomes an InputError naming the field path (`alarmEvent.detail.state.value`). Like the
 * domain's parseOrThrow, plus: unrecognized keys are named, and a wrong type is told apart from a missing field
 * (zod 4 only reports the input of an issue when asked to).
 */
export function parseStrict<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const at = (...extra: string[]): string => [prefix, ...issue.path.map(String), ...extra].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    const field = at(issue.keys[0]!);
    throw new InputError(`'${field}' is not a known field`, field);
  }
  const field = at();
  let message = issue.message;
  if (issue.code === 'invalid_type') message = issue.input === undefined ? 'is required' : `must be of type ${issue.expected}`;
  throw new InputError(field ? `'${field}' ${message}` : message, field || undefined);
}

const startBodySchema = z.strictObject({
  question: z.unknown().optional(),
  alarmEvent: z.unknown().optional(),
  now: z.string().refine((s) => parseInstant(s) !== null, { message: 'must be an ISO 8601 instant' }).optional(),
  scenario: z.string().max(200).optional(),
});

export interface StartRequest {
  trigger: TriggerInput;
  now?: string;
  scenario?: string;
}

/** POST /investigations: `{question}` or `{alarmEvent}`, optional `now` and `scenario`. */
export function parseStartBody(body: string | null, userId: string): StartRequest {
  const raw = parseStrict(startBodySchema, parseJsonObject(body));
  const hasQuestion = raw.question !== undefined;
  const hasAlarm = raw.alarmEvent !== undefined;
  if (hasQuestion && hasAlarm) throw new InputError("give either 'question' or 'alarmEvent', not both", 'alarmEvent');
  if (!hasQuestion && !hasAlarm) throw new InputError("'question' is required (or give 'alarmEvent')", 'question');
  const trigger: TriggerInput = hasQuestion
    ? { type: 'question', question: parseStrict(z.object({ question: questionSchema }), { question: raw.question }).question, userId }
    : { type: 'alarm', event: parseStrict(alarmEventSchema, raw.alarmEvent, 'alarmEvent') as AlarmEvent };
  return {
    trigger,
    ...(raw.now !== undefined ? { now: new Date(parseInstant(raw.now)!).toISOString() } : {}),
    ...(raw.scenario !== undefined ? { scenario: raw.scenario } : {}),
  };
}

/** `Idempotency-Key`: 1–128 visible ASCII characters. */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new InputError("'Idempotency-Key' must be 1 to 128 visible ASCII characters", 'Idempotency-Key');
  }
  return value;
}

export function parseListQuery(query: Record<string, string>): { limit: number; all: boolean } {
  let limit = 20;
  if (query.limit !== undefined) {
    if (!/^\d{1,4}$/.test(query.limit) || Number(query.limit) < 1 || Number(query.limit) > 100) {
      throw new InputError("'limit' must be an integer from 1 to 100", 'limit');
    }
    limit = Number(query.limit);
  }
  return { limit, all: parseBoolean(query.all, 'all') };
}

export function parseBoolean(value: string | undefined, field: string): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new InputError(`'${field}' must be true or false`, field);
}

/** A name Intl knows as a time zone, returned in its canonical spelling (`europe/paris` → `Europe/Paris`). */
export function canonicalTimeZone(name: string): string | undefined {
  // IANA names only: Intl would also take UTC offsets such as +01:00 on newer Node versions.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const email = z.email({ message: 'must be an email address' });
const HANDLE = /^@[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const contact = z
  .string()
  .trim()
  .max(254)
  .refine((s) => HANDLE.test(s) || email.safeParse(s).success, { message: 'must be an email address or an on-call handle such as @jane-oncall' });

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const channel = z
  .string()
  .trim()
  .max(512)
  .refine(
    (s) => {
      const [kind, ...rest] = s.split(':');
      const target = rest.join(':');
      switch (kind) {
        case 'slack':
          return /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,12})$/.test(target);
        case 'email':
          return email.safeParse(target).success;
        case 'sns':
          return SNS_ARN.test(target);
        case 'webhook':
          return URL.canParse(target) && new URL(target).protocol === 'https:';
        default:
          return false;
      }
    },
    { message: 'must be slack:#channel, email:<address>, sns:<topic ARN> or webhook:https://…' },
  );

export const preferencesBodySchema = z.strictObject({
  reportStyle: z.enum(['technical', 'executive']).optional(),
  escalationContacts: z.array(contact).max(20, 'must list at most 20 contacts').optional(),
  notificationChannels: z.array(channel).max(10, 'must list at most 10 channels').optional(),
  timeZone: z
    .string()
    .refine((s) => canonicalTimeZone(s) !== undefined, { message: 'must be an IANA time zone such as Europe/Paris' })
    .transform((s) => canonicalTimeZone(s)!)
    .optional(),
  preferredSpecialists: z
    .array(z.enum(SPECIALISTS))
    .refine((a) => new Set(a).size === a.length, { message: 'must not repeat a specialist' })
    .optional(),
  timeBudgetSeconds: z.number().int('must be a whole number of seconds').min(30).max(900).optional(),
});

/** PUT /preferences replaces the caller's preferences with the body's (absent fields are cleared). */
export function parsePreferences(body: string | null): Preferences {
  const parsed = parseStrict(preferencesBodySchema, parseJsonObject(body));
  const out: Preferences = {};
  for (const [k, v] of Object.entries(parsed)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
