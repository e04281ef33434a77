import { describe, expect, it } from 'vitest';
import { ModelChainError, createModelChain } from './chain.ts';
import { ModelError, type ModelPort, type ModelRequest } from './port.ts';

const REQUEST: ModelRequest = { system: 's', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

function scripted(name: string, outcomes: Array<'ok' | ModelError | Error>): ModelPort & { calls: number } {
  const port = {
    name,
    calls: 0,
    async converse() {
      const next = outcomes[Math.min(port.calls, outcomes.length - 1)]!;
      port.calls += 1;
      if (next === 'ok') return { message: { role: 'assistant' as const, content: [{ text: `from ${name}` }] }, stopReason: 'end_turn' as const, usage: { inputTokens: 1, outputTokens: 1 }, model: name };
      throw next;
    },
  };
  return port;
}

const down = () => new ModelError('primary: ThrottlingException: slow down', 'throttled', true, 'ThrottlingException');

describe('the model chain', () => {
  it('answers from the primary while it works', async () => {
    const a = scripted('a', ['ok']);
    const b = scripted('b', ['ok']);
    const chain = createModelChain([a, b]);
    expect((await chain.converse(REQUEST)).model).toBe('a');
    expect([a.calls, b.calls]).toEqual([1, 0]);
    expect(chain.name).toBe('a → b');
  });

  it('fails over to the fallback, tells who failed, and skips the failed model while it cools down', async () => {
    let now = 1_000;
    const a = scripted('a', [down(), 'ok']);
    const b = scripted('b', ['ok']);
    const told: string[] = [];
    const chain = createModelChain([a, b], { now: () => now, cooldownMs: 60_000, onFailover: (f, next) => told.push(`${f.model}:${f.error.code}->${next}`) });
    expect((await chain.converse(REQUEST)).model).toBe('b');
    expect(told).toEqual(['a:ThrottlingException->b']);
    now += 30_000;
    expect((await chain.converse(REQUEST)).model).toBe('b');
    expect(a.calls).toBe(1);
    now += 31_000;
    expect((await chain.converse(REQUEST)).model).toBe('a');
  });

  it('throws ModelChainError naming every failure when no model answers', async () => {
    const chain = createModelChain([scripted('a', [down()]), scripted('b', [new Error('socket hang up')])]);
    const error = await chain.converse(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelChainError);
    expect((error as ModelChainError).failures.map((f) => [f.model, f.error.kind])).toEqual([
      ['a', 'throttled'],
      ['b', 'model-error'],
    ]);
    expect((error as Error).message).toBe('a failed (ThrottlingException): primary: ThrottlingException: slow down; b failed (Error): socket hang up');
  });

  it('still asks every model when all are cooling down', async () => {
    const a = scripted('a', [down(), 'ok']);
    const b = scripted('b', [down(), 'ok']);
    const chain = createModelChain([a, b], { now: () => 0 });
    await expect(chain.converse(REQUEST)).rejects.toBeInstanceOf(ModelChainError);
    expect((await chain.converse(REQUEST)).model).toBe('a');
  });

  it('does not fail over when the caller’s deadline aborted the call', async () => {
    const a = scripted('a', [new ModelError('abandoned', 'aborted', false, 'Aborted')]);
    const b = scripted('b', ['ok']);
    await expect(createModelChain([a, b]).converse(REQUEST)).rejects.toMatchObject({ kind: 'aborted' });
    expect(b.calls).toBe(0);
  });
});
