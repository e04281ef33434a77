/** The API client (what `sre-agent investigate --api` uses) against the dev server over loopback HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, investigateRemotely } from '../../src/api/client.ts';
import { remoteInvestigation } from '../../src/cli/commands/api-client.ts';
import { type DevServer, startDevServer } from '../../src/local/dev-server.ts';
import { openLocalIssuer } from '../../src/mcp/local-issuer.ts';
import { SCOPE, fakeWorkflow } from './helpers.ts';

const state = mkdtempSync(join(tmpdir(), 'sre-agent-client-'));
let server: DevServer;
let token: string;

beforeAll(async () => {
  const issuer = await openLocalIssuer(state);
  server = await startDevServer({ runWorkflow: fakeWorkflow().run, issuer, stateDir: state });
  token = await issuer.mint({ subject: 'dana', username: 'dana', scopes: [SCOPE.read, SCOPE.write] });
});
afterAll(async () => {
  await server?.close();
  rmSync(state, { recursive: true, force: true });
});

describe('API client', () => {
  it('starts, polls with progress lines, and fetches the report', async () => {
    const client = createApiClient({ baseUrl: server.url, token: async () => token });
    const lines: string[] = [];
    const { investigation, report } = await investigateRemotely(client, { question: 'Why is the database pod crashing?' }, { intervalMs: 20, onLine: (l) => lines.push(l) });
    expect(investigation.status).toBe('completed');
    expect(investigation.result?.rootCause?.category).toBe('oom-killed');
    expect(report).toMatch(/^# Investigation inv-/);
    expect(lines[0]).toMatch(/^Investigation inv-\S+ queued: http:\/\/127\.0\.0\.1:\d+\/investigations\/inv-/);
    expect(lines).toContain('  ✓ Finalize');
    expect(lines.at(-1)).toBe('Finished completed: oom-killed on StatefulSet/production/database (confidence 0.86)');

    expect((await client.list({ limit: 5 })).map((i) => i.investigationId)).toContain(investigation.investigationId);
    expect((await client.reportUrl(investigation.investigationId)).url).toMatch(/^file:\/\//);
    expect(await client.putPreferences({ reportStyle: 'executive' })).toEqual({ reportStyle: 'executive' });
    expect(await client.getPreferences()).toEqual({ reportStyle: 'executive' });
  });

  it('surfaces API errors with their code and field', async () => {
    const client = createApiClient({ baseUrl: server.url, token: async () => token });
    const error = await client.start({ question: 'no' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request', field: 'question' });
    await expect(client.get('inv-20990101-000000-000000')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    const anonymous = createApiClient({ baseUrl: server.url, token: async () => 'garbage' });
    await expect(anonymous.list()).rejects.toMatchObject({ status: 401 });
  });

  it('retries throttled answers', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) return new Response('{"message":"Too Many Requests"}', { status: 429, headers: { 'retry-after': '0' } });
      return fetch(input, init);
    };
    const client = createApiClient({ baseUrl: server.url, token: async () => token, fetch: flaky, sleep: async () => undefined });
    expect(await client.list()).toBeInstanceOf(Array);
    expect(calls).toBe(2);
  });

  it('the CLI glue prints progress on stderr', async () => {
    const err: string[] = [];
    const out = await remoteInvestigation({
      question: 'Why is checkout slow?',
      apiUrl: server.url,
      token: async () => token,
      io: { out: () => undefined, err: (l) => err.push(l) },
      intervalMs: 20,
    });
    expect(out.investigation.status).toBe('completed');
    expect(err.at(-1)).toMatch(/^Finished completed/);
  });
});

describe('the dev server with reports on s3rver', () => {
  it('serves the report and a presigned S3 URL to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-agent-client-s3-'));
    const issuer = await openLocalIssuer(dir);
    const s3server = await startDevServer({ runWorkflow: fakeWorkflow().run, issuer, stateDir: dir, reports: 's3rver' });
    try {
      const t = await issuer.mint({ subject: 'erin', scopes: [SCOPE.read, SCOPE.write] });
      const client = createApiClient({ baseUrl: s3server.url, token: async () => t });
      const { investigation, report } = await investigateRemotely(client, { question: 'Why is the queue backing up?', now: '2026-03-14T10:00:00Z' }, { intervalMs: 20 });
      expect(investigation.result?.report.uri).toMatch(/^s3:\/\/sre-agent-reports\/reports\/2026\/03\/14\/inv-/);
      const { url } = await client.reportUrl(investigation.investigationId);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sre-agent-reports\/reports\/2026\/03\/14\/inv-.*X-Amz-Signature=/);
      expect(await (await fetch(url)).text()).toBe(report);
    } finally {
      await s3server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
