/**
 * The REST API on a laptop: the SAME route code the API Lambdas run (src/api/router.ts), behind a stand-in for
 * API Gateway's Cognito authorizer. Bearer JWTs from the local issuer are verified and the route's scopes checked
 * as API Gateway would (401 without or with a bad token, 403 without the scope); the request becomes an API
 * Gateway proxy event with `requestContext.authorizer.claims`; the adapters are local: DynamoDB on dynalite,
 * reports in a folder (or on s3rver), and a WorkflowStarter that runs the investigation in this process in the
 * background through `runWorkflow` (the local state-machine runner).
 */
import { join } from 'node:path';
import { buildProxyEvent } from '../api/gateway-event.ts';
import { hasAnyScope } from '../api/identity.ts';
import type { ApiDeps, ExecutionInput, ExecutionStatus, Logger, WorkflowMonitor, WorkflowStarter } from '../api/ports.ts';
import { handleApiEvent, matchRoute } from '../api/router.ts';
import { ROUTES } from '../api/routes/index.ts';
import { investigationResultSchema } from '../domain/result.ts';
import { TokenRejected, type VerifiedToken, bearerToken } from '../mcp/auth.ts';
import { loopbackAllowList } from '../mcp/http-handler.ts';
import type { RequestHandler } from '../mcp/http-handler.ts';
import { type LocalIssuer, openLocalIssuer } from '../mcp/local-issuer.ts';
import { serve } from '../mcp/node-server.ts';
import { type DynamoMemoryStore, createDynamoMemoryStore } from '../memory/dynamodb.ts';
import type { MemoryStore } from '../memory/port.ts';
import { stateDir as defaultStateDir } from '../platform/paths.ts';
import { createLocalReportStore } from '../reports/local.ts';
import type { ReportRepository } from '../reports/port.ts';
import { createS3ReportStore } from '../reports/s3.ts';
import { type LocalDynamo, startDynalite } from './dynalite.ts';
import { type LocalS3, startS3rver } from './s3rver.ts';

/** What the dev server hands the local workflow besides the execution input: the same stores the API uses. */
export interface LocalWorkflowContext {
  memory: MemoryStore;
  reports: ReportRepository;
  /** The scenario the local tools serve (the server's --scenario, or the request's `scenario` name). */
  scenarioDir?: string;
  /** The execution's name (the investigation id) and a signal that fires when the server shuts down. */
  executionName: string;
  signal: AbortSignal;
}

/**
 * Runs one investigation as the state machine would, resolving to its result (InvestigationResult) or rejecting
 * as a failed execution. The local state-machine runner plugs in here.
 */
export type LocalWorkflow = (executionInput: ExecutionInput, context: LocalWorkflowContext) => Promise<unknown>;

export interface DevServerOptions {
  runWorkflow: LocalWorkflow;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  issuer?: LocalIssuer;
  /** The state folder (`.sre-agent/` by default): issuer key, persistent tables, reports. */
  stateDir?: string;
  /** Keep the tables in `<stateDir>/dynalite` across runs (default: in memory). */
  persist?: boolean;
  /** Where reports go: `<stateDir>/reports` (default), or S3 on s3rver. */
  reports?: 'folder' | 's3rver';
  reportsDir?: string;
  scenarioDir?: string;
  /** Resolves a request's `scenario` name to a folder; requests cannot name a scenario without it. */
  resolveScenario?: (name: string) => string | undefined;
  clock?: () => number;
  log?: Logger;
}

