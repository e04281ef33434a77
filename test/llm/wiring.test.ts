/**
 * LLM mode through the Lambda entry points, configured only by the environment as deployed: the specialist
 * handler builds its model chain from SRE_AGENT_LLM / BEDROCK_MODEL_ID, the supervisor handler its narrator;
 * Bedrock is aws-sdk-client-mock, the tools are the local MCP gateway on a bundled scenario.
 */
import { resolve } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler as createSupervisorHandler } from '../../lambdas/supervisor/handler.ts';
import { createHandler as createKubernetesHandler } from '../../lambdas/specialists/kubernetes/handler.ts';
import type { SpecialistReport } from '../../src/domain/findings.ts';
import type { InvestigationResult } from '../../src/domain/result.ts';
import { parseTrigger } from '../../src/domain/trigger.ts';
import type { ReportStore } from '../../src/engine/investigate.ts';
import { type Outcome, planInvestigation, runSpecialist, synthesize } from '../../src/engine/steps.ts';
import type { InvestigationInput, Plan } from '../../src/engine/types.ts';
import { type LocalGateway, startLocalGateway } from '../../src/local/gateway.ts';
import { createMcpToolClient } from '../../src/mcp/client.ts';
import { SPECIALISTS } from '../../src/domain/result.ts';
import { localContext } from '../../src/platform/lambda.ts';
import { answer, quoteFrom, scriptBedrock, toolUse } from './helpers.ts';

const SCENARIO = resolve(import.meta.dirname, '../../fixtures/scenarios/checkout-bad-rollout');
const WORKLOAD = 'Deployment/checkout/checkout-api';
const bedrock = mockClient(BedrockRuntimeClient);
let gateway: LocalGateway;
let input: InvestigationInput;
let plan: Plan;
let history: SpecialistReport[];
let outcome: Outcome;
const clients: Array<ReturnType<typeof createMcpToolClient>> = [];

function client(name: (typeof SPECIALISTS)[number]) {
  const c = createMcpToolClient({ url: gateway.mcpUrl, tokens: gateway.tokens, backends: [name] });
  clients.push(c);
  return c;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

function memoryReports(): ReportStore & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  return {
    stored,
    uriFor: (id) => `memory://${id}.md`,
    put: async (id, markdown) => {
      stored.set(id, markdown);
      return `memory://${id}.md`;
    },
  };
}

