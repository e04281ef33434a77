import { describe, expect, it } from 'vitest';
import { ToolError } from './errors.ts';
import { createToolInvoker } from './invoke.ts';
import { toolDefinitionsFromDocument } from './openapi.ts';

const definitions = toolDefinitionsFromDocument('logs', {
  paths: {
    '/count': {
      get: {
        operationId: 'count_things',
        parameters: [
          { name: 'pattern', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10, default: 5 } },
          { name: 'level', in: 'query', schema: { type: 'string', enum: ['ERROR', 'WARN'] } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } } } },
          },
        },
      },
    },
  },
});

function invoker(impl: (args: Record<string, unknown>, now: number) => Promise<unknown>, onInternalError?: (e: unknown) => void) {
  return createToolInvoker(
    { backend: 'logs', operations: { count_things: (args, ctx) => impl(args, ctx.now) } },
    { provider: () => ({}), clock: () => 42, definitions, validateResponses: true, onInternalError },
  );
}

describe('createToolInvoker', () => {
  it('validates, applies defaults and coerces, and passes the investigation clock', async () => {
    let seen: unknown;
    const inv = invoker(async (args, now) => {
      seen = { args, now };
      return { count: 3 };
    });
    await expect(inv.invoke('logs___count_things', { pattern: 'x', limit: '7' })).resolves.toEqual({ ok: true, result: { count: 3 } });
    expect(seen).toEqual({ args: { pattern: 'x', limit: 7 }, now: 42 });
    await inv.invoke('count_things', { pattern: 'y' });
    expect(seen).toEqual({ args: { pattern: 'y', limit: 5 }, now: 42 });
  });

  it.each([
    [{}, 'pattern', /missing required argument 'pattern'/],
    [{ pattern: 'x', limit: 50 }, 'limit', /'limit' must be <= 10/],
    [{ pattern: 'x', level: 'FATAL' }, 'level', /'level' must be one of: ERROR, WARN/],
    [{ pattern: 'x', colour: 'red' }, 'colour', /unknown argument 'colour' \(allowed: pattern, limit, level\)/],
  ])('rejects %j naming the field', async (args, field, message) => {
    const out = await invoker(async () => ({ count: 0 })).invoke('logs___count_things', args);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error).toMatchObject({ type: 'InvalidArgument', field, retryable: false });
      expect(out.error.message).toMatch(message);
    }
  });

  it('reports unknown tools, including another backend’s, with the known names', async () => {
    const inv = invoker(async () => ({ count: 0 }));
    for (const name of ['logs___nope', 'metrics___count_things']) {
      const out = await inv.invoke(name, {});
      expect(out).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
      if (!out.ok) expect(out.error.message).toContain('logs___count_things');
    }
  });

  it('passes tool errors through and hides internal ones', async () => {
    const throttled = await invoker(async () => {
      throw new ToolError('Throttled', 'Rate exceeded; try again');
    }).invoke('logs___count_things', { pattern: 'x' });
    expect(throttled).toEqual({ ok: false, error: { type: 'Throttled', message: 'Rate exceeded; try again', retryable: true } });

    const logged: unknown[] = [];
    const internal = await invoker(async () => {
      throw new Error('secret connection string in here');
    }, (e) => logged.push(e)).invoke('logs___count_things', { pattern: 'x' });
    expect(internal).toMatchObject({ ok: false, error: { type: 'Internal' } });
    expect(JSON.stringify(internal)).not.toContain('secret');
    expect(logged).toHaveLength(1);
  });

  it('refuses a response that violates its schema when asked to check', async () => {
    const out = await invoker(async () => ({ count: 'three' })).invoke('logs___count_things', { pattern: 'x' });
    expect(out).toMatchObject({ ok: false, error: { type: 'Internal' } });
  });

  it('requires an implementation for every operation of the spec', () => {
    expect(() => createToolInvoker({ backend: 'logs', operations: {} }, { provider: () => ({}), definitions })).toThrow(/no implementation for count_things/);
  });
});
