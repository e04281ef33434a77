/**
 * The MCP server Lambda (gateway: 'lambda') end to end: the specialists' real MCP client talks to the handler
 * through Function URL events; the handler checks Cognito-style access tokens and invokes the real tool Lambda
 * handlers through a mocked Lambda service, on AgentCore's Lambda-target contract, over a recorded scenario.
 */
import { InvokeCommand, type InvokeCommandInput, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { type JWK, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Quiet Powertools in the test output (read when src/platform/lambda.ts is first imported).
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});
import {
  cognitoIssuer,
  cognitoVerifier,
  createHandler,
  createLambdaToolInvoker,
  settingsFromEnv,
  toRequest,
} from '../../lambdas/gateway/mcp/handler.ts';
import { createHandler as kubernetesTool } from '../../lambdas/tools/kubernetes/handler.ts';
import { createHandler as metricsTool } from '../../lambdas/tools/metrics/handler.ts';
import { REPO_ROOT } from '../../lib/functions.ts';
import { createMcpToolClient } from '../../src/mcp/client.ts';
import { localContext } from '../../src/platform/lambda.ts';
import { createFixtureKubernetesProvider } from '../../src/providers/kubernetes/fixture.ts';
import { loadScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { createFixtureMetricsProvider } from '../../src/providers/metrics/fixture.ts';
import { loadToolDefinitions } from '../../src/tools/openapi.ts';

const REGION = 'us-east-1';
const POOL = 'us-east-1_TestPool';
const MACHINE_CLIENT = 'machine-client-id';
const SCOPE = 'sre-agent/tools.invoke';
const ISSUER = cognitoIssuer(REGION, POOL);
const URL_HOST = 'abcdefghij.lambda-url.us-east-1.on.aws';
const TOOL_FUNCTIONS = { kubernetes: 'k8s-tool', logs: 'logs-tool', metrics: 'metrics-tool', runbooks: 'runbooks-tool' };

const scenarioDir = `${REPO_ROOT}/fixtures/scenarios/aws-sre-sample`;
const lambdaMock = mockClient(LambdaClient);
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let publicJwk: JWK;
let handler: ReturnType<typeof createHandler>;
const invocations: InvokeCommandInput[] = [];

async function token(claims: Record<string, unknown> = {}, issuer = ISSUER): Promise<string> {
  return new SignJWT({ token_use: 'access', client_id: MACHINE_CLIENT, scope: SCOPE, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test' })
    .setIssuer(issuer)
    .setSubject(MACHINE_CLIENT)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

function functionUrlEvent(request: { method: string; url: string; headers: Record<string, string>; body?: string }): APIGatewayProxyEventV2 {
  const url = new URL(request.url);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: { host: url.host, ...request.headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij',
      domainName: url.host,
      domainPrefix: 'abcdefghij',
      http: { method: request.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

const context = (): Context => localContext('sre-agent-mcp-gateway');

/** fetch → Function URL event → the handler → Response: what the Lambda Function URL service does. */
async function viaFunctionUrl(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  const body = request.method === 'GET' ? undefined : await request.text();
  const result = await handler(functionUrlEvent({ method: request.method, url: request.url, headers, ...(body !== undefined ? { body } : {}) }), context());
  return new Response(result.body ? result.body : null, { status: result.statusCode ?? 200, headers: result.headers as Record<string, string> });
}

/** The tool Lambdas of the scenario, standing behind the mocked Lambda service. */
function toolLambdas() {
  const { now } = loadScenarioMeta(scenarioDir);
  const clock = () => now;
  return {
    'k8s-tool': kubernetesTool({ provider: () => createFixtureKubernetesProvider(scenarioDir), clock }),
    'metrics-tool': metricsTool({ provider: () => createFixtureMetricsProvider(scenarioDir), clock }),
  } as Record<string, (event: unknown, context: Context) => Promise<unknown>>;
}

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKey = keys.privateKey;
  publicJwk = { ...(await exportJWK(keys.publicKey)), kid: 'test', alg: 'RS256', use: 'sig' };
  const settings = settingsFromEnv({
    AWS_REGION: REGION,
    USER_POOL_ID: POOL,
    MACHINE_CLIENT_ID: MACHINE_CLIENT,
    TOOL_FUNCTIONS: JSON.stringify(TOOL_FUNCTIONS),
    TOOLS_SCOPE: SCOPE,
  });
  handler = createHandler({
    tools: loadToolDefinitions(),
    verifier: cognitoVerifier(settings, createLocalJWKSet({ keys: [publicJwk] })),
    invokeTool: createLambdaToolInvoker(new LambdaClient({ region: REGION }), settings.toolFunctions),
    issuer: ISSUER,
    toolsScope: SCOPE,
  });
  vi.stubGlobal('fetch', viaFunctionUrl);
});

afterAll(() => {
  vi.unstubAllGlobals();
  lambdaMock.restore();
});

beforeEach(() => {
  invocations.length = 0;
  lambdaMock.reset();
  const lambdas = toolLambdas();
  lambdaMock.on(InvokeCommand).callsFake(async (input: InvokeCommandInput) => {
    invocations.push(input);
    const custom = (JSON.parse(Buffer.from(input.ClientContext!, 'base64').toString('utf8')) as { custom: Record<string, string> }).custom;
    const args = JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8')) as unknown;
    const fn = lambdas[input.FunctionName!];
    if (!fn) return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify({ errorMessage: 'boom' })) };
    const out = await fn(args, localContext(input.FunctionName!, custom));
    return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(out)) };
  });
});

describe('through the specialists\' MCP client', () => {
  it('lists the tools of the backend and calls one on the tool Lambda with the AgentCore contract', async () => {
    const client = createMcpToolClient({ url: `https://${URL_HOST}/mcp`, tokens: () => token(), backends: ['kubernetes'], maxAttempts: 1 });
    try {
      const tools = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(loadToolDefinitions(['kubernetes']).map((d) => d.name));

      const result = await client.callTool('kubernetes___scan_cluster_problems', {});
      expect(result.ok).toBe(true);
      expect(invocations).toHaveLength(1);
      const [call] = invocations;
      expect(call!.FunctionName).toBe('k8s-tool');
      expect(call!.InvocationType).toBe('RequestResponse');
      expect(JSON.parse(Buffer.from(call!.ClientContext!, 'base64').toString('utf8'))).toEqual({
        custom: { bedrockAgentCoreToolName: 'kubernetes___scan_cluster_problems' },
      });
      expect(JSON.parse(Buffer.from(call!.Payload as Uint8Array).toString('utf8'))).toEqual({});
    } finally {
      await client.close();
    }
  });

  it('returns a tool\'s {error} payload as an isError result the client reads as a tool error', async () => {
    const client = createMcpToolClient({ url: `https://${URL_HOST}/mcp`, tokens: () => token(), backends: ['metrics'], maxAttempts: 1 });
    try {
      const metricTool = loadToolDefinitions(['metrics'])[0]!;
      // Arguments the spec rejects: the tool Lambda answers {error: {type: InvalidArgument}}.
      const result = await client.callTool(metricTool.name, { not_a_parameter: true });
      expect(result).toMatchObject({ ok: false, error: { type: 'InvalidArgument', retryable: false } });
    } finally {
      await client.close();
    }
  });
});

describe('authentication', () => {
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
  const post = async (headers: Record<string, string>) =>
    handler(
      functionUrlEvent({
        method: 'POST',
        url: `https://${URL_HOST}/mcp`,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: initialize,
      }),
      context(),
    );

  it('accepts the machine client\'s token with the tools scope', async () => {
    const res = await post({ authorization: `Bearer ${await token()}` });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toMatchObject({ result: { serverInfo: { name: 'sre-agent-tools' } } });
  });

  it('refuses a missing token, another issuer, another client, a user token and a missing scope', async () => {
    expect((await post({})).statusCode).toBe(401);
    expect((await post({})).headers!['www-authenticate']).toContain('resource_metadata=');
    expect((await post({ authorization: `Bearer ${await token({}, 'https://cognito-idp.us-east-1.amazonaws.com/other')}` })).statusCode).toBe(401);
    expect((await post({ authorization: `Bearer ${await token({ client_id: 'cli-client' })}` })).statusCode).toBe(401);
    expect((await post({ authorization: `Bearer ${await token({ token_use: 'id' })}` })).statusCode).toBe(401);
    expect((await post({ authorization: `Bearer ${await token({ scope: 'sre-agent/investigations.read' })}` })).statusCode).toBe(403);
  });

  it('refuses browser requests (any Origin)', async () => {
    const res = await post({ authorization: `Bearer ${await token()}`, origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
  });

  it('publishes protected-resource metadata naming the user pool as authorization server', async () => {
    const res = await handler(functionUrlEvent({ method: 'GET', url: `https://${URL_HOST}/.well-known/oauth-protected-resource`, headers: {} }), context());
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual({
      resource: `https://${URL_HOST}/mcp`,
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
      scopes_supported: [SCOPE],
    });
  });
});

/** A Lambda response payload (the SDK types it as a blob adapter; the invoker only reads its bytes). */
const payload = (text: string) => Buffer.from(text) as unknown as InvokeCommandOutput['Payload'];

describe('the tool invoker', () => {
  const invoke = createLambdaToolInvoker(new LambdaClient({ region: REGION }), TOOL_FUNCTIONS);

  it('turns a crashed tool function into a non-retryable internal error, a timeout into a retryable one', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload('{"errorMessage":"secret detail"}') });
    const crashed = await invoke('logs___search_logs', {});
    expect(crashed).toEqual({ ok: false, error: { type: 'Internal', message: 'logs___search_logs failed with an internal error', retryable: false } });
    expect(JSON.stringify(crashed)).not.toContain('secret detail');

    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload('{"errorMessage":"2026-01-01 Task timed out after 30.00 seconds"}') });
    expect(await invoke('logs___search_logs', {})).toMatchObject({ ok: false, error: { type: 'Timeout', retryable: true } });
  });

  it('reports throttling and unreachable functions as retryable', async () => {
    lambdaMock.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    expect(await invoke('metrics___list_metrics', {})).toMatchObject({ ok: false, error: { type: 'Throttled', retryable: true } });
    lambdaMock.on(InvokeCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'Error' }));
    expect(await invoke('metrics___list_metrics', {})).toMatchObject({ ok: false, error: { type: 'Unavailable', retryable: true } });
  });

  it('refuses names that are not <backend>___<operation> without invoking anything', async () => {
    lambdaMock.reset();
    expect(await invoke('nope', {})).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});

