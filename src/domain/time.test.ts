import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant, parseTimeExpression } from './time.ts';

const NOW = Date.UTC(2026, 2, 14, 10, 32, 0);

describe('parseInstant', () => {
  it.each([
    ['2026-03-14T10:31:52Z', Date.UTC(2026, 2, 14, 10, 31, 52)],
    ['2026-03-14T10:31:52.310+0000', Date.UTC(2026, 2, 14, 10, 31, 52, 310)],
    ['2026-03-14T10:31:52+00:00', Date.UTC(2026, 2, 14, 10, 31, 52)],
    ['2026-03-14T12:31:52+02:00', Date.UTC(2026, 2, 14, 10, 31, 52)],
    ['2026-03-14T05:31:52.5-0500', Date.UTC(2026, 2, 14, 10, 31, 52, 500)],
    ['2026-03-14T10:31:52.123456789Z', Date.UTC(2026, 2, 14, 10, 31, 52, 123)],
    ['2026-03-14 10:31:52', Date.UTC(2026, 2, 14, 10, 31, 52)],
    ['2026-03-14T10:31Z', Date.UTC(2026, 2, 14, 10, 31)],
  ])('parses %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each(['yesterday', '2026-02-31T00:00:00Z', '2026-03-14', '10:31:52', ''])('rejects %j', (text) => {
    expect(parseInstant(text)).toBeNull();
  });
});

describe('parseTimeExpression', () => {
  it('measures relative windows from the investigation clock, not the wall clock', () => {
    expect(parseTimeExpression('30m', NOW)).toBe(NOW - 30 * 60_000);
    expect(parseTimeExpression('6h', NOW)).toBe(NOW - 6 * 3_600_000);
    expect(parseTimeExpression('-2d', NOW)).toBe(NOW - 2 * 86_400_000);
    expect(parseTimeExpression('15 min ago', NOW)).toBe(NOW - 15 * 60_000);
    expect(parseTimeExpression('now', NOW)).toBe(NOW);
  });
  it('accepts instants and epoch milliseconds', () => {
    expect(parseTimeExpression('2026-03-14T10:00:00Z', NOW)).toBe(Date.UTC(2026, 2, 14, 10));
    expect(parseTimeExpression(1_773_484_200_000, NOW)).toBe(1_773_484_200_000);
    expect(parseTimeExpression('1773484200000', NOW)).toBe(1_773_484_200_000);
  });
  it('returns null for nonsense', () => {
    expect(parseTimeExpression('soon', NOW)).toBeNull();
    expect(parseDuration('5 parsecs')).toBeNull();
  });
});
