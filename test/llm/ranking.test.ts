/**
 * How much a model's validated claims weigh: a modest, quote-scaled weight that can put a hypothesis on the
 * table but never, on its own, name the root cause — checked on synthetic reports and against an adversarial
 * model on every bundled scenario.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, SpecialistReport } from '../../src/domain/findings.ts';
import { parseTrigger } from '../../src/domain/trigger.ts';
import { type InvestigationRun, investigate } from '../../src/engine/investigate.ts';
import { DEFAULT_LIMITS } from '../../src/engine/llm/config.ts';
import { specialistLlm } from '../../src/engine/llm/specialist-loop.ts';
import type { ModelPort, ModelRequest, ModelResponse } from '../../src/engine/llm/port.ts';
import { MODEL_HYPOTHESIS_MAX_WEIGHT, modelHypothesisWeight } from '../../src/engine/reasoning/candidates.ts';
import { ROOT_CAUSE_BAR, analyze } from '../../src/engine/reasoning/decide.ts';
import { MODEL_ONLY_CEILING } from '../../src/engine/reasoning/rank.ts';
import { planInvestigation } from '../../src/engine/steps.ts';
import { startLocalGateway } from '../../src/local/gateway.ts';
import { createMcpToolClient } from '../../src/mcp/client.ts';
import { CATEGORIES, type Category } from '../../src/domain/taxonomy.ts';

const INPUT = { investigationId: 'inv-rank', trigger: parseTrigger({ type: 'question', question: 'why is api in shop failing?' }), now: '2026-03-14T10:32:00.000Z' };
const PLAN = planInvestigation(INPUT);

function modelFinding(category: Category, resource: string, quotes: number): Finding {
  return {
    signal: 'model-hypothesis',
    resource,
    severity: 'warning',
    summary: `Model hypothesis (${category}): x`,
    evidence: Array.from({ length: quotes }, (_, i) => ({ source: 'kubernetes___get_pod_status', detail: `quote number ${i} of the tool result` })),
    facts: { categories: [category], count: quotes },
  };
}

function report(findings: Finding[]): SpecialistReport {
  return { name: 'kubernetes', status: 'ok', findings, healthy: [], gaps: [], toolCalls: 1, durationMs: 1, inventory: [{ resource: 'Deployment/shop/api', health: 'degraded' }] };
}

describe('the weight of a model hypothesis', () => {
  it('grows with the quotes it cites and stays modest', () => {
    expect([0, 1, 2, 3, 4, 8].map(modelHypothesisWeight)).toEqual([0, 0.12, 0.18, 0.24, 0.3, 0.3]);
    expect(MODEL_HYPOTHESIS_MAX_WEIGHT).toBeLessThan(0.6);
    expect(MODEL_ONLY_CEILING).toBeLessThan(ROOT_CAUSE_BAR);
  });

  it('puts a hypothesis in the ranking without making it the root cause, even where a refinement would boost it', () => {
    // probe-failure with no application errors gets a +0.3 boost in ranking; on the model's word alone it must not clear the bar.
    const analysis = analyze(PLAN, [report([modelFinding('probe-failure', 'Deployment/shop/api', 8), modelFinding('oom-killed', 'Deployment/shop/api', 1)])]);
    expect(analysis.verdict).toBe('nothing-found');
    expect(analysis.rootCause).toBeNull();
    const probe = analysis.hypotheses.find((h) => h.category === 'probe-failure')!;
    expect(probe.resource).toBe('Deployment/shop/api');
    expect(probe.confidence).toBeLessThanOrEqual(MODEL_ONLY_CEILING);
    expect(probe.confidence).toBeGreaterThan(analysis.hypotheses.find((h) => h.category === 'oom-killed')!.confidence);
    expect(probe.evidence[0]).toEqual({ source: 'kubernetes___get_pod_status', detail: 'quote number 0 of the tool result' });
  });

  it('lists its evidence beside the engine’s for a cause the engine found, without moving the score', () => {
    const direct: Finding = {
      signal: 'pod-oom-killed',
      resource: 'Pod/shop/api-1',
      workload: 'Deployment/shop/api',
      severity: 'critical',
      summary: 'api-1 OOMKilled',
      since: '2026-03-14T10:20:00.000Z',
      evidence: [{ source: 'kubernetes___scan_cluster_problems', detail: 'OOMKilled: exit code 137' }],
    };
    const runnerUp: Finding = {
      signal: 'metric-anomaly',
      resource: 'Deployment/shop/api',
      workload: 'Deployment/shop/api',
      severity: 'warning',
      summary: 'CPU up',
      since: '2026-03-14T10:21:00.000Z',
      evidence: [{ source: 'metrics___detect_metric_anomalies', detail: 'cpu 95%' }],
      facts: { metricKind: 'cpu', direction: 'up', score: 8, unit: 'Percent', value: 95 },
    };
    const alone = analyze(PLAN, [report([direct, runnerUp])]);
    expect(alone.hypotheses.map((h) => h.category)).toEqual(['oom-killed', 'cpu-saturation']);
    // The model backs the engine's winner and, harder, its runner-up with the most quotes it can.
    const backed = analyze(PLAN, [report([direct, runnerUp, modelFinding('oom-killed', 'Deployment/shop/api', 2), modelFinding('cpu-saturation', 'Deployment/shop/api', 8)])]);
    expect(backed.hypotheses.map((h) => [h.category, h.confidence])).toEqual(alone.hypotheses.map((h) => [h.category, h.confidence]));
    expect(backed.rootCause!.category).toBe('oom-killed');
    expect(backed.rootCause!.evidence.slice(0, alone.rootCause!.evidence.length)).toEqual(alone.rootCause!.evidence);
    expect(backed.rootCause!.evidence.slice(alone.rootCause!.evidence.length)).toEqual([
      { source: 'kubernetes___get_pod_status', detail: 'quote number 0 of the tool result' },
      { source: 'kubernetes___get_pod_status', detail: 'quote number 1 of the tool result' },
    ]);
  });
});

/**
 * The worst a grounded model can do: in every round, for the kubernetes specialist, back the engine's runner-up
 * and put wrong causes on the busiest workloads, each with the maximum number of valid quotes.
 */
