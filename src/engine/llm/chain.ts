/**
 * Failover across models: the primary, then the fallback, then none. Each provider has already retried what a
 * pause can fix, so a failure that reaches the chain means "this model cannot answer now" and the next one is
 * asked with the same conversation (the port's shape is provider-neutral). When every model has failed the
 * chain throws ModelChainError, and the caller carries on with the evidence engine alone and records the gap.
 *
 * A model that failed is skipped for a cool-down period, so a specialist's later turns (and the next
 * invocations of a warm Lambda) do not wait through its retries again; when every model is cooling down they
 * are all tried anyway rather than giving up without asking.
 */
import { ModelError, type ModelPort, type ModelRequest, type ModelResponse, isAbort } from './port.ts';

export interface ModelFailure {
  model: string;
  error: ModelError;
}

export class ModelChainError extends Error {
  override readonly name = 'ModelChainError';
  constructor(readonly failures: readonly ModelFailure[]) {
    super(failures.map((f) => `${f.model} failed (${f.error.code}): ${f.error.message}`).join('; ') || 'no model is configured');
  }
}

export interface ModelChainOptions {
  cooldownMs?: number;
  now?: () => number;
  /** Told whenever a model fails and the chain moves on (for logs). */
  onFailover?: (failure: ModelFailure, next: string | undefined) => void;
}

export function createModelChain(models: readonly ModelPort[], options: ModelChainOptions = {}): ModelPort {
  if (!models.length) throw new Error('a model chain needs at least one model');
  const cooldownMs = options.cooldownMs ?? 60_000;
  const now = options.now ?? Date.now;
  const failedAt = new Map<ModelPort, number>();
  return {
    name: models.map((m) => m.name).join(' → '),
    async converse(request: ModelRequest): Promise<ModelResponse> {
      const t = now();
      const warm = models.filter((m) => (failedAt.get(m) ?? -Infinity) + cooldownMs <= t);
      const order = warm.length ? warm : [...models];
      const failures: ModelFailure[] = [];
      for (let i = 0; i < order.length; i++) {
        const model = order[i]!;
        try {
          const response = await model.converse(request);
          failedAt.delete(model);
          return response;
        } catch (raw) {
          // Our own deadline is not the model's fault: stop here instead of spending the next model's time too.
          if (isAbort(raw)) throw raw;
          const error = raw instanceof ModelError ? raw : new ModelError(raw instanceof Error ? raw.message : String(raw), 'model-error', false, 'Error');
          failedAt.set(model, now());
          const failure = { model: model.name, error };
          failures.push(failure);
          options.onFailover?.(failure, order[i + 1]?.name);
        }
      }
      throw new ModelChainError(failures);
    },
  };
}
