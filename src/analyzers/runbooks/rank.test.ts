import { describe, expect, it } from 'vitest';
import type { Category } from '../../domain/taxonomy.ts';
import type { RunbookDocument } from '../../providers/runbooks/port.ts';
import { analyzeRunbook } from './analyze.ts';
import { RunbookIndex, WEIGHTS, excerpt } from './rank.ts';
import { stem, terms, weightedTerms } from './text.ts';

function runbook(id: string, categories: Category[], body: string, extra: Partial<RunbookDocument> = {}) {
  return analyzeRunbook({ id, title: extra.title ?? id.replace(/-/g, ' '), services: [], categories, body, source: `${id}.md`, frontMatter: {}, ...extra });
}

const LIBRARY = [
  runbook('oom-generic', ['oom-killed'], '## Symptoms\n- Containers OOMKilled, exit code 137\n## Steps\n1. Raise the memory limit.\n'),
  runbook('oom-payment-api', ['oom-killed'], '## Symptoms\n- payment-api pods OOMKilled, exit code 137\n## Steps\n1. Raise the JVM heap.\n', { services: ['payment-api'] }),
  runbook('oom-search', ['oom-killed'], '## Symptoms\n- search pods OOMKilled\n## Steps\n1. Shrink the index cache.\n', { services: ['search'] }),
  runbook('redis-down', ['dependency-failure'], '## Symptoms\n- connection refused to redis on 6379\n- connection errors\n## Steps\n1. Scale redis back up.\n'),
  runbook('database-down', ['dependency-failure'], '## Symptoms\n- database connection refused\n- connection refused by postgres\n- connection reset\n- connection timeout\n## Steps\n1. Fail over.\n'),
  runbook('crash-loop', ['crash-loop', 'config-error'], '## Symptoms\n- CrashLoopBackOff after a missing env var\n## Steps\n1. Restore the variable.\n'),
  runbook('escalation', [], '## Escalation\n1. **On-call** — page within 5 minutes.\n', { title: 'Escalation policy' }),
];
const index = new RunbookIndex(LIBRARY);
const ids = (q: Parameters<RunbookIndex['rank']>[0]) => index.rank(q).map((r) => r.runbook.id);

describe('terms', () => {
  it('lowercases, stems and splits compounds while keeping their joined form', () => {
    expect(terms('OOMKilled pods')).toEqual(['oomkill', 'oom', 'kill', 'pod']);
    expect(terms('oom-killed')).toEqual(['oomkill', 'oom', 'kill']);
    expect(terms('The CrashLoopBackOff of the pods')).toEqual(['crashloopbackoff', 'crash', 'loop', 'back', 'pod']);
    expect(terms('HTTP 429, x509 and 5xx')).toEqual(['http', '429', 'x509', '5xx']);
    expect(['throttling', 'throttled', 'throttles', 'throttle'].map(stem)).toEqual(['throttl', 'throttl', 'throttl', 'throttl']);
    expect(['expired', 'expires', 'nodes', 'node'].map(stem)).toEqual(['expir', 'expir', 'node', 'node']);
    expect(['policies', 'processes', 'status', 'ingress'].map(stem)).toEqual(['policy', 'process', 'status', 'ingress']);
  });

  it('weighs the pieces of a compound at half a word', () => {
    expect(Object.fromEntries(weightedTerms('CrashLoopBackOff restart'))).toEqual({ crashloopbackoff: 1, crash: 0.5, loop: 0.5, back: 0.5, restart: 1 });
  });
});

