import { describe, expect, it } from 'vitest';
import { analyzePatterns } from './patterns.ts';
import { T0, records } from './test-records.ts';

// One hour; the pivot at 40 minutes (2400 s): 40 minutes before, 20 after.
const window = { start: T0, end: T0 + 3_600_000 };
const pivot = T0 + 2_400_000;

function lines() {
  const specs = [];
  // Steady INFO traffic at the same rate on both sides.
  for (let s = 0; s < 3600; s += 60) specs.push({ at: s, log: `{"level":"info","msg":"order ${s} created in ${s % 7}ms"}` });
  // A warning seen twice before, eight times after: rate ×8.
  for (const s of [100, 1800]) specs.push({ at: s, log: '{"level":"warn","msg":"inventory slow: 1200 ms"}' });
  for (let i = 0; i < 8; i++) specs.push({ at: 2500 + i * 60, log: `{"level":"warn","msg":"inventory slow: ${1300 + i} ms"}` });
  // An error that only appears after the pivot, from two pods, naming endpoints.
  for (let i = 0; i < 5; i++) {
    specs.push({
      at: 2450 + i * 30,
      log: `{"level":"error","msg":"query failed: dial tcp 10.0.3.${i % 2 + 7}:5432: connect: connection refused"}`,
      pod: i % 2 ? 'checkout-api-7f9c6d5b4-x2k4p' : 'checkout-api-7f9c6d5b4-q8z2m',
      image: 'registry/checkout-api:v1.42.0',
    });
  }
  return records(specs);
}

describe('analyzePatterns', () => {
  const analysis = analyzePatterns(lines(), { window, pivot, minOccurrences: 1 });
  const [first, second, third] = analysis.patterns;

  it('ranks the new error first, with who logged it and what it names', () => {
    expect(first).toMatchObject({
      template: 'query failed: dial tcp <*>: connect: connection refused',
      count: 5,
      countBefore: 0,
      countAfter: 5,
      isNew: true,
      anomalous: true,
      level: 'ERROR',
      services: ['checkout-api'],
      workloads: ['Deployment/checkout/checkout-api'],
      podCount: 2,
      images: ['registry/checkout-api:v1.42.0'],
    });
    expect(first!.spikeRatio).toBeUndefined();
    expect(first!.signature.endpoints?.sort()).toEqual(['10.0.3.7:5432', '10.0.3.8:5432']);
    expect(first!.signature.conditions).toEqual(['connection_refused']);
    expect(first!.sample).toBe('query failed: dial tcp 10.0.3.7:5432: connect: connection refused');
    expect(first!.firstSeen).toBe(T0 + 2_450_000);
  });

  it('measures a spike as a rate ratio across unequal halves', () => {
    expect(second).toMatchObject({ template: 'inventory slow: <*> ms', countBefore: 2, countAfter: 8, isNew: false, anomalous: true, level: 'WARN' });
    // (8 / 20 min) / (2 / 40 min) = 8
    expect(second!.spikeRatio).toBe(8);
  });

  it('puts steady INFO traffic last and not anomalous', () => {
    expect(third).toMatchObject({ level: 'INFO', anomalous: false });
    expect(third!.spikeRatio).toBeCloseTo(1, 0);
    expect(analysis.lines).toBe(75);
  });

  it('drops patterns below min_occurrences', () => {
    const strict = analyzePatterns(lines(), { window, pivot, minOccurrences: 6 });
    expect(strict.patterns.map((p) => p.template)).toEqual(['inventory slow: <*> ms', expect.stringContaining('order')]);
    expect(strict.templates).toBe(3);
  });
});
