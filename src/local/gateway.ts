/**
 * The local MCP gateway: the project's own MCP server on loopback, serving a scenario's tools with real JWT auth
 * from the local issuer. `sre-agent gateway` runs it for MCP clients; the local investigation and the tests start
 * and stop it programmatically.
 */
import { loadScenarioMeta, type ScenarioMeta } from '../providers/fixture/scenario.ts';
import { loadToolDefinitions } from '../tools/openapi.ts';
import { DEFAULT_LOCAL_SCOPES, LOCAL_ISSUER, type LocalIssuer, openLocalIssuer } from '../mcp/local-issuer.ts';
import { MCP_PATH, createMcpGatewayHandler, loopbackAllowList } from '../mcp/http-handler.ts';
import { serve } from '../mcp/node-server.ts';
import type { TokenProvider } from '../mcp/tokens.ts';
import { scenarioToolCall } from './tool-handlers.ts';

export const TOOLS_SCOPE = 'sre-agent/tools.invoke';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface LocalGatewayOptions {
  scenarioDir: string;
  host?: string;
  port?: number;
  /** Turn authentication off; refused unless bound to loopback. */
  insecureNoAuth?: boolean;
  issuer?: LocalIssuer;
}

export interface LocalGateway {
  /** The MCP endpoint. */
  mcpUrl: string;
  scenario: ScenarioMeta;
  /** Tokens the gateway accepts (none when auth is off). */
  tokens: TokenProvider;
  close(): Promise<void>;
}

export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const host = options.host ?? '127.0.0.1';
  if (options.insecureNoAuth && !LOOPBACK.has(host)) {
    throw new Error(`--insecure-no-auth is only allowed on a loopback address, not ${host}`);
  }
  const scenario = loadScenarioMeta(options.scenarioDir);
  const issuer = options.insecureNoAuth ? undefined : (options.issuer ?? (await openLocalIssuer()));
  const callTool = scenarioToolCall(scenario.dir, scenario.now);
  const tools = loadToolDefinitions();
  const server = await serve(
    (port) => {
      const allow = loopbackAllowList(port);
      // Bound to a non-loopback address: accept that address as Host too.
      const hosts = LOOPBACK.has(host) ? allow.hosts : [...allow.hosts, host];
      return createMcpGatewayHandler({
        tools,
        callTool: (name, args) => callTool(name, args),
        verifier: issuer ? issuer.verifier({ requiredScopes: [TOOLS_SCOPE] }) : null,
        authorizationServers: issuer ? [LOCAL_ISSUER] : [],
        scopes: DEFAULT_LOCAL_SCOPES,
        allowedHosts: hosts,
        allowedOrigins: [...allow.origins, ...(LOOPBACK.has(host) ? [] : [`http://${host}:${port}`])],
      });
    },
    { host, ...(options.port !== undefined ? { port: options.port } : {}) },
  );
  let cached: { token: string; until: number } | undefined;
  const tokens: TokenProvider = async () => {
    if (!issuer) return undefined;
    if (!cached || Date.now() > cached.until) {
      cached = { token: await issuer.mint({ scopes: [TOOLS_SCOPE] }), until: Date.now() + 50 * 60_000 };
    }
    return cached.token;
  };
  return { mcpUrl: `${server.url}${MCP_PATH}`, scenario, tokens, close: () => server.close() };
}
