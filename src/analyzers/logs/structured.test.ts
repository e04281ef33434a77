import { describe, expect, it } from 'vitest';
import { getField, looksLikeLogfmt, parseJsonObject, parseLogfmt } from './structured.ts';

describe('parseLogfmt', () => {
  it('reads bare and quoted values with escapes, skipping words between pairs', () => {
    expect(parseLogfmt('level=error msg="rank \\"deadline\\" exceeded" path=/api/v2/feed status=503 dur_ms=1502')).toEqual({
      level: 'error',
      msg: 'rank "deadline" exceeded',
      path: '/api/v2/feed',
      status: '503',
      dur_ms: '1502',
    });
    expect(parseLogfmt('request failed status=503 "quoted words" path=/x')).toEqual({ status: '503', path: '/x' });
    expect(parseLogfmt('empty= next=1')).toEqual({ empty: '', next: '1' });
  });

  it('detects logfmt lines', () => {
    expect(looksLikeLogfmt('time=2026-03-10T17:50:10.961Z level=info msg="authorization completed"')).toBe(true);
    expect(looksLikeLogfmt('user=alice clicked')).toBe(false);
    expect(looksLikeLogfmt('GET /x 200')).toBe(false);
  });
});

describe('parseJsonObject / getField', () => {
  it('parses only whole JSON objects', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonObject('[1,2]')).toBeUndefined();
    expect(parseJsonObject('{"a":1} trailing')).toBeUndefined();
    expect(parseJsonObject('{broken}')).toBeUndefined();
  });

  it('reads exact dotted keys first, then nested paths', () => {
    const fields = { 'log.level': 'warn', http: { response: { status_code: 503 } } };
    expect(getField(fields, 'log.level')).toBe('warn');
    expect(getField(fields, 'http.response.status_code')).toBe(503);
    expect(getField(fields, 'http.missing.x')).toBeUndefined();
  });
});
