import { describe, expect, it } from 'vitest';
import { InputError } from '../domain/errors.ts';
import { fromLabelSelectorObject, fromMap, matchesSelector, parseLabelSelector } from './selectors.ts';

const labels = { app: 'checkout', tier: 'web', env: 'prod' };

describe('label selectors', () => {
  it('parses equality, inequality, set-based and existence requirements as kubectl does', () => {
    expect(matchesSelector(labels, parseLabelSelector('app=checkout'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('app==checkout,tier!=db'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('env in (prod, stage),tier notin (db)'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('env in (stage)'))).toBe(false);
    expect(matchesSelector(labels, parseLabelSelector('app,!canary'))).toBe(true);
    expect(matchesSelector(labels, parseLabelSelector('!app'))).toBe(false);
    expect(matchesSelector(labels, parseLabelSelector('app.kubernetes.io/name!=x'))).toBe(true);
  });

  it('rejects malformed selectors naming the argument', () => {
    try {
      parseLabelSelector('app=(x');
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe('label_selector');
    }
  });

  it('reads API selectors: matchLabels with matchExpressions, and Service selector maps', () => {
    const sel = fromLabelSelectorObject({ matchLabels: { app: 'checkout' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }, { key: 'canary', operator: 'DoesNotExist' }] });
    expect(matchesSelector(labels, sel)).toBe(true);
    expect(matchesSelector({ ...labels, canary: 'true' }, sel)).toBe(false);
    expect(matchesSelector(labels, fromMap({ app: 'checkout', tier: 'web' }))).toBe(true);
    expect(matchesSelector(labels, fromMap({ app: 'payments' }))).toBe(false);
  });
});
