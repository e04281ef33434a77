import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cut, createMcpToolClient } from './client.ts';
import { clientCredentialsTokens } from './tokens.ts';

describe('clientCredentialsTokens', () => {
  it('fetches a token with the client credentials grant and reuses it until shortly before expiry', async () => {
    let now = 1_000_000;
    const requests: Array<{ auth: string | null; body: string }> = [];
    const fetchStub = async (_url: string | URL | Request, init?: RequestInit) => {
      requests.push({ auth: new Headers(init?.headers).get('authorization'), body: String(init?.body) });
      return new Response(JSON.stringify({ access_token: `token-${requests.length}`, expires_in: 3600 }), { status: 200 });
    };
    const tokens = clientCredentialsTokens({
      tokenUrl: 'https://auth.example/oauth2/token',
      clientId: 'id',
      clientSecret: 'secret',
      scopes: ['sre-agent/tools.invoke'],
      fetch: fetchStub as typeof fetch,
      now: () => now,
    });
    expect(await tokens()).toBe('token-1');
    now += 3_000_000; // 50 minutes: still valid
    expect(await tokens()).toBe('token-1');
    now += 560_000; // within the refresh margin of expiry
    expect(await tokens()).toBe('token-2');
    expect(requests).toHaveLength(2);
    expect(requests[0]!.auth).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
    expect(requests[0]!.body).toBe('grant_type=client_credentials&scope=sre-agent%2Ftools.invoke');
  });

  it('fails clearly when the token endpoint refuses', async () => {
    const tokens = clientCredentialsTokens({ tokenUrl: 'https://x', clientId: 'a', clientSecret: 'b', scopes: [], fetch: (async () => new Response('{}', { status: 400 })) as typeof fetch });
    await expect(tokens()).rejects.toThrow('token endpoint answered 400');
  });
});

describe('createMcpToolClient retries', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  /** A server that answers every MCP request with `status` for the first `failures` requests, then refuses to speak MCP. */
  async function flaky(status: number, failures: number): Promise<{ url: string; hits: () => number }> {
    let hits = 0;
    server = createServer((req, res) => {
      hits += 1;
      req.resume();
      res.writeHead(hits <= failures ? status : 500, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/mcp`, hits: () => hits };
  }

  it('retries transient failures with backoff, up to the attempt limit', async () => {
    const s = await flaky(503, 100);
    const client = createMcpToolClient({ url: s.url, tokens: async () => undefined, maxAttempts: 3, backoffMs: 1, sleep: async () => undefined });
    const out = await client.callTool('logs___search_logs', { pattern: 'x' });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatchObject({ type: 'Unavailable', retryable: true });
    expect(s.hits()).toBeGreaterThanOrEqual(3);
    expect(client.calls).toEqual([expect.objectContaining({ tool: 'logs___search_logs', ok: false, attempts: 3 })]);
  });

  it('does not retry an authentication failure', async () => {
    const s = await flaky(401, 100);
    const client = createMcpToolClient({ url: s.url, tokens: async () => 'bad', maxAttempts: 3, backoffMs: 1, sleep: async () => undefined });
    const out = await client.callTool('logs___search_logs', { pattern: 'x' });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toMatchObject({ type: 'Unauthorized', retryable: false });
    expect(s.hits()).toBe(1);
  });

  it('refuses tools outside the specialist’s backends without calling the gateway', async () => {
    const s = await flaky(503, 0);
    const client = createMcpToolClient({ url: s.url, tokens: async () => undefined, backends: ['logs'] });
    const out = await client.callTool('kubernetes___get_pod_status', {});
    expect(out).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
    expect(s.hits()).toBe(0);
  });
});

describe('cut', () => {
  it('keeps whole UTF-8 characters and says how much there was', () => {
    const text = 'é'.repeat(10); // 20 bytes
    const out = cut(text, 5, 20);
    expect(out.startsWith('éé')).toBe(true);
    expect(out).not.toContain('\uFFFD');
    expect(out).toMatch(/showing the first 5 of 20 bytes\]$/);
  });
});
