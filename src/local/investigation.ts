/**
 * The local run of one investigation: the MCP gateway on loopback over a scenario's recorded data, the supervisor
 * and specialist Lambda handlers in process, the synthesized state machine executed locally, the memory on
 * dynalite (or any MemoryStore) and reports in a local store. `sre-agent investigate`, `sre-agent eval`, the dev
 * API and the end-to-end tests all run investigations through here.
 */
import { createHandler as createSupervisorHandler } from '../../lambdas/supervisor/handler.ts';
import { createHandler as kubernetesHandler } from '../../lambdas/specialists/kubernetes/handler.ts';
import { createHandler as logsHandler } from '../../lambdas/specialists/logs/handler.ts';
import { createHandler as metricsHandler } from '../../lambdas/specialists/metrics/handler.ts';
import { createHandler as runbooksHandler } from '../../lambdas/specialists/runbooks/handler.ts';
import { investigationResultSchema, type InvestigationResult, type SpecialistName } from '../domain/result.ts';
import { type TriggerInput, parseOrThrow } from '../domain/trigger.ts';
import { newInvestigationId } from '../engine/steps.ts';
import { createMcpToolClient } from '../mcp/client.ts';
import type { MemoryStore } from '../memory/port.ts';
import type { ReportRepository } from '../reports/port.ts';
import { startLocalGateway } from './gateway.ts';
import { type LambdaHandler, type StepProgress, runWorkflow } from './runner.ts';

export interface LocalInvestigationOptions {
  scenarioDir: string;
  /** Ask this instead of the scenario's own trigger. */
  question?: string;
  /** A trigger to use instead of the scenario's own (an alarm event posted to the dev API). */
  trigger?: TriggerInput;
  /** The investigation clock; the scenario's `now` by default (what its recorded data was recorded at). */
  now?: string;
  userId?: string;
  investigationId?: string;
  reports: ReportRepository;
  memory?: MemoryStore;
  onStep?: (p: StepProgress) => void;
  /** Replace a specialist's handler (tests of failure handling). */
  specialistOverrides?: Partial<Record<SpecialistName, LambdaHandler>>;
}

export interface LocalInvestigation {
  result: InvestigationResult;
  markdown: string;
  trigger: TriggerInput;
}

export async function runLocalInvestigation(options: LocalInvestigationOptions): Promise<LocalInvestigation> {
  const gateway = await startLocalGateway({ scenarioDir: options.scenarioDir });
  const clients: Array<ReturnType<typeof createMcpToolClient>> = [];
  const tools = (name: SpecialistName) => () => {
    const client = createMcpToolClient({ url: gateway.mcpUrl, tokens: gateway.tokens, backends: [name] });
    clients.push(client);
    return client;
  };
  try {
    const scenario = gateway.scenario;
    const trigger: TriggerInput = options.question
      ? { type: 'question', question: options.question, ...(options.userId ? { userId: options.userId } : {}) }
      : (options.trigger ?? (scenario.trigger as TriggerInput));
    const now = options.now ?? new Date(scenario.now).toISOString();
    const investigationId = options.investigationId ?? newInvestigationId(scenario.now);
    const requestedBy = options.userId ?? (trigger.type === 'question' ? trigger.userId : undefined);
    if (options.memory && !(await options.memory.getInvestigation(investigationId))) {
      await options.memory.putInvestigation({
        investigationId,
        requester: requestedBy ?? (trigger.type === 'alarm' ? `alarm:${(trigger.event as { detail?: { alarmName?: string } }).detail?.alarmName ?? 'unknown'}` : 'local'),
        status: 'queued',
        trigger,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      });
    }
    const handlers = {
      supervisor: createSupervisorHandler(() => ({ reports: options.reports, ...(options.memory ? { memory: options.memory } : {}), clock: Date.now })) as unknown as LambdaHandler,
      specialists: {
        kubernetes: options.specialistOverrides?.kubernetes ?? (kubernetesHandler({ tools: tools('kubernetes') }) as unknown as LambdaHandler),
        logs: options.specialistOverrides?.logs ?? (logsHandler({ tools: tools('logs') }) as unknown as LambdaHandler),
        metrics: options.specialistOverrides?.metrics ?? (metricsHandler({ tools: tools('metrics') }) as unknown as LambdaHandler),
        runbooks: options.specialistOverrides?.runbooks ?? (runbooksHandler({ tools: tools('runbooks') }) as unknown as LambdaHandler),
      },
    };
    const output = await runWorkflow(
      { request: { investigationId, trigger, ...(requestedBy ? { requestedBy } : {}), now } },
      handlers,
      { executionName: investigationId, ...(options.onStep ? { onStep: options.onStep } : {}) },
    );
    const result = parseOrThrow(investigationResultSchema, output);
    const markdown = (await options.reports.read(result.report.uri)) ?? '';
    return { result, markdown, trigger };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await gateway.close();
  }
}
