/**
 * The project's own MCP gateway as a Lambda behind a Function URL: the deployment option for accounts or
 * regions without AgentCore Gateway (`cdk deploy -c gateway=lambda`). It serves the web-standard MCP handler
 * (Streamable HTTP, stateless, JSON responses) after checking the caller's Cognito access token, and calls each
 * tool the way AgentCore Gateway would: invoke the backend's tool Lambda with the arguments as the payload and
 * the tool name in the client context, so the tool Lambdas cannot tell the two gateways apart.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { JWTVerifyGetKey } from 'jose';
import { type TokenVerifier, createJwtVerifier } from '../../../src/mcp/auth.ts';
import { type RequestHandler, createMcpGatewayHandler } from '../../../src/mcp/http-handler.ts';
import { lambdaHandler, logger } from '../../../src/platform/lambda.ts';
import { type ToolErrorBody, isToolErrorBody } from '../../../src/tools/errors.ts';
import type { ToolInvocation } from '../../../src/tools/invoke.ts';
import { TOOL_NAME_CONTEXT_KEY } from '../../../src/tools/lambda.ts';
import { BACKENDS, type Backend, type ToolDefinition, loadToolDefinitions, parseToolName } from '../../../src/tools/openapi.ts';

export interface McpServerSettings {
  region: string;
  userPoolId: string;
  machineClientId: string;
  toolsScope: string;
  /** Tool Lambda function name (or ARN) per backend. */
  toolFunctions: Record<Backend, string>;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): McpServerSettings {
  const missing = ['AWS_REGION', 'USER_POOL_ID', 'MACHINE_CLIENT_ID', 'TOOL_FUNCTIONS'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`The MCP server needs ${missing.join(', ')}`);
  let toolFunctions: Record<string, unknown>;
  try {
    toolFunctions = JSON.parse(env.TOOL_FUNCTIONS!) as Record<string, unknown>;
  } catch {
    throw new Error('TOOL_FUNCTIONS must be a JSON object mapping each backend to its tool function');
  }
  const absent = BACKENDS.filter((b) => typeof toolFunctions[b] !== 'string' || !toolFunctions[b]);
  if (absent.length) throw new Error(`TOOL_FUNCTIONS has no function for ${absent.join(', ')}`);
  return {
    region: env.AWS_REGION!,
    userPoolId: env.USER_POOL_ID!,
    machineClientId: env.MACHINE_CLIENT_ID!,
    toolsScope: env.TOOLS_SCOPE || 'sre-agent/tools.invoke',
    toolFunctions: toolFunctions as Record<Backend, string>,
  };
}

export function cognitoIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * Only access tokens of the machine client with the tools scope: what AgentCore's inbound auth enforces too.
 * The keys are the user pool's JWKS (fetched and cached by jose); tests pass a local key set.
 */
export function cognitoVerifier(settings: McpServerSettings, jwks?: JWTVerifyGetKey): TokenVerifier {
  const issuer = cognitoIssuer(settings.region, settings.userPoolId);
  return createJwtVerifier({
    jwks: jwks ?? `${issuer}/.well-known/jwks.json`,
    issuer,
    allowedClients: [settings.machineClientId],
    requiredScopes: [settings.toolsScope],
  });
}

export type InvokeTool = (name: string, args: Record<string, unknown>) => Promise<ToolInvocation>;

/**
 * Calls a tool Lambda on AgentCore Gateway's Lambda-target contract. Tool failures arrive as `{error: {...}}`
 * payloads and pass through; an invocation that fails (throttling, a crash, a timeout) becomes a tool error the
 * model can read, with the details kept in this function's log.
 */
