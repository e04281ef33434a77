/**
 * The local MCP gateway with the real tool Lambdas behind it, through the MCP SDK client over HTTP on loopback:
 * every tool listed, every backend called on a scenario, authentication refused the ways it must be, tool errors as
 * isError results, DNS-rebinding protection. The tool list is exactly what the converter makes of openapi/.
 */
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGateway, startLocalGateway } from '../../src/local/gateway.ts';
import { LOCAL_ISSUER, type LocalIssuer, openLocalIssuer } from '../../src/mcp/local-issuer.ts';
import { loadToolDefinitions } from '../../src/tools/openapi.ts';

const SCENARIO = join(import.meta.dirname, '../../fixtures/scenarios/checkout-bad-rollout');
let issuer: LocalIssuer;
let gateway: LocalGateway;

beforeAll(async () => {
  issuer = await openLocalIssuer(mkdtempSync(join(tmpdir(), 'gw-issuer-')));
  gateway = await startLocalGateway({ scenarioDir: SCENARIO, issuer });
});
afterAll(() => gateway.close());

async function connect(token?: string): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
  );
  return client;
}

function post(headers: Record<string, string>): Promise<{ status: number; wwwAuthenticate: string | undefined }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const req = httpRequest(gateway.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, wwwAuthenticate: res.headers['www-authenticate'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('local MCP gateway over the tool Lambdas', () => {
  it('lists every tool the specs define, with their input schemas', async () => {
    const client = await connect(await gateway.tokens());
    const { tools } = await client.listTools();
    const expected = loadToolDefinitions();
    expect(tools.map((t) => t.name)).toEqual(expected.map((d) => d.name));
    for (const tool of tools) expect(tool.inputSchema).toEqual(expected.find((d) => d.name === tool.name)!.inputSchema);
    await client.close();
  });

  it('calls a tool of every backend on the scenario, on its clock', async () => {
    const client = await connect(await gateway.tokens());
    const calls: Array<[string, Record<string, unknown>, (r: Record<string, unknown>) => void]> = [
      ['kubernetes___get_rollout_history', { namespace: 'checkout', deployment_name: 'checkout-api' }, (r) => expect(r.current_revision).toBe(14)],
      ['logs___analyze_log_patterns', { time_window: '30m', pivot_time: '10m' }, (r) => expect(r.pivot_time).toBe('2026-03-10T18:09:40.000Z')],
      ['metrics___describe_alarms', { state: 'ALARM' }, (r) => expect((r.alarms as unknown[]).length).toBeGreaterThan(0)],
      ['runbooks___search_runbooks', { category: 'bad-deployment', limit: 1 }, (r) => expect((r.runbooks as Array<{ categories: string[] }>)[0]!.categories).toContain('bad-deployment')],
    ];
    for (const [name, args, check] of calls) {
      const res = await client.callTool({ name, arguments: args });
      expect(res.isError, `${name}: ${JSON.stringify(res.content)}`).toBeFalsy();
      check(res.structuredContent as Record<string, unknown>);
    }
    await client.close();
  });

  it('answers bad arguments and unknown tools with isError results naming the problem', async () => {
    const client = await connect(await gateway.tokens());
    const bad = await client.callTool({ name: 'kubernetes___get_pod_status', arguments: { limit: 'many' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/argument 'limit' must be integer/);
    const unknown = await client.callTool({ name: 'kubernetes___delete_everything', arguments: {} });
    expect(unknown.isError).toBe(true);
    await client.close();
  });

  it('refuses requests without a token, with a bad signature, expired, or without the tools scope', async () => {
    expect(await post({})).toMatchObject({ status: 401, wwwAuthenticate: expect.stringContaining('Bearer realm="sre-agent"') });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ token_use: 'access', scope: 'sre-agent/tools.invoke' }).setProtectedHeader({ alg: 'RS256' }).setIssuer(LOCAL_ISSUER).setExpirationTime('1h').sign(privateKey);
    expect((await post({ authorization: `Bearer ${forged}` })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${await issuer.mint({ expiresInSeconds: -60 })}` })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${await issuer.mint({ scopes: ['sre-agent/investigations.read'] })}` })).status).toBe(403);
    await expect(connect()).rejects.toThrow();
  });

  it('rejects foreign Host and Origin headers', async () => {
    const token = await gateway.tokens();
    expect((await post({ authorization: `Bearer ${token}`, host: 'attacker.example' })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${token}`, origin: 'https://attacker.example' })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses --insecure-no-auth on a non-loopback address', async () => {
    await expect(startLocalGateway({ scenarioDir: SCENARIO, host: '0.0.0.0', insecureNoAuth: true })).rejects.toThrow(/only allowed on a loopback address/);
  });
});