beforeAll(async () => {
  gateway = await startLocalGateway({ scenarioDir: SCENARIO });
  input = { investigationId: 'inv-wiring', trigger: parseTrigger(gateway.scenario.trigger), now: new Date(gateway.scenario.now).toISOString() };
  plan = planInvestigation(input);
  history = await Promise.all(SPECIALISTS.map((name) => runSpecialist(name, input, plan, client(name))));
  outcome = synthesize(plan, history).outcome;
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterEach(() => {
  bedrock.reset();
  vi.unstubAllEnvs();
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  bedrock.restore();
  await Promise.all(clients.map((c) => c.close()));
  await gateway?.close();
});

describe('the specialist Lambda handler', () => {
  it('runs the engine alone when SRE_AGENT_LLM is not set', async () => {
    const handler = createKubernetesHandler({ tools: () => client('kubernetes') }) as unknown as Handler;
    const report = (await handler({ input, plan }, localContext('k8s'))) as SpecialistReport;
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(report.findings).toEqual(history[0]!.findings);
    expect(report.gaps).toEqual(history[0]!.gaps);
  });

  it('builds the Bedrock chain from the environment and runs the loop after the engine', async () => {
    vi.stubEnv('SRE_AGENT_LLM', 'bedrock');
    vi.stubEnv('BEDROCK_MODEL_ID', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    vi.stubEnv('LLM_MAX_TOOL_CALLS', '2');
    const seen = scriptBedrock(bedrock, (r) => {
      if (r.turn === 0) return toolUse({ name: 'kubernetes___get_pod_status', input: { namespace: 'checkout', limit: 2 } });
      const pods = r.toolResults[0]!.text;
      return answer({
        hypotheses: [{ category: 'image-pull', resource: WORKLOAD, summary: 'x', evidence: [{ source: 'kubernetes___get_pod_status', quote: quoteFrom(pods, /checkout-api:2\.31\.0/) }] }],
        observations: [],
      });
    });
    const handler = createKubernetesHandler({ tools: () => client('kubernetes') }) as unknown as Handler;
    const report = (await handler({ input, plan }, localContext('k8s', undefined, 90_000))) as SpecialistReport;
    expect(seen.map((r) => r.modelId)).toEqual(['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0']);
    expect(seen[0]!.input.system![0]!.text).toContain('at most 2 calls in all');
    expect(report.findings.slice(0, history[0]!.findings.length)).toEqual(history[0]!.findings);
    expect(report.findings.at(-1)).toMatchObject({ signal: 'model-hypothesis', resource: WORKLOAD, facts: { categories: ['image-pull'] } });
    expect(report.toolCalls).toBe(history[0]!.toolCalls + 1);
  });

  it('reports a configuration it cannot use as a gap, without calling a model', async () => {
    vi.stubEnv('SRE_AGENT_LLM', 'bedrock');
    const handler = createKubernetesHandler({ tools: () => client('kubernetes') }) as unknown as Handler;
    const report = (await handler({ input, plan }, localContext('k8s'))) as SpecialistReport;
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(report.findings).toEqual(history[0]!.findings);
    expect(report.gaps).toContain('LLM mode is off, evidence engine alone: SRE_AGENT_LLM=bedrock but BEDROCK_MODEL_ID is not set');
  });
});

describe('the supervisor Lambda handler', () => {
  const finalizeEvent = () => ({ step: 'finalize', input, outcome, history, startedAt: input.now });

  it('has the model write the summary and explanation when they pass validation', async () => {
    vi.stubEnv('SRE_AGENT_LLM', 'bedrock');
    vi.stubEnv('BEDROCK_MODEL_ID', 'narrator-model');
    const narrative = {
      summary: `The checkout errors are a bad-deployment of \`${WORKLOAD}\`: revision 14 (image 2.31.0) went out at 18:14 and requests began failing with NullPointerException.`,
      explanation: 'The rollout replaced image 2.30.4 with 2.31.0 and the new NullPointerException signature appeared only after it; no other workload shows errors.',
    };
    const seen = scriptBedrock(bedrock, () => answer(narrative));
    const reports = memoryReports();
    const handler = createSupervisorHandler(() => ({ reports, clock: () => Date.parse(input.now) + 5000 })) as unknown as Handler;
    const result = (await handler(finalizeEvent(), localContext('supervisor'))) as InvestigationResult;

    expect(seen).toHaveLength(1);
    expect(seen[0]!.who).toBe('narrator');
    expect(seen[0]!.withTools).toBe(false);
    const markdown = reports.stored.get(input.investigationId)!;
    expect(markdown).toContain(`${narrative.summary} (confidence ${outcome.rootCause!.confidence.toFixed(2)})`);
    expect(markdown).toContain(`- **Why:** ${narrative.explanation}`);
    expect(markdown).toContain('_Summary and explanation written by narrator-model from the evidence below; the root cause and its confidence were chosen by the evidence engine._');
    // The structured result is the engine's, word for word.
    expect(result.rootCause).toEqual({ category: outcome.rootCause!.category, resource: outcome.rootCause!.resource, summary: outcome.rootCause!.summary, confidence: outcome.rootCause!.confidence });
    expect(result.hypotheses).toEqual(outcome.hypotheses);
  });

  it('keeps the deterministic text when the narrative names a resource absent from the evidence, or the model fails', async () => {
    vi.stubEnv('SRE_AGENT_LLM', 'bedrock');
    vi.stubEnv('BEDROCK_MODEL_ID', 'narrator-model');
    const baseline = memoryReports();
    const plain = createSupervisorHandler(() => ({ reports: baseline, clock: () => Date.parse(input.now) + 5000, narrator: null })) as unknown as Handler;
    await plain(finalizeEvent(), localContext('supervisor'));

    scriptBedrock(bedrock, () =>
      answer({
        summary: `A bad-deployment of \`${WORKLOAD}\` broke checkout.`,
        explanation: 'The new version could not reach `StatefulSet/checkout/payments-db`, which had been restarted.',
      }),
    );
    const rejected: string[] = [];
    const reports = memoryReports();
    const handler = createSupervisorHandler(() => ({ reports, clock: () => Date.parse(input.now) + 5000, onNarrativeRejected: (r) => rejected.push(r) })) as unknown as Handler;
    await handler(finalizeEvent(), localContext('supervisor'));
    expect(rejected).toEqual(['narrative rejected: it names StatefulSet/checkout/payments-db, absent from the evidence']);
    expect(reports.stored.get(input.investigationId)).toBe(baseline.stored.get(input.investigationId));
    expect(baseline.stored.get(input.investigationId)).not.toContain('written by');

    bedrock.reset();
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const failing = memoryReports();
    const reasons: string[] = [];
    // Built from the environment as deployed, so the throttle is retried with real (short) pauses first.
    const down = createSupervisorHandler(() => ({ reports: failing, clock: () => Date.parse(input.now) + 5000, onNarrativeRejected: (r) => reasons.push(r) })) as unknown as Handler;
    await down(finalizeEvent(), localContext('supervisor'));
    expect(reasons[0]).toMatch(/^the model could not write the narrative: narrator-model failed \(ThrottlingException\)/);
    expect(failing.stored.get(input.investigationId)).toBe(baseline.stored.get(input.investigationId));
  }, 30_000);
});