function adversary(runnerUp: { category: Category; resource: string } | undefined, wrong: Category): ModelPort {
  return {
    name: 'adversary',
    async converse(request: ModelRequest): Promise<ModelResponse> {
      const reply = (content: ModelResponse['message']['content']): ModelResponse => ({ message: { role: 'assistant', content }, stopReason: 'end_turn', usage: { inputTokens: 0, outputTokens: 0 }, model: 'adversary' });
      if (!/^You are the Kubernetes specialist/.test(request.system)) return reply([{ text: '{"hypotheses":[],"observations":[]}' }]);
      const results = request.messages.flatMap((m) => m.content.flatMap((b) => ('toolResult' in b ? b.toolResult.content.map((c) => c.text) : [])));
      if (!results.length) return reply([{ toolUse: { toolUseId: 'pods', name: 'kubernetes___get_pod_status', input: { limit: 200 } } }]);
      // The result may be cut at the byte budget, so read it as text: JSON string literals are verbatim quotes.
      const text = results[0]!;
      const strings = [...text.matchAll(/"([^"\\]{20,200})"/g)].map((m) => m[1]!);
      const evidence = [...new Set(strings)].slice(0, 5).map((quote) => ({ source: 'kubernetes___get_pod_status', quote: quote.slice(0, 60) }));
      const workloads = [...new Set([...text.matchAll(/"workload":"([^"]+)"/g)].map((m) => m[1]!))].slice(0, 4);
      const hypotheses = [
        ...(runnerUp ? [{ ...runnerUp, summary: 'Backing the runner-up.', evidence }] : []),
        ...workloads.map((resource) => ({ category: wrong, resource, summary: 'A wrong cause.', evidence })),
      ];
      return reply([{ text: JSON.stringify({ hypotheses, observations: [] }) }]);
    },
  };
}

const SCENARIOS = resolve(import.meta.dirname, '../../fixtures/scenarios');
const clients: Array<ReturnType<typeof createMcpToolClient>> = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function runScenario(dir: string, model?: ModelPort): Promise<InvestigationRun> {
  const gateway = await startLocalGateway({ scenarioDir: dir });
  try {
    const input = { investigationId: 'inv-adversary', trigger: parseTrigger(gateway.scenario.trigger), now: new Date(gateway.scenario.now).toISOString() };
    return await investigate(input, {
      tools: (name) => {
        const c = createMcpToolClient({ url: gateway.mcpUrl, tokens: gateway.tokens, backends: [name] });
        clients.push(c);
        return c;
      },
      reports: { uriFor: (id) => `memory://${id}`, put: async (id) => `memory://${id}` },
      ...(model ? { llm: specialistLlm({ model, limits: DEFAULT_LIMITS }) } : {}),
    });
  } finally {
    await gateway.close();
  }
}

describe('an adversarial model on every bundled scenario', () => {
  const dirs = readdirSync(SCENARIOS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(SCENARIOS, d.name))
    .filter((d) => {
      try {
        readFileSync(join(d, 'expected.json'));
        return true;
      } catch {
        return false;
      }
    });

  it('finds the scenarios', () => {
    expect(dirs.length).toBeGreaterThan(10);
  });

  it.each(dirs.map((d) => [d.slice(SCENARIOS.length + 1), d]))('%s: the root cause does not move', async (_name, dir) => {
    const baseline = await runScenario(dir);
    const expected = baseline.result.rootCause?.category;
    const runnerUp = baseline.result.hypotheses.find((h) => h.category !== expected || h.resource !== baseline.result.rootCause?.resource);
    const wrong = CATEGORIES.find((c) => c !== 'none' && c !== expected && c !== runnerUp?.category && c !== 'bad-deployment')!;
    const attacked = await runScenario(dir, adversary(runnerUp ? { category: runnerUp.category, resource: runnerUp.resource } : undefined, wrong));
    // The adversary's claims were accepted (grounded) — and still did not move the verdict.
    const accepted = attacked.rounds.flat().flatMap((r) => r.findings).filter((f) => f.signal === 'model-hypothesis');
    expect(accepted.length, JSON.stringify(attacked.result.gaps)).toBeGreaterThan(0);
    const show = (r: InvestigationRun) => r.result.hypotheses.map((h) => `${h.category} ${h.resource} ${h.confidence}`).join(' | ');
    expect(attacked.result.rootCause?.category ?? null, `${show(baseline)}\n${show(attacked)}`).toBe(baseline.result.rootCause?.category ?? null);
    expect(attacked.result.rootCause?.resource ?? null, `${show(baseline)}\n${show(attacked)}`).toBe(baseline.result.rootCause?.resource ?? null);
  });
});
