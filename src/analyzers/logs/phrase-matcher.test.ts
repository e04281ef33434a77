import { describe, expect, it } from 'vitest';
import { createPhraseMatcher } from './phrase-matcher.ts';

describe('createPhraseMatcher', () => {
  const m = createPhraseMatcher([
    ['connection refused', 0],
    ['refused', 1],
    ['timed out', 2],
    ['request timed out', 3],
    ['he', 4],
    ['she', 5],
    ['hers', 6],
  ]);

  it('finds every phrase, including phrases inside or overlapping others', () => {
    expect(m.match('upstream: connection refused')).toEqual([0, 1]);
    expect(m.match('pool: request timed out after 30s')).toEqual([2, 3]);
    expect(m.match('ushers')).toEqual([4, 5, 6]);
  });

  it('finds nothing in unrelated or non-ASCII text', () => {
    expect(m.match('all good')).toEqual([]);
    expect(m.match('réfused — tïmed out')).toEqual([]);
    expect(m.match('')).toEqual([]);
  });

  it('agrees with substring search on every phrase', () => {
    const phrases = ['no space left on device', 'enospc', 'disk full', 'space'];
    const pm = createPhraseMatcher(phrases.map((p, i) => [p, i] as const));
    for (const text of ['write failed: no space left on device (enospc)', 'disk fully ok', 'spaces', 'nothing']) {
      const expected = phrases.flatMap((p, i) => (text.includes(p) ? [i] : []));
      expect(pm.match(text)).toEqual(expected);
    }
  });
});