export interface DevServer {
  url: string;
  port: number;
  memory: DynamoMemoryStore;
  reports: ReportRepository;
  dynamo: LocalDynamo;
  s3?: LocalS3;
  /** Resolves when no investigation is running any more. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const LOCAL_STATE_MACHINE = 'arn:aws:states:local:000000000000:stateMachine:sre-agent-local';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  // The dev server trusts the local issuer's tokens only: keep it off the network.
  if (!LOOPBACK.has(host)) throw new Error(`the dev server only binds to a loopback address, not ${host}`);
  const dir = options.stateDir ?? defaultStateDir();
  const clock = options.clock ?? Date.now;
  const log = options.log ?? quietLog;
  const issuer = options.issuer ?? (await openLocalIssuer(dir));
  const verifier = issuer.verifier();

  const dynamo = await startDynalite(options.persist ? { path: join(dir, 'dynalite') } : {});
  let s3: LocalS3 | undefined;
  let reports: ReportRepository;
  try {
    if (options.reports === 's3rver') {
      s3 = await startS3rver({ directory: join(dir, 's3') });
      reports = createS3ReportStore({ client: s3.client, bucket: s3.bucket });
    } else {
      reports = createLocalReportStore({ dir: options.reportsDir ?? join(dir, 'reports') });
    }
  } catch (error) {
    await dynamo.close();
    throw error;
  }
  const memory = createDynamoMemoryStore({ client: dynamo.documentClient, tableName: dynamo.tableName, clock });
  const shutdown = new AbortController();
  const workflow = createLocalWorkflow({
    run: options.runWorkflow,
    memory,
    reports,
    clock,
    log,
    signal: shutdown.signal,
    // A request may name a scenario (the body's `scenario`, ignored in AWS) when the server can resolve names.
    scenarioFor: (name) => (name !== undefined && options.resolveScenario ? options.resolveScenario(name) : undefined) ?? options.scenarioDir,
  });
  const deps: ApiDeps = { memory, workflow, monitor: workflow, reports, clock, log, passScenario: true };

  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve((port) => createDevHandler({ deps, verifier, port, log }), {
      host,
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  } catch (error) {
    // The port is taken (or the like): leave nothing running behind.
    await s3?.close();
    await dynamo.close();
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    memory,
    reports,
    dynamo,
    ...(s3 ? { s3 } : {}),
    idle: () => workflow.idle(),
    async close() {
      await server.close();
      shutdown.abort();
      // Give running investigations a moment to record their end before the table goes away.
      await Promise.race([workflow.idle(), new Promise((r) => setTimeout(r, 2000))]);
      await s3?.close();
      await dynamo.close();
    },
  };
}

const quietLog: Logger = { warn: () => undefined, error: () => undefined };

interface DevHandlerOptions {
  deps: ApiDeps;
  verifier: { verify(token: string): Promise<VerifiedToken> };
  port: number;
  log: Logger;
}

function createDevHandler(o: DevHandlerOptions): RequestHandler {
  const allow = loopbackAllowList(o.port);
  return async (request) => {
    const url = new URL(request.url);
    const hostHeader = request.headers.get('host') ?? url.host;
    const hostname = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
    // DNS-rebinding and cross-site protection: a web page must not drive the local API with a stored token.
    if (!allow.hosts.includes(hostname.toLowerCase())) return reply(403, { error: 'forbidden', message: `Host '${hostHeader}' is not allowed` });
    const origin = request.headers.get('origin');
    if (origin && !allow.origins.includes(origin)) return reply(403, { error: 'forbidden', message: `Origin '${origin}' is not allowed` });

    const match = matchRoute(request.method, url.pathname, ROUTES);
    if (!match.ok) return new Response(match.response.body, { status: match.response.statusCode, headers: match.response.headers });

    // API Gateway's Cognito authorizer: a valid token, then any one of the method's scopes.
    const token = bearerToken(request.headers.get('authorization'));
    if (!token) return reply(401, { error: 'unauthorized', message: 'a bearer token is required' }, { 'www-authenticate': 'Bearer realm="sre-agent"' });
    let verified: VerifiedToken;
    try {
      verified = await o.verifier.verify(token);
    } catch (error) {
      const message = error instanceof TokenRejected ? error.message : 'the token could not be verified';
      return reply(401, { error: 'invalid_token', message }, { 'www-authenticate': `Bearer realm="sre-agent", error="invalid_token"` });
    }
    if (!hasAnyScope(verified, match.route.scopes)) {
      return reply(
        403,
        { error: 'insufficient_scope', message: `this route needs the ${match.route.scopes.join(' or ')} scope` },
        { 'www-authenticate': `Bearer realm="sre-agent", error="insufficient_scope", scope="${match.route.scopes.join(' ')}"` },
      );
    }

    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      if (k !== 'authorization') headers[k] = v;
    });
    headers['x-forwarded-proto'] = 'http';
    const event = buildProxyEvent({
      method: request.method,
      path: url.pathname,
      resource: match.route.path,
      pathParameters: match.pathParameters,
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
      body,
      claims: authorizerClaims(verified),
      domainName: hostHeader,
    });
    const result = await handleApiEvent(event, o.deps, {
      routes: [match.route],
      onError: (error, req) => o.log.error('unhandled error in API route', { ...req, error: error instanceof Error ? error.message : String(error) }),
    });
    return new Response(result.body, { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string> });
  };
}

/** The claims as API Gateway's Cognito authorizer passes them to the integration: every value a string. */
export function authorizerClaims(token: VerifiedToken): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(token.claims)) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
}

