/**
 * The MCP gateway as a web-standard request handler (Request → Response): Streamable HTTP, stateless, JSON
 * responses. The same handler serves the local gateway (Node HTTP on loopback) and the Lambda variant deployed
 * where AgentCore Gateway is unavailable. It checks Host/Origin (DNS-rebinding protection), then the bearer token,
 * then hands the JSON-RPC message to a fresh SDK server that lists the tools and calls them.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolInvocation } from '../tools/invoke.ts';
import type { ToolDefinition } from '../tools/openapi.ts';
import { TokenRejected, type TokenVerifier, type VerifiedToken, bearerToken } from './auth.ts';

export const MCP_PATH = '/mcp';
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

export interface McpGatewayOptions {
  tools: readonly ToolDefinition[];
  /** Runs one tool; failures come back as `{ok: false}` and become `isError` results. */
  callTool(name: string, args: Record<string, unknown>, caller: VerifiedToken | undefined): Promise<ToolInvocation>;
  /** null turns authentication off (only allowed on loopback; the caller enforces that). */
  verifier: TokenVerifier | null;
  /** Authorization servers to advertise in the protected-resource metadata (RFC 9728). */
  authorizationServers?: readonly string[];
  scopes?: readonly string[];
  /** Host header names (no port) accepted; empty disables the check (behind API Gateway, which sets Host itself). */
  allowedHosts: readonly string[];
  /** Origin header values (scheme://host[:port]) accepted when a browser sends one. */
  allowedOrigins: readonly string[];
  serverInfo?: { name: string; version: string };
}

export type RequestHandler = (request: Request) => Promise<Response>;

export function createMcpGatewayHandler(options: McpGatewayOptions): RequestHandler {
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  const listed = options.tools.map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: t.inputSchema,
    // Every tool only reads cluster, log and metric state.
    annotations: { readOnlyHint: true, openWorldHint: true },
  }));

  return async (request) => {
    const url = new URL(request.url);
    const rejected = checkHostAndOrigin(request, options);
    if (rejected) return rejected;

    if (url.pathname === PROTECTED_RESOURCE_PATH && request.method === 'GET') {
      return json(200, {
        resource: `${url.origin}${MCP_PATH}`,
        authorization_servers: options.authorizationServers ?? [],
        bearer_methods_supported: ['header'],
        scopes_supported: options.scopes ?? [],
      });
    }
    if (url.pathname !== MCP_PATH) return json(404, { error: 'not_found', message: `MCP is served at ${MCP_PATH}` });

    let caller: VerifiedToken | undefined;
    if (options.verifier) {
      const token = bearerToken(request.headers.get('authorization'));
      const metadata = `resource_metadata="${url.origin}${PROTECTED_RESOURCE_PATH}"`;
      if (!token) {
        return json(401, { error: 'unauthorized', message: 'a bearer token is required' }, {
          'WWW-Authenticate': `Bearer realm="sre-agent", ${metadata}`,
        });
      }
      try {
        caller = await options.verifier.verify(token);
      } catch (error) {
        const e = error instanceof TokenRejected ? error : new TokenRejected('invalid_token', 'the token could not be verified');
        const status = e.code === 'insufficient_scope' ? 403 : 401;
        return json(status, { error: e.code, message: e.message }, {
          'WWW-Authenticate': `Bearer realm="sre-agent", error="${e.code}", error_description="${e.message}", ${metadata}`,
        });
      }
    }

    const server = new Server(options.serverInfo ?? { name: 'sre-agent-tools', version: '0.1.0' }, {
      capabilities: { tools: { listChanged: false } },
      instructions:
        'Read-only SRE tools over Kubernetes state, CloudWatch logs and metrics, and runbooks. Start with the ' +
        'kubernetes problem scan and the logs pattern analysis; time arguments accept ISO instants or relative windows like 30m.',
    });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
    server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
      const { name, arguments: args } = req.params;
      if (!byName.has(name)) return toolError(`Unknown tool '${name}'`);
      const outcome = await options.callTool(name, args ?? {}, caller);
      if (!outcome.ok) return toolError(outcome.error.message, outcome.error);
      const structured = outcome.result && typeof outcome.result === 'object' && !Array.isArray(outcome.result);
      return {
        content: [{ type: 'text', text: JSON.stringify(outcome.result) }],
        ...(structured ? { structuredContent: outcome.result as Record<string, unknown> } : {}),
      };
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      void server.close();
    }
  };
}

function toolError(message: string, detail?: unknown): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: message }],
    ...(detail ? { structuredContent: detail as Record<string, unknown> } : {}),
  };
}

function checkHostAndOrigin(request: Request, options: McpGatewayOptions): Response | undefined {
  if (options.allowedHosts.length) {
    const host = request.headers.get('host') ?? new URL(request.url).host;
    const hostname = hostnameOf(host);
    if (!options.allowedHosts.includes(hostname)) {
      return json(403, { jsonrpc: '2.0', id: null, error: { code: -32000, message: `Host '${host}' is not allowed` } });
    }
  }
  const origin = request.headers.get('origin');
  if (origin && !options.allowedOrigins.includes(origin)) {
    return json(403, { jsonrpc: '2.0', id: null, error: { code: -32000, message: `Origin '${origin}' is not allowed` } });
  }
  return undefined;
}

/** `127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `[::1]`. */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  return host.split(':')[0]!.toLowerCase();
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Hosts and origins a loopback server accepts: its own address under every loopback name. */
export function loopbackAllowList(port: number): { hosts: string[]; origins: string[] } {
  const hosts = ['localhost', '127.0.0.1', '[::1]'];
  return { hosts, origins: hosts.flatMap((h) => [`http://${h}:${port}`, `http://${h}`]) };
}
