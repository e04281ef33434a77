import { describe, expect, it } from 'vitest';
import { levelRank, maxLevel, normalizeLevel } from './level.ts';

describe('normalizeLevel', () => {
  it.each([
    ['error', 'ERROR'], ['ERROR', 'ERROR'], ['Error', 'ERROR'], ['eror', 'ERROR'], ['err', 'ERROR'], ['SEVERE', 'ERROR'],
    ['warn', 'WARN'], ['WARNING', 'WARN'], ['Warning', 'WARN'],
    ['info', 'INFO'], ['Information', 'INFO'], ['notice', 'INFO'],
    ['debug', 'DEBUG'], ['trace', 'DEBUG'], ['dbug', 'DEBUG'], ['verbose', 'DEBUG'],
    ['fatal', 'FATAL'], ['CRITICAL', 'FATAL'], ['crit', 'FATAL'], ['panic', 'FATAL'], ['dpanic', 'FATAL'], ['emerg', 'FATAL'],
    ['E', 'ERROR'], ['w', 'WARN'], ['I', 'INFO'], ['F', 'FATAL'],
  ])('%s → %s', (raw, level) => {
    expect(normalizeLevel(raw)).toBe(level);
  });

  it('reads pino / bunyan numbers and syslog severities', () => {
    expect(normalizeLevel(60)).toBe('FATAL');
    expect(normalizeLevel(50)).toBe('ERROR');
    expect(normalizeLevel(40)).toBe('WARN');
    expect(normalizeLevel('30')).toBe('INFO');
    expect(normalizeLevel(20)).toBe('DEBUG');
    expect(normalizeLevel(10)).toBe('DEBUG');
    expect(normalizeLevel(3)).toBe('ERROR');
    expect(normalizeLevel(4)).toBe('WARN');
    expect(normalizeLevel(6)).toBe('INFO');
  });

  it('names no level for other values', () => {
    expect(normalizeLevel('Metadata')).toBeUndefined();
    expect(normalizeLevel('')).toBeUndefined();
    expect(normalizeLevel(undefined)).toBeUndefined();
    expect(normalizeLevel({ level: 'error' })).toBeUndefined();
    expect(normalizeLevel(1.5)).toBeUndefined();
  });
});

describe('levelRank / maxLevel', () => {
  it('orders FATAL > ERROR > WARN > INFO > DEBUG', () => {
    const ordered = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
    for (let i = 1; i < ordered.length; i++) expect(levelRank(ordered[i]!)).toBeGreaterThan(levelRank(ordered[i - 1]!));
    expect(maxLevel('WARN', 'ERROR')).toBe('ERROR');
    expect(maxLevel('FATAL', 'INFO')).toBe('FATAL');
  });
});