describe('RunbookIndex.rank', () => {
  it('ranks a runbook for the service above a generic one, and one for another service below it', () => {
    const ranked = index.rank({ categories: ['oom-killed'], service: 'Payment-API' });
    expect(ranked.map((r) => r.runbook.id)).toEqual(['oom-payment-api', 'oom-generic', 'oom-search']);
    expect(ranked[0]!.breakdown).toEqual({ text: 0, category: 1, service: WEIGHTS.service, semantic: 0 });
    expect(ranked[0]!.reasons).toEqual(['written for category oom-killed', 'written for service Payment-API']);
    expect(ranked[2]!.breakdown.service).toBe(WEIGHTS.otherService);
    expect(ranked[2]!.reasons).toContain('written for other services (search)');
  });

  it('puts runbooks of the asked category above text-only matches, with a score that is the sum of its parts', () => {
    const ranked = index.rank({ text: 'connection refused CrashLoopBackOff', categories: ['crash-loop'] });
    expect(ranked[0]!.runbook.id).toBe('crash-loop');
    for (const r of ranked) {
      const { text, category, service, semantic } = r.breakdown;
      expect(r.score).toBeCloseTo(text + category + service + semantic, 2);
      expect(text).toBeGreaterThanOrEqual(0);
      expect(text).toBeLessThan(1);
    }
    expect(ranked.slice(1).map((r) => r.runbook.id).sort()).toEqual(['database-down', 'redis-down']);
  });

  it('lets a rare term outweigh a common one repeated many times (BM25F saturation)', () => {
    expect(ids({ text: 'redis connection refused' })[0]).toBe('redis-down');
    expect(ids({ text: 'postgres connection refused' })[0]).toBe('database-down');
  });

  it('ranks a later asked category below an earlier one, and a category listed second below one listed first', () => {
    const ranked = index.rank({ categories: ['dependency-failure', 'config-error'] });
    expect(ranked.map((r) => r.runbook.id)).toEqual(['database-down', 'redis-down', 'crash-loop']);
    expect(ranked.map((r) => r.breakdown.category)).toEqual([1, 1, expect.closeTo(1 - WEIGHTS.categoryDecay - WEIGHTS.categoryRank, 3)]);
    expect(ranked[2]!.reasons).toEqual(['written for category config-error (its 2nd category)']);
  });

  it('blends semantic relevance in and lets it alone make a match', () => {
    const semantic = new Map([['escalation', 0.9]]);
    const ranked = index.rank({ text: 'who do I page', semantic });
    expect(ranked[0]!.runbook.id).toBe('escalation');
    expect(ranked[0]!.breakdown.semantic).toBeCloseTo(WEIGHTS.semantic * 0.9, 3);
    expect(ranked[0]!.reasons).toContain('semantic relevance 0.9');
  });

  it('returns only matches when something is asked, everything (minus other services) otherwise', () => {
    expect(ids({ text: 'nothing matches zzz' })).toEqual([]);
    expect(ids({})).toHaveLength(LIBRARY.length);
    expect(ids({ service: 'search' })).not.toContain('oom-payment-api');
    expect(ids({ service: 'search' })).toContain('oom-search');
    expect(ids({ text: 'zzz', includeUnmatched: true })).toHaveLength(LIBRARY.length);
  });

  it('uses hints only to order runbooks that match', () => {
    const plain = index.rank({ categories: ['dependency-failure'] });
    const hinted = index.rank({ categories: ['dependency-failure'], hints: 'redis cache' });
    expect(plain.map((r) => r.runbook.id)).toEqual(['database-down', 'redis-down']);
    expect(hinted.map((r) => r.runbook.id)).toEqual(['redis-down', 'database-down']);
    expect(index.rank({ hints: 'redis' }).length).toBe(LIBRARY.length);
    expect(index.rank({ text: 'zzz', hints: 'redis' })).toEqual([]);
  });

  it('tells whether a runbook holds every word of a keyword', () => {
    const redis = LIBRARY.find((r) => r.id === 'redis-down')!;
    expect(index.containsAll(redis, 'Redis REFUSED')).toBe(true);
    expect(index.containsAll(redis, 'redis postgres')).toBe(false);
  });
});

describe('excerpt', () => {
  it('quotes the line with the most query terms, bounded', () => {
    const db = LIBRARY.find((r) => r.id === 'database-down')!;
    expect(excerpt(db, 'postgres refused')).toBe('connection refused by postgres');
    expect(excerpt(db, undefined)).toBe('database connection refused');
    expect(excerpt(db, 'postgres', 12)).toBe('connectio...');
  });
});
