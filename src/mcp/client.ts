/**
 * The MCP client specialists use to reach tools. It lists the tools of the specialist's backends, calls them with a
 * timeout, retries transient failures (network errors, 429/5xx, retryable tool errors) with backoff, keeps each
 * result within an output budget for models (cut with a visible marker and the original size), and records the
 * time of every call for the result's `specialists`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Backend } from '../tools/tool-names.ts';
import { TOOL_NAME_SEPARATOR } from '../tools/tool-names.ts';
import type { TokenProvider } from './tokens.ts';

export interface ListedTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCallRecord {
  tool: string;
  ok: boolean;
  durationMs: number;
  attempts: number;
  errorType?: string;
}

export type ToolCallResult =
  | {
      ok: true;
      tool: string;
      /** The parsed JSON result (structured content), for the evidence engine. */
      result: unknown;
      /** The result as text within the output budget, for models and reports. */
      text: string;
      /** Set when `text` was cut: the size of the whole result in bytes. */
      originalBytes?: number;
      durationMs: number;
    }
  | {
      ok: false;
      tool: string;
      error: { type: string; message: string; retryable: boolean };
      durationMs: number;
    };

/** The port specialists depend on; the MCP client implements it. */
export interface ToolCaller {
  listTools(): Promise<ListedTool[]>;
  callTool(name: string, args: Record<string, unknown>): Promise<ToolCallResult>;
  /** Every call made so far, in order. */
  readonly calls: readonly ToolCallRecord[];
}

export interface McpToolClientOptions {
  /** The gateway's MCP endpoint, e.g. http://127.0.0.1:7411/mcp or the AgentCore gateway URL. */
  url: string;
  tokens: TokenProvider;
  /** Only tools of these backends are listed and callable. */
  backends?: readonly Backend[];
  timeoutMs?: number;
  /** Attempts per call including the first. */
  maxAttempts?: number;
  backoffMs?: number;
  /** Size of `text` per call before it is cut. */
  outputBudgetBytes?: number;
  clientName?: string;
  sleep?: (ms: number) => Promise<void>;
}

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|fetch failed|network|timed? ?out|Request timed out/i;

/**
 * How a failed call failed: the SDK's transport errors carry the HTTP status in `code` (not in the message), request
 * timeouts are McpErrors, and network failures surface as fetch errors.
 */
export function classifyFailure(error: unknown): { transient: boolean; auth: boolean; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const status = typeof code === 'number' && code >= 100 && code < 600 ? code : Number(/\b(4\d\d|5\d\d)\b/.exec(message)?.[1] ?? NaN);
  const auth = status === 401 || status === 403;
  const transient = !auth && (TRANSIENT_STATUS.has(status) || TRANSIENT_NETWORK.test(message));
  return { transient, auth, message: Number.isFinite(status) && !message.includes(String(status)) ? `HTTP ${status}: ${message}` : message };
}

export function createMcpToolClient(options: McpToolClientOptions): ToolCaller & { close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const backoffMs = options.backoffMs ?? 200;
  const budget = options.outputBudgetBytes ?? 16_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const calls: ToolCallRecord[] = [];
  const allowed = (name: string) =>
    !options.backends || options.backends.some((b) => name.startsWith(`${b}${TOOL_NAME_SEPARATOR}`));

  let connecting: Promise<Client> | undefined;
  const connect = () => {
    connecting ??= (async () => {
      const client = new Client({ name: options.clientName ?? 'sre-agent-specialist', version: '0.1.0' });
      const transport = new StreamableHTTPClientTransport(new URL(options.url), {
        // A fresh token per request: cached by the provider, refreshed before expiry.
        fetch: async (input, init) => {
          const token = await options.tokens();
          const headers = new Headers(init?.headers);
          if (token) headers.set('authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      });
      await client.connect(transport, { timeout: timeoutMs });
      return client;
    })();
    connecting.catch(() => (connecting = undefined));
    return connecting;
  };

  let toolCache: ListedTool[] | undefined;

  return {
    calls,
    async listTools() {
      if (toolCache) return toolCache;
      const client = await withRetry(connect);
      const out: ListedTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await withRetry(() => client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs }));
        for (const t of page.tools) {
          if (allowed(t.name)) out.push({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> });
        }
        cursor = page.nextCursor;
      } while (cursor);
      toolCache = out;
      return out;
    },
    async callTool(name, args) {
      const started = performance.now();
      if (!allowed(name)) {
        const durationMs = performance.now() - started;
        calls.push({ tool: name, ok: false, durationMs, attempts: 0, errorType: 'UnknownTool' });
        return { ok: false, tool: name, error: { type: 'UnknownTool', message: `Tool '${name}' is not available to this specialist`, retryable: false }, durationMs };
      }
      let attempts = 0;
      let last: ToolCallResult | undefined;
      while (attempts < maxAttempts) {
        attempts += 1;
        last = await callOnce(name, args, started);
        const retry = !last.ok && last.error.retryable && attempts < maxAttempts;
        if (!retry) break;
        await sleep(backoffMs * 2 ** (attempts - 1) * (0.5 + Math.random() / 2));
      }
      const result = last!;
      result.durationMs = performance.now() - started;
      calls.push({ tool: name, ok: result.ok, durationMs: result.durationMs, attempts, ...(result.ok ? {} : { errorType: result.error.type }) });
      return result;
    },
    async close() {
      if (connecting) await (await connecting.catch(() => undefined))?.close();
    },
  };

  async function callOnce(name: string, args: Record<string, unknown>, started: number): Promise<ToolCallResult> {
    try {
      const client = await connect();
      const res = await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs });
      const textPart = (res.content as Array<{ type: string; text?: string }> | undefined)?.find((c) => c.type === 'text')?.text ?? '';
      if (res.isError) {
        const detail = res.structuredContent as { type?: string; retryable?: boolean } | undefined;
        return {
          ok: false,
          tool: name,
          error: { type: detail?.type ?? 'ToolError', message: textPart || 'the tool failed', retryable: detail?.retryable === true },
          durationMs: performance.now() - started,
        };
      }
      const result = res.structuredContent ?? parseJson(textPart);
      const full = textPart || JSON.stringify(result);
      const bytes = Buffer.byteLength(full);
      const text = bytes > budget ? cut(full, budget, bytes) : full;
      return { ok: true, tool: name, result, text, ...(bytes > budget ? { originalBytes: bytes } : {}), durationMs: performance.now() - started };
    } catch (error) {
      const { transient, auth, message } = classifyFailure(error);
      // A failed connection must not stick: the next attempt connects afresh.
      connecting = undefined;
      return {
        ok: false,
        tool: name,
        error: { type: auth ? 'Unauthorized' : transient ? 'Unavailable' : 'TransportError', message: `calling ${name} failed: ${message}`, retryable: transient },
        durationMs: performance.now() - started,
      };
    }
  }

  async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!classifyFailure(error).transient || attempt >= maxAttempts) throw error;
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Cuts text to the budget on a UTF-8 boundary and says so, with the original size. */
export function cut(text: string, budgetBytes: number, originalBytes = Buffer.byteLength(text)): string {
  const marker = `\n…[truncated: showing the first ${budgetBytes} of ${originalBytes} bytes]`;
  const buf = Buffer.from(text).subarray(0, budgetBytes);
  // Drop a trailing partial multi-byte character.
  return buf.toString('utf8').replace(/\uFFFD$/, '') + marker;
}
