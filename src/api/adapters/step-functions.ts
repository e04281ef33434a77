/**
 * The WorkflowStarter and WorkflowMonitor on Step Functions (an adapter: the route cores only see the ports).
 * Executions are named by the investigation id, which makes starting idempotent: the same name and input while
 * running returns the running execution, and an ExecutionAlreadyExists means it was started before.
 */
import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionInput, ExecutionState, ExecutionStatus, WorkflowMonitor, WorkflowStarter } from '../ports.ts';

export interface StepFunctionsWorkflowOptions {
  client: SFNClient;
  stateMachineArn: string;
}

export function createStepFunctionsWorkflow(options: StepFunctionsWorkflowOptions): WorkflowStarter & WorkflowMonitor {
  const { client, stateMachineArn } = options;
  return {
    async start(investigationId: string, executionInput: ExecutionInput): Promise<string> {
      try {
        const out = await client.send(new StartExecutionCommand({ stateMachineArn, name: investigationId, input: JSON.stringify(executionInput) }));
        return out.executionArn ?? executionArnFor(stateMachineArn, investigationId);
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists || (error instanceof Error && error.name === 'ExecutionAlreadyExists')) {
          return executionArnFor(stateMachineArn, investigationId);
        }
        throw error;
      }
    },
    async describe(executionArn: string): Promise<ExecutionStatus | undefined> {
      try {
        const out = await client.send(new DescribeExecutionCommand({ executionArn }));
        let output: unknown;
        if (out.output) {
          try {
            output = JSON.parse(out.output);
          } catch {
            output = undefined;
          }
        }
        return {
          state: (out.status ?? 'RUNNING') as ExecutionState,
          ...(out.error ? { error: out.error } : {}),
          ...(out.cause ? { cause: out.cause } : {}),
          ...(output !== undefined ? { output } : {}),
        };
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist || (error instanceof Error && error.name === 'ExecutionDoesNotExist')) return undefined;
        throw error;
      }
    },
  };
}

/** arn:aws:states:<region>:<account>:stateMachine:<name> → arn:aws:states:<region>:<account>:execution:<name>:<id> */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}
