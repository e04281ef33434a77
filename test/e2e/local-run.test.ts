/**
 * The local run's behaviours beyond accuracy: a failing specialist becomes a gap (status partial) and the run goes
 * on; preferences change the report; a repeated incident is recognised from memory; progress is reported per step.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalInvestigation } from '../../src/local/investigation.ts';
import type { StepProgress } from '../../src/local/runner.ts';
import { type LocalStores, openLocalStores } from '../../src/local/stores.ts';

const SCENARIOS = join(import.meta.dirname, '../../fixtures/scenarios');
let stores: LocalStores;

beforeAll(async () => {
  stores = await openLocalStores({ persistent: false, reportsDir: mkdtempSync(join(tmpdir(), 'local-run-')) });
});
afterAll(() => stores.close());

describe('local investigation', () => {
  it('turns a crashing specialist into a named gap and still finds the root cause', async () => {
    const steps: StepProgress[] = [];
    const { result, markdown } = await runLocalInvestigation({
      scenarioDir: join(SCENARIOS, 'payments-oom'),
      reports: stores.reports,
      memory: stores.memory,
      onStep: (p) => steps.push(p),
      specialistOverrides: {
        logs: async () => {
          throw new Error('logs backend unreachable');
        },
      },
    });
    expect(result.status).toBe('partial');
    expect(result.specialists.find((s) => s.name === 'logs')).toMatchObject({ status: 'failed' });
    expect(result.gaps?.some((g) => g.includes('the logs specialist failed'))).toBe(true);
    expect(markdown).toMatch(/## Investigation gaps\n\n- the logs specialist failed/);
    expect(result.rootCause).toMatchObject({ category: 'oom-killed', resource: 'Deployment/payments/payments-settlement-worker' });
    expect(steps.filter((s) => s.phase === 'error').map((s) => s.state)).toContain('Logs');
  });

  it('writes an executive report for a user who prefers one, and a technical one otherwise', async () => {
    await stores.memory.putPreferences('exec-user', { reportStyle: 'executive', timeZone: 'Europe/Paris', escalationContacts: ['payments-oncall@example.com'] });
    const question = 'why are payments settlements backing up?';
    const technical = await runLocalInvestigation({ scenarioDir: join(SCENARIOS, 'payments-oom'), question, userId: 'tech-user', reports: stores.reports, memory: stores.memory });
    const executive = await runLocalInvestigation({ scenarioDir: join(SCENARIOS, 'payments-oom'), question, userId: 'exec-user', reports: stores.reports, memory: stores.memory });
    expect(technical.markdown).toContain('## All findings');
    expect(technical.markdown).toContain('## Workloads involved');
    expect(executive.markdown).not.toContain('## All findings');
    expect(executive.markdown).not.toContain('## Workloads involved');
    expect(executive.markdown).toContain('Escalation contacts: payments-oncall@example.com');
    expect(executive.markdown).toMatch(/CET|CEST|GMT\+1|GMT\+2/);
    expect(executive.markdown.length).toBeLessThan(technical.markdown.length / 2);
    expect(executive.result.rootCause?.category).toBe(technical.result.rootCause?.category);
  });

  it('recognises a repeated incident from memory', async () => {
    const dir = join(SCENARIOS, 'image-pull-bad-tag');
    const first = await runLocalInvestigation({ scenarioDir: dir, reports: stores.reports, memory: stores.memory });
    expect(first.markdown).not.toContain('Seen before');
    const second = await runLocalInvestigation({ scenarioDir: dir, reports: stores.reports, memory: stores.memory });
    expect(second.markdown).toMatch(/Seen before: 1 time\(s\) in the last 30 days/);
    expect(second.markdown).toContain(first.result.investigationId);
  });
});
