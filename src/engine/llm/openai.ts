/**
 * The OpenAI-compatible provider: `POST {base}/chat/completions` with `tools` / `tool_calls`, which OpenAI, Ollama,
 * vLLM, LiteLLM and most gateways serve. It translates the port's Converse-shaped conversation:
 *   - assistant toolUse blocks  → `tool_calls: [{id, type: 'function', function: {name, arguments: JSON}}]`
 *   - user toolResult blocks    → one `{role: 'tool', tool_call_id, content}` message each, right after the call
 *   - `finish_reason`           → stop reasons (`stop` → end_turn, `tool_calls` → tool_use, `length` → max_tokens)
 * Retries 429 and 5xx (and network failures) with backoff; other HTTP errors go straight to the chain.
 */
import { type ChatMessage, type ContentBlock, ModelError, type ModelPort, type ModelRequest, type ModelResponse, type RetryOptions, type StopReason, withRetries } from './port.ts';

export interface OpenAiModelOptions extends RetryOptions {
  /** `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1` (Ollama), `http://vllm:8000/v1`; a bare host gets `/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface OpenAiToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: unknown };
}

interface OpenAiMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: OpenAiToolCall[];
  tool_call_id?: string;
}

interface OpenAiResponse {
  choices?: Array<{ message?: { content?: string | null; tool_calls?: OpenAiToolCall[] }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  model?: string;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

export function chatCompletionsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  // A bare host (Ollama's http://127.0.0.1:11434) serves the API under /v1; a base with a path is taken as given.
  url.pathname = `${path || '/v1'}/chat/completions`;
  return url.toString();
}

export function createOpenAiModel(options: OpenAiModelOptions): ModelPort {
  const url = chatCompletionsUrl(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const name = `${options.model}@${new URL(options.baseUrl).host}`;
  return {
    name,
    async converse(request: ModelRequest): Promise<ModelResponse> {
      const body = JSON.stringify(toChatCompletionsBody(options.model, request));
      const data = await withRetries(
        async () => {
          const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
          const res = await doFetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
            body,
            signal,
          });
          const text = await res.text();
          if (!res.ok) throw httpError(res.status, text, name);
          try {
            return JSON.parse(text) as OpenAiResponse;
          } catch {
            throw new ModelError(`${name} answered with something other than JSON`, 'model-error', false, 'InvalidResponse');
          }
        },
        (error) => classifyFetchError(error, name),
        { ...options, signal: request.signal },
      );
      return fromChatCompletion(data, name);
    },
  };
}

export function toChatCompletionsBody(model: string, request: ModelRequest): Record<string, unknown> {
  const messages: OpenAiMessage[] = [{ role: 'system', content: request.system }];
  for (const m of request.messages) messages.push(...toOpenAiMessages(m));
  return {
    model,
    messages,
    max_tokens: request.maxTokens ?? 2048,
    temperature: request.temperature ?? 0,
    stream: false,
    ...(request.tools?.length
      ? {
          tools: request.tools.map((t) => ({
            type: 'function',
            function: { name: t.toolSpec.name, description: t.toolSpec.description, parameters: t.toolSpec.inputSchema.json },
          })),
          tool_choice: 'auto',
        }
      : {}),
  };
}

function toOpenAiMessages(m: ChatMessage): OpenAiMessage[] {
  const text = m.content.filter((b): b is { text: string } => 'text' in b).map((b) => b.text).join('\n');
  if (m.role === 'assistant') {
    const calls = m.content.flatMap((b) =>
      'toolUse' in b ? [{ id: b.toolUse.toolUseId, type: 'function', function: { name: b.toolUse.name, arguments: JSON.stringify(b.toolUse.input ?? {}) } }] : [],
    );
    return [{ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) }];
  }
  // Tool results must directly follow the assistant message that called them; any text goes after them.
  const out: OpenAiMessage[] = m.content.flatMap((b): OpenAiMessage[] =>
    'toolResult' in b
      ? [{ role: 'tool', tool_call_id: b.toolResult.toolUseId, content: `${b.toolResult.status === 'error' ? 'ERROR: ' : ''}${b.toolResult.content.map((c) => c.text).join('\n')}` }]
      : [],
  );
  if (text) out.push({ role: 'user', content: text });
  return out;
}

function fromChatCompletion(data: OpenAiResponse, name: string): ModelResponse {
  const choice = data.choices?.[0];
  if (!choice?.message) throw new ModelError(`${name} returned no choices`, 'model-error', false, 'EmptyOutput');
  const content: ContentBlock[] = [];
  if (typeof choice.message.content === 'string' && choice.message.content.trim()) content.push({ text: choice.message.content });
  (choice.message.tool_calls ?? []).forEach((call, i) => {
    content.push({ toolUse: { toolUseId: call.id || `call_${i}`, name: call.function?.name ?? '', input: parseArguments(call.function?.arguments) } });
  });
  return {
    message: { role: 'assistant', content },
    stopReason: stopReasonOf(choice.finish_reason, content),
    usage: { inputTokens: data.usage?.prompt_tokens ?? 0, outputTokens: data.usage?.completion_tokens ?? 0 },
    model: name,
  };
}

/** Arguments are a JSON string in the OpenAI API (some servers send an object); anything unparseable is kept raw so the loop can say so. */
function parseArguments(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function stopReasonOf(finish: string | null | undefined, content: readonly ContentBlock[]): StopReason {
  // Some servers (older Ollama) say "stop" while returning tool calls: the calls are what matter.
  if (content.some((b) => 'toolUse' in b)) return 'tool_use';
  switch (finish) {
    case 'stop':
    case null:
    case undefined:
      return 'end_turn';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'content_filtered';
    default:
      return 'other';
  }
}

function httpError(status: number, body: string, name: string): ModelError {
  const detail = body.slice(0, 300).replace(/\s+/g, ' ').trim();
  const kind: ModelError['kind'] =
    status === 429 ? 'throttled' : status === 401 || status === 403 ? 'denied' : status === 404 ? 'not-found' : status >= 500 || status === 408 ? 'unavailable' : 'invalid-request';
  return new ModelError(`${name}: HTTP ${status}${detail ? `: ${detail}` : ''}`, kind, RETRYABLE_STATUS.has(status), `HTTP ${status}`);
}

function classifyFetchError(error: unknown, name: string): ModelError {
  if (error instanceof ModelError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new ModelError(`${name} did not answer in time`, 'model-error', false, 'Timeout');
  // fetch() rejects with a TypeError for refused connections, resets and DNS failures: the server is not reachable now.
  const cause = (e as { cause?: { code?: string } }).cause?.code;
  return new ModelError(`${name}: ${e.message}${cause ? ` (${cause})` : ''}`, 'unavailable', true, cause ?? e.name);
}
