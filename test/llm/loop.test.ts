/**
 * The specialist's model loop, driven turn by turn: a scripted Bedrock (aws-sdk-client-mock) behind the real
 * Bedrock provider, and a scripted MCP ToolCaller with the kubernetes backend's real tool list and schemas.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpecialistReport } from '../../src/domain/findings.ts';
import { parseTrigger } from '../../src/domain/trigger.ts';
import { createBedrockModel } from '../../src/engine/llm/bedrock.ts';
import { DEFAULT_LIMITS, type LlmLimits } from '../../src/engine/llm/config.ts';
import { Grounding } from '../../src/engine/llm/grounding.ts';
import type { ModelPort } from '../../src/engine/llm/port.ts';
import { runSpecialistModel, specialistLlm } from '../../src/engine/llm/specialist-loop.ts';
import { planInvestigation, runSpecialist } from '../../src/engine/steps.ts';
import type { InvestigationInput } from '../../src/engine/types.ts';
import type { SpecialistName } from '../../src/domain/result.ts';
import { NOTHING, type Request, answer, fakeTools, say, scriptBedrock, toolUse } from './helpers.ts';

const bedrock = mockClient(BedrockRuntimeClient);
afterEach(() => bedrock.reset());

const INPUT: InvestigationInput = {
  investigationId: 'inv-loop-test',
  trigger: parseTrigger({ type: 'question', question: 'why does api in shop keep restarting?' }),
  now: '2026-03-14T10:32:00.000Z',
};
const PLAN = planInvestigation(INPUT);
const OOM_MESSAGE = 'Container api exceeded its memory limit of 512Mi and was killed';

const REPORT: SpecialistReport = {
  name: 'kubernetes',
  status: 'ok',
  findings: [
    {
      signal: 'pod-crash-loop',
      resource: 'Pod/shop/api-7f9c6d5b4-abcde',
      workload: 'Deployment/shop/api',
      severity: 'critical',
      summary: 'api-7f9c6d5b4-abcde is in CrashLoopBackOff (14 restarts)',
      evidence: [{ source: 'kubernetes___scan_cluster_problems', detail: 'CrashLoopBackOff: back-off 5m0s restarting failed container' }],
    },
  ],
  healthy: [],
  gaps: [],
  toolCalls: 1,
  durationMs: 10,
  inventory: [
    { resource: 'Deployment/shop/api', health: 'degraded' },
    { resource: 'StatefulSet/shop/orders-db', health: 'healthy' },
  ],
};

function pods(limit = 1) {
  return {
    pods: Array.from({ length: Math.min(limit, 3) }, (_, i) => ({
      name: `api-7f9c6d5b4-abcd${i}`,
      namespace: 'shop',
      status: 'CrashLoopBackOff',
      ready: '0/1',
      restarts: 14,
      node: 'ip-10-0-1-12.ec2.internal',
      workload: 'Deployment/shop/api',
      containers: [{ name: 'api', image: 'shop/api:1.4.2', state: 'waiting', reason: 'CrashLoopBackOff', last_termination: { reason: 'OOMKilled', exit_code: 137, message: OOM_MESSAGE } }],
    })),
  };
}

function tools() {
  return fakeTools('kubernetes', {
    kubernetes___scan_cluster_problems: () => ({ problems: [] }),
    kubernetes___get_service_status: () => ({ services: [] }),
    kubernetes___get_pod_status: (args) => pods(Number(args.limit ?? 1)),
    kubernetes___get_pod_logs: () => ({ lines: ['java.lang.OutOfMemoryError: Java heap space at com.shop.Cart.load(Cart.java:88)'] }),
    kubernetes___describe_resource: () => ({ text: 'x'.repeat(20_000) }),
  });
}

/** The runbooks backend, enough for its evidence-engine core (search, then fetch) to run for real. */
function runbookTools() {
  return fakeTools('runbooks', {
    runbooks___search_runbooks: () => ({ runbooks: [{ id: 'oom-killed-containers', title: 'Containers OOMKilled', categories: ['oom-killed'], services: [], score: 2 }] }),
    runbooks___get_runbook: () => ({
      id: 'oom-killed-containers',
      title: 'Containers OOMKilled',
      categories: ['oom-killed'],
      steps: ['Raise the memory limit of the container if usage is legitimate'],
      source: 'runbooks/oom-killed-containers.md',
    }),
  });
}

