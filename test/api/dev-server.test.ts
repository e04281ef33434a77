/**
 * The API end to end on loopback: real HTTP, real JWTs from the local issuer, the route code the Lambdas run,
 * DynamoDB on dynalite and reports in a folder. The workflow is a test double of the local state machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../src/local/dev-server.ts';
import { type LocalIssuer, openLocalIssuer } from '../../src/mcp/local-issuer.ts';
import { SCOPE, fakeWorkflow, poll } from './helpers.ts';

const state = mkdtempSync(join(tmpdir(), 'sre-agent-dev-'));
let issuer: LocalIssuer;
let otherIssuer: LocalIssuer;
let server: DevServer;
const workflow = fakeWorkflow();
const tokens: Record<string, string> = {};

const alarmEvent = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/events/alarm-state-change.json', import.meta.url)), 'utf8'));

beforeAll(async () => {
  issuer = await openLocalIssuer(join(state, 'issuer'));
  otherIssuer = await openLocalIssuer(join(state, 'other-issuer'));
  server = await startDevServer({ runWorkflow: workflow.run, issuer, stateDir: state });
  const user = (name: string, scopes: string[], groups: string[] = []) =>
    issuer.mint({ subject: name, username: name, clientId: 'sre-agent-cli', scopes, groups });
  tokens.alice = await user('alice', [SCOPE.read, SCOPE.write]);
  tokens.bob = await user('bob', [SCOPE.read, SCOPE.write]);
  tokens.readOnly = await user('alice', [SCOPE.read]);
  tokens.writeOnly = await user('alice', [SCOPE.write]);
  tokens.adminScope = await user('root', [SCOPE.read, SCOPE.write, SCOPE.admin]);
  tokens.adminGroup = await user('carol', [SCOPE.read], ['admins']);
  tokens.foreign = await otherIssuer.mint({ subject: 'alice', scopes: [SCOPE.read, SCOPE.write] });
});
afterAll(async () => {
  await server?.close();
  rmSync(state, { recursive: true, force: true });
});

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // markdown
  }
  return { status: res.status, headers: res.headers, text, json };
}

const ask = (token: string, question = 'Why is the checkout API returning 503s?', headers: Record<string, string> = {}) =>
  call('POST', '/investigations', { token, body: { question }, headers });

describe('authentication and authorization, as API Gateway\'s Cognito authorizer', () => {
  it('401 without a token, with a malformed one, or one from another issuer', async () => {
    const none = await call('GET', '/investigations');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call('GET', '/investigations', { token: 'not-a-jwt' })).status).toBe(401);
    const foreign = await call('GET', '/investigations', { token: tokens.foreign });
    expect(foreign.status).toBe(401);
    expect(foreign.json).toMatchObject({ error: 'invalid_token' });
    // Never echoes the token.
    expect(foreign.text).not.toContain(tokens.foreign!.slice(0, 20));
  });

  it('403 without the route\'s scope', async () => {
    const post = await ask(tokens.readOnly!);
    expect(post.status).toBe(403);
    expect(post.json).toMatchObject({ error: 'insufficient_scope' });
    expect(String(post.json.message)).toContain('sre-agent/investigations.write');
    expect((await call('GET', '/investigations', { token: tokens.writeOnly })).status).toBe(403);
    expect((await call('PUT', '/preferences', { token: tokens.readOnly, body: {} })).status).toBe(403);
  });

  it('404 for unknown routes, 405 for a wrong method (before authentication, like API Gateway)', async () => {
    const unknown = await call('GET', '/nope', { token: tokens.alice });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'not_found' });
    const wrong = await call('DELETE', '/investigations', { token: tokens.alice });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect((await call('POST', '/preferences', { token: tokens.alice, body: {} })).status).toBe(405);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/investigations`, { headers: { host: 'evil.example.com', authorization: `Bearer ${tokens.alice}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('POST /investigations', () => {
  it('400 naming the field for malformed bodies', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      ['{not json', 'body', /not valid JSON/],
      [[1, 2], 'body', /JSON object/],
      [{}, 'question', /required/],
      [{ question: 'hi' }, 'question', /at least 3 characters/],
      [{ question: 42 }, 'question', /must be of type string/],
      [{ question: 'x'.repeat(2001) }, 'question', /at most 2000/],
      [{ questoin: 'Why is checkout down?' }, 'questoin', /not a known field/],
      [{ question: 'Why is checkout down?', alarmEvent }, 'alarmEvent', /either/],
      [{ question: 'Why is checkout down?', now: 'yesterday' }, 'now', /ISO 8601/],
      [{ alarmEvent: { ...alarmEvent, detail: { ...alarmEvent.detail, state: { timestamp: alarmEvent.detail.state.timestamp } } } }, 'alarmEvent.detail.state.value', /required/],
      [{ alarmEvent: { ...alarmEvent, source: 'aws.ec2' } }, 'alarmEvent.source', /aws.cloudwatch/],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('POST', '/investigations', { token: tokens.alice, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json.error).toBe('bad_request');
      expect(res.json.field).toBe(field);
      expect(String(res.json.message)).toMatch(message);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
    const badKey = await ask(tokens.alice!, undefined, { 'idempotency-key': 'x'.repeat(129) });
    expect(badKey.status).toBe(400);
    expect(badKey.json.field).toBe('Idempotency-Key');
  });

  it('202, then polling shows progress and the result; the report is served as markdown or a link', async () => {
    const started = await call('POST', '/investigations', {
      token: tokens.alice,
      body: { question: 'Why is the checkout API returning 503s?', now: '2026-03-14T10:00:00Z' },
    });
    expect(started.status).toBe(202);
    const { investigationId, status, statusUrl, reportUrl } = started.json as Record<string, string>;
    expect(investigationId).toMatch(/^inv-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(status).toBe('queued');
    expect(statusUrl).toBe(`${server.url}/investigations/${investigationId}`);
    expect(reportUrl).toBe(`${statusUrl}/report`);
    expect(started.headers.get('location')).toBe(statusUrl);

    const done = await poll(
      () => call('GET', `/investigations/${investigationId}`, { token: tokens.alice }),
      (r) => r.json.status === 'completed',
    );
    expect(done.json).toMatchObject({
      investigationId,
      status: 'completed',
      requester: 'alice',
      trigger: { type: 'question', question: 'Why is the checkout API returning 503s?' },
      steps: ['Normalize', 'Plan (round 1)', 'Specialists (round 1)', 'Synthesize', 'Finalize'],
      result: { investigationId, status: 'completed', rootCause: { category: 'oom-killed' } },
    });
    // The workflow got the contract's execution input.
    expect(workflow.inputs).toContainEqual({
      request: {
        investigationId,
        trigger: { type: 'question', question: 'Why is the checkout API returning 503s?', userId: 'alice' },
        requestedBy: 'alice',
        now: '2026-03-14T10:00:00.000Z',
      },
    });

    const report = await call('GET', `/investigations/${investigationId}/report`, { token: tokens.alice });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(report.text).toBe(`# Investigation ${investigationId}: oom-killed on StatefulSet/production/database\n`);
    const link = await call('GET', `/investigations/${investigationId}/report?format=url`, { token: tokens.alice });
    expect(link.status).toBe(200);
    expect(readFileSync(fileURLToPath(String(link.json.url)), 'utf8')).toBe(report.text);
    expect((await call('GET', `/investigations/${investigationId}/report?format=pdf`, { token: tokens.alice })).json).toMatchObject({ field: 'format' });
  });

  it('starts from an alarm event too', async () => {
    const res = await call('POST', '/investigations', { token: tokens.alice, body: { alarmEvent } });
    expect(res.status).toBe(202);
    const got = await poll(() => call('GET', `/investigations/${res.json.investigationId}`, { token: tokens.alice }), (r) => r.json.status === 'completed');
    expect(got.json.trigger).toMatchObject({ type: 'alarm', alarmName: alarmEvent.detail.alarmName, state: 'ALARM' });
  });

  it('409 for the report while the investigation runs', async () => {
    workflow.pause();
    try {
      const res = await ask(tokens.alice!);
      const id = String(res.json.investigationId);
      const running = await poll(() => call('GET', `/investigations/${id}`, { token: tokens.alice }), (r) => r.json.status === 'running');
      expect(running.json.steps).toEqual(['Normalize']);
      const early = await call('GET', `/investigations/${id}/report`, { token: tokens.alice });
      expect(early.status).toBe(409);
      expect(early.json).toMatchObject({ error: 'not_ready', status: 'running' });
      workflow.release(id);
      await poll(() => call('GET', `/investigations/${id}/report`, { token: tokens.alice }), (r) => r.status === 200);
    } finally {
      workflow.resume();
    }
  });

  it('an idempotent replay returns the same investigation; the key reused for another request is a 409', async () => {
    const key = { 'idempotency-key': 'retry-7f3a' };
    const first = await ask(tokens.alice!, 'Why is payments slow?', key);
    expect(first.status).toBe(202);
    const again = await ask(tokens.alice!, 'Why is payments slow?', key);
    expect(again.status).toBe(200);
    expect(again.json.investigationId).toBe(first.json.investigationId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await ask(tokens.alice!, 'Why is search slow?', key);
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ error: 'conflict', field: 'Idempotency-Key' });
    // Keys are per user: Bob's same key is a new investigation.
    const bobs = await ask(tokens.bob!, 'Why is payments slow?', key);
    expect(bobs.status).toBe(202);
    expect(bobs.json.investigationId).not.toBe(first.json.investigationId);
    await server.idle();
    // One run per investigation.
    const runs = workflow.inputs.filter((i) => (i as { request: { investigationId: string } }).request.investigationId === first.json.investigationId);
    expect(runs).toHaveLength(1);
  });

  it('concurrent requests with one key start one investigation', async () => {
    const key = { 'idempotency-key': 'burst-1' };
    const all = await Promise.all(Array.from({ length: 5 }, () => ask(tokens.bob!, 'Why is the cart empty?', key)));
    const ids = new Set(all.map((r) => r.json.investigationId));
    expect(ids.size).toBe(1);
    expect(all.filter((r) => r.status === 202)).toHaveLength(1);
    expect(all.every((r) => r.status === 202 || r.status === 200)).toBe(true);
  });
});

describe('who sees what', () => {
  it('one user cannot read another\'s investigation; admins (scope or group) can', async () => {
    const res = await ask(tokens.alice!, 'Why did the nightly job fail?');
    const id = String(res.json.investigationId);
    await server.idle();
    for (const path of [`/investigations/${id}`, `/investigations/${id}/report`]) {
      const bob = await call('GET', path, { token: tokens.bob });
      expect(bob.status).toBe(404);
      expect(bob.json.error).toBe('not_found');
      expect((await call('GET', path, { token: tokens.adminScope })).status).toBe(200);
      expect((await call('GET', path, { token: tokens.adminGroup })).status).toBe(200);
    }
  });

  it('lists own investigations newest first; everyone\'s only for admins with all=true', async () => {
    await server.idle();
    const own = await call('GET', '/investigations?limit=50', { token: tokens.alice });
    expect(own.status).toBe(200);
    const items = own.json.items as Array<{ requester: string; createdAt: string; investigationId: string }>;
    expect(items.length).toBeGreaterThan(2);
    expect(items.every((i) => i.requester === 'alice')).toBe(true);
    expect(items.map((i) => i.createdAt)).toEqual([...items.map((i) => i.createdAt)].sort().reverse());
    expect(((await call('GET', '/investigations?limit=1', { token: tokens.alice })).json.items as unknown[]).length).toBe(1);

    const notAdmin = await call('GET', '/investigations?all=true', { token: tokens.alice });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.json.field).toBe('all');
    const everyone = await call('GET', '/investigations?all=true&limit=100', { token: tokens.adminGroup });
    expect(new Set((everyone.json.items as Array<{ requester: string }>).map((i) => i.requester))).toEqual(new Set(['alice', 'bob']));

    expect((await call('GET', '/investigations?limit=0', { token: tokens.alice })).json).toMatchObject({ field: 'limit' });
    expect((await call('GET', '/investigations?limit=abc', { token: tokens.alice })).json).toMatchObject({ field: 'limit' });
    expect((await call('GET', '/investigations/..%2Fetc', { token: tokens.alice })).json).toMatchObject({ field: 'id' });
  });
});

describe('preferences', () => {
  it('round-trips, replaces, and is per user', async () => {
    expect((await call('GET', '/preferences', { token: tokens.bob })).json).toEqual({ preferences: {} });
    const prefs = {
      reportStyle: 'executive',
      escalationContacts: ['oncall@example.com', '@payments-oncall'],
      notificationChannels: ['slack:#sre-alerts', 'sns:arn:aws:sns:eu-west-1:123456789012:sre-pages', 'webhook:https://hooks.example.com/x'],
      timeZone: 'europe/paris',
      preferredSpecialists: ['logs', 'metrics'],
      timeBudgetSeconds: 300,
    };
    const put = await call('PUT', '/preferences', { token: tokens.bob, body: prefs });
    expect(put.status).toBe(200);
    // The time zone comes back in its canonical spelling.
    expect(put.json.preferences).toEqual({ ...prefs, timeZone: 'Europe/Paris' });
    expect((await call('GET', '/preferences', { token: tokens.bob })).json.preferences).toEqual({ ...prefs, timeZone: 'Europe/Paris' });
    expect((await call('GET', '/preferences', { token: tokens.alice })).json.preferences).toEqual({});
    // PUT replaces.
    await call('PUT', '/preferences', { token: tokens.bob, body: { reportStyle: 'technical' } });
    expect((await call('GET', '/preferences', { token: tokens.bob })).json.preferences).toEqual({ reportStyle: 'technical' });
    // The supervisor reads the same store.
    expect(await server.memory.getPreferences('bob')).toEqual({ reportStyle: 'technical' });
  });

  it('400 naming the field for invalid preferences', async () => {
    const cases: Array<[unknown, string]> = [
      [{ reportStyle: 'verbose' }, 'reportStyle'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ timeZone: '+01:00' }, 'timeZone'],
      [{ escalationContacts: ['ok@example.com', 'not an address'] }, 'escalationContacts.1'],
      [{ notificationChannels: ['slack:general'] }, 'notificationChannels.0'],
      [{ notificationChannels: ['webhook:http://insecure.example.com'] }, 'notificationChannels.0'],
      [{ preferredSpecialists: ['logs', 'tarot'] }, 'preferredSpecialists.1'],
      [{ preferredSpecialists: ['logs', 'logs'] }, 'preferredSpecialists'],
      [{ timeBudgetSeconds: 5 }, 'timeBudgetSeconds'],
      [{ timeBudgetSeconds: 60.5 }, 'timeBudgetSeconds'],
      [{ colour: 'blue' }, 'colour'],
      ['[]', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await call('PUT', '/preferences', { token: tokens.alice, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.field, JSON.stringify(body)).toBe(field);
    }
  });
});

describe('a failed execution', () => {
  it('shows as failed with a safe reason', async () => {
    const failing = fakeWorkflow({ fail: true });
    const dir = mkdtempSync(join(tmpdir(), 'sre-agent-dev-fail-'));
    const other = await startDevServer({ runWorkflow: failing.run, issuer, stateDir: dir });
    try {
      const res = await fetch(`${other.url}/investigations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'Why is checkout down?' }),
      });
      const { investigationId } = (await res.json()) as { investigationId: string };
      await other.idle();
      const got = (await (await fetch(`${other.url}/investigations/${investigationId}`, { headers: { authorization: `Bearer ${tokens.alice}` } })).json()) as Record<string, unknown>;
      expect(got.status).toBe('failed');
      expect(got.result).toBeUndefined();
      expect(got.failure).toEqual({ error: 'States.Timeout', message: 'the investigation ran out of time' });
      const report = await fetch(`${other.url}/investigations/${investigationId}/report`, { headers: { authorization: `Bearer ${tokens.alice}` } });
      expect(report.status).toBe(404);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