export function createLambdaToolInvoker(lambda: Pick<LambdaClient, 'send'>, toolFunctions: Record<Backend, string>): InvokeTool {
  return async (name, args) => {
    const parsed = parseToolName(name);
    if (!parsed) return fail('UnknownTool', `Unknown tool '${name}'`, false);
    const clientContext = Buffer.from(JSON.stringify({ custom: { [TOOL_NAME_CONTEXT_KEY]: name } })).toString('base64');
    let response;
    try {
      response = await lambda.send(
        new InvokeCommand({
          FunctionName: toolFunctions[parsed.backend],
          InvocationType: 'RequestResponse',
          ClientContext: clientContext,
          Payload: Buffer.from(JSON.stringify(args ?? {})),
        }),
      );
    } catch (error) {
      const throttled = (error as { name?: string }).name === 'TooManyRequestsException';
      logger.warn('tool invocation failed', { tool: name, error: error as Error });
      return throttled
        ? fail('Throttled', `The ${parsed.backend} tools are busy; try again shortly`, true)
        : fail('Unavailable', `The ${parsed.backend} tools could not be reached`, true);
    }
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    if (response.FunctionError) {
      logger.error('tool function error', { tool: name, functionError: response.FunctionError, payload: text.slice(0, 2000) });
      const timedOut = /Task timed out/.test(text);
      return timedOut
        ? fail('Timeout', `${name} timed out`, true)
        : fail('Internal', `${name} failed with an internal error`, false);
    }
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      logger.error('tool returned invalid JSON', { tool: name, payload: text.slice(0, 2000) });
      return fail('Internal', `${name} returned an invalid response`, false);
    }
    if (isToolErrorBody(payload)) return { ok: false, error: (payload as ToolErrorBody).error };
    return { ok: true, result: payload };
  };
}

function fail(type: ToolErrorBody['error']['type'], message: string, retryable: boolean): ToolInvocation {
  return { ok: false, error: { type, message, retryable } };
}

/** A Function URL (payload 2.0) event as a web-standard Request. */
export function toRequest(event: APIGatewayProxyEventV2): Request {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const url = `https://${event.requestContext.domainName}${event.rawPath}${query}`;
  const headers = new Headers();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(key, value);
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '));
  const method = event.requestContext.http.method;
  const hasBody = event.body !== undefined && event.body !== null && method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? (event.isBase64Encoded ? Buffer.from(event.body!, 'base64') : event.body!) : undefined;
  return new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
}

/** A web-standard Response as a Function URL result. */
export async function toResult(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  return {
    statusCode: response.status,
    headers,
    body: await response.text(),
    isBase64Encoded: false,
    ...(cookies.length ? { cookies } : {}),
  };
}

export interface McpServerDeps {
  tools: readonly ToolDefinition[];
  verifier: TokenVerifier;
  invokeTool: InvokeTool;
  issuer: string;
  toolsScope: string;
}

export function createHandler(deps: McpServerDeps | (() => McpServerDeps)) {
  let gateway: RequestHandler | undefined;
  const build = (): RequestHandler => {
    const d = typeof deps === 'function' ? deps() : deps;
    return createMcpGatewayHandler({
      tools: d.tools,
      callTool: (name, args) => d.invokeTool(name, args),
      verifier: d.verifier,
      authorizationServers: [d.issuer],
      scopes: [d.toolsScope],
      // The Function URL's host is only known after deployment and Lambda routes by it anyway; DNS-rebinding
      // protection matters for loopback servers, not for a public HTTPS endpoint that requires a bearer token.
      allowedHosts: [],
      // No browser client is expected: any request carrying an Origin header is refused.
      allowedOrigins: [],
      serverInfo: { name: 'sre-agent-tools', version: '0.1.0' },
    });
  };
  return lambdaHandler(async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    gateway ??= build();
    return toResult(await gateway(toRequest(event)));
  });
}

export const handler = createHandler(() => {
  const settings = settingsFromEnv(process.env);
  return {
    // From openapi/ copied beside the bundle: the same definitions the tool Lambdas validate against.
    tools: loadToolDefinitions(),
    verifier: cognitoVerifier(settings),
    invokeTool: createLambdaToolInvoker(new LambdaClient({ region: settings.region }), settings.toolFunctions),
    issuer: cognitoIssuer(settings.region, settings.userPoolId),
    toolsScope: settings.toolsScope,
  };
});