function model(): ModelPort {
  return createBedrockModel({ client: new BedrockRuntimeClient({ region: 'us-east-1' }), modelId: 'test-model', sleep: async () => {} });
}

async function loop(options: { limits?: Partial<LlmLimits>; name?: SpecialistName; report?: SpecialistReport; tools?: ReturnType<typeof fakeTools>; model?: ModelPort; signal?: AbortSignal } = {}) {
  const grounding = new Grounding();
  const t = options.tools ?? tools();
  const outcome = await runSpecialistModel({
    name: options.name ?? 'kubernetes',
    input: INPUT,
    plan: PLAN,
    report: options.report ?? REPORT,
    tools: grounding.wrap(t),
    grounding,
    model: options.model ?? model(),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { outcome, tools: t };
}

const OOM_HYPOTHESIS = {
  hypotheses: [
    {
      category: 'oom-killed',
      resource: 'Deployment/shop/api',
      summary: 'The api containers exceed their 512Mi memory limit.',
      evidence: [{ source: 'kubernetes___get_pod_status', quote: OOM_MESSAGE }],
    },
  ],
  observations: [],
};

describe('the specialist model loop', () => {
  it('sends the role, the taxonomy, the grounding and only its own tools, and accepts a grounded answer', async () => {
    const seen = scriptBedrock(bedrock, (r) => (r.turn === 0 ? toolUse({ name: 'kubernetes___get_pod_status', input: { namespace: 'shop' } }) : answer(OOM_HYPOTHESIS)));
    const { outcome, tools: t } = await loop();
    const first = seen[0]!.input;
    const system = first.system![0]!.text!;
    expect(system).toMatch(/^You are the Kubernetes specialist/);
    expect(system).toContain('- connection-pool-exhaustion: a client-side connection pool is exhausted');
    expect(system).not.toMatch(/^- none:/m);
    const user = first.messages![0]!.content![0]!.text!;
    expect(user).toContain('Trigger: question: "why does api in shop keep restarting?"');
    expect(user).toContain(`Window: look-back from ${PLAN.window.start}`);
    expect(user).toContain('- [critical] pod-crash-loop Pod/shop/api-7f9c6d5b4-abcde: api-7f9c6d5b4-abcde is in CrashLoopBackOff (14 restarts)');
    expect(user).toContain('Deployment/shop/api (degraded)');
    expect(first.toolConfig!.tools!.map((x) => x.toolSpec!.name)).toContain('kubernetes___get_pod_logs');
    expect(first.toolConfig!.tools!.every((x) => x.toolSpec!.name!.startsWith('kubernetes___'))).toBe(true);
    expect(first.inferenceConfig).toEqual({ maxTokens: 2048, temperature: 0 });

    expect(t.log).toEqual([{ tool: 'kubernetes___get_pod_status', args: { namespace: 'shop', limit: 25 } }]);
    expect(outcome.toolCalls).toBe(1);
    expect(outcome.turns).toBe(2);
    expect(outcome.usage).toEqual({ inputTokens: 2000, outputTokens: 100 });
    expect(outcome.gaps).toEqual([]);
    expect(outcome.findings).toEqual([
      {
        signal: 'model-hypothesis',
        resource: 'Deployment/shop/api',
        severity: 'warning',
        summary: 'Model hypothesis (oom-killed): The api containers exceed their 512Mi memory limit.',
        evidence: [{ source: 'kubernetes___get_pod_status', detail: OOM_MESSAGE }],
        facts: { categories: ['oom-killed'], count: 1 },
      },
    ]);
  });

  it('stops at the turn limit and asks once for the final answer, without tools and with the transcript as text', async () => {
    const seen = scriptBedrock(bedrock, (r) => (r.withTools ? toolUse({ name: 'kubernetes___get_pod_status', input: { limit: r.turn + 1 } }) : answer(OOM_HYPOTHESIS)));
    const { outcome, tools: t } = await loop({ limits: { maxTurns: 3 } });
    expect(seen.map((r) => r.withTools)).toEqual([true, true, true, false]);
    expect(t.log.map((c) => c.args.limit)).toEqual([1, 2, 3]);
    expect(outcome.toolCalls).toBe(3);
    expect(outcome.turns).toBe(4);
    const final = seen[3]!.input;
    expect(final.toolConfig).toBeUndefined();
    // Bedrock refuses toolUse/toolResult blocks without a toolConfig: the final ask holds text only, alternating.
    const blocks = final.messages!.flatMap((m) => m.content!);
    expect(blocks.every((b) => typeof b.text === 'string')).toBe(true);
    expect(final.messages!.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
    const transcript = seen[3]!.transcript;
    expect(transcript).toContain('[called kubernetes___get_pod_status with {"limit":3}]');
    expect(transcript).toContain('[result of kubernetes___get_pod_status]');
    expect(transcript).toContain('The limit of 3 turns is reached. No more tool calls are possible.');
    expect(outcome.findings.map((f) => f.facts?.categories)).toEqual([['oom-killed']]);
  });

  it('stops at the tool-call limit: calls past it are refused, then the final answer is asked for', async () => {
    const seen = scriptBedrock(bedrock, (r) =>
      r.withTools
        ? toolUse(
            { name: 'kubernetes___get_pod_status', input: { limit: 1 } },
            { name: 'kubernetes___get_pod_logs', input: { pod_name: 'api-7f9c6d5b4-abcd0' } },
            { name: 'kubernetes___get_pod_status', input: { limit: 2 } },
          )
        : answer(NOTHING),
    );
    const { outcome, tools: t } = await loop({ limits: { maxToolCalls: 2 } });
    expect(t.log.map((c) => c.tool)).toEqual(['kubernetes___get_pod_status', 'kubernetes___get_pod_logs']);
    expect(outcome.toolCalls).toBe(2);
    expect(seen.map((r) => r.withTools)).toEqual([true, false]);
    expect(seen[1]!.transcript).toContain('[error from kubernetes___get_pod_status]\nNot run: the limit of 2 tool calls is reached.');
    expect(seen[1]!.transcript).toContain('The limit of 2 tool calls is reached.');
  });

  it('answers malformed tool use with an error result and carries on', async () => {
    const script: Array<(r: Request) => ReturnType<typeof toolUse>> = [
      () => toolUse({ name: 'kubectl_exec', input: { command: 'rm -rf /' } }, { name: 'logs___search_logs', input: { pattern: 'OOM' } }),
      () => toolUse({ name: 'kubernetes___get_pod_logs', input: { namespace: 'shop' } }, { name: 'kubernetes___get_pod_status', input: { namespace: 'shop', color: 'red' } }),
      () => toolUse({ name: 'kubernetes___get_pod_status', input: 'namespace=shop' }),
      () => toolUse({ name: 'kubernetes___get_pod_status', input: { namespace: 'shop', limit: '1' } }),
      () => answer(OOM_HYPOTHESIS),
    ];
    const seen = scriptBedrock(bedrock, (r) => script[r.turn]!(r));
    const { outcome, tools: t } = await loop();
    expect(seen).toHaveLength(5);
    const results = (turn: number) => seen[turn]!.toolResults.slice(-2);
    expect(results(1)).toEqual([
      { tool: 'kubectl_exec', status: 'error', text: expect.stringMatching(/^Unknown tool 'kubectl_exec'\. Your tools are: kubernetes___scan_cluster_problems, /) },
      // Another backend's tool is as unknown to this specialist as a made-up one.
      { tool: 'logs___search_logs', status: 'error', text: expect.stringMatching(/^Unknown tool 'logs___search_logs'/) },
    ]);
    expect(results(2)).toEqual([
      { tool: 'kubernetes___get_pod_logs', status: 'error', text: expect.stringContaining("missing required argument 'pod_name'") },
      { tool: 'kubernetes___get_pod_status', status: 'error', text: expect.stringContaining("unknown argument 'color'") },
    ]);
    expect(seen[3]!.toolResults.at(-1)).toEqual({ tool: 'kubernetes___get_pod_status', status: 'error', text: expect.stringContaining('must be a JSON object') });
    expect(seen[4]!.toolResults.at(-1)!.status).toBe('success');
    // Only the valid call reached the tool, with its scalar coerced as the gateway would.
    expect(t.log).toEqual([{ tool: 'kubernetes___get_pod_status', args: { namespace: 'shop', limit: 1 } }]);
    expect(outcome.toolCalls).toBe(1);
    expect(outcome.findings).toHaveLength(1);
  });

  it('feeds results back within the per-result budget, and answers a repeated call without calling again', async () => {
    const seen = scriptBedrock(bedrock, (r) =>
      r.turn === 0
        ? toolUse({ name: 'kubernetes___describe_resource', input: { kind: 'Deployment', name: 'api', namespace: 'shop' } })
        : r.turn === 1
          ? toolUse({ name: 'kubernetes___describe_resource', input: { kind: 'Deployment', name: 'api', namespace: 'shop' } })
          : answer(NOTHING),
    );
    const { outcome, tools: t } = await loop({ limits: { resultBudgetBytes: 1000 } });
    const fed = seen[1]!.toolResults[0]!.text;
    expect(Buffer.byteLength(fed)).toBeLessThan(1100);
    expect(fed).toMatch(/…\[truncated: showing the first 1000 of \d+ bytes\]$/);
    expect(seen[2]!.toolResults[1]!.text).toMatch(/^\(same call as before\) /);
    expect(t.log).toHaveLength(1);
    expect(outcome.toolCalls).toBe(1);
  });

  it('takes the JSON out of a fenced answer with prose around it', async () => {
    scriptBedrock(bedrock, (r) =>
      r.turn === 0 ? toolUse({ name: 'kubernetes___get_pod_status', input: {} }) : say(`Here is my answer:\n\`\`\`json\n${JSON.stringify(OOM_HYPOTHESIS, null, 2)}\n\`\`\`\nHope this helps.`),
    );
    const { outcome } = await loop();
    expect(outcome.findings).toHaveLength(1);
  });

  it('records an answer that is not the expected JSON as a gap', async () => {
    scriptBedrock(bedrock, () => say('The root cause is probably memory. Check the limits.'));
    const { outcome } = await loop();
    expect(outcome.findings).toEqual([]);
    expect(outcome.gaps).toEqual(['model answer rejected: not the expected JSON (it contains no JSON object)']);
  });

  it('records a filtered answer as a gap', async () => {
    scriptBedrock(bedrock, () => say('', 'content_filtered'));
    const { outcome } = await loop();
    expect(outcome.gaps).toEqual(['model declined to answer (content_filtered): evidence engine alone']);
  });

  it('accepts a quote from the engine’s own tool results of this run, and corrects a wrong kind for a known object', async () => {
    scriptBedrock(bedrock, (r) =>
      r.who === 'kubernetes'
        ? answer({
            hypotheses: [],
            observations: [
              { resource: 'Deployment/shop/orders-db', summary: 'The database is healthy.', evidence: [{ source: 'kubernetes___get_pod_status', quote: `"${OOM_MESSAGE.slice(0, 40)}…"` }] },
            ],
          })
        : answer(NOTHING),
    );
    const grounding = new Grounding();
    const t = tools();
    // What the core saw counts: record one of its results as runWithModel's wrapper does.
    grounding.record(await t.callTool('kubernetes___get_pod_status', {}));
    const outcome = await runSpecialistModel({ name: 'kubernetes', input: INPUT, plan: PLAN, report: REPORT, tools: grounding.wrap(t), grounding, model: model(), limits: DEFAULT_LIMITS });
    expect(outcome.findings).toEqual([
      {
        signal: 'model-hypothesis',
        resource: 'StatefulSet/shop/orders-db',
        severity: 'info',
        summary: 'Model observation: The database is healthy.',
        evidence: [{ source: 'kubernetes___get_pod_status', detail: `"${OOM_MESSAGE.slice(0, 40)}…"` }],
        facts: { count: 1 },
      },
    ]);
  });

  it('keeps runbook observations but never a runbook-based hypothesis', async () => {
    scriptBedrock(bedrock, (r) =>
      r.turn === 0
        ? toolUse({ name: 'runbooks___get_runbook', input: { runbook_id: 'oom-killed-containers' } })
        : answer({
            hypotheses: [{ category: 'oom-killed', resource: 'Deployment/shop/api', summary: 'x', evidence: [{ source: 'runbooks___get_runbook', quote: 'Raise the memory limit of the container' }] }],
            observations: [{ resource: 'Runbook//oom-killed-containers', summary: 'This runbook applies.', evidence: [{ source: 'runbooks___get_runbook', quote: 'Raise the memory limit of the container' }] }],
          }),
    );
    const { outcome } = await loop({ name: 'runbooks', report: { ...REPORT, name: 'runbooks', findings: [], inventory: [] }, tools: runbookTools() });
    expect(outcome.findings.map((f) => [f.resource, f.facts?.categories])).toEqual([['Runbook//oom-killed-containers', undefined]]);
    expect(outcome.gaps).toEqual(["model answer rejected: the runbooks specialist's 1 hypothesis(es) dropped — runbooks describe procedures, not this incident"]);
  });

  it('stops at the deadline, keeping the engine report and saying so', async () => {
    const hanging: ModelPort = {
      name: 'hanging',
      converse: ({ signal }) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true })),
    };
    const plain = await runSpecialist('runbooks', INPUT, PLAN, runbookTools());
    expect(plain.status).toBe('ok');
    const started = Date.now();
    const report = await runSpecialist('runbooks', INPUT, PLAN, runbookTools(), specialistLlm({ model: hanging, limits: DEFAULT_LIMITS, deadline: Date.now() + 150 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.findings).toEqual(plain.findings);
    expect(report.gaps).toEqual([...plain.gaps, 'model loop stopped at the time budget after 0 turn(s): evidence engine alone']);

    const late = await runSpecialist('runbooks', INPUT, PLAN, runbookTools(), specialistLlm({ model: hanging, limits: DEFAULT_LIMITS, deadline: Date.now() - 1 }));
    expect(late.gaps).toEqual([...plain.gaps, 'model loop skipped: no time left in the specialist’s budget']);
  });

  it('records a configuration problem as a gap and otherwise runs the engine alone', async () => {
    const plain = await runSpecialist('runbooks', INPUT, PLAN, runbookTools());
    expect(plain.findings.map((f) => f.signal)).toEqual(['runbook-match']);
    const flagged = await runSpecialist('runbooks', INPUT, PLAN, runbookTools(), specialistLlm({ model: null, limits: DEFAULT_LIMITS, problem: 'LLM mode is off, evidence engine alone: SRE_AGENT_LLM=bedrock but BEDROCK_MODEL_ID is not set' }));
    expect(flagged.findings).toEqual(plain.findings);
    expect(flagged.gaps).toEqual([...plain.gaps, 'LLM mode is off, evidence engine alone: SRE_AGENT_LLM=bedrock but BEDROCK_MODEL_ID is not set']);
    expect(bedrock.calls()).toHaveLength(0);
  });
});
