import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, llmFromEnv } from './config.ts';

describe('LLM mode from the environment', () => {
  it('is off by default and when set to none', () => {
    expect(llmFromEnv({})).toEqual({ model: null, limits: DEFAULT_LIMITS });
    expect(llmFromEnv({ SRE_AGENT_LLM: 'none', BEDROCK_MODEL_ID: 'x' })).toEqual({ model: null, limits: DEFAULT_LIMITS });
    expect(DEFAULT_LIMITS).toEqual({ maxTurns: 6, maxToolCalls: 8, resultBudgetBytes: 8000 });
  });

  it('builds a Bedrock chain of the primary and the fallback', () => {
    const setup = llmFromEnv({ SRE_AGENT_LLM: 'bedrock', BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', BEDROCK_FALLBACK_MODEL_ID: 'amazon.nova-pro-v1:0' });
    expect(setup.problem).toBeUndefined();
    expect(setup.model!.name).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0 → amazon.nova-pro-v1:0');
  });

  it('builds an OpenAI-compatible chain and reads the limits', () => {
    const setup = llmFromEnv({ SRE_AGENT_LLM: 'OpenAI', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'qwen2.5:14b', LLM_MAX_TURNS: '4', LLM_MAX_TOOL_CALLS: '0', LLM_RESULT_BUDGET_BYTES: '4096' });
    expect(setup.model!.name).toBe('qwen2.5:14b@127.0.0.1:11434');
    expect(setup.limits).toEqual({ maxTurns: 4, maxToolCalls: 0, resultBudgetBytes: 4096 });
  });

  it.each([
    [{ SRE_AGENT_LLM: 'bedrock' }, 'SRE_AGENT_LLM=bedrock but BEDROCK_MODEL_ID is not set'],
    [{ SRE_AGENT_LLM: 'openai', OPENAI_MODEL: 'm' }, 'SRE_AGENT_LLM=openai needs OPENAI_BASE_URL and OPENAI_MODEL'],
    [{ SRE_AGENT_LLM: 'openai', OPENAI_MODEL: 'm', OPENAI_BASE_URL: 'localhost:11434' }, 'OPENAI_BASE_URL is not an http(s) URL: localhost:11434'],
    [{ SRE_AGENT_LLM: 'gpt' }, "SRE_AGENT_LLM must be bedrock, openai or none, not 'gpt'"],
    [{ SRE_AGENT_LLM: 'bedrock', BEDROCK_MODEL_ID: 'm', LLM_MAX_TURNS: 'many' }, "LLM_MAX_TURNS must be an integer from 1 to 50, not 'many'"],
    [{ SRE_AGENT_LLM: 'bedrock', BEDROCK_MODEL_ID: 'm', LLM_RESULT_BUDGET_BYTES: '10' }, "LLM_RESULT_BUDGET_BYTES must be an integer from 256 to 200000, not '10'"],
  ])('turns a configuration it cannot use into a gap: %j', (env, problem) => {
    expect(llmFromEnv(env)).toEqual({ model: null, limits: DEFAULT_LIMITS, problem: `LLM mode is off, evidence engine alone: ${problem}` });
  });
});
