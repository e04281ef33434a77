/**
 * Runs the investigation state machine locally: the definition synthesized from the same CDK construct the stack
 * deploys (lib/workflow-definition.ts), executed by aws-local-stepfunctions with every Task bound, by its function
 * ARN, to a Lambda handler running in this process.
 */
import '../platform/polyfills.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Context } from 'aws-lambda';
import { placeholderFunctionArn, synthesizeWorkflowDefinition } from '../../lib/workflow-definition.ts';
import { SPECIALISTS, type SpecialistName } from '../domain/result.ts';
import { localContext } from '../platform/lambda.ts';

/** A Lambda handler as Node's runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface WorkflowHandlers {
  supervisor: LambdaHandler;
  specialists: Record<SpecialistName, LambdaHandler>;
}

export interface StepProgress {
  state: string;
  phase: 'start' | 'end' | 'error';
  durationMs?: number;
  error?: string;
}

let definition: Record<string, unknown> | undefined;

/** The synthesized ASL, built once per process. */
export function workflowDefinition(): Record<string, unknown> {
  definition ??= synthesizeWorkflowDefinition().definition;
  return definition;
}

interface AslState {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Branches?: Array<{ States: Record<string, AslState> }>;
}

function tasksOf(states: Record<string, AslState>, out: Map<string, AslState> = new Map()): Map<string, AslState> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') out.set(name, state);
    for (const branch of state.Branches ?? []) tasksOf(branch.States, out);
  }
  return out;
}

export async function runWorkflow(
  executionInput: Record<string, unknown>,
  handlers: WorkflowHandlers,
  options: { executionName: string; onStep?: (p: StepProgress) => void },
): Promise<unknown> {
  const asl = workflowDefinition();
  const byArn = new Map<string, { role: string; handler: LambdaHandler }>([
    [placeholderFunctionArn('supervisor'), { role: 'supervisor', handler: handlers.supervisor }],
    ...SPECIALISTS.map((name): [string, { role: string; handler: LambdaHandler }] => [placeholderFunctionArn(name), { role: name, handler: handlers.specialists[name] }]),
  ]);
  const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const retryOverrides: Record<string, number> = {};
  for (const [name, state] of tasksOf(asl.States as Record<string, AslState>)) {
    const bound = state.Resource ? byArn.get(state.Resource) : undefined;
    if (!bound) throw new Error(`state ${name} calls ${state.Resource ?? 'nothing'}, which has no local handler`);
    // Service-error retries wait seconds in AWS; locally a failed handler fails the same way at once.
    if (state.Retry?.length) retryOverrides[name] = 10;
    taskHandlers[name] = async (input: unknown) => {
      const started = performance.now();
      options.onStep?.({ state: name, phase: 'start' });
      try {
        const out = await bound.handler(input, localContext(`sre-agent-${bound.role}`));
        options.onStep?.({ state: name, phase: 'end', durationMs: performance.now() - started });
        return out;
      } catch (error) {
        options.onStep?.({ state: name, phase: 'error', durationMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    };
  }
  const machine = new StateMachine(asl as never, { validationOptions: { checkArn: false } });
  const started = new Date().toISOString();
  const execution = machine.run(executionInput as never, {
    overrides: { taskResourceLocalHandlers: taskHandlers as never, retryIntervalOverrides: retryOverrides },
    context: {
      Execution: { Id: `arn:aws:states:local:000000000000:execution:sre-agent:${options.executionName}`, Name: options.executionName, StartTime: started, Input: executionInput, RoleArn: 'arn:aws:iam::000000000000:role/local' },
    } as never,
  });
  return execution.result;
}
