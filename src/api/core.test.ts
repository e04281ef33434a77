/** The pure route cores with their ports: the memory store on dynalite, test doubles of the workflow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, ensureMemoryTable, startDynalite } from '../local/dynalite.ts';
import { createDynamoMemoryStore } from '../memory/dynamodb.ts';
import type { ApiRequest } from './http.ts';
import { callerFromClaims } from './identity.ts';
import type { ApiDeps, ExecutionInput } from './ports.ts';
import { matchRoute } from './router.ts';
import { describeFailure } from './routes/get-investigation.ts';
import { startInvestigation } from './routes/start-investigation.ts';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.close();
});

describe('callerFromClaims', () => {
  it('reads Cognito access-token claims as API Gateway passes them', () => {
    expect(
      callerFromClaims({
        sub: 'u-1',
        username: 'alice',
        client_id: 'c-1',
        scope: 'sre-agent/investigations.read sre-agent/investigations.write',
        'cognito:groups': 'oncall,admins',
      }),
    ).toEqual({ subject: 'u-1', username: 'alice', clientId: 'c-1', scopes: ['sre-agent/investigations.read', 'sre-agent/investigations.write'], groups: ['oncall', 'admins'], isAdmin: true });
    expect(callerFromClaims({ sub: 'u', 'cognito:groups': '[oncall admins]' })?.groups).toEqual(['oncall', 'admins']);
    expect(callerFromClaims({ sub: 'u', 'cognito:groups': '["a","b"]' })?.groups).toEqual(['a', 'b']);
    expect(callerFromClaims({ sub: 'u', scope: 'sre-agent/admin' })?.isAdmin).toBe(true);
    expect(callerFromClaims({ sub: 'u', scope: 'sre-agent/investigations.read', 'cognito:groups': 'administrators' })?.isAdmin).toBe(false);
    // A machine client (client-credentials) has no sub in some token shapes: its client id stands in.
    expect(callerFromClaims({ client_id: 'machine', scope: 'x' })?.subject).toBe('machine');
    expect(callerFromClaims({})).toBeUndefined();
    expect(callerFromClaims(undefined)).toBeUndefined();
  });
});

describe('matchRoute', () => {
  it('matches paths and parameters, 404 and 405 otherwise', () => {
    const m = matchRoute('GET', '/investigations/inv-1/report/');
    expect(m.ok && [m.route.id, m.pathParameters]).toEqual(['getReport', { id: 'inv-1' }]);
    expect(matchRoute('GET', '/investigations/a/b').ok).toBe(false);
    const wrong = matchRoute('PATCH', '/preferences');
    expect(!wrong.ok && [wrong.response.statusCode, wrong.response.headers.allow]).toEqual([405, 'GET, PUT']);
    const unknown = matchRoute('GET', '/');
    expect(!unknown.ok && unknown.response.statusCode).toBe(404);
  });
});

describe('describeFailure', () => {
  it('names the error and shows only our own input errors\' messages', () => {
    expect(describeFailure({ state: 'FAILED', error: 'InputError', cause: JSON.stringify({ errorType: 'InputError', errorMessage: "'trigger.question' is required", trace: ['at x'] }) })).toEqual({
      error: 'InputError',
      message: "'trigger.question' is required",
    });
    expect(describeFailure({ state: 'FAILED', error: 'Lambda.Unknown', cause: 'Task timed out at /var/task/index.mjs:1:2 secret=abc' })).toEqual({
      error: 'Lambda.Unknown',
      message: 'the investigation failed',
    });
    expect(describeFailure({ state: 'ABORTED' })).toEqual({ error: 'Aborted', message: 'the investigation was stopped' });
  });
});

describe('startInvestigation', () => {
  it('a start that failed is retried by the replay of the same key, on the same execution name', async () => {
    await ensureMemoryTable(db.client, 'core-start');
    const memory = createDynamoMemoryStore({ client: db.documentClient, tableName: 'core-start' });
    const starts: Array<[string, ExecutionInput]> = [];
    let down = true;
    const deps: ApiDeps = {
      memory,
      workflow: {
        async start(id, input) {
          starts.push([id, input]);
          if (down) throw new Error('ServiceUnavailable');
          return `arn:aws:states:local:0:execution:sm:${id}`;
        },
      },
      reports: { read: async () => undefined, presign: async (u) => u },
      clock: () => Date.parse('2026-03-14T10:00:00Z'),
      newId: () => 'inv-20260314-100000-abcdef',
    };
    const request: ApiRequest = {
      method: 'POST',
      path: '/investigations',
      pathParameters: {},
      query: {},
      headers: { 'idempotency-key': 'k-1' },
      body: JSON.stringify({ question: 'Why is checkout down?', scenario: 'payments-oom' }),
      caller: { subject: 'alice', scopes: ['sre-agent/investigations.write'], groups: [], isAdmin: false },
      baseUrl: 'https://api.example.com/prod',
    };
    await expect(startInvestigation(request, deps)).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    expect((await memory.getInvestigation('inv-20260314-100000-abcdef'))?.status).toBe('failed');

    down = false;
    const replay = await startInvestigation(request, deps);
    expect(replay.statusCode).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({
      investigationId: 'inv-20260314-100000-abcdef',
      status: 'queued',
      statusUrl: 'https://api.example.com/prod/investigations/inv-20260314-100000-abcdef',
      reportUrl: 'https://api.example.com/prod/investigations/inv-20260314-100000-abcdef/report',
    });
    expect(starts.map(([id]) => id)).toEqual(['inv-20260314-100000-abcdef', 'inv-20260314-100000-abcdef']);
    expect(await memory.getInvestigation('inv-20260314-100000-abcdef')).toMatchObject({ status: 'queued', executionArn: 'arn:aws:states:local:0:execution:sm:inv-20260314-100000-abcdef' });
    // Started once: a third replay does not start again.
    await startInvestigation(request, deps);
    expect(starts).toHaveLength(2);
    // The body's `scenario` is not passed on in AWS.
    expect(starts[1]![1]).toEqual({ request: { investigationId: 'inv-20260314-100000-abcdef', trigger: { type: 'question', question: 'Why is checkout down?', userId: 'alice' }, requestedBy: 'alice' } });
  });
});
