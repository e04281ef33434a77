/**
 * End to end, with no LLM: every bundled scenario through the local state machine (the synthesized definition on
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

const dirs = scenarioFolders(join(import.meta.dirname, '../../fixtures/scenarios'));
let stores: LocalStores;

beforeAll(async () => {
  stores = await openLocalStores({ persistent: false, reportsDir: mkdtempSync(join(tmpdir(), 'e2e-reports-')) });
});
afterAll(() => stores.close());

describe('the local state machine on every bundled scenario', () => {
  it.each(dirs.map((d) => [d.split('/').pop()!, d]))('%s: right root cause, every mention in the report', async (_id, dir) => {
    const { result, markdown } = await runLocalInvestigation({ scenarioDir: dir, reports: stores.reports, memory: stores.memory });
    expect(investigationResultSchema.safeParse(result).success).toBe(true);
    const grade = gradeResult(await readExpected(dir), result, markdown, await scenarioOwners(dir));
    expect({ top1: grade.top1, missing: grade.missingMentions, status: result.status }).toEqual({ top1: true, missing: [], status: 'completed' });
    const record = await stores.memory.getInvestigation(result.investigationId);
    expect(record?.status).toBe('completed');
    expect(record?.steps).toEqual(expect.arrayContaining(['Normalize', 'Plan (round 1)', 'Specialists (round 1)', 'Synthesize', 'Finalize']));
  });
});
