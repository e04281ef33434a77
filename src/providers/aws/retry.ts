/**
 * Retries with capped exponential backoff and full jitter, per-attempt timeouts, and an overall deadline: the
 * one resilience policy of every AWS provider (the SDK clients are created with `maxAttempts: 1` so that
 * retries are not multiplied by a second, invisible policy). The runtime (sleep, randomness, clock) is
 * injectable so tests can check the schedule without waiting for it.
 */
import { type AwsCallContext, classifyAwsError, isRetryableFault, toToolError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff cap before the first retry; doubled for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One attempt's time limit. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, timeoutMs: 15_000 };

export interface RetryRuntime {
  sleep(ms: number): Promise<void>;
  /** In [0, 1). */
  random(): number;
  now(): number;
}

export const REAL_RUNTIME: RetryRuntime = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

/** What providers accept to tune resilience (tests pass a runtime whose sleep returns at once). */
export interface ResilienceOptions {
  policy?: Partial<RetryPolicy>;
  runtime?: Partial<RetryRuntime>;
}

export interface Resilience {
  policy: RetryPolicy;
  runtime: RetryRuntime;
}

export function resolveResilience(options: ResilienceOptions = {}): Resilience {
  return { policy: { ...DEFAULT_RETRY_POLICY, ...options.policy }, runtime: { ...REAL_RUNTIME, ...options.runtime } };
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads retries of concurrent callers. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * cap);
}

/** An attempt that exceeded its time limit. Named TimeoutError so the classifier treats it like the SDK's. */
export class CallTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number, what: string) {
    super(`${what} did not complete within ${Math.round(timeoutMs / 100) / 10} s`);
  }
}

/**
 * Runs `fn` with an AbortSignal that fires after `timeoutMs`, and settles no later than that even when `fn`
 * ignores the signal (a hung socket must not hold the tool call).
 */
export async function withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CallTimeoutError(timeoutMs, what);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([fn(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RetryDecision {
  retry: boolean;
  /** A server-requested wait (HTTP Retry-After), used instead of the backoff when longer. */
  delayMs?: number;
}

/** The last failure of a retried operation, with how many attempts were made. */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';
  constructor(
    readonly error: unknown,
    readonly attempts: number,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Calls `attempt` until it succeeds, `decide` says stop, attempts run out, or the next wait would pass the
 * deadline. Rejects with RetriesExhausted so callers can say how hard they tried.
 */
export async function retrying<T>(
  attempt: (n: number) => Promise<T>,
  decide: (error: unknown) => RetryDecision,
  resilience: Resilience,
  deadline?: number,
): Promise<T> {
  const { policy, runtime } = resilience;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const decision = decide(error);
      if (!decision.retry || n >= policy.maxAttempts) throw new RetriesExhausted(error, n);
      const wait = Math.max(backoffDelay(n - 1, policy, runtime.random), decision.delayMs ?? 0);
      if (deadline !== undefined && runtime.now() + wait >= deadline) throw new RetriesExhausted(error, n);
      await runtime.sleep(wait);
    }
  }
}

export interface CallOptions {
  /** Epoch ms after which no further attempt starts. */
  deadline?: number;
  /** Overrides the policy's per-attempt timeout (long polls, big pages). */
  timeoutMs?: number;
}

/**
 * One AWS API call with the provider's resilience: each attempt bounded by the timeout (its AbortSignal is
 * passed to `client.send`), throttling and transient faults retried with backoff, and the final failure
 * mapped to a ToolError naming the action and resource.
 */
export async function callAws<T>(
  ctx: AwsCallContext,
  send: (signal: AbortSignal) => Promise<T>,
  resilience: Resilience,
  options: CallOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? resilience.policy.timeoutMs;
  try {
    return await retrying(
      () => withTimeout(send, timeoutMs, `${ctx.action}${ctx.resource ? ` on ${ctx.resource}` : ''}`),
      (error) => ({ retry: isRetryableFault(classifyAwsError(error)) }),
      resilience,
      options.deadline,
    );
  } catch (outcome) {
    if (outcome instanceof RetriesExhausted) throw toToolError(outcome.error, ctx, outcome.attempts);
    throw toToolError(outcome, ctx);
  }
}
