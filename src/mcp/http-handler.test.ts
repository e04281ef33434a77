import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolInvoker } from '../tools/invoke.ts';
import { toolDefinitionsFromDocument } from '../tools/openapi.ts';
import { createMcpToolClient } from './client.ts';
import { createMcpGatewayHandler, loopbackAllowList } from './http-handler.ts';
import { LOCAL_ISSUER, openLocalIssuer, type LocalIssuer } from './local-issuer.ts';
import { type RunningServer, serve } from './node-server.ts';

const tools = toolDefinitionsFromDocument('logs', {
  paths: {
    '/echo': {
      post: {
        operationId: 'echo',
        summary: 'Echo',
        requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
});

let issuer: LocalIssuer;
let server: RunningServer;
let calls = 0;

beforeAll(async () => {
  issuer = await openLocalIssuer(mkdtempSync(join(tmpdir(), 'issuer-')));
  const invoker = createToolInvoker(
    {
      backend: 'logs',
      operations: {
        echo: async (args: { text: string }) => {
          calls += 1;
          if (args.text === 'big') return { text: 'x'.repeat(5000) };
          return { text: args.text };
        },
      },
    },
    { provider: () => ({}), definitions: tools },
  );
  server = await serve(
    (port) => {
      const allow = loopbackAllowList(port);
      return createMcpGatewayHandler({
        tools,
        callTool: (name, args) => invoker.invoke(name, args),
        verifier: issuer.verifier({ requiredScopes: ['sre-agent/tools.invoke'] }),
        authorizationServers: [LOCAL_ISSUER],
        allowedHosts: allow.hosts,
        allowedOrigins: allow.origins,
      });
    },
    { host: '127.0.0.1' },
  );
});
afterAll(() => server.close());

/** A raw initialize over node:http, which (unlike fetch) lets the test set the Host header. */
function rawInitialize(headers: Record<string, string>): Promise<{ status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null },
          json: async () => JSON.parse(text) as unknown,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('MCP gateway handler over loopback', () => {
  it('lists and calls tools for a valid token, returning structured JSON', async () => {
    const client = createMcpToolClient({ url: `${server.url}/mcp`, tokens: () => issuer.mint() });
    expect((await client.listTools()).map((t) => t.name)).toEqual(['logs___echo']);
    const out = await client.callTool('logs___echo', { text: 'hello' });
    expect(out).toMatchObject({ ok: true, result: { text: 'hello' } });
    expect(client.calls).toHaveLength(1);
    await client.close();
  });

  it('turns tool failures into isError results, not transport failures', async () => {
    const client = createMcpToolClient({ url: `${server.url}/mcp`, tokens: () => issuer.mint() });
    const out = await client.callTool('logs___echo', { txt: 'typo' });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.type).toBe('InvalidArgument');
      expect(out.error.message).toMatch(/missing required argument 'text'/);
      expect(out.error.retryable).toBe(false);
    }
    await client.close();
  });

  it('cuts oversized results for models with a visible marker, keeping the structured result whole', async () => {
    const client = createMcpToolClient({ url: `${server.url}/mcp`, tokens: () => issuer.mint(), outputBudgetBytes: 1000 });
    const out = await client.callTool('logs___echo', { text: 'big' });
    expect(out.ok).toBe(true);
    if (out.ok) {
      expect(out.originalBytes).toBeGreaterThan(5000);
      expect(out.text).toMatch(/…\[truncated: showing the first 1000 of \d+ bytes\]$/);
      expect((out.result as { text: string }).text).toHaveLength(5000);
    }
    await client.close();
  });

  it('refuses requests without a token, with a bad signature, expired, or without the scope', async () => {
    const none = await rawInitialize({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="sre-agent", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"/);

    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ token_use: 'access', scope: 'sre-agent/tools.invoke' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(LOCAL_ISSUER)
      .setExpirationTime('1h')
      .sign(privateKey);
    const bad = await rawInitialize({ authorization: `Bearer ${forged}` });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const expired = await rawInitialize({ authorization: `Bearer ${await issuer.mint({ expiresInSeconds: -3600 })}` });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'invalid_token', message: 'the token has expired' });

    const noScope = await rawInitialize({ authorization: `Bearer ${await issuer.mint({ scopes: ['sre-agent/investigations.read'] })}` });
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(calls).toBeGreaterThan(0);
  });

  it('rejects foreign Host and Origin headers (DNS rebinding) and accepts loopback ones', async () => {
    const token = await issuer.mint();
    const evilHost = await rawInitialize({ host: 'evil.example.com', authorization: `Bearer ${token}` });
    expect(evilHost.status).toBe(403);
    const evilOrigin = await rawInitialize({ origin: 'http://evil.example.com', authorization: `Bearer ${token}` });
    expect(evilOrigin.status).toBe(403);
    const port = new URL(server.url).port;
    const ok = await rawInitialize({ host: `localhost:${port}`, origin: `http://localhost:${port}`, authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
  });

  it('serves protected-resource metadata naming the issuer', async () => {
    const res = await fetch(`${server.url}/.well-known/oauth-protected-resource`);
    expect(await res.json()).toMatchObject({ resource: `${server.url}/mcp`, authorization_servers: [LOCAL_ISSUER] });
  });

  it('works with the plain SDK client too', async () => {
    const token = await issuer.mint();
    const client = new Client({ name: 'plain', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const res = await client.callTool({ name: 'logs___echo', arguments: { text: 'sdk' } });
    expect(res.structuredContent).toEqual({ text: 'sdk' });
    await client.close();
  });
});
