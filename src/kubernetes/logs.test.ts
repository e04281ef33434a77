import { describe, expect, it } from 'vitest';
import { filterLog, lastErrorLine, parseTimestampedLog } from './logs.ts';

const LOG = [
  '2026-03-14T10:20:00.123456789Z Starting checkout-api v2.31.0',
  '2026-03-14T10:21:00.000000001Z INFO ready in 3.2s',
  '2026-03-14T10:25:10.5Z ERROR Unhandled exception in request POST /checkout',
  '2026-03-14T10:25:10.5Z java.lang.NullPointerException: Cannot invoke "Price.amount()" because "price" is null',
  '2026-03-14T10:25:10.5Z \tat com.shop.PriceCalculator.total(PriceCalculator.java:88)',
  '\tat com.shop.CheckoutController.post(CheckoutController.java:41)',
  '2026-03-14T10:30:00+00:00 WARN retrying payment call',
  '',
].join('\n');

describe('container logs', () => {
  it('splits kubectl --timestamps output into one entry per line; unstamped lines inherit the previous time', () => {
    const lines = parseTimestampedLog(LOG);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toEqual({ time: Date.parse('2026-03-14T10:20:00.123Z'), message: 'Starting checkout-api v2.31.0' });
    expect(lines[5]).toEqual({ time: Date.parse('2026-03-14T10:25:10.500Z'), message: '\tat com.shop.CheckoutController.post(CheckoutController.java:41)' });
    expect(lines[6]!.time).toBe(Date.parse('2026-03-14T10:30:00Z'));
  });

  it('filters by time and case-insensitive pattern, keeping the last lines as --tail does', () => {
    const lines = parseTimestampedLog(LOG);
    const since = filterLog(lines, { since: Date.parse('2026-03-14T10:25:00Z'), limit: 100 });
    expect(since.total_count).toBe(5);
    const errors = filterLog(lines, { pattern: 'exception|error', limit: 100 });
    expect(errors.lines.map((l) => l.message)).toEqual([
      'ERROR Unhandled exception in request POST /checkout',
      'java.lang.NullPointerException: Cannot invoke "Price.amount()" because "price" is null',
    ]);
    const tail = filterLog(lines, { limit: 2 });
    expect(tail).toMatchObject({ total_count: 7, truncated: true });
    expect(tail.lines.map((l) => l.message)).toEqual(['\tat com.shop.CheckoutController.post(CheckoutController.java:41)', 'WARN retrying payment call']);
    // Not a valid regular expression: matched as plain text.
    expect(filterLog(lines, { pattern: 'Price.amount()" because (', limit: 10 }).total_count).toBe(0);
    expect(filterLog(lines, { pattern: 'POST /checkout', limit: 10 }).total_count).toBe(1);
  });
});

describe('lastErrorLine', () => {
  it('finds the exception that opened the last Java stack trace', () => {
    expect(lastErrorLine(parseTimestampedLog(LOG))?.message).toBe('java.lang.NullPointerException: Cannot invoke "Price.amount()" because "price" is null');
  });

  it('finds the final line of a Python traceback and skips source excerpts', () => {
    const py = [
      '2026-01-22T15:22:50.766Z Traceback (most recent call last):',
      '2026-01-22T15:22:50.767Z   File "/app/settings.py", line 29, in from_env',
      '2026-01-22T15:22:50.767Z     upstream_api_url=os.environ["UPSTREAM_API_URL"],',
      '2026-01-22T15:22:50.767Z                      ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^',
      "2026-01-22T15:22:50.767Z KeyError: 'UPSTREAM_API_URL'",
    ].join('\n');
    expect(lastErrorLine(parseTimestampedLog(py))?.message).toBe("KeyError: 'UPSTREAM_API_URL'");
    expect(lastErrorLine(parseTimestampedLog('2026-01-22T15:00:00Z all good\n'))).toBeUndefined();
  });
});
