/**
 * The OpenAI-compatible provider against a chat-completions server started here on loopback (what Ollama or vLLM
 * serve): request shapes, tool calls and tool results, retries, failover to the fallback model, and a whole
 * specialist loop over it.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpecialistReport } from '../../src/domain/findings.ts';
import { parseTrigger } from '../../src/domain/trigger.ts';
import { ModelChainError } from '../../src/engine/llm/chain.ts';
import { llmFromEnv } from '../../src/engine/llm/config.ts';
import { Grounding } from '../../src/engine/llm/grounding.ts';
import { chatCompletionsUrl, createOpenAiModel } from '../../src/engine/llm/openai.ts';
import type { ModelPort } from '../../src/engine/llm/port.ts';
import { runSpecialistModel } from '../../src/engine/llm/specialist-loop.ts';
import { planInvestigation } from '../../src/engine/steps.ts';
import { fakeTools, recordingSleep } from './helpers.ts';

interface Seen {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: Array<{ role: string; content: string | null; tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
    tools?: Array<{ type: string; function: { name: string; description: string; parameters: Record<string, unknown> } }>;
    tool_choice?: string;
    max_tokens: number;
    temperature: number;
    stream: boolean;
  };
}

type Handler = (seen: Seen, index: number) => { status?: number; body: unknown };

let server: Server;
let base: string;
let handler: Handler;
let seen: Seen[] = [];

function completion(message: { content?: string | null; tool_calls?: unknown[] }, finish = 'stop') {
  return { body: { id: 'chatcmpl-1', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }], usage: { prompt_tokens: 200, completion_tokens: 30, total_tokens: 230 } } };
}

function toolCall(id: string, name: string, args: unknown) {
  return { id, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      seen.push(entry);
      const out = handler(entry, seen.length - 1);
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
      res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen = [];
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function env(extra: Record<string, string> = {}) {
  return { SRE_AGENT_LLM: 'openai', OPENAI_BASE_URL: `${base}/v1`, OPENAI_MODEL: 'qwen2.5:7b-instruct', OPENAI_API_KEY: 'sk-local-test', ...extra };
}

function chain(extra: Record<string, string> = {}, sleep = recordingSleep().sleep): ModelPort {
  const setup = llmFromEnv(env(extra), { sleep });
  expect(setup.problem).toBeUndefined();
  return setup.model!;
}

const INPUT = { investigationId: 'inv-openai', trigger: parseTrigger({ type: 'question', question: 'why is api in shop down?' }), now: '2026-03-14T10:32:00.000Z' };
const REPORT: SpecialistReport = { name: 'kubernetes', status: 'ok', findings: [], healthy: [], gaps: [], toolCalls: 1, durationMs: 1, inventory: [{ resource: 'Deployment/shop/api' }] };
const IMAGE_ERROR = 'Failed to pull image "shop/api:1.4.3": manifest unknown';

describe('the OpenAI-compatible provider on a loopback server', () => {
  it('runs a specialist loop: tools offered, tool_calls executed, tool results sent back, answer accepted', async () => {
    handler = (_s, i) =>
      i === 0
        ? completion({ content: null, tool_calls: [toolCall('call_a', 'kubernetes___get_pod_status', { namespace: 'shop' })] }, 'tool_calls')
        : completion({
            content: JSON.stringify({
              hypotheses: [{ category: 'image-pull', resource: 'Deployment/shop/api', summary: 'The new tag does not exist.', evidence: [{ source: 'kubernetes___get_pod_status', quote: IMAGE_ERROR }] }],
              observations: [],
            }),
          });
    const tools = fakeTools('kubernetes', { kubernetes___get_pod_status: () => ({ pods: [{ name: 'api-1', namespace: 'shop', status: 'ImagePullBackOff', message: IMAGE_ERROR }] }) });
    const grounding = new Grounding();
    const outcome = await runSpecialistModel({
      name: 'kubernetes',
      input: INPUT,
      plan: planInvestigation(INPUT),
      report: REPORT,
      tools: grounding.wrap(tools),
      grounding,
      model: chain(),
      limits: { maxTurns: 6, maxToolCalls: 8, resultBudgetBytes: 8000 },
    });

    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(seen[0]!.authorization).toBe('Bearer sk-local-test');
    const first = seen[0]!.body;
    expect(first).toMatchObject({ model: 'qwen2.5:7b-instruct', max_tokens: 2048, temperature: 0, stream: false, tool_choice: 'auto' });
    expect(first.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(first.messages[0]!.content).toMatch(/^You are the Kubernetes specialist/);
    const podTool = first.tools!.find((t) => t.function.name === 'kubernetes___get_pod_status')!;
    expect(podTool.type).toBe('function');
    expect(podTool.function.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    expect(first.tools!.every((t) => t.function.name.startsWith('kubernetes___'))).toBe(true);

    const second = seen[1]!.body.messages;
    expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(second[2]).toEqual({ role: 'assistant', content: null, tool_calls: [toolCall('call_a', 'kubernetes___get_pod_status', { namespace: 'shop' })] });
    expect(second[3]!.tool_call_id).toBe('call_a');
    expect(JSON.parse(second[3]!.content!)).toEqual({ pods: [{ name: 'api-1', namespace: 'shop', status: 'ImagePullBackOff', message: IMAGE_ERROR }] });

    expect(tools.log).toEqual([{ tool: 'kubernetes___get_pod_status', args: { namespace: 'shop', limit: 25 } }]);
    expect(outcome.usage).toEqual({ inputTokens: 400, outputTokens: 60 });
    expect(outcome.findings).toMatchObject([{ signal: 'model-hypothesis', resource: 'Deployment/shop/api', facts: { categories: ['image-pull'] } }]);
  });

  it('answers tool calls whose arguments are not JSON with an error the model can fix', async () => {
    handler = (_s, i) =>
      i === 0 ? completion({ content: '', tool_calls: [toolCall('call_b', 'kubernetes___get_pod_status', '{namespace: shop')] }, 'tool_calls') : completion({ content: '{"hypotheses":[],"observations":[]}' });
    const tools = fakeTools('kubernetes', {});
    const grounding = new Grounding();
    await runSpecialistModel({ name: 'kubernetes', input: INPUT, plan: planInvestigation(INPUT), report: REPORT, tools: grounding.wrap(tools), grounding, model: chain(), limits: { maxTurns: 6, maxToolCalls: 8, resultBudgetBytes: 8000 } });
    const tool = seen[1]!.body.messages.find((m) => m.role === 'tool')!;
    expect(tool.content).toMatch(/^ERROR: Arguments of kubernetes___get_pod_status must be a JSON object/);
    expect(tools.log).toEqual([]);
  });

  it('retries 429 with backoff, then answers', async () => {
    handler = (_s, i) => (i < 2 ? { status: 429, body: { error: { message: 'Rate limit reached' } } } : completion({ content: 'ok' }));
    const { sleep, pauses } = recordingSleep();
    const res = await chain({}, sleep).converse({ system: 's', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    expect(res.message.content).toEqual([{ text: 'ok' }]);
    expect(res.stopReason).toBe('end_turn');
    expect(seen).toHaveLength(3);
    expect(pauses).toHaveLength(2);
    // Exponential with jitter: the nth pause lies in [base·2^(n-1)/2, base·2^(n-1)] (base 500 ms).
    expect(pauses[0]!).toBeGreaterThanOrEqual(250);
    expect(pauses[0]!).toBeLessThanOrEqual(500);
    expect(pauses[1]!).toBeGreaterThanOrEqual(500);
    expect(pauses[1]!).toBeLessThanOrEqual(1000);
    // No tools offered: no tools field at all (some servers reject an empty list).
    expect(seen[0]!.body.tools).toBeUndefined();
  });

  it('fails over to OPENAI_FALLBACK_MODEL when the primary model errors, and reports both when both fail', async () => {
    handler = (s) => (s.body.model === 'big-model' ? { status: 500, body: 'upstream crashed' } : completion({ content: `from ${s.body.model}` }));
    const { sleep } = recordingSleep();
    const model = chain({ OPENAI_MODEL: 'big-model', OPENAI_FALLBACK_MODEL: 'small-model' }, sleep);
    const res = await model.converse({ system: 's', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
    expect(res.message.content).toEqual([{ text: 'from small-model' }]);
    expect(res.model).toMatch(/^small-model@127\.0\.0\.1:/);
    expect(seen.map((s) => s.body.model)).toEqual(['big-model', 'big-model', 'big-model', 'big-model', 'small-model']);

    handler = () => ({ status: 400, body: { error: { message: 'model does not support tools' } } });
    const both = await chain({ OPENAI_MODEL: 'a', OPENAI_FALLBACK_MODEL: 'b' }, sleep)
      .converse({ system: 's', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })
      .catch((e: unknown) => e);
    expect(both).toBeInstanceOf(ModelChainError);
    expect((both as ModelChainError).failures.map((f) => [f.error.code, f.error.kind])).toEqual([
      ['HTTP 400', 'invalid-request'],
      ['HTTP 400', 'invalid-request'],
    ]);
    expect((both as Error).message).toContain('model does not support tools');
  });

  it('maps finish reasons and treats an unreachable server as unavailable', async () => {
    handler = () => completion({ content: 'cut off' }, 'length');
    const m = createOpenAiModel({ baseUrl: base, model: 'x', sleep: async () => {} });
    expect((await m.converse({ system: 's', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).stopReason).toBe('max_tokens');
    // A bare host gets the /v1 prefix, as Ollama serves it.
    expect(seen.at(-1)!.path).toBe('/v1/chat/completions');

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { sleep, pauses } = recordingSleep();
    const down = createOpenAiModel({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'x', sleep, maxAttempts: 2 });
    await expect(down.converse({ system: 's', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).rejects.toMatchObject({ kind: 'unavailable', code: 'ECONNREFUSED' });
    expect(pauses).toHaveLength(1);
  });

  it('builds the endpoint URL from the usual base URL forms', () => {
    expect(chatCompletionsUrl('https://api.openai.com/v1')).toBe('https://api.openai.com/v1/chat/completions');
    expect(chatCompletionsUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434/v1/chat/completions');
    expect(chatCompletionsUrl('http://vllm:8000/v1/')).toBe('http://vllm:8000/v1/chat/completions');
    expect(chatCompletionsUrl('https://gateway.example/openai/v1')).toBe('https://gateway.example/openai/v1/chat/completions');
  });
});
