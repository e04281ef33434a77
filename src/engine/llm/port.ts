/**
 * The model port: one request/response shape for every provider. It is the Bedrock Converse shape cut down to
 * what the agent uses (a system prompt, messages of text / toolUse / toolResult blocks, a tool list, a stop
 * reason, token usage), so the Bedrock provider maps it almost one to one and the OpenAI-compatible provider
 * translates it. A conversation built against one provider can continue on another, which is what lets the
 * chain fail over in the middle of a specialist's loop.
 */
import type { JsonSchema } from '../../tools/tool-names.ts';

export interface TextBlock {
  text: string;
}

export interface ToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: unknown };
}

export interface ToolResultBlock {
  toolResult: { toolUseId: string; content: Array<{ text: string }>; status: 'success' | 'error' };
}

export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock;

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** Bedrock's `toolConfig.tools` entry, as `toBedrockTools` produces it. */
export interface ToolSpec {
  toolSpec: { name: string; description: string; inputSchema: { json: JsonSchema } };
}

export interface ModelRequest {
  system: string;
  messages: ChatMessage[];
  /** Absent or empty: the model answers in text and cannot call tools. */
  tools?: ToolSpec[];
  maxTokens?: number;
  temperature?: number;
  /** Aborts the call (the caller's deadline); an aborted call fails with kind 'aborted' and is never retried. */
  signal?: AbortSignal;
}

/** Bedrock's stop reasons; the OpenAI-compatible provider maps `finish_reason` onto them. */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'content_filtered'
  | 'guardrail_intervened'
  | 'malformed_model_output'
  | 'malformed_tool_use'
  | 'model_context_window_exceeded'
  | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelResponse {
  message: ChatMessage;
  stopReason: StopReason;
  usage: Usage;
  /** The model that answered (the chain reports which of its models it was). */
  model: string;
}

export interface ModelPort {
  /** For logs and the report: the model id, or the chain's models joined. */
  readonly name: string;
  converse(request: ModelRequest): Promise<ModelResponse>;
}

export type ModelErrorKind =
  /** Rate or quota: worth retrying after a pause. */
  | 'throttled'
  /** The service or the model is temporarily not serving. */
  | 'unavailable'
  /** The request itself is wrong for this model (too long, unsupported field): retrying cannot help. */
  | 'invalid-request'
  /** Credentials or permissions. */
  | 'denied'
  /** Unknown model id or endpoint. */
  | 'not-found'
  /** The model failed to produce an answer (ModelErrorException, timeouts, unparseable responses). */
  | 'model-error'
  /** Our own deadline: the caller gave up, nothing failed on the other side. */
  | 'aborted';

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    message: string,
    readonly kind: ModelErrorKind,
    readonly retryable: boolean,
    /** The provider's own error name (ThrottlingException, HTTP 429...), for the report's gap. */
    readonly code: string,
  ) {
    super(message);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof ModelError ? error.kind === 'aborted' : error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function textOf(message: ChatMessage): string {
  return message.content
    .filter((b): b is TextBlock => 'text' in b)
    .map((b) => b.text)
    .join('\n')
    .trim();
}

export function toolUsesOf(message: ChatMessage): ToolUseBlock['toolUse'][] {
  return message.content.filter((b): b is ToolUseBlock => 'toolUse' in b).map((b) => b.toolUse);
}

/** Retry with exponential backoff and jitter; the pause between attempt n and n+1 is about base·2^(n-1). */
export interface RetryOptions {
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export async function withRetries<T>(
  call: () => Promise<T>,
  classify: (error: unknown) => ModelError,
  options: RetryOptions & { signal?: AbortSignal | undefined },
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const base = options.backoffMs ?? 500;
  const cap = options.maxBackoffMs ?? 8_000;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new ModelError('the model call was abandoned at the deadline', 'aborted', false, 'Aborted');
    try {
      return await call();
    } catch (raw) {
      const error = options.signal?.aborted ? new ModelError('the model call was abandoned at the deadline', 'aborted', false, 'Aborted') : classify(raw);
      if (!error.retryable || attempt >= maxAttempts) throw error;
      // Half fixed, half random: spreads the retries of parallel specialists hitting the same throttle.
      const pause = Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      await sleep(pause, options.signal);
    }
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
