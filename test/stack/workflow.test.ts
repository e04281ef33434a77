import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeholderFunctionArn, synthesizeWorkflowDefinition } from '../../lib/workflow-definition.ts';
import { type Synthesized, resources, stateMachineDefinition, synth } from './support.ts';

type State = Record<string, unknown> & { Type: string };
type Definition = { StartAt: string; States: Record<string, State>; QueryLanguage?: string };

const SPECIALISTS = ['kubernetes', 'logs', 'metrics', 'runbooks'] as const;
const title = (n: string) => n.charAt(0).toUpperCase() + n.slice(1);

function validate(definition: unknown) {
  // The validator annotates the definition it checks: give it a copy.
  return aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
}

/** Every occurrence of a key anywhere in the definition (states of branches included). */
function collectKeys(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => collectKeys(v, key, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) out.push(v);
      collectKeys(v, key, out);
    }
  }
  return out;
}

let s: Synthesized;
let deployed: Definition;
let local: Definition;

beforeAll(() => {
  s = synth();
  deployed = stateMachineDefinition(s.template) as Definition;
  local = synthesizeWorkflowDefinition().definition as Definition;
});

describe('the state machine resource', () => {
  it('is a Standard state machine with X-Ray tracing, ALL-level logging with execution data, and an execution timeout', () => {
    const machine = Object.values(resources(s.template)).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!;
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    const logGroup = (machine.Properties!.LoggingConfiguration as { Destinations: Array<{ CloudWatchLogsLogGroup: { LogGroupArn: unknown } }> })
      .Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn;
    expect(JSON.stringify(logGroup)).toContain('WorkflowLogs');
    expect(deployed).toMatchObject({ TimeoutSeconds: 900 });
  });

  it('is pure JSONPath: no QueryLanguage JSONata anywhere, no JSONata-only fields', () => {
    for (const definition of [deployed, local]) {
      expect(collectKeys(definition, 'QueryLanguage').filter((q) => q !== 'JSONPath')).toEqual([]);
      expect(collectKeys(definition, 'Arguments')).toEqual([]);
      expect(collectKeys(definition, 'Output')).toEqual([]);
      expect(collectKeys(definition, 'Assign')).toEqual([]);
    }
  });

  it('is accepted by asl-validator, as deployed and as synthesized for the local runner', () => {
    // References resolve to function ARNs at deployment; the validator checks their shape.
    const a = validate(JSON.parse(JSON.stringify(deployed).replace(/<([A-Za-z0-9]+)\.Arn>/g, `arn:aws:lambda:us-east-1:123456789012:function:$1`)));
    expect(a.errorsText('\n')).toBe('');
    expect(a.isValid).toBe(true);
    const b = validate(local);
    expect(b.errorsText('\n')).toBe('');
    expect(b.isValid).toBe(true);
  });
});

