/**
 * LLM mode from the environment. Off unless `SRE_AGENT_LLM` says otherwise:
 *   SRE_AGENT_LLM              bedrock | openai | none (default none)
 *   BEDROCK_MODEL_ID           model id, inference profile id or ARN (bedrock)
 *   BEDROCK_FALLBACK_MODEL_ID  optional second model (bedrock)
 *   BEDROCK_REGION             optional Region of the models, when not the function's own (bedrock)
 *   OPENAI_BASE_URL            e.g. http://127.0.0.1:11434/v1 (openai)
 *   OPENAI_MODEL               model name at that endpoint (openai)
 *   OPENAI_API_KEY             optional bearer token (openai)
 *   OPENAI_FALLBACK_MODEL      optional second model at the same endpoint (openai)
 *   LLM_MAX_TURNS              model calls with tools per specialist and round (default 6)
 *   LLM_MAX_TOOL_CALLS         tool calls the model may make per specialist and round (default 8)
 *   LLM_RESULT_BUDGET_BYTES    bytes of each tool result the model reads (default 8000)
 * A mode that is asked for but cannot be built (a missing model id, a malformed URL, a limit that is not a
 * number) does not stop the investigation: the evidence engine runs alone and the problem is reported as a gap.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockModel } from './bedrock.ts';
import { createModelChain, type ModelChainOptions } from './chain.ts';
import { createOpenAiModel } from './openai.ts';
import type { ModelPort, RetryOptions } from './port.ts';

export interface LlmLimits {
  maxTurns: number;
  maxToolCalls: number;
  resultBudgetBytes: number;
}

export const DEFAULT_LIMITS: LlmLimits = { maxTurns: 6, maxToolCalls: 8, resultBudgetBytes: 8000 };

export interface LlmSetup {
  /** The chain (primary, then fallback); null when LLM mode is off or could not be set up. */
  model: ModelPort | null;
  limits: LlmLimits;
  /** Why LLM mode was asked for but is not running, for the report's gaps. */
  problem?: string;
}

export interface LlmFromEnvOptions extends RetryOptions, ModelChainOptions {
  /** Injected in tests (aws-sdk-client-mock) and by callers that share one client. */
  bedrockClient?: Pick<BedrockRuntimeClient, 'send'>;
  fetch?: typeof fetch;
}

const OFF: LlmSetup = { model: null, limits: DEFAULT_LIMITS };

export function llmFromEnv(env: NodeJS.ProcessEnv, options: LlmFromEnvOptions = {}): LlmSetup {
  const mode = (env.SRE_AGENT_LLM ?? 'none').trim().toLowerCase();
  if (mode === '' || mode === 'none' || mode === 'off') return OFF;
  const off = (problem: string): LlmSetup => ({ model: null, limits: DEFAULT_LIMITS, problem: `LLM mode is off, evidence engine alone: ${problem}` });
  let limits: LlmLimits;
  try {
    limits = limitsFromEnv(env);
  } catch (error) {
    return off((error as Error).message);
  }
  const retry: RetryOptions = {
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  const chainOptions: ModelChainOptions = {
    ...(options.cooldownMs !== undefined ? { cooldownMs: options.cooldownMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onFailover ? { onFailover: options.onFailover } : {}),
  };
  if (mode === 'bedrock') {
    const primary = env.BEDROCK_MODEL_ID?.trim();
    if (!primary) return off('SRE_AGENT_LLM=bedrock but BEDROCK_MODEL_ID is not set');
    const fallback = env.BEDROCK_FALLBACK_MODEL_ID?.trim();
    const client = options.bedrockClient ?? bedrockClient(env);
    const ids = [primary, ...(fallback && fallback !== primary ? [fallback] : [])];
    return { model: createModelChain(ids.map((modelId) => createBedrockModel({ client, modelId, ...retry })), chainOptions), limits };
  }
  if (mode === 'openai') {
    const baseUrl = env.OPENAI_BASE_URL?.trim();
    const model = env.OPENAI_MODEL?.trim();
    if (!baseUrl || !model) return off('SRE_AGENT_LLM=openai needs OPENAI_BASE_URL and OPENAI_MODEL');
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) return off(`OPENAI_BASE_URL is not an http(s) URL: ${baseUrl}`);
    const fallback = env.OPENAI_FALLBACK_MODEL?.trim();
    const apiKey = env.OPENAI_API_KEY?.trim();
    const names = [model, ...(fallback && fallback !== model ? [fallback] : [])];
    const models = names.map((name) =>
      createOpenAiModel({ baseUrl, model: name, ...(apiKey ? { apiKey } : {}), ...(options.fetch ? { fetch: options.fetch } : {}), ...retry }),
    );
    return { model: createModelChain(models, chainOptions), limits };
  }
  return off(`SRE_AGENT_LLM must be bedrock, openai or none, not '${env.SRE_AGENT_LLM}'`);
}

export function limitsFromEnv(env: NodeJS.ProcessEnv): LlmLimits {
  return {
    maxTurns: positiveInt(env, 'LLM_MAX_TURNS', DEFAULT_LIMITS.maxTurns, 50),
    maxToolCalls: positiveInt(env, 'LLM_MAX_TOOL_CALLS', DEFAULT_LIMITS.maxToolCalls, 100, 0),
    resultBudgetBytes: positiveInt(env, 'LLM_RESULT_BUDGET_BYTES', DEFAULT_LIMITS.resultBudgetBytes, 200_000, 256),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number, max: number, min = 1): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${key} must be an integer from ${min} to ${max}, not '${raw}'`);
  return n;
}

/** One client per process; the SDK's own retries are off so the provider's (and the chain's failover) are the only ones. */
export function bedrockClient(env: NodeJS.ProcessEnv): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ maxAttempts: 1, ...(env.BEDROCK_REGION ? { region: env.BEDROCK_REGION } : {}) });
}
