/**
 * The evaluation: every scenario folder of a directory run through the local investigation (the state machine
 * with the real handlers), graded exactly as the contract's Grading section says, summarised.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InvestigationResult } from '../domain/result.ts';
import { runLocalInvestigation } from '../local/investigation.ts';
import type { MemoryStore } from '../memory/port.ts';
import type { ReportRepository } from '../reports/port.ts';
import { type Grade, gradeResult, readExpected, scenarioOwners } from './grade.ts';

export interface ScenarioOutcome {
  id: string;
  top1: boolean;
  top3: boolean;
  mentions: number;
  missingMentions: string[];
  status: InvestigationResult['status'] | 'crashed' | 'timeout';
  seconds: number;
  rootCause: string;
  expected: string;
  error?: string;
}

export interface EvalTotals {
  scenarios: number;
  top1: number;
  top3: number;
  mentions: number;
  crashes: number;
  p50Seconds: number;
  p95Seconds: number;
}

export function scenarioFolders(root: string): string[] {
  const abs = resolve(root);
  if (!existsSync(abs)) throw new Error(`no such directory: ${abs}`);
  const dirs = readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(abs, d.name, 'scenario.json')))
    .map((d) => join(abs, d.name))
    .sort();
  if (!dirs.length) throw new Error(`${abs} holds no scenario folders (sub-folders with a scenario.json)`);
  return dirs;
}

export async function evaluateScenario(
  dir: string,
  stores: { reports: ReportRepository; memory?: MemoryStore },
  timeoutMs: number,
): Promise<ScenarioOutcome> {
  const id = dir.split('/').pop()!;
  const expected = await readExpected(dir);
  const expectedText = expected.category === 'none' ? 'none' : `${expected.category} ${expected.resource ?? ''}`.trim();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = runLocalInvestigation({ scenarioDir: dir, reports: stores.reports, ...(stores.memory ? { memory: stores.memory } : {}) });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`no result within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const { result, markdown } = await Promise.race([run, timeout]);
    const grade: Grade = gradeResult(expected, result, markdown, await scenarioOwners(dir));
    return {
      id,
      ...grade,
      status: result.status,
      seconds: (performance.now() - started) / 1000,
      rootCause: result.rootCause ? `${result.rootCause.category} ${result.rootCause.resource}` : 'null',
      expected: expectedText,
    };
  } catch (error) {
    // A crash or a timeout is wrong on every count.
    const grade = gradeResult(expected, undefined, undefined);
    return {
      id,
      ...grade,
      status: error instanceof TimeoutError ? 'timeout' : 'crashed',
      seconds: (performance.now() - started) / 1000,
      rootCause: '-',
      expected: expectedText,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {}

export function totals(outcomes: readonly ScenarioOutcome[]): EvalTotals {
  const n = outcomes.length || 1;
  const seconds = outcomes.map((o) => o.seconds).sort((a, b) => a - b);
  return {
    scenarios: outcomes.length,
    top1: outcomes.filter((o) => o.top1).length / n,
    top3: outcomes.filter((o) => o.top3).length / n,
    mentions: outcomes.reduce((s, o) => s + o.mentions, 0) / n,
    crashes: outcomes.filter((o) => o.status === 'crashed' || o.status === 'timeout').length,
    p50Seconds: quantile(seconds, 0.5),
    p95Seconds: quantile(seconds, 0.95),
  };
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
