/**
 * The specialist's model loop, run after its evidence-engine core: a bounded Converse tool-use conversation over
 * ONLY this specialist's tools, through the same MCP client, grounded on the core's findings. Bounds: the turn
 * limit (model calls with tools), the tool-call limit, the per-result byte budget and the caller's deadline;
 * at a limit the model is asked once more for its final answer, with the transcript as text and no tools.
 *
 * The engine's report is never reduced: the model can only add findings (validated claims, see answer.ts), its
 * tool calls, and gaps. Any model failure leaves the engine's report as it was, with the failure as a gap.
 */
import type { Finding, SpecialistReport } from '../../domain/findings.ts';
import { InputError } from '../../domain/errors.ts';
import type { SpecialistName } from '../../domain/result.ts';
import { type ListedTool, type ToolCaller, cut } from '../../mcp/client.ts';
import { type ToolDefinition, parseToolName, toBedrockTools } from '../../tools/tool-names.ts';
import { validateArguments } from '../../tools/validation.ts';
import type { SpecialistLlm } from '../steps.ts';
import type { InvestigationInput, Plan } from '../types.ts';
import { parseModelAnswer, validateAnswer } from './answer.ts';
import { ModelChainError } from './chain.ts';
import type { LlmLimits } from './config.ts';
import { Grounding } from './grounding.ts';
import { type ChatMessage, type ContentBlock, type ModelPort, type ModelRequest, type ModelResponse, type ToolResultBlock, type Usage, isAbort, textOf, toolUsesOf } from './port.ts';
import { finalAskMessage, specialistFirstMessage, specialistSystemPrompt } from './prompts.ts';

/** LLM mode for the specialists: the model chain, the limits, and what the caller wants to know. */
export interface SpecialistLlmOptions {
  /** Null when LLM mode is off; `problem` then says why, if it was asked for. */
  model: ModelPort | null;
  limits: LlmLimits;
  problem?: string;
  /** Epoch ms by which the loop must be done (a Lambda's remaining time less a margin). */
  deadline?: number;
  /** Told the tokens each specialist run used, for metrics. */
  onUsage?: (usage: Usage & { specialist: SpecialistName; model: string; turns: number }) => void;
}

export interface LoopOutcome {
  findings: Finding[];
  gaps: string[];
  /** Tool calls the model made (executed ones; refused calls do not reach a tool). */
  toolCalls: number;
  turns: number;
  usage: Usage;
}

/** Runbooks describe procedures, not this incident: their text can support an observation, never a cause. */
const HYPOTHESIS_SPECIALISTS: ReadonlySet<SpecialistName> = new Set(['kubernetes', 'logs', 'metrics']);
const MAX_REJECTION_GAPS = 5;
const MAX_TOKENS = 2048;

export interface LoopOptions {
  name: SpecialistName;
  input: InvestigationInput;
  plan: Plan;
  /** The core's report: grounding for the prompt and for resource checks. */
  report: SpecialistReport;
  /** The specialist's MCP client, already wrapped by `grounding` so every result is recorded. */
  tools: ToolCaller;
  grounding: Grounding;
  model: ModelPort;
  limits: LlmLimits;
  signal?: AbortSignal;
}

