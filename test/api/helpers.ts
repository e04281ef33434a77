/** Test doubles and helpers shared by the API tests. */
import type { InvestigationResult } from '../../src/domain/result.ts';
import type { LocalWorkflow } from '../../src/local/dev-server.ts';

export const SCOPE = {
  read: 'sre-agent/investigations.read',
  write: 'sre-agent/investigations.write',
  admin: 'sre-agent/admin',
} as const;

export function fakeResult(investigationId: string, reportUri: string): InvestigationResult {
  return {
    investigationId,
    status: 'completed',
    rootCause: { category: 'oom-killed', resource: 'StatefulSet/production/database', summary: 'the database is OOM-killed', confidence: 0.86 },
    hypotheses: [],
    specialists: [
      { name: 'kubernetes', status: 'ok', toolCalls: 4, durationMs: 120 },
      { name: 'logs', status: 'ok', toolCalls: 3, durationMs: 90 },
      { name: 'metrics', status: 'ok', toolCalls: 2, durationMs: 80 },
      { name: 'runbooks', status: 'ok', toolCalls: 1, durationMs: 30 },
    ],
    report: { uri: reportUri },
    durationMs: 420,
  };
}

/**
 * A test double of the local state-machine runner: records progress and the result through the memory store
 * and writes a report, as the supervisor's steps do. After `pause()`, runs stay in progress until `release(id)`;
 * `fail` makes runs reject like a failed execution.
 */
export function fakeWorkflow(options: { fail?: boolean } = {}) {
  const gates = new Map<string, { promise: Promise<void>; release: () => void }>();
  let paused = false;
  const inputs: unknown[] = [];
  const gate = (id: string) => {
    let g = gates.get(id);
    if (!g) {
      let release!: () => void;
      const promise = new Promise<void>((r) => (release = r));
      g = { promise, release };
      gates.set(id, g);
    }
    return g;
  };
  const run: LocalWorkflow = async (executionInput, context) => {
    inputs.push(executionInput);
    const { investigationId, now } = executionInput.request;
    const at = now ?? new Date().toISOString();
    await context.memory.updateInvestigation(investigationId, { status: 'running', steps: ['Normalize'] });
    if (paused) await gate(investigationId).promise;
    if (options.fail) throw Object.assign(new Error('the Plan step timed out'), { name: 'States.Timeout' });
    await context.memory.updateInvestigation(investigationId, { steps: ['Normalize', 'Plan (round 1)', 'Specialists (round 1)', 'Synthesize'] });
    const uri = await context.reports.put(investigationId, `# Investigation ${investigationId}: oom-killed on StatefulSet/production/database\n`, at);
    const result = fakeResult(investigationId, uri);
    await context.memory.updateInvestigation(investigationId, {
      status: 'completed',
      steps: ['Normalize', 'Plan (round 1)', 'Specialists (round 1)', 'Synthesize', 'Finalize'],
      result,
      reportKey: uri,
    });
    return result;
  };
  return {
    run,
    inputs,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    release: (id: string) => gate(id).release(),
  };
}

export async function poll<T>(fn: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
