import { describe, expect, it } from 'vitest';
import { summarizeSignatures, summarizeSources } from './summaries.ts';
import { T0, records } from './test-records.ts';

const recs = records([
  { at: 10, log: '{"level":"info","msg":"ok"}' },
  { at: 20, log: '{"level":"warn","msg":"retry: getaddrinfo EAI_AGAIN api.parcelhub.io"}', pod: 'label-printer-6c9d8f7b5-k2x9p', namespace: 'shipping' },
  { at: 400, log: '{"level":"error","msg":"carrier call failed: getaddrinfo EAI_AGAIN api.parcelhub.io"}', pod: 'label-printer-6c9d8f7b5-k2x9p', namespace: 'shipping' },
  { at: 410, log: '{"level":"error","msg":"x509: certificate has expired or is not yet valid"}' },
  { at: 420, log: '{"level":"fatal","msg":"cannot start"}' },
]);

describe('summarizeSources', () => {
  it('one row per service with its workloads and counts, most errors first', () => {
    const rows = summarizeSources(recs);
    expect(rows.map((r) => [r.service, r.lines, r.errors, r.warnings])).toEqual([
      ['checkout-api', 3, 2, 0],
      ['label-printer', 2, 1, 1],
    ]);
    expect(rows[1]).toMatchObject({ namespaces: ['shipping'], workloads: ['Deployment/shipping/label-printer'], podCount: 1, logGroups: ['/aws/containerinsights/prod/application'] });
    expect(rows[0]!.firstSeen).toBe(T0 + 10_000);
  });
});

describe('summarizeSignatures', () => {
  const pivot = T0 + 300_000;
  const rows = summarizeSignatures(recs, pivot);
  const byKey = Object.fromEntries(rows.map((r) => [`${r.kind}:${r.value}`, r]));

  it('counts each signature value before and after the pivot', () => {
    expect(byKey['hosts:api.parcelhub.io']).toMatchObject({ count: 2, countBefore: 1, countAfter: 1, isNew: false, level: 'ERROR', services: ['label-printer'] });
    expect(byKey['conditions:dns_failure']!.example).toBe('carrier call failed: getaddrinfo EAI_AGAIN api.parcelhub.io');
    expect(byKey['tls_errors:certificate_expired']).toMatchObject({ count: 1, isNew: true });
  });

  it('puts new signatures first and can keep one kind', () => {
    expect(rows[0]!.isNew).toBe(true);
    expect(rows.findIndex((r) => !r.isNew)).toBeGreaterThan(rows.findLastIndex((r) => r.isNew));
    const only = summarizeSignatures(recs, pivot, new Set(['conditions'] as const));
    expect(new Set(only.map((r) => r.kind))).toEqual(new Set(['conditions']));
  });
});