export async function runSpecialistModel(o: LoopOptions): Promise<LoopOutcome> {
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const gaps: string[] = [];
  let toolCalls = 0;
  let turns = 0;
  const done = (findings: Finding[] = []): LoopOutcome => ({ findings, gaps, toolCalls, turns, usage });

  let listed: ListedTool[];
  try {
    listed = await o.tools.listTools();
  } catch (error) {
    gaps.push(`model loop skipped: the ${o.name} tools could not be listed (${error instanceof Error ? error.message : String(error)})`);
    return done();
  }
  // The client is already limited to this backend; filtering again keeps the model to its own tools whatever it is given.
  const defs = listed.filter((t) => parseToolName(t.name)?.backend === o.name).map(asDefinition);
  const byName = new Map(defs.map((d) => [d.name, d]));
  const toolSpecs = o.limits.maxToolCalls > 0 ? toBedrockTools(defs) : [];
  const system = specialistSystemPrompt(o.name, o.limits);
  const messages: ChatMessage[] = [{ role: 'user', content: [{ text: specialistFirstMessage(o.name, o.input.trigger, o.plan, o.report) }] }];
  const repeated = new Map<string, ToolResultBlock['toolResult']>();
  const toolNames = new Map<string, string>();

  const converse = async (request: Omit<ModelRequest, 'signal'>): Promise<ModelResponse> => {
    const res = await o.model.converse({ ...request, ...(o.signal ? { signal: o.signal } : {}) });
    turns += 1;
    usage.inputTokens += res.usage.inputTokens;
    usage.outputTokens += res.usage.outputTokens;
    return res;
  };

  const answerToolUse = async (use: { toolUseId: string; name: string; input: unknown }): Promise<ToolResultBlock> => {
    toolNames.set(use.toolUseId, use.name);
    const error = (text: string): ToolResultBlock => ({ toolResult: { toolUseId: use.toolUseId, content: [{ text }], status: 'error' } });
    const def = byName.get(use.name);
    if (!def) return error(`Unknown tool '${use.name}'. Your tools are: ${[...byName.keys()].join(', ') || 'none'}.`);
    let args: Record<string, unknown>;
    try {
      args = validateArguments(def, use.input);
    } catch (e) {
      if (e instanceof InputError) return error(`${e.message}. Fix the arguments and call again.`);
      throw e;
    }
    const key = `${def.name} ${JSON.stringify(args)}`;
    const again = repeated.get(key);
    if (again) return { toolResult: { ...again, toolUseId: use.toolUseId, content: [{ text: `(same call as before) ${again.content[0]?.text ?? ''}` }] } };
    if (toolCalls >= o.limits.maxToolCalls) return error(`Not run: the limit of ${o.limits.maxToolCalls} tool calls is reached.`);
    toolCalls += 1;
    const res = await o.tools.callTool(def.name, args);
    const result: ToolResultBlock['toolResult'] = res.ok
      ? { toolUseId: use.toolUseId, content: [{ text: withinBudget(res.text, o.limits.resultBudgetBytes, res.originalBytes) || '(empty result)' }], status: 'success' }
      : { toolUseId: use.toolUseId, content: [{ text: `${res.error.type}: ${res.error.message}` }], status: 'error' };
    repeated.set(key, result);
    return { toolResult: result };
  };

  let answer: string | undefined;
  try {
    let why: string | undefined;
    while (answer === undefined && why === undefined) {
      if (turns >= o.limits.maxTurns) {
        why = `The limit of ${o.limits.maxTurns} turns is reached.`;
        break;
      }
      if (toolCalls >= o.limits.maxToolCalls && turns > 0 && o.limits.maxToolCalls > 0) {
        why = `The limit of ${o.limits.maxToolCalls} tool calls is reached.`;
        break;
      }
      const res = await converse({ system, messages, ...(toolSpecs.length ? { tools: toolSpecs } : {}), maxTokens: MAX_TOKENS, temperature: 0 });
      messages.push(res.message);
      const uses = toolUsesOf(res.message);
      if (uses.length) {
        const results: ContentBlock[] = [];
        for (const use of uses) results.push(await answerToolUse(use));
        messages.push({ role: 'user', content: results });
        continue;
      }
      if (res.stopReason === 'content_filtered' || res.stopReason === 'guardrail_intervened') {
        gaps.push(`model declined to answer (${res.stopReason}): evidence engine alone`);
        return done();
      }
      const text = textOf(res.message);
      if (text) answer = text;
      else why = 'Your last message contained no answer.';
    }
    if (answer === undefined) {
      const final = await converse({ system, messages: asTranscript(messages, toolNames, finalAskMessage(why ?? '')), maxTokens: MAX_TOKENS, temperature: 0 });
      answer = textOf(final.message);
    }
  } catch (error) {
    if (isAbort(error)) gaps.push(`model loop stopped at the time budget after ${turns} turn(s): evidence engine alone`);
    else if (error instanceof ModelChainError) gaps.push(`model unavailable, evidence engine alone: ${error.message}`);
    else gaps.push(`model loop failed, evidence engine alone: ${error instanceof Error ? error.message : String(error)}`);
    return done();
  }

  const parsed = parseModelAnswer(answer);
  if (!parsed.ok) {
    gaps.push(parsed.reason);
    return done();
  }
  const claims = HYPOTHESIS_SPECIALISTS.has(o.name) ? parsed.answer : { hypotheses: [], observations: parsed.answer.observations };
  const validated = validateAnswer(claims, o.report, o.grounding);
  if (claims.hypotheses.length < parsed.answer.hypotheses.length) {
    validated.rejected.unshift(`model answer rejected: the ${o.name} specialist's ${parsed.answer.hypotheses.length} hypothesis(es) dropped — runbooks describe procedures, not this incident`);
  }
  gaps.push(...validated.rejected.slice(0, MAX_REJECTION_GAPS));
  if (validated.rejected.length > MAX_REJECTION_GAPS) gaps.push(`model answer rejected: ${validated.rejected.length - MAX_REJECTION_GAPS} more claim(s)`);
  return done(validated.findings);
}

