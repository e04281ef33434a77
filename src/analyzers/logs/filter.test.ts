import { describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.ts';
import { compileTextPattern, fieldValues, matchesFilter, matchesSource, matchesText } from './filter.ts';
import { records } from './test-records.ts';

const [jsonLine, textLine, dbLine] = records([
  { at: 1, log: '{"level":"error","msg":"charge failed","status":502,"http":{"route":"/pay"},"latency_ms":"1200ms"}', labels: { app: 'checkout' } },
  { at: 2, log: '2026-03-14T10:00:02Z WARN retrying payment attempt=3 provider=stripe', pod: 'checkout-worker-5d8f7c6b9-x7k2p' },
  { at: 3, log: '2026-03-14 10:00:03.000 UTC [1] FATAL:  could not write lock file: No space left on device', pod: 'orders-db-0', namespace: 'orders', container: 'postgres' },
]);

describe('compileTextPattern / matchesText', () => {
  it('plain text is a case-insensitive substring of the line (JSON included)', () => {
    expect(matchesText(jsonLine!, compileTextPattern('CHARGE FAILED', 'pattern'))).toBe(true);
    expect(matchesText(jsonLine!, compileTextPattern('"status":502', 'pattern'))).toBe(true);
    expect(matchesText(textLine!, compileTextPattern('charge', 'pattern'))).toBe(false);
  });

  it('/regex/flags is a regular expression; an invalid one names the field', () => {
    expect(matchesText(textLine!, compileTextPattern('/attempt=\\d+/', 'pattern'))).toBe(true);
    expect(matchesText(textLine!, compileTextPattern('/RETRYING/', 'pattern'))).toBe(false);
    expect(matchesText(textLine!, compileTextPattern('/RETRYING/i', 'pattern'))).toBe(true);
    expect(() => compileTextPattern('/(unclosed/', 'filter.text')).toThrow(InputError);
    try {
      compileTextPattern('/(unclosed/', 'filter.text');
    } catch (error) {
      expect((error as InputError).field).toBe('filter.text');
    }
    expect(() => compileTextPattern('   ', 'pattern')).toThrow(/must not be empty/);
  });
});

describe('matchesSource', () => {
  it('matches service, workload, container, namespace, pod and app label names, any case', () => {
    for (const name of ['checkout', 'CHECKOUT-API', 'checkout-api-7f9c6d5b4-x2k4p']) expect(matchesSource(jsonLine!, name)).toBe(true);
    expect(matchesSource(dbLine!, 'orders-db')).toBe(true);
    expect(matchesSource(dbLine!, 'postgres')).toBe(true);
    expect(matchesSource(dbLine!, 'checkout')).toBe(false);
  });

  it('matches resources exactly', () => {
    expect(matchesSource(jsonLine!, 'Deployment/checkout/checkout-api')).toBe(true);
    expect(matchesSource(jsonLine!, 'deployment/checkout/checkout-api')).toBe(true);
    expect(matchesSource(jsonLine!, 'Deployment/other/checkout-api')).toBe(false);
    expect(matchesSource(jsonLine!, 'ReplicaSet/checkout/checkout-api-7f9c6d5b4')).toBe(true);
    expect(matchesSource(dbLine!, 'StatefulSet/orders/orders-db')).toBe(true);
    expect(matchesSource(dbLine!, 'Pod/orders/orders-db-0')).toBe(true);
  });
});

describe('matchesFilter', () => {
  it('combines level, pod prefix, workload, field equality and exclusion', () => {
    expect(matchesFilter(jsonLine!, { minLevel: 'ERROR' })).toBe(true);
    expect(matchesFilter(textLine!, { minLevel: 'ERROR' })).toBe(false);
    expect(matchesFilter(jsonLine!, { pod: 'checkout-api-7f9c6d5b4' })).toBe(true);
    expect(matchesFilter(jsonLine!, { pod: 'checkout-api-7f9c' })).toBe(false);
    expect(matchesFilter(textLine!, { workload: 'checkout-worker' })).toBe(true);
    expect(matchesFilter(jsonLine!, { fieldEquals: [{ field: 'status', value: '502' }] })).toBe(true);
    expect(matchesFilter(jsonLine!, { fieldEquals: [{ field: 'status', value: '503' }] })).toBe(false);
    expect(matchesFilter(textLine!, { fieldEquals: [{ field: 'provider', value: 'Stripe' }] })).toBe(true);
    expect(matchesFilter(jsonLine!, { exclude: compileTextPattern('charge', 'x') })).toBe(false);
  });
});

describe('fieldValues', () => {
  it('resolves built-ins, signature kinds, labels and structured fields', () => {
    expect(fieldValues(jsonLine!, 'service')).toEqual(['checkout']);
    expect(fieldValues(jsonLine!, 'workload')).toEqual(['checkout-api']);
    expect(fieldValues(jsonLine!, 'workload_kind')).toEqual(['Deployment']);
    expect(fieldValues(jsonLine!, 'label.app')).toEqual(['checkout']);
    expect(fieldValues(jsonLine!, 'http.route')).toEqual(['/pay']);
    expect(fieldValues(jsonLine!, 'http_status')).toEqual(['502']);
    expect(fieldValues(dbLine!, 'condition')).toEqual(['disk_full']);
    expect(fieldValues(textLine!, 'attempt')).toEqual(['3']);
    expect(fieldValues(textLine!, 'nope')).toBeUndefined();
  });
});
