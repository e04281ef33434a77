/** The Bedrock provider against a mocked BedrockRuntimeClient: request and response shapes, retries, errors. */
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ModelErrorException,
  ModelNotReadyException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createBedrockModel } from '../../src/engine/llm/bedrock.ts';
import { ModelError, type ModelRequest } from '../../src/engine/llm/port.ts';
import { recordingSleep, say } from './helpers.ts';

const bedrock = mockClient(BedrockRuntimeClient);
afterEach(() => bedrock.reset());

const REQUEST: ModelRequest = {
  system: 'You are a test.',
  messages: [
    { role: 'user', content: [{ text: 'look' }] },
    { role: 'assistant', content: [{ text: 'calling' }, { toolUse: { toolUseId: 't1', name: 'kubernetes___get_pod_status', input: { namespace: 'shop' } } }] },
    { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: '' }], status: 'error' } }] },
  ],
  tools: [{ toolSpec: { name: 'kubernetes___get_pod_status', description: 'Pods', inputSchema: { json: { type: 'object', properties: {} } } } }],
  maxTokens: 500,
};

function model(sleep = recordingSleep().sleep, modelId = 'us.anthropic.claude-test-v1:0') {
  return createBedrockModel({ client: new BedrockRuntimeClient({ region: 'us-east-1' }), modelId, sleep, random: () => 1 });
}

const throttled = () => new ThrottlingException({ message: 'Too many requests, please wait before trying again.', $metadata: {} });

describe('the Bedrock provider', () => {
  it('maps the port request onto Converse and the answer back', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: {
        message: {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'thinking…' } } },
            { text: 'Let me check.' },
            { toolUse: { toolUseId: 't2', name: 'kubernetes___get_pod_logs', input: { pod_name: 'api-1' } } },
          ],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 321, outputTokens: 45, totalTokens: 366 },
      metrics: { latencyMs: 10 },
      $metadata: {},
    });
    const res = await model().converse(REQUEST);
    const sent = bedrock.commandCalls(ConverseCommand)[0]!.args[0].input;
    expect(sent).toEqual({
      modelId: 'us.anthropic.claude-test-v1:0',
      system: [{ text: 'You are a test.' }],
      messages: [
        { role: 'user', content: [{ text: 'look' }] },
        { role: 'assistant', content: [{ text: 'calling' }, { toolUse: { toolUseId: 't1', name: 'kubernetes___get_pod_status', input: { namespace: 'shop' } } }] },
        // Bedrock refuses an error toolResult with empty content.
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: '(empty)' }], status: 'error' } }] },
      ],
      inferenceConfig: { maxTokens: 500, temperature: 0 },
      toolConfig: { tools: [{ toolSpec: { name: 'kubernetes___get_pod_status', description: 'Pods', inputSchema: { json: { type: 'object', properties: {} } } } }] },
    });
    expect(res).toEqual({
      message: { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 't2', name: 'kubernetes___get_pod_logs', input: { pod_name: 'api-1' } } }] },
      stopReason: 'tool_use',
      usage: { inputTokens: 321, outputTokens: 45 },
      model: 'us.anthropic.claude-test-v1:0',
    });
  });

  it('sends no toolConfig when no tools are offered', async () => {
    bedrock.on(ConverseCommand).resolves(say('{}'));
    await model().converse({ system: 's', messages: [{ role: 'user', content: [{ text: 'answer' }] }] });
    expect(bedrock.commandCalls(ConverseCommand)[0]!.args[0].input.toolConfig).toBeUndefined();
  });

  it('retries ThrottlingException with growing pauses, then answers', async () => {
    bedrock.on(ConverseCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves(say('done'));
    const { sleep, pauses } = recordingSleep();
    const res = await model(sleep).converse(REQUEST);
    expect(res.message.content).toEqual([{ text: 'done' }]);
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(3);
    // base 500 ms doubling (random() = 1 takes the full pause)
    expect(pauses).toEqual([500, 1000]);
  });

  it.each([
    ['ServiceUnavailableException', () => new ServiceUnavailableException({ message: 'unavailable', $metadata: {} })],
    ['ModelNotReadyException', () => new ModelNotReadyException({ message: 'not ready', $metadata: {} })],
  ])('retries %s too', async (_name, error) => {
    bedrock.on(ConverseCommand).rejectsOnce(error()).resolves(say('ok'));
    const { sleep, pauses } = recordingSleep();
    await model(sleep).converse(REQUEST);
    expect(pauses).toHaveLength(1);
  });

  it('gives up after the last attempt with a throttled ModelError', async () => {
    bedrock.on(ConverseCommand).rejects(throttled());
    const { sleep, pauses } = recordingSleep();
    const error = await model(sleep).converse(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'throttled', code: 'ThrottlingException', retryable: true });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(4);
    expect(pauses).toEqual([500, 1000, 2000]);
  });

  it.each([
    ['ValidationException', () => new ValidationException({ message: 'Input is too long for requested model.', $metadata: {} }), 'invalid-request'],
    ['AccessDeniedException', () => new AccessDeniedException({ message: 'no access', $metadata: {} }), 'denied'],
    ['ModelErrorException', () => new ModelErrorException({ message: 'model error', $metadata: {} }), 'model-error'],
  ] as const)('does not retry %s', async (name, error, kind) => {
    bedrock.on(ConverseCommand).rejects(error());
    const { sleep, pauses } = recordingSleep();
    const e = await model(sleep).converse(REQUEST).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind, code: name, retryable: false });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(1);
    expect(pauses).toEqual([]);
  });

  it('stops retrying when the caller’s deadline passes', async () => {
    bedrock.on(ConverseCommand).rejects(throttled());
    const controller = new AbortController();
    const sleep = async () => controller.abort();
    const e = await model(sleep).converse({ ...REQUEST, signal: controller.signal }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'aborted' });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(1);
  });

  it('maps an unknown stop reason to other and a missing message to an error', async () => {
    bedrock.on(ConverseCommand).resolvesOnce({ ...say('x'), stopReason: 'something_new' as never }).resolvesOnce({ stopReason: 'end_turn', $metadata: {} });
    expect((await model().converse(REQUEST)).stopReason).toBe('other');
    await expect(model().converse(REQUEST)).rejects.toMatchObject({ kind: 'model-error', code: 'EmptyOutput' });
  });
});
