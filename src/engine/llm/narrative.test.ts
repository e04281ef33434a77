import { describe, expect, it } from 'vitest';
import type { SpecialistReport } from '../../domain/findings.ts';
import { parseTrigger } from '../../domain/trigger.ts';
import type { Outcome } from '../steps.ts';
import { type NarrativeInput, createNarrator, narrativePrompt, unknownNames, validateNarrative } from './narrative.ts';
import type { ModelPort } from './port.ts';

const ROOT = {
  category: 'dependency-failure' as const,
  resource: 'Deployment/shop/session-redis',
  summary: 'A dependency is down or failing (Deployment/shop/session-redis). It has 0/0 replicas.',
  confidence: 0.82,
  evidence: [{ source: 'kubernetes___scan_cluster_problems', detail: 'ScaledToZero: Deployment/shop/session-redis has 0 replicas' }],
};

const OUTCOME: Outcome = {
  verdict: 'root-cause',
  explanation: 'Ranked first because 3 dependent workload(s) report errors against it.',
  rootCause: ROOT,
  hypotheses: [ROOT, { category: 'crash-loop', resource: 'Deployment/shop/cart', summary: 'cart restarts', confidence: 0.3, evidence: [] }],
  dependencies: { 'Deployment/shop/cart': ['Deployment/shop/session-redis'] },
};

const REPORTS: SpecialistReport[] = [
  {
    name: 'logs',
    status: 'ok',
    findings: [
      {
        signal: 'log-signature',
        resource: 'Workload//cart',
        workload: 'Deployment/shop/cart',
        severity: 'critical',
        since: '2026-03-14T10:20:00Z',
        summary: 'cart logs connection refused to session-redis.shop.svc.cluster.local:6379 (412 after / 0 before)',
        evidence: [{ source: 'logs___summarize_error_signatures', detail: 'dial tcp 10.100.3.7:6379: connect: connection refused' }],
        facts: { targets: ['session-redis.shop.svc.cluster.local:6379'] },
      },
    ],
    healthy: [],
    gaps: [],
    toolCalls: 3,
    durationMs: 1,
    inventory: [{ resource: 'Deployment/shop/session-redis', aliases: ['session-redis.shop.svc.cluster.local'] }, { resource: 'Deployment/shop/cart' }],
  },
];

const DATA: NarrativeInput = {
  input: { investigationId: 'inv-n', trigger: parseTrigger({ type: 'question', question: 'why is the cart failing?' }), now: '2026-03-14T10:32:00Z' },
  outcome: OUTCOME,
  reports: REPORTS,
};

const GOOD = {
  summary: 'The root cause is a dependency-failure of `Deployment/shop/session-redis`: it was scaled to zero, so `Deployment/shop/cart` cannot reach it.',
  explanation: 'From 10:20 cart logged connection refused to session-redis.shop.svc.cluster.local:6379, 412 times after the change and never before.',
};