interface LocalWorkflowAdapter extends WorkflowStarter, WorkflowMonitor {
  idle(): Promise<void>;
}

/**
 * The WorkflowStarter of the dev server: starts `run` in the background, one run per investigation id (a second
 * start returns the same execution, like Step Functions with the same name), and records the outcome when the run
 * ends without having recorded it itself (a crash of the runner becomes a failed investigation, not a hang).
 */
function createLocalWorkflow(o: {
  run: LocalWorkflow;
  memory: MemoryStore;
  reports: ReportRepository;
  clock: () => number;
  log: Logger;
  signal: AbortSignal;
  scenarioFor: (name: string | undefined) => string | undefined;
}): LocalWorkflowAdapter {
  const executions = new Map<string, { status: ExecutionStatus; done: Promise<void> }>();
  const arnOf = (id: string): string => `${LOCAL_STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${id}`;

  async function settle(id: string, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): Promise<void> {
    const entry = executions.get(id)!;
    if (outcome.ok) {
      entry.status = { state: 'SUCCEEDED', output: outcome.value };
    } else {
      const e = outcome.error;
      const name = e instanceof Error ? e.name : 'Error';
      entry.status = { state: 'FAILED', error: name, cause: JSON.stringify({ errorType: name, errorMessage: e instanceof Error ? e.message : String(e) }) };
      o.log.error('local investigation failed', { investigationId: id, error: name, message: e instanceof Error ? e.message : String(e) });
    }
    try {
      const record = await o.memory.getInvestigation(id);
      if (!record || ['completed', 'partial', 'failed'].includes(record.status)) return;
      const parsed = outcome.ok ? investigationResultSchema.safeParse(outcome.value) : undefined;
      const updatedAt = new Date(o.clock()).toISOString();
      if (parsed?.success) {
        await o.memory.updateInvestigation(id, { status: parsed.data.status, result: parsed.data, reportKey: parsed.data.report.uri, updatedAt });
      } else {
        await o.memory.updateInvestigation(id, { status: 'failed', updatedAt });
      }
    } catch (error) {
      o.log.warn('could not record the end of a local investigation', { investigationId: id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    async start(investigationId, executionInput) {
      if (executions.has(investigationId)) return arnOf(investigationId);
      const { scenario, ...request } = executionInput.request;
      const scenarioDir = o.scenarioFor(scenario);
      const entry: { status: ExecutionStatus; done: Promise<void> } = { status: { state: 'RUNNING' }, done: Promise.resolve() };
      executions.set(investigationId, entry);
      const context: LocalWorkflowContext = {
        memory: o.memory,
        reports: o.reports,
        executionName: investigationId,
        signal: o.signal,
        ...(scenarioDir ? { scenarioDir } : {}),
      };
      // Started on a later tick: the API answers 202 before the investigation does any work.
      entry.done = new Promise<void>((resolve) => setImmediate(resolve))
        // The runner gets the execution input Step Functions would get: without the local-only scenario.
        .then(() => o.run(structuredClone({ request }), context))
        .then(
          (value) => settle(investigationId, { ok: true, value }),
          (error: unknown) => settle(investigationId, { ok: false, error }),
        );
      return arnOf(investigationId);
    },
    async describe(executionArn) {
      const id = executionArn.slice(executionArn.lastIndexOf(':') + 1);
      return executions.get(id)?.status;
    },
    async idle() {
      while ([...executions.values()].some((e) => e.status.state === 'RUNNING')) {
        await Promise.all([...executions.values()].map((e) => e.done));
      }
    },
  };
}
