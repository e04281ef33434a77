import { describe, expect, it } from 'vitest';
import { accessLogTimestamp, klogTimestamp, leadingTimestamp, timestampValue } from './timestamp.ts';

const REF = Date.parse('2026-03-14T10:32:00Z');
const at = (iso: string) => Date.parse(iso);

describe('leadingTimestamp', () => {
  it.each([
    ['2026-03-14T10:31:52.123Z [INFO] x', '2026-03-14T10:31:52.123Z', 24],
    ['2026-03-14T10:31:52Z x', '2026-03-14T10:31:52.000Z', 20],
    ['2026-03-14T10:31:52.123456789Z x', '2026-03-14T10:31:52.123Z', 30],
    ['2026-03-14 10:31:52,123 INFO app', '2026-03-14T10:31:52.123Z', 23],
    ['2026-03-14 11:31:52.123+01:00 x', '2026-03-14T10:31:52.123Z', 29],
    ['2026-03-14T05:31:52.123-0500 x', '2026-03-14T10:31:52.123Z', 28],
    ['2026-03-14 10:31:52.123 UTC [1] LOG:  x', '2026-03-14T10:31:52.123Z', 27],
    ['[2026-03-14T10:31:52.123Z] x', '2026-03-14T10:31:52.123Z', 26],
    ['2026/03/14 10:31:52 [error] 29#29: x', '2026-03-14T10:31:52.000Z', 19],
  ])('%s', (line, iso, end) => {
    expect(leadingTimestamp(line, REF)).toEqual({ ms: at(iso), end });
  });

  it('dates a syslog stamp with the nearest year and a time of day with the nearest day', () => {
    expect(leadingTimestamp('Mar 14 10:31:52 host sshd[1]: x', REF)?.ms).toBe(at('2026-03-14T10:31:52Z'));
    // Just after midnight, a stamp from just before midnight is yesterday's.
    const ref = at('2026-01-01T00:00:30Z');
    expect(leadingTimestamp('Dec 31 23:59:50 host x', ref)?.ms).toBe(at('2025-12-31T23:59:50Z'));
    expect(leadingTimestamp('23:59:50.250 [main] INFO x', ref)?.ms).toBe(at('2025-12-31T23:59:50.250Z'));
  });

  it('rejects lines that do not start with a stamp, and impossible dates', () => {
    expect(leadingTimestamp('GET /api 200', REF)).toBeUndefined();
    expect(leadingTimestamp('1 --- [main]', REF)).toBeUndefined();
    expect(leadingTimestamp('2026-02-31T10:00:00Z x', REF)).toBeUndefined();
    expect(leadingTimestamp('', REF)).toBeUndefined();
  });
});

describe('accessLogTimestamp', () => {
  it('reads the Common Log Format stamp with its offset', () => {
    expect(accessLogTimestamp('10.0.0.1 - - [14/Mar/2026:11:31:52 +0100] "GET / HTTP/1.1" 200 12')).toBe(at('2026-03-14T10:31:52Z'));
    expect(accessLogTimestamp('no stamp here')).toBeUndefined();
  });
});

describe('klogTimestamp', () => {
  it('dates klog MMDD with the reference year', () => {
    expect(klogTimestamp('0314', '10:31:52.123456', REF)).toBe(at('2026-03-14T10:31:52.123Z'));
  });
});

describe('timestampValue', () => {
  it('reads ISO strings in production forms and epoch numbers of any unit', () => {
    expect(timestampValue('2026-03-14T10:31:52.374393317Z', REF)).toBe(at('2026-03-14T10:31:52.374Z'));
    expect(timestampValue('2026-03-14 10:31:52,374', REF)).toBe(at('2026-03-14T10:31:52.374Z'));
    expect(timestampValue('2026-03-14 10:31:52 UTC', REF)).toBe(at('2026-03-14T10:31:52Z'));
    expect(timestampValue(1773484312.374, REF)).toBe(1773484312374); // zap ts: seconds
    expect(timestampValue(1773484312374, REF)).toBe(1773484312374); // pino time: ms
    expect(timestampValue(1773484312374123, REF)).toBe(1773484312374); // µs
    expect(timestampValue('1773484312374123456', REF)).toBe(1773484312374); // ns as text
    expect(timestampValue({ $date: '2026-03-14T10:31:52Z' }, REF)).toBe(at('2026-03-14T10:31:52Z'));
  });

  it('is undefined for values that are not times', () => {
    expect(timestampValue('yesterday', REF)).toBeUndefined();
    expect(timestampValue(true, REF)).toBeUndefined();
    expect(timestampValue(-5, REF)).toBeUndefined();
  });
});
