import { describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../domain/result.ts';
import { gradeResult } from './grade.ts';

const base: InvestigationResult = {
  investigationId: 'inv-1',
  status: 'completed',
  rootCause: null,
  hypotheses: [],
  specialists: [],
  report: { uri: 'file:///r.md' },
  durationMs: 10,
};
const h = (category: string, resource: string) => ({ category, resource, summary: '', confidence: 0.5, evidence: [] }) as InvestigationResult['hypotheses'][number];
const withRoot = (category: string, resource: string, rest: InvestigationResult['hypotheses'] = []): InvestigationResult => ({
  ...base,
  rootCause: { category: category as never, resource, summary: '', confidence: 0.8 },
  hypotheses: [h(category, resource), ...rest],
});

const expected = {
  category: 'bad-deployment',
  acceptCategories: ['crash-loop'],
  resource: 'Deployment/checkout/checkout-api',
  acceptResources: ['ReplicaSet/checkout/checkout-api-7f9c6d'],
  mentions: ['v1.42.0', 'NullPointerException', 'PriceCalculator', 'rollback'],
};

describe('gradeResult', () => {
  it('accepts the expected or an accepted category on the expected or an accepted resource', () => {
    expect(gradeResult(expected, withRoot('bad-deployment', 'Deployment/checkout/checkout-api'), '').top1).toBe(true);
    expect(gradeResult(expected, withRoot('crash-loop', 'ReplicaSet/checkout/checkout-api-7f9c6d'), '').top1).toBe(true);
    expect(gradeResult(expected, withRoot('oom-killed', 'Deployment/checkout/checkout-api'), '').top1).toBe(false);
    expect(gradeResult(expected, withRoot('bad-deployment', 'Deployment/checkout/payments'), '').top1).toBe(false);
  });

  it('counts a Pod or ReplicaSet owned by the expected Deployment as that Deployment', () => {
    const owners: Record<string, string> = {
      'Pod/checkout/checkout-api-5d8-abcde': 'ReplicaSet/checkout/checkout-api-5d8',
      'ReplicaSet/checkout/checkout-api-5d8': 'Deployment/checkout/checkout-api',
    };
    const grade = gradeResult(expected, withRoot('bad-deployment', 'Pod/checkout/checkout-api-5d8-abcde'), '', (r) => owners[r]);
    expect(grade.top1).toBe(true);
    const other = gradeResult(expected, withRoot('bad-deployment', 'Pod/checkout/cart-1-x'), '', () => 'Deployment/checkout/cart');
    expect(other.top1).toBe(false);
  });

  it('grades top-3 over the first three hypotheses only', () => {
    const third = withRoot('dependency-failure', 'StatefulSet/db/pg', [h('cpu-saturation', 'Deployment/x/y'), h('bad-deployment', 'Deployment/checkout/checkout-api')]);
    expect(gradeResult(expected, third, '').top3).toBe(true);
    expect(gradeResult(expected, third, '').top1).toBe(false);
    const fourth = withRoot('dependency-failure', 'StatefulSet/db/pg', [h('cpu-saturation', 'Deployment/x/y'), h('dns-failure', 'Deployment/x/z'), h('bad-deployment', 'Deployment/checkout/checkout-api')]);
    expect(gradeResult(expected, fourth, '').top3).toBe(false);
  });

  it('measures mentions case-insensitively as a share', () => {
    const grade = gradeResult(expected, withRoot('bad-deployment', 'Deployment/checkout/checkout-api'), 'Image V1.42.0 threw a nullpointerexception in PriceCalculator.');
    expect(grade.mentions).toBe(0.75);
    expect(grade.missingMentions).toEqual(['rollback']);
  });

  it('accepts a null root cause or category none for none, and a missing result is wrong on every count', () => {
    const none = { category: 'none', mentions: ['nightly'] };
    expect(gradeResult(none, base, 'the nightly job').top1).toBe(true);
    expect(gradeResult(none, withRoot('none', ''), '').top1).toBe(true);
    expect(gradeResult(none, withRoot('cpu-saturation', 'Deployment/a/b'), '').top1).toBe(false);
    expect(gradeResult(expected, undefined, undefined)).toEqual({ top1: false, top3: false, mentions: 0, missingMentions: expected.mentions });
  });
});