describe('the definition follows the contract', () => {
  it('starts with Normalize, a supervisor task that writes $.input and fails the execution on error', () => {
    expect(deployed.StartAt).toBe('Normalize');
    const normalize = deployed.States.Normalize!;
    expect(normalize).toMatchObject({
      Type: 'Task',
      Parameters: { step: 'normalize', 'request.$': '$.request' },
      ResultPath: '$.input',
      Next: 'Prepare',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
    });
    expect((normalize.Retry as Array<{ ErrorEquals: string[] }>)[0]!.ErrorEquals).toContain('Lambda.ServiceException');
    expect(deployed.States.Failed).toMatchObject({ Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' });
  });

  it('prepares the loop state with an explicit null nextPlan', () => {
    expect(deployed.States.Prepare).toEqual({
      Type: 'Pass',
      Comment: expect.any(String),
      Parameters: { 'input.$': '$.input', history: [], nextPlan: null, 'startedAt.$': '$$.Execution.StartTime' },
      Next: 'Plan',
    });
  });

  it('runs four specialist branches, each guarded by a Choice and with a Catch on its task', () => {
    const parallel = deployed.States.Specialists!;
    expect(parallel).toMatchObject({ Type: 'Parallel', ResultPath: '$.round', Next: 'Synthesize' });
    const branches = parallel.Branches as Definition[];
    expect(branches).toHaveLength(4);
    for (const [i, name] of SPECIALISTS.entries()) {
      const N = title(name);
      const branch = branches[i]!;
      expect(branch.StartAt).toBe(`${N}Selected`);
      expect(branch.States[`${N}Selected`]).toEqual({
        Type: 'Choice',
        Choices: [{ Variable: `$.plan.specialists.${name}.selected`, BooleanEquals: true, Next: N }],
        Default: `${N}Skipped`,
      });
      const task = branch.States[N]!;
      expect(task).toMatchObject({
        Type: 'Task',
        Parameters: { 'input.$': '$.input', 'plan.$': '$.plan' },
        TimeoutSeconds: 120,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `${N}Failed` }],
        End: true,
      });
      expect(task.Resource).toMatch(new RegExp(`${N}Specialist`));
      expect(task.Retry).toEqual([
        {
          ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'],
          IntervalSeconds: 2,
          MaxAttempts: 2,
          BackoffRate: 2,
        },
      ]);
      expect(branch.States[`${N}Failed`]).toEqual({
        Type: 'Pass',
        Parameters: {
          name,
          status: 'failed',
          findings: [],
          healthy: [],
          toolCalls: 0,
          durationMs: 0,
          'gaps.$': `States.Array(States.Format('the ${name} specialist failed: {}', $.error.Error))`,
          'error.$': '$.error.Error',
        },
        End: true,
      });
      expect(branch.States[`${N}Skipped`]).toEqual({
        Type: 'Pass',
        Result: { name, status: 'skipped', findings: [], healthy: [], gaps: [], toolCalls: 0, durationMs: 0 },
        End: true,
      });
    }
  });

  it('loops Synthesize → Carry → AnotherRound back to Plan while there is a next plan, then finalizes', () => {
    expect(deployed.States.Synthesize).toMatchObject({
      Type: 'Task',
      Parameters: { step: 'synthesize', 'input.$': '$.input', 'plan.$': '$.plan', 'round.$': '$.round', 'history.$': '$.history' },
      ResultPath: '$.synthesis',
      Next: 'Carry',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
    });
    expect(deployed.States.Carry).toMatchObject({
      Type: 'Pass',
      Parameters: {
        'input.$': '$.input',
        'history.$': '$.synthesis.history',
        'nextPlan.$': '$.synthesis.nextPlan',
        'outcome.$': '$.synthesis.outcome',
        'startedAt.$': '$.startedAt',
      },
      Next: 'AnotherRound',
    });
    expect(deployed.States.AnotherRound).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.nextPlan', IsNull: true, Next: 'Finalize' }],
      Default: 'Plan',
    });
    expect(deployed.States.Plan).toMatchObject({
      Parameters: { step: 'plan', 'input.$': '$.input', 'nextPlan.$': '$.nextPlan' },
      ResultPath: '$.plan',
      Next: 'Specialists',
    });
    expect(deployed.States.Finalize).toMatchObject({
      Parameters: { step: 'finalize', 'input.$': '$.input', 'outcome.$': '$.outcome', 'history.$': '$.history', 'startedAt.$': '$.startedAt' },
      ResultPath: '$.result',
      Next: 'Done',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
    });
    expect(deployed.States.Done).toEqual({ Type: 'Succeed', OutputPath: '$.result' });
  });

  it('invokes functions directly (payload response only): Resource is the function ARN', () => {
    for (const step of ['Normalize', 'Plan', 'Synthesize', 'Finalize']) {
      expect(deployed.States[step]!.Resource).toMatch(/^<AgentsSupervisorFunction[0-9A-F]+\.Arn>$/);
    }
  });
});

describe('synthesizeWorkflowDefinition', () => {
  it('gives the deployed definition, with placeholder ARNs in place of the functions', () => {
    const withPlaceholders = JSON.stringify(deployed)
      .replace(/<AgentsSupervisorFunction[0-9A-F]+\.Arn>/g, placeholderFunctionArn('supervisor'))
      .replace(/<Agents(Kubernetes|Logs|Metrics|Runbooks)SpecialistFunction[0-9A-F]+\.Arn>/g, (_m, n: string) =>
        placeholderFunctionArn(n.toLowerCase() as 'kubernetes'),
      );
    expect(local).toEqual(JSON.parse(withPlaceholders));
  });

  it('uses the placeholder ARNs of the contract', () => {
    expect(local.States.Normalize!.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:sre-agent-supervisor');
    const branches = local.States.Specialists!.Branches as Definition[];
    expect(branches.map((b, i) => b.States[title(SPECIALISTS[i]!)]!.Resource)).toEqual(
      SPECIALISTS.map((n) => `arn:aws:lambda:us-east-1:000000000000:function:sre-agent-${n}`),
    );
  });

  it('is fast: no bundling, no other resources', () => {
    const started = performance.now();
    synthesizeWorkflowDefinition();
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
