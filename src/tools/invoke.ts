/**
 * The tool handler factory: one invoker per backend serves every operation of its spec. It resolves the tool
 * name, validates arguments against the spec, runs the operation over the backend's provider with the
 * investigation clock, and turns every failure into a ToolErrorBody. Transport-agnostic: the Lambda handlers
 * and the local MCP server both sit on top of it.
 */
import { InputError } from '../domain/errors.ts';
import { ToolError, type ToolErrorBody } from './errors.ts';
import { type Backend, type ToolDefinition, loadToolDefinitions, parseToolName } from './openapi.ts';
import { responseProblems, validateArguments } from './validation.ts';

export interface OperationContext<P> {
  provider: P;
  /** The investigation clock in epoch ms: the scenario's `now` locally, the wall clock in production. */
  now: number;
  tool: ToolDefinition;
}

// Arguments arrive validated against the spec, so operations may treat them as their declared shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Operation<P> = (args: any, ctx: OperationContext<P>) => Promise<unknown>;

export interface ToolBackend<P> {
  backend: Backend;
  /** Implementations keyed by operationId; every operation of the spec must have one. */
  operations: Readonly<Record<string, Operation<P>>>;
}

export type ToolInvocation = { ok: true; result: unknown } | { ok: false; error: ToolErrorBody['error'] };

export interface ToolInvoker {
  backend: Backend;
  definitions: readonly ToolDefinition[];
  /** Runs a tool by its full name (`kubernetes___get_pod_status`) or bare operationId. Never throws. */
  invoke(name: string, args: unknown): Promise<ToolInvocation>;
}

export interface InvokerDeps<P> {
  /** The backend's provider; created on first use (AWS providers resolve endpoints and credentials lazily). */
  provider: () => P | Promise<P>;
  clock?: () => number;
  /** Called with unexpected exceptions, whose details never reach the caller (log them here). */
  onInternalError?: (error: unknown, tool: string) => void;
  /** Also check each response against the spec's response schema (tests and development). */
  validateResponses?: boolean;
  definitions?: readonly ToolDefinition[];
}

export function createToolInvoker<P>(backend: ToolBackend<P>, deps: InvokerDeps<P>): ToolInvoker {
  const definitions = deps.definitions ?? loadToolDefinitions([backend.backend]);
  const byOperation = new Map(definitions.map((d) => [d.operationId, d]));
  const missing = definitions.filter((d) => !backend.operations[d.operationId]).map((d) => d.operationId);
  if (missing.length) throw new Error(`${backend.backend}: no implementation for ${missing.join(', ')}`);
  const extra = Object.keys(backend.operations).filter((op) => !byOperation.has(op));
  if (extra.length) throw new Error(`${backend.backend}: operations missing from openapi/${backend.backend}.yaml: ${extra.join(', ')}`);

  let providerPromise: Promise<P> | undefined;
  const provider = () => {
    providerPromise ??= Promise.resolve().then(deps.provider);
    // A failed initialisation (e.g. throttled DescribeCluster) must not poison every later call.
    providerPromise.catch(() => (providerPromise = undefined));
    return providerPromise;
  };
  const clock = deps.clock ?? Date.now;

  return {
    backend: backend.backend,
    definitions,
    async invoke(name, args) {
      const parsed = parseToolName(name);
      const operationId = parsed ? (parsed.backend === backend.backend ? parsed.operationId : undefined) : name;
      const def = operationId ? byOperation.get(operationId) : undefined;
      if (!def) {
        const known = definitions.map((d) => d.name).join(', ');
        return fail(new ToolError('UnknownTool', `Unknown tool '${name}' for the ${backend.backend} backend; known tools: ${known}`));
      }
      try {
        const valid = validateArguments(def, args);
        const result = await backend.operations[def.operationId]!(valid, { provider: await provider(), now: clock(), tool: def });
        if (deps.validateResponses) {
          const problems = responseProblems(def, result);
          if (problems.length) throw new Error(`${def.name} response violates its schema: ${problems.join('; ')}`);
        }
        return { ok: true, result };
      } catch (error) {
        if (error instanceof ToolError) return fail(error);
        if (error instanceof InputError) return fail(new ToolError('InvalidArgument', error.message, error.field));
        deps.onInternalError?.(error, def.name);
        return fail(new ToolError('Internal', `${def.name} failed with an internal error`));
      }
    },
  };
}

function fail(error: ToolError): ToolInvocation {
  return { ok: false, error: error.toBody().error };
}
