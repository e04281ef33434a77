/**
 * Test doubles for LLM mode: a scripted Bedrock (aws-sdk-client-mock on ConverseCommand) that answers each
 * request from what the request holds — which specialist asks, which turn it is, what the tools returned — and
 * a scripted MCP ToolCaller over the real tool schemas. No network model is ever reached.
 */
import {
  type BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { SpecialistName } from '../../src/domain/result.ts';
import type { ToolCaller, ToolCallRecord, ToolCallResult } from '../../src/mcp/client.ts';
import { type Backend, loadToolDefinitions } from '../../src/tools/openapi.ts';

// aws-sdk-client-mock's stub type, for the BedrockRuntimeClient.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BedrockMock = AwsStub<any, any, BedrockRuntimeClient['config']>;

export interface SeenResult {
  tool: string;
  text: string;
  status: 'success' | 'error';
}

export interface Request {
  who: SpecialistName | 'narrator' | 'unknown';
  modelId: string;
  input: ConverseCommandInput;
  /** Assistant messages so far: 0 on the first call. */
  turn: number;
  /** Whether tools were offered (the final ask has none). */
  withTools: boolean;
  toolResults: SeenResult[];
  /** The whole conversation as text (for the final ask, whose tool results are rendered as text). */
  transcript: string;
}

export type Reply = ConverseCommandOutput | Error;

const WHO: Array<[RegExp, Request['who']]> = [
  [/^You are the Kubernetes specialist/, 'kubernetes'],
  [/^You are the logs specialist/, 'logs'],
  [/^You are the metrics specialist/, 'metrics'],
  [/^You are the runbooks specialist/, 'runbooks'],
  [/^You write the summary of an incident investigation/, 'narrator'],
];

export function describeRequest(input: ConverseCommandInput): Request {
  const system = input.system?.[0] && 'text' in input.system[0] ? (input.system[0].text ?? '') : '';
  const messages = input.messages ?? [];
  const names = new Map<string, string>();
  const toolResults: SeenResult[] = [];
  const text: string[] = [];
  for (const m of messages) {
    for (const b of m.content ?? []) {
      if (b.text !== undefined) text.push(b.text);
      if (b.toolUse) names.set(b.toolUse.toolUseId ?? '', b.toolUse.name ?? '');
      if (b.toolResult) {
        const body = (b.toolResult.content ?? []).map((c) => c.text ?? '').join('\n');
        text.push(body);
        toolResults.push({ tool: names.get(b.toolResult.toolUseId ?? '') ?? '', text: body, status: b.toolResult.status === 'error' ? 'error' : 'success' });
      }
    }
  }
  return {
    who: WHO.find(([re]) => re.test(system))?.[1] ?? 'unknown',
    modelId: input.modelId ?? '',
    input,
    turn: messages.filter((m) => m.role === 'assistant').length,
    withTools: !!input.toolConfig?.tools?.length,
    toolResults,
    transcript: text.join('\n'),
  };
}

/** Answers every ConverseCommand with `script(request)`; returns the requests seen, in order. */
export function scriptBedrock(mock: BedrockMock, script: (r: Request) => Reply | Promise<Reply>): Request[] {
  const seen: Request[] = [];
  mock.on(ConverseCommand).callsFake(async (input: ConverseCommandInput) => {
    const request = describeRequest(structuredClone(input));
    seen.push(request);
    const reply = await script(request);
    if (reply instanceof Error) throw reply;
    return reply;
  });
  return seen;
}

let ids = 0;

function output(content: ContentBlock[], stopReason: ConverseCommandOutput['stopReason']): ConverseCommandOutput {
  return {
    output: { message: { role: 'assistant', content } },
    stopReason,
    usage: { inputTokens: 1000, outputTokens: 50, totalTokens: 1050 },
    metrics: { latencyMs: 5 },
    $metadata: {},
  };
}

export function toolUse(...calls: Array<{ name: string; input: unknown }>): ConverseCommandOutput {
  return output(
    calls.map((c) => ({ toolUse: { toolUseId: `tooluse_${++ids}`, name: c.name, input: c.input as never } })),
    'tool_use',
  );
}

export function say(text: string, stopReason: ConverseCommandOutput['stopReason'] = 'end_turn'): ConverseCommandOutput {
  return output([{ text }], stopReason);
}

export function answer(value: unknown): ConverseCommandOutput {
  return say(JSON.stringify(value));
}

export const NOTHING = { hypotheses: [], observations: [] };

/**
 * A verbatim quote from a tool result: the first string inside its JSON (or line of text) that matches `re` and
 * is long enough to count as evidence, cut to at most `max` characters.
 */
export function quoteFrom(text: string, re: RegExp = /./, max = 120): string {
  let strings: string[];
  try {
    strings = leaves(JSON.parse(text));
  } catch {
    strings = text.split('\n');
  }
  const hit = strings.map((s) => s.trim()).find((s) => s.length >= 20 && re.test(s));
  if (!hit) throw new Error(`no quotable string matching ${re} in: ${text.slice(0, 300)}`);
  return hit.slice(0, max);
}

function leaves(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  return out;
}

/** A ToolCaller with the backend's real tool list and schemas, answering from `results` (by tool name). */
export function fakeTools(backend: Backend, results: Record<string, (args: Record<string, unknown>) => unknown>): ToolCaller & { log: Array<{ tool: string; args: Record<string, unknown> }> } {
  const defs = loadToolDefinitions([backend]);
  const calls: ToolCallRecord[] = [];
  const log: Array<{ tool: string; args: Record<string, unknown> }> = [];
  return {
    calls,
    log,
    listTools: async () => defs.map((d) => ({ name: d.name, description: d.description, inputSchema: d.inputSchema })),
    callTool: async (name, args): Promise<ToolCallResult> => {
      log.push({ tool: name, args });
      const handler = results[name];
      calls.push({ tool: name, ok: !!handler, durationMs: 1, attempts: 1 });
      if (!handler) return { ok: false, tool: name, error: { type: 'NotFound', message: `no scripted result for ${name}`, retryable: false }, durationMs: 1 };
      const result = handler(args);
      return { ok: true, tool: name, result, text: JSON.stringify(result, null, 2), durationMs: 1 };
    },
  };
}

/** Records the pauses a retry loop asks for, without waiting. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; pauses: number[] } {
  const pauses: number[] = [];
  return { pauses, sleep: async (ms: number) => void pauses.push(ms) };
}
