/**
 * The tool contract harness: runs operations on every bundled scenario and checks each response against the
 * operation's response schema in openapi/. Each backend's contract test supplies argument cases per operation;
 * `assertEveryOperationCovered` fails when an operation of the spec has no case.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { loadScenarioMeta, type ScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import type { ToolInvoker } from '../../src/tools/invoke.ts';
import { type Backend, loadToolDefinitions } from '../../src/tools/openapi.ts';
import { responseProblems } from '../../src/tools/validation.ts';

export const SCENARIOS_ROOT = resolve(import.meta.dirname, '../../fixtures/scenarios');

export function bundledScenarios(): ScenarioMeta[] {
  return readdirSync(SCENARIOS_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(SCENARIOS_ROOT, d.name, 'scenario.json')))
    .map((d) => loadScenarioMeta(join(SCENARIOS_ROOT, d.name)))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Argument sets for one operation; may depend on the scenario (e.g. a namespace that exists in it). */
export type ArgumentCases = (scenario: ScenarioMeta) => Array<Record<string, unknown>> | Promise<Array<Record<string, unknown>>>;

export function assertEveryOperationCovered(backend: Backend, cases: Record<string, ArgumentCases>): void {
  const operations = loadToolDefinitions([backend]).map((d) => d.operationId).sort();
  expect(Object.keys(cases).sort()).toEqual(operations);
}

/**
 * Calls every case of every operation and asserts success plus schema conformance. Returns the successful
 * results keyed by `operationId` for further, backend-specific assertions.
 */
export async function runContract(
  invoker: ToolInvoker,
  scenario: ScenarioMeta,
  cases: Record<string, ArgumentCases>,
): Promise<Record<string, unknown[]>> {
  const results: Record<string, unknown[]> = {};
  for (const def of invoker.definitions) {
    const argSets = await (cases[def.operationId] ?? (() => []))(scenario);
    for (const args of argSets) {
      const outcome = await invoker.invoke(def.name, args);
      const label = `${scenario.id}: ${def.name}(${JSON.stringify(args)})`;
      if (!outcome.ok) expect.fail(`${label} failed: ${outcome.error.type}: ${outcome.error.message}`);
      const problems = responseProblems(def, outcome.result);
      if (problems.length) expect.fail(`${label} violates its response schema: ${problems.slice(0, 5).join('; ')}`);
      (results[def.operationId] ??= []).push(outcome.result);
    }
  }
  return results;
}
