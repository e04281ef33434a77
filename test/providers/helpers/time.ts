/**
 * Virtual time for resilience tests: `sleep` returns at once but moves the clock, so backoff schedules, polling
 * and deadlines can be checked without waiting for them.
 */
import type { RetryRuntime } from '../../../src/providers/aws/retry.ts';

export function virtualTime(start = Date.parse('2026-03-14T10:32:00Z')) {
  let t = start;
  const sleeps: number[] = [];
  const runtime: RetryRuntime = {
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    random: () => 0.5,
    now: () => t,
  };
  return {
    runtime,
    sleeps,
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
