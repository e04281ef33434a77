/** The sample events of fixtures/events stay valid: `sam local invoke` and the handler tests rely on them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { checkAlarmEvent } from '../../src/api/alarm-ingest.ts';
import { callerFromClaims } from '../../src/api/identity.ts';
import { matchRoute } from '../../src/api/router.ts';
import { specialistEventSchema } from '../../src/engine/schemas.ts';

const root = fileURLToPath(new URL('../../fixtures/events/', import.meta.url));
const read = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));

describe('fixtures/events', () => {
  it('the alarm event is a valid ALARM state change', () => {
    const check = checkAlarmEvent(read('alarm-state-change.json'));
    expect(check.ok && check.alarm.state).toBe('ALARM');
  });

  it('the specialist input is what the Specialists state passes ({ input, plan })', () => {
    const parsed = specialistEventSchema.safeParse(read('specialist-input.json'));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0])).toBe(true);
  });

  it('every API event maps to its route, with Cognito claims carrying the route\'s scopes', () => {
    const files = readdirSync(join(root, 'api'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const event = read(`api/${file}`) as APIGatewayProxyEvent;
      const match = matchRoute(event.httpMethod, event.path);
      expect(match.ok, file).toBe(true);
      if (!match.ok) continue;
      expect(match.route.path, file).toBe(event.resource);
      const caller = callerFromClaims((event.requestContext.authorizer as { claims: Record<string, string> }).claims);
      expect(caller?.subject, file).toBe('5a1c3f2e-8b7d-4e6a-9c0b-1d2e3f4a5b6c');
      expect(match.route.scopes.some((s) => caller!.scopes.includes(s)), file).toBe(true);
    }
  });
});
