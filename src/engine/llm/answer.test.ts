import { describe, expect, it } from 'vitest';
import type { SpecialistReport } from '../../domain/findings.ts';
import { parseModelAnswer, validateAnswer } from './answer.ts';
import { Grounding } from './grounding.ts';

const QUOTE = 'no space left on device: write /var/lib/postgresql/data/pg_wal/000000010000000A000000F3';
const REPORT: SpecialistReport = {
  name: 'logs',
  status: 'ok',
  findings: [],
  healthy: [],
  gaps: [],
  toolCalls: 1,
  durationMs: 1,
  inventory: [{ resource: 'StatefulSet/orders/orders-postgres' }],
};

function grounding(): Grounding {
  const g = new Grounding();
  g.record({ ok: true, tool: 'logs___search_logs', result: { events: [{ message: QUOTE }] }, text: JSON.stringify({ events: [{ message: QUOTE }] }), durationMs: 1 });
  return g;
}

const claim = (over: Record<string, unknown> = {}) => ({
  category: 'disk-full',
  resource: 'StatefulSet/orders/orders-postgres',
  summary: 'The WAL volume is full.',
  evidence: [{ source: 'logs___search_logs', quote: QUOTE }],
  ...over,
});

describe('parsing the model answer', () => {
  it('accepts bare JSON, fenced JSON and JSON inside prose; fills absent arrays', () => {
    expect(parseModelAnswer('{"hypotheses":[]}')).toEqual({ ok: true, answer: { hypotheses: [], observations: [] } });
    expect(parseModelAnswer('```json\n{"observations":[]}\n```')).toMatchObject({ ok: true });
    expect(parseModelAnswer('My answer: {"hypotheses":[],"observations":[]} — done.')).toMatchObject({ ok: true });
  });

  it('names what is wrong with a malformed answer', () => {
    expect(parseModelAnswer('{"hypotheses":[{"category":"disk-full"}]}')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^model answer rejected: not the expected JSON \(hypotheses\.0\.resource: /),
    });
    expect(parseModelAnswer('{"hypotheses": [')).toEqual({ ok: false, reason: 'model answer rejected: not the expected JSON (it contains no JSON object)' });
  });
});

describe('validating the model answer', () => {
  it('turns a grounded hypothesis into a model-hypothesis finding', () => {
    const { findings, rejected } = validateAnswer({ hypotheses: [claim()], observations: [] }, REPORT, grounding());
    expect(rejected).toEqual([]);
    expect(findings).toEqual([
      {
        signal: 'model-hypothesis',
        resource: 'StatefulSet/orders/orders-postgres',
        severity: 'warning',
        summary: 'Model hypothesis (disk-full): The WAL volume is full.',
        evidence: [{ source: 'logs___search_logs', detail: QUOTE }],
        facts: { categories: ['disk-full'], count: 1 },
      },
    ]);
  });

  it('rejects a whole claim when one of its quotes is not tool data', () => {
    const { findings, rejected } = validateAnswer(
      { hypotheses: [claim({ evidence: [{ source: 'logs___search_logs', quote: QUOTE }, { source: 'logs___search_logs', quote: 'PANIC: could not write to file "pg_wal/xlogtemp.42"' }] })], observations: [] },
      REPORT,
      grounding(),
    );
    expect(findings).toEqual([]);
    expect(rejected).toEqual(['model answer rejected: disk-full on StatefulSet/orders/orders-postgres: the quote “PANIC: could not write to file "pg_wal/xlogtemp.42"” was not returned by any tool in this run']);
  });

  it('rejects unknown categories, none, claims without evidence, and too-short quotes', () => {
    const { findings, rejected } = validateAnswer(
      {
        hypotheses: [
          claim({ category: 'storage-exhaustion' }),
          claim({ category: 'none' }),
          claim({ evidence: [] }),
          claim({ evidence: [{ source: 'logs___search_logs', quote: 'no space' }] }),
        ],
        observations: [],
      },
      REPORT,
      grounding(),
    );
    expect(findings).toEqual([]);
    expect(rejected).toEqual([
      "model answer rejected: category 'storage-exhaustion' is not in the taxonomy",
      "model answer rejected: 'none' is not a root-cause hypothesis (StatefulSet/orders/orders-postgres)",
      'model answer rejected: disk-full on StatefulSet/orders/orders-postgres cites no tool data',
      'model answer rejected: disk-full on StatefulSet/orders/orders-postgres: the quote “no space” is too short to be evidence',
    ]);
  });

  it('keeps duplicates once, caps the number of hypotheses, and keeps observations without a category', () => {
    const many = ['disk-full', 'disk-full', 'node-failure', 'crash-loop', 'oom-killed', 'bad-deployment', 'probe-failure'].map((category) => claim({ category }));
    const { findings, rejected } = validateAnswer({ hypotheses: many, observations: [{ resource: 'StatefulSet/orders/orders-postgres', summary: 'WAL grows.', evidence: [{ source: 'x', quote: QUOTE }] }] }, REPORT, grounding());
    expect(findings.filter((f) => f.facts?.categories).map((f) => f.facts!.categories![0])).toEqual(['disk-full', 'node-failure', 'crash-loop', 'oom-killed', 'bad-deployment']);
    expect(rejected).toEqual(['model answer rejected: more than 5 hypotheses (probe-failure on StatefulSet/orders/orders-postgres dropped)']);
    const observation = findings.find((f) => !f.facts?.categories)!;
    expect(observation).toMatchObject({ severity: 'info', summary: 'Model observation: WAL grows.', facts: { count: 1 } });
    // The cited source was wrong; the evidence names the tool that really returned the quote.
    expect(observation.evidence).toEqual([{ source: 'logs___search_logs', detail: QUOTE }]);
  });
});
