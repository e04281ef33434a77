/**
 * End to end, with no LLM: every bundled and validation scenario through the local state machine (the synthesized definition on
 * aws-local-stepfunctions, the real Lambda handlers, the MCP gateway over loopback, DynamoDB on dynalite), graded
 * exactly as the contract's Grading section says. The top-1 root cause must be right and every mention present.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeResult, readExpected, scenarioOwners } from '../../src/eval/grade.ts';
import { scenarioFolders } from '../../src/eval/run.ts';
import { investigationResultSchema } from '../../src/domain/result.ts';
import { runLocalInvestigation } from '../../src/local/investigation.ts';
import { type LocalStores, openLocalStores } from '../../src/local/stores.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const folders = (set: string) => scenarioFolders(join(FIXTURES, set)).map((d) => [d.split('/').pop()!, d] as const);
let stores: LocalStores;

beforeAll(async () => {
  stores = await openLocalStores({ persistent: false, reportsDir: mkdtempSync(join(tmpdir(), 'e2e-reports-')) });
});
afterAll(() => stores.close());

async function expectRightAndComplete(dir: string): Promise<void> {
  const { result, markdown } = await runLocalInvestigation({ scenarioDir: dir, reports: stores.reports, memory: stores.memory });
  expect(investigationResultSchema.safeParse(result).success).toBe(true);
  const grade = gradeResult(await readExpected(dir), result, markdown, await scenarioOwners(dir));
  expect({ top1: grade.top1, missing: grade.missingMentions, status: result.status }).toEqual({ top1: true, missing: [], status: 'completed' });
  const record = await stores.memory.getInvestigation(result.investigationId);
  expect(record?.status).toBe('completed');
  expect(record?.steps).toEqual(expect.arrayContaining(['Normalize', 'Plan (round 1)', 'Specialists (round 1)', 'Synthesize', 'Finalize']));
}

describe('the local state machine on every bundled scenario', () => {
  it.each(folders('scenarios'))('%s: right root cause, every mention in the report', async (_id, dir) => expectRightAndComplete(dir));
});

// The validation sets were written blind to the engine and measured once as held-out data (README, Benchmarks);
// since then they guard against regressions like the bundled scenarios.
describe.each(['validation', 'validation-2'])('the local state machine on fixtures/%s', (set) => {
  it.each(folders(set))('%s: right root cause, every mention in the report', async (_id, dir) => expectRightAndComplete(dir));
});
