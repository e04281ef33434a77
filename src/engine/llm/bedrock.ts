/**
 * The Bedrock provider: the Converse API with a model id or an inference profile id/ARN. Retries, with backoff,
 * only what a pause can fix (ThrottlingException, ServiceUnavailableException, ModelNotReadyException); every
 * other error goes straight back to the chain, which fails over to the next model.
 *
 * The SDK client should be built with `maxAttempts: 1` (as `bedrockClient()` does) so these retries are the only
 * ones: the SDK's own retry strategy would otherwise multiply them and hide the failover from the chain.
 */
import {
  type BedrockRuntimeClient,
  type ContentBlock as BedrockContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  type Message as BedrockMessage,
  type ToolUseBlock as BedrockToolUse,
} from '@aws-sdk/client-bedrock-runtime';
import { type ChatMessage, type ContentBlock, ModelError, type ModelPort, type ModelRequest, type ModelResponse, type RetryOptions, type StopReason, withRetries } from './port.ts';

export interface BedrockModelOptions extends RetryOptions {
  client: Pick<BedrockRuntimeClient, 'send'>;
  /** A foundation model id, a cross-Region inference profile id (`us.anthropic...`) or an ARN. */
  modelId: string;
  /** Per call, so one hung request cannot eat the specialist's whole time budget. */
  timeoutMs?: number;
}

/** Smithy's JSON document type, as the SDK names it for tool inputs and schemas. */
type Document = NonNullable<BedrockToolUse['input']>;

const RETRYABLE = new Set(['ThrottlingException', 'ServiceUnavailableException', 'ModelNotReadyException']);

const KINDS: Record<string, ModelError['kind']> = {
  ThrottlingException: 'throttled',
  ServiceQuotaExceededException: 'throttled',
  ServiceUnavailableException: 'unavailable',
  ModelNotReadyException: 'unavailable',
  InternalServerException: 'unavailable',
  ValidationException: 'invalid-request',
  AccessDeniedException: 'denied',
  UnrecognizedClientException: 'denied',
  ExpiredTokenException: 'denied',
  ResourceNotFoundException: 'not-found',
  ModelErrorException: 'model-error',
  ModelTimeoutException: 'model-error',
};

const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'content_filtered',
  'guardrail_intervened',
  'malformed_model_output',
  'malformed_tool_use',
  'model_context_window_exceeded',
]);

export function createBedrockModel(options: BedrockModelOptions): ModelPort {
  const timeoutMs = options.timeoutMs ?? 90_000;
  return {
    name: options.modelId,
    async converse(request: ModelRequest): Promise<ModelResponse> {
      const input = toConverseInput(options.modelId, request);
      const output = await withRetries(
        () => {
          const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
          return options.client.send(new ConverseCommand(input), { abortSignal: signal });
        },
        (error) => classifyBedrockError(error, options.modelId),
        { ...options, signal: request.signal },
      );
      const message = output.output?.message;
      if (!message) throw new ModelError(`${options.modelId} returned no message (stopReason ${output.stopReason ?? 'none'})`, 'model-error', false, 'EmptyOutput');
      return {
        message: { role: 'assistant', content: fromBedrockContent(message.content ?? []) },
        stopReason: STOP_REASONS.has(output.stopReason ?? '') ? (output.stopReason as StopReason) : 'other',
        usage: { inputTokens: output.usage?.inputTokens ?? 0, outputTokens: output.usage?.outputTokens ?? 0 },
        model: options.modelId,
      };
    },
  };
}

export function toConverseInput(modelId: string, request: ModelRequest): ConverseCommandInput {
  return {
    modelId,
    system: [{ text: request.system }],
    messages: request.messages.map(toBedrockMessage),
    inferenceConfig: { maxTokens: request.maxTokens ?? 2048, temperature: request.temperature ?? 0 },
    ...(request.tools?.length
      ? {
          toolConfig: {
            tools: request.tools.map((t) => ({
              toolSpec: { name: t.toolSpec.name, description: t.toolSpec.description, inputSchema: { json: t.toolSpec.inputSchema.json as Document } },
            })),
          },
        }
      : {}),
  };
}

function toBedrockMessage(m: ChatMessage): BedrockMessage {
  return { role: m.role, content: m.content.map(toBedrockBlock) };
}

function toBedrockBlock(b: ContentBlock): BedrockContentBlock {
  if ('text' in b) return { text: b.text };
  if ('toolUse' in b) return { toolUse: { toolUseId: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input as Document } };
  return {
    toolResult: {
      toolUseId: b.toolResult.toolUseId,
      // Bedrock rejects an error result with empty content, so there is always one non-empty text block.
      content: b.toolResult.content.length ? b.toolResult.content.map((c) => ({ text: c.text || '(empty)' })) : [{ text: '(empty)' }],
      status: b.toolResult.status,
    },
  };
}

/** Keeps what the loop understands; reasoning, citations and other block kinds are not part of the answer. */
function fromBedrockContent(blocks: readonly BedrockContentBlock[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const b of blocks) {
    if (typeof b.text === 'string') out.push({ text: b.text });
    else if (b.toolUse) out.push({ toolUse: { toolUseId: b.toolUse.toolUseId ?? '', name: b.toolUse.name ?? '', input: b.toolUse.input ?? {} } });
  }
  return out;
}

export function classifyBedrockError(error: unknown, modelId: string): ModelError {
  if (error instanceof ModelError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new ModelError(`${modelId} did not answer in time`, 'model-error', false, 'Timeout');
  }
  const kind = KINDS[name] ?? 'model-error';
  return new ModelError(`${modelId}: ${name}: ${message}`, kind, RETRYABLE.has(name), name);
}