/** The engine's report with the model's contribution added; nothing of the engine's is removed or changed. */
export function mergeModelOutcome(report: SpecialistReport, outcome: LoopOutcome, durationMs: number): SpecialistReport {
  return {
    ...report,
    findings: [...report.findings, ...outcome.findings],
    gaps: [...report.gaps, ...outcome.gaps],
    toolCalls: report.toolCalls + outcome.toolCalls,
    durationMs: Math.max(report.durationMs, Math.round(durationMs)),
  };
}

/** The hook runSpecialist calls in LLM mode (also when LLM mode could not be set up: then only the problem is a gap). */
export function specialistLlm(llm: SpecialistLlmOptions): SpecialistLlm {
  return { run: (options) => runWithModel({ ...options, llm }) };
}

/** The core, then the loop. `core` runs the evidence engine over the tools it is given. */
export async function runWithModel(options: Parameters<SpecialistLlm['run']>[0] & { llm: SpecialistLlmOptions }): Promise<SpecialistReport> {
  const { llm } = options;
  if (!llm.model) {
    const report = await options.core(options.tools);
    return llm.problem ? { ...report, gaps: [...report.gaps, llm.problem] } : report;
  }
  const grounding = new Grounding();
  const tools = grounding.wrap(options.tools);
  const report = await options.core(tools);
  // Nothing to ground on when every tool failed: the backend is down, and the model would only find that out again.
  if (report.status === 'failed') return report;
  const remaining = llm.deadline !== undefined ? llm.deadline - Date.now() : undefined;
  if (remaining !== undefined && remaining <= 0) {
    return { ...report, gaps: [...report.gaps, 'model loop skipped: no time left in the specialist’s budget'] };
  }
  const outcome = await runSpecialistModel({
    name: options.name,
    input: options.input,
    plan: options.plan,
    report,
    tools,
    grounding,
    model: llm.model,
    limits: llm.limits,
    ...(remaining !== undefined ? { signal: AbortSignal.timeout(remaining) } : {}),
  });
  llm.onUsage?.({ ...outcome.usage, specialist: options.name, model: llm.model.name, turns: outcome.turns });
  return mergeModelOutcome(report, outcome, performance.now() - options.started);
}

/** A listed tool as the converter's definition, so the Bedrock form and argument validation are the shared ones. */
function asDefinition(t: ListedTool): ToolDefinition {
  const parsed = parseToolName(t.name)!;
  const schema = t.inputSchema as ToolDefinition['inputSchema'];
  return {
    name: t.name,
    backend: parsed.backend,
    operationId: parsed.operationId,
    method: '',
    path: '',
    description: t.description,
    inputSchema: { ...schema, type: 'object', properties: schema.properties ?? {} },
    outputSchema: undefined,
  };
}

function withinBudget(text: string, budget: number, originalBytes?: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= budget) return text;
  // The client may already have cut it (originalBytes); the marker then still tells the model the whole size.
  return cut(text.replace(/\n…\[truncated:[^\]]*\]$/, ''), budget, originalBytes ?? bytes);
}

/**
 * The conversation with tool blocks rendered as text, for the final ask without tools: Bedrock refuses toolUse
 * and toolResult blocks in a request that has no toolConfig, and without tools the model cannot call one.
 */
function asTranscript(messages: readonly ChatMessage[], toolNames: ReadonlyMap<string, string>, ask: string): ChatMessage[] {
  const out: ChatMessage[] = messages.map((m) => ({
    role: m.role,
    content: [
      {
        text:
          m.content
            .map((b) => {
              if ('text' in b) return b.text;
              if ('toolUse' in b) return `[called ${b.toolUse.name} with ${JSON.stringify(b.toolUse.input ?? {})}]`;
              const tool = toolNames.get(b.toolResult.toolUseId) ?? 'the tool';
              return `[${b.toolResult.status === 'error' ? 'error from' : 'result of'} ${tool}]\n${b.toolResult.content.map((c) => c.text).join('\n')}`;
            })
            .join('\n')
            .trim() || '(no text)',
      },
    ],
  }));
  const last = out[out.length - 1];
  if (last?.role === 'user') last.content.push({ text: ask });
  else out.push({ role: 'user', content: [{ text: ask }] });
  return out;
}