describe('validating the narrative', () => {
  it('accepts prose that names the root cause and only resources from the evidence', () => {
    expect(validateNarrative(JSON.stringify(GOOD), DATA, 'model-x')).toEqual({ ok: true, narrative: { ...GOOD, model: 'model-x' } });
    // The category in words counts as naming it; a fenced answer is fine.
    const worded = { ...GOOD, summary: GOOD.summary.replace('dependency-failure', 'dependency failure') };
    expect(validateNarrative('```json\n' + JSON.stringify(worded) + '\n```', DATA, 'm').ok).toBe(true);
  });

  it('keeps the engine text when the summary does not name the root cause', () => {
    expect(validateNarrative(JSON.stringify({ ...GOOD, summary: 'Redis `Deployment/shop/session-redis` went away and the cart broke with it.' }), DATA, 'm')).toEqual({
      ok: false,
      reason: 'narrative rejected: the summary does not name the root cause category dependency-failure',
    });
    expect(validateNarrative(JSON.stringify({ ...GOOD, summary: 'A dependency-failure: the session store was scaled to zero and the cart broke.' }), DATA, 'm')).toEqual({
      ok: false,
      reason: 'narrative rejected: the summary does not name the root cause resource Deployment/shop/session-redis',
    });
  });

  it('rejects names absent from the evidence, in every form', () => {
    const with_ = (extra: string) => JSON.stringify({ ...GOOD, explanation: `${GOOD.explanation} ${extra}` });
    expect(validateNarrative(with_('The `StatefulSet/shop/orders-db` is fine.'), DATA, 'm')).toEqual({ ok: false, reason: 'narrative rejected: it names StatefulSet/shop/orders-db, absent from the evidence' });
    expect(validateNarrative(with_('It also affects shop/checkout.'), DATA, 'm').ok).toBe(false);
    expect(validateNarrative(with_('Clients of redis-primary.shop.svc.cluster.local failed too.'), DATA, 'm').ok).toBe(false);
    expect(validateNarrative(with_('Restart `session-redis-7d9f` pods.'), DATA, 'm').ok).toBe(false);
    expect(validateNarrative(with_('The cart-worker also failed.'), DATA, 'm').ok).toBe(false);
    expect(validateNarrative(with_('Compare with version 2.4.1 of session-store.example.com.'), DATA, 'm').ok).toBe(false);
  });

  it('does not mistake ordinary words for resources', () => {
    expect(unknownNames('Pods were 0/3 ready and/or restarting; a short-lived, well-known follow-up, e.g. a rollback.', DATA)).toEqual([]);
    expect(unknownNames('The shop/cart workload and the Node//ip-10-0-1-12 node.', DATA)).toEqual(['Node//ip-10-0-1-12']);
  });

  it('rejects what is not the expected JSON', () => {
    expect(validateNarrative('The root cause is dependency-failure on Deployment/shop/session-redis.', DATA, 'm')).toEqual({ ok: false, reason: 'narrative rejected: not the expected JSON {summary, explanation}' });
  });
});

describe('the narrator', () => {
  it('sends the structured outcome and the allowed resources, and validates the answer', async () => {
    const requests: string[] = [];
    const model: ModelPort = {
      name: 'fake',
      converse: async (r) => {
        requests.push(r.messages[0]!.content.map((b) => ('text' in b ? b.text : '')).join(''));
        expect(r.tools).toBeUndefined();
        return { message: { role: 'assistant', content: [{ text: JSON.stringify(GOOD) }] }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 }, model: 'fake-model-v2' };
      },
    };
    expect(await createNarrator(model)(DATA)).toEqual({ ok: true, narrative: { ...GOOD, model: 'fake-model-v2' } });
    const payload = JSON.parse(requests[0]!.slice(requests[0]!.indexOf('{')));
    expect(payload.rootCause).toMatchObject({ category: 'dependency-failure', resource: 'Deployment/shop/session-redis', confidence: 0.82 });
    expect(payload.otherHypotheses).toEqual([{ category: 'crash-loop', resource: 'Deployment/shop/cart', confidence: 0.3, summary: 'cart restarts' }]);
    expect(payload.timeline).toEqual([{ at: '2026-03-14T10:20:00Z', source: 'logs___summarize_error_signatures', event: REPORTS[0]!.findings[0]!.summary }]);
    expect(payload.resources).toEqual(expect.arrayContaining(['Deployment/shop/session-redis', 'Deployment/shop/cart', 'Workload//cart']));
  });

  it('is not asked without a root cause, and a failing model leaves the engine text', async () => {
    let asked = 0;
    const failing: ModelPort = {
      name: 'down',
      converse: async () => {
        asked += 1;
        throw new Error('all models failed');
      },
    };
    const narrator = createNarrator(failing);
    expect(await narrator({ ...DATA, outcome: { ...OUTCOME, verdict: 'nothing-found', rootCause: null } })).toMatchObject({ ok: false });
    expect(asked).toBe(0);
    expect(await narrator(DATA)).toEqual({ ok: false, reason: 'the model could not write the narrative: all models failed' });
    expect(narrativePrompt(DATA)).toContain('"whyRankedFirst"');
  });
});