describe('configuration and event conversion', () => {
  it('reads its settings from the environment the stack sets, and names what is missing', () => {
    expect(() => settingsFromEnv({ AWS_REGION: REGION })).toThrow(/USER_POOL_ID, MACHINE_CLIENT_ID, TOOL_FUNCTIONS/);
    expect(() =>
      settingsFromEnv({ AWS_REGION: REGION, USER_POOL_ID: POOL, MACHINE_CLIENT_ID: 'x', TOOL_FUNCTIONS: JSON.stringify({ kubernetes: 'a' }) }),
    ).toThrow(/logs, metrics, runbooks/);
    expect(settingsFromEnv({ AWS_REGION: REGION, USER_POOL_ID: POOL, MACHINE_CLIENT_ID: 'x', TOOL_FUNCTIONS: JSON.stringify(TOOL_FUNCTIONS) })).toMatchObject({
      toolsScope: 'sre-agent/tools.invoke',
      toolFunctions: TOOL_FUNCTIONS,
    });
  });

  it('rebuilds the request URL, headers and base64 bodies from a Function URL event', async () => {
    const event = functionUrlEvent({ method: 'POST', url: `https://${URL_HOST}/mcp?x=1`, headers: { 'content-type': 'application/json' } });
    event.body = Buffer.from('{"a":1}').toString('base64');
    event.isBase64Encoded = true;
    const request = toRequest(event);
    expect(request.url).toBe(`https://${URL_HOST}/mcp?x=1`);
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.text()).toBe('{"a":1}');
  });
});
