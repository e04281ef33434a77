/** What the API's route cores need from the world, injected by the Lambda handlers and the dev server. */
import type { TriggerInput } from '../domain/trigger.ts';
import type { MemoryStore } from '../memory/port.ts';
import type { ReportReader } from '../reports/port.ts';

/** The state machine's execution input (see the contracts): the supervisor's Normalize step reads `request`. */
export interface ExecutionInput {
  request: {
    investigationId: string;
    trigger: TriggerInput;
    requestedBy?: string;
    now?: string;
    /** Local runs only (the dev server): the scenario named in the request body. Never sent in AWS. */
    scenario?: string;
  };
}

export interface WorkflowStarter {
  /** Starts the execution named by the investigation id; starting an already started one returns its ARN. */
  start(investigationId: string, executionInput: ExecutionInput): Promise<string>;
}

export type ExecutionState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionStatus {
  state: ExecutionState;
  /** The error name of a failed execution (`States.Timeout`, `InputError`, …). */
  error?: string;
  /** The failure's cause as Step Functions reports it; may hold internals, so never shown as is. */
  cause?: string;
  /** The execution's output (the investigation result) when it succeeded. */
  output?: unknown;
}

export interface WorkflowMonitor {
  describe(executionArn: string): Promise<ExecutionStatus | undefined>;
}

export interface Logger {
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface ApiDeps {
  memory: MemoryStore;
  workflow: WorkflowStarter;
  /** Reconciles records of executions that failed outside the supervisor's reach (timeouts, aborts). */
  monitor?: WorkflowMonitor;
  reports: ReportReader;
  clock: () => number;
  /** Investigation ids; `inv-YYYYMMDD-HHMMSS-xxxxxx` by default. */
  newId?: (now: number) => string;
  log?: Logger;
  /** Lifetime of presigned report URLs (default 300 s). */
  presignSeconds?: number;
  /** Pass the body's `scenario` on to the workflow (the dev server); AWS ignores it. */
  passScenario?: boolean;
}
