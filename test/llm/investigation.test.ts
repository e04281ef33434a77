/**
 * LLM mode end to end, in process, on a bundled scenario: the real local MCP gateway on loopback serves the
 * scenario's tools, the four specialists run their evidence-engine cores and then their model loops, and the
 * model is a scripted Bedrock (aws-sdk-client-mock on ConverseCommand) that reads what the tools returned and
 * quotes it. Compared against the same investigation without a model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ModelErrorException,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SpecialistReport } from '../../src/domain/findings.ts';
import type { SpecialistName } from '../../src/domain/result.ts';
import { parseTrigger } from '../../src/domain/trigger.ts';
import { type InvestigationRun, investigate } from '../../src/engine/investigate.ts';
import { llmFromEnv } from '../../src/engine/llm/config.ts';
import { specialistLlm } from '../../src/engine/llm/specialist-loop.ts';
import type { SpecialistLlm } from '../../src/engine/steps.ts';
import type { InvestigationInput } from '../../src/engine/types.ts';
import { type LocalGateway, startLocalGateway } from '../../src/local/gateway.ts';
import { folderReportStore } from '../../src/local/in-process.ts';
import { createMcpToolClient } from '../../src/mcp/client.ts';
import { NOTHING, type Request, answer, quoteFrom, recordingSleep, scriptBedrock, toolUse } from './helpers.ts';

const SCENARIO = resolve(import.meta.dirname, '../../fixtures/scenarios/checkout-bad-rollout');
const WORKLOAD = 'Deployment/checkout/checkout-api';
const bedrock = mockClient(BedrockRuntimeClient);
let gateway: LocalGateway;
let dir: string;
let baseline: InvestigationRun;
const clients: Array<ReturnType<typeof createMcpToolClient>> = [];

function inputOf(g: LocalGateway): InvestigationInput {
  return { investigationId: 'inv-llm-test', trigger: parseTrigger(g.scenario.trigger), now: new Date(g.scenario.now).toISOString() };
}

async function run(llm?: SpecialistLlm): Promise<InvestigationRun> {
  return investigate(inputOf(gateway), {
    tools: (name) => {
      const client = createMcpToolClient({ url: gateway.mcpUrl, tokens: gateway.tokens, backends: [name] });
      clients.push(client);
      return client;
    },
    reports: folderReportStore(dir),
    ...(llm ? { llm } : {}),
  });
}

function bedrockLlm(options: { fallback?: boolean; sleep?: (ms: number) => Promise<void> } = {}): SpecialistLlm {
  const setup = llmFromEnv(
    { SRE_AGENT_LLM: 'bedrock', BEDROCK_MODEL_ID: 'primary-model', ...(options.fallback ? { BEDROCK_FALLBACK_MODEL_ID: 'fallback-model' } : {}) },
    { bedrockClient: new BedrockRuntimeClient({ region: 'us-east-1' }), sleep: options.sleep ?? (async () => {}) },
  );
  expect(setup.model).not.toBeNull();
  return specialistLlm({ model: setup.model, limits: setup.limits });
}

/** Kubernetes: look at the pods, then propose a hypothesis quoting two strings of the result. Others: nothing to add. */
function podsThenHypothesis(category: string, resource = WORKLOAD) {
  return (r: Request) => {
    if (r.who !== 'kubernetes') return answer(NOTHING);
    if (r.turn === 0) return toolUse({ name: 'kubernetes___get_pod_status', input: { namespace: 'checkout', limit: 3 } });
    const pods = r.toolResults.find((t) => t.tool === 'kubernetes___get_pod_status')!;
    return answer({
      hypotheses: [
        {
          category,
          resource,
          summary: 'The new image is what every pod of the workload runs.',
          evidence: [
            { source: 'kubernetes___get_pod_status', quote: quoteFrom(pods.text, /checkout-api:2\.31\.0/) },
            { source: 'kubernetes___get_pod_status', quote: quoteFrom(pods.text, /^ReplicaSet\/checkout\//) },
          ],
        },
      ],
      observations: [],
    });
  };
}

function modelFindings(r: InvestigationRun) {
  return r.rounds.flat().flatMap((rep) => rep.findings.filter((f) => f.signal === 'model-hypothesis'));
}

/** A report without what legitimately differs between runs (timing) and what the model adds. */
function engineView(rep: SpecialistReport) {
  return { name: rep.name, status: rep.status, findings: rep.findings.filter((f) => f.signal !== 'model-hypothesis'), healthy: rep.healthy, inventory: rep.inventory };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-llm-'));
  gateway = await startLocalGateway({ scenarioDir: SCENARIO });
  baseline = await run();
});
afterEach(() => bedrock.reset());
afterAll(async () => {
  bedrock.restore();
  await Promise.all(clients.map((c) => c.close()));
  await gateway?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LLM mode on checkout-bad-rollout (scripted Bedrock, real MCP gateway)', () => {
  it('the evidence engine alone finds the rollout (the baseline the model must not weaken)', () => {
    expect(baseline.result.rootCause).toMatchObject({ category: 'bad-deployment', resource: WORKLOAD });
    expect(modelFindings(baseline)).toEqual([]);
  });

  it('tool use → tool result → end_turn: the answer is accepted, becomes a finding and appears in the ranking', async () => {
    const seen = scriptBedrock(bedrock, podsThenHypothesis('config-error'));
    const withModel = await run(bedrockLlm());

    // The loop sent the tool's real result back to the model: the second kubernetes request carries it.
    const second = seen.find((r) => r.who === 'kubernetes' && r.turn === 1)!;
    expect(second.toolResults).toHaveLength(1);
    expect(second.toolResults[0]).toMatchObject({ tool: 'kubernetes___get_pod_status', status: 'success' });
    expect(JSON.parse(second.toolResults[0]!.text).pods).toHaveLength(3);
    // Only the specialist's own backend is offered.
    const offered = seen.find((r) => r.who === 'kubernetes' && r.turn === 0)!.input.toolConfig!.tools!.map((t) => t.toolSpec!.name!);
    expect(offered.length).toBeGreaterThan(5);
    expect(offered.every((n) => n.startsWith('kubernetes___'))).toBe(true);
    expect(seen.find((r) => r.who === 'logs')!.input.toolConfig!.tools!.every((t) => t.toolSpec!.name!.startsWith('logs___'))).toBe(true);

    const found = modelFindings(withModel);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ resource: WORKLOAD, severity: 'warning', facts: { categories: ['config-error'], count: 2 } });
    expect(found[0]!.evidence.map((e) => e.source)).toEqual(['kubernetes___get_pod_status', 'kubernetes___get_pod_status']);

    const hypothesis = withModel.result.hypotheses.find((h) => h.category === 'config-error' && h.resource === WORKLOAD);
    expect(hypothesis).toBeDefined();
    expect(hypothesis!.evidence.some((e) => /checkout-api:2\.31\.0/.test(e.detail))).toBe(true);
    // A lead, not a verdict: the rollout stays the root cause and the model's hypothesis ranks below it.
    expect(withModel.result.rootCause).toMatchObject({ category: 'bad-deployment', resource: WORKLOAD });
    expect(hypothesis!.confidence).toBeLessThan(withModel.result.rootCause!.confidence);

    // The model's tool call counts in the specialist's tool calls: one more per round than the engine alone.
    const calls = (r: InvestigationRun) => r.result.specialists.find((s) => s.name === 'kubernetes')!.toolCalls;
    expect(calls(withModel)).toBe(calls(baseline) + withModel.rounds.length);
    // The engine's own evidence is all still there: round one unchanged; round two may fetch more (the
    // model's category is now among the leading hypotheses, so its runbook is fetched too), never less.
    expect(withModel.rounds[0]!.map(engineView)).toEqual(baseline.rounds[0]!.map(engineView));
    const allFindings = withModel.rounds.flat().flatMap((r) => r.findings);
    for (const f of baseline.rounds.flat().flatMap((r) => r.findings)) expect(allFindings).toContainEqual(f);
  });

  it('rejects an answer naming a resource that does not exist, and one quoting what no tool returned', async () => {
    scriptBedrock(bedrock, (r) => {
      if (r.who !== 'kubernetes') return answer(NOTHING);
      return answer({
        hypotheses: [
          { category: 'dependency-failure', resource: 'StatefulSet/checkout/payments-db', summary: 'The database is down.', evidence: [{ source: 'kubernetes___get_pod_status', quote: 'checkout-api-6b9f4d7c85-5pvmg' }] },
          { category: 'oom-killed', resource: WORKLOAD, summary: 'Containers are OOM killed.', evidence: [{ source: 'kubernetes___get_pod_status', quote: 'Last State: Terminated, Reason: OOMKilled, Exit Code: 137' }] },
          { category: 'not-a-category', resource: WORKLOAD, summary: 'x', evidence: [] },
        ],
        observations: [],
      });
    });
    const withModel = await run(bedrockLlm());
    expect(modelFindings(withModel)).toEqual([]);
    const gaps = withModel.result.gaps ?? [];
    expect(gaps).toContain('model answer rejected: resource StatefulSet/checkout/payments-db does not exist in the data this specialist saw');
    expect(gaps.some((g) => g.startsWith('model answer rejected: oom-killed on Deployment/checkout/checkout-api: the quote “Last State: Terminated, Reason: OOMKilled, Exit Code: 137” was not returned by any tool'))).toBe(true);
    expect(gaps).toContain("model answer rejected: category 'not-a-category' is not in the taxonomy");
    expect(withModel.result.rootCause).toEqual(baseline.result.rootCause);
    expect(withModel.result.hypotheses).toEqual(baseline.result.hypotheses);
  });

  it('fails over to the fallback model when the primary fails', async () => {
    const seen = scriptBedrock(bedrock, (r) => {
      if (r.modelId === 'primary-model') return new ModelErrorException({ message: 'The model returned an error', $metadata: {}, originalStatusCode: 500, resourceName: 'primary-model' });
      return podsThenHypothesis('config-error')(r);
    });
    const withModel = await run(bedrockLlm({ fallback: true }));
    expect(modelFindings(withModel).length).toBeGreaterThan(0);
    expect(withModel.result.hypotheses.some((h) => h.category === 'config-error')).toBe(true);
    expect(seen.some((r) => r.modelId === 'primary-model')).toBe(true);
    expect(seen.filter((r) => r.modelId === 'fallback-model').length).toBeGreaterThan(4);
    // ModelErrorException is not retried: each specialist asked the primary at most once before failing over,
    // and the cool-down then sends later turns straight to the fallback.
    expect(seen.filter((r) => r.modelId === 'primary-model').length).toBeLessThanOrEqual(4);
    expect((withModel.result.gaps ?? []).filter((g) => /model/.test(g))).toEqual([]);
  });

  it('with both models failing, the evidence engine runs alone and the failure is a gap', async () => {
    const { sleep, pauses } = recordingSleep();
    const seen = scriptBedrock(bedrock, (r) =>
      r.modelId === 'primary-model'
        ? new ThrottlingException({ message: 'Too many requests, please wait before trying again.', $metadata: {} })
        : new AccessDeniedException({ message: 'You do not have access to the model with the specified model ID.', $metadata: {} }),
    );
    const withModel = await run(bedrockLlm({ fallback: true, sleep }));

    // Same result as without a model, plus the gap.
    expect(withModel.result.rootCause).toEqual(baseline.result.rootCause);
    expect(withModel.result.hypotheses).toEqual(baseline.result.hypotheses);
    for (const [i, round] of baseline.rounds.entries()) {
      expect(withModel.rounds[i]!.map(engineView)).toEqual(round.map(engineView));
      for (const rep of withModel.rounds[i]!.filter((x) => x.status !== 'skipped')) {
        expect(rep.toolCalls).toBe(round.find((b) => b.name === rep.name)!.toolCalls);
      }
    }
    const gap = (withModel.result.gaps ?? []).find((g) => g.startsWith('model unavailable, evidence engine alone:'));
    expect(gap).toMatch(/primary-model failed \(ThrottlingException\).*fallback-model failed \(AccessDeniedException\)/);
    expect(withModel.markdown).toContain('model unavailable, evidence engine alone');
    // The throttled primary was retried with growing pauses before the chain moved on.
    expect(pauses.length).toBeGreaterThan(0);
    expect(seen.filter((r) => r.modelId === 'primary-model').length).toBeGreaterThan(seen.filter((r) => r.modelId === 'fallback-model').length);
  });

  it('every specialist that ran got its own loop, and skipped ones none', async () => {
    const seen = scriptBedrock(bedrock, () => answer(NOTHING));
    const withModel = await run(bedrockLlm());
    const ran = new Set(withModel.rounds.flat().filter((r) => r.status !== 'skipped').map((r) => r.name));
    const asked = new Set(seen.map((r) => r.who));
    expect(asked).toEqual(ran as Set<SpecialistName | 'narrator' | 'unknown'>);
  });
});
