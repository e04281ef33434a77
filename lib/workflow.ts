/**
 * The investigation as a Step Functions Standard state machine, exactly as the contracts define it:
 *   Normalize → Prepare → Plan → Specialists (4 guarded branches) → Synthesize → Carry → AnotherRound
 *   → (Plan again, at most once, when the supervisor asks) → Finalize → Done.
 * JSONPath only: the local runner executes this same definition with aws-local-stepfunctions, which does not
 * evaluate JSONata, and binds each Task by its state name, so the names below are part of the contract.
 *
 * Functions come in as IFunction so the definition can also be built around placeholder ARNs
 * (see workflow-definition.ts) without the rest of the stack.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SPECIALISTS, type SpecialistName } from '../src/domain/result.ts';
import { acknowledgeWildcards } from './nag.ts';

export { SPECIALISTS, type SpecialistName };

export interface InvestigationWorkflowProps {
  supervisor: lambda.IFunction;
  specialists: Readonly<Record<SpecialistName, lambda.IFunction>>;
  /** TimeoutSeconds of each specialist task. Default 120 s. */
  specialistTimeout?: Duration;
  /** Timeout of a whole execution. Default 15 minutes. */
  executionTimeout?: Duration;
  logRetentionDays?: number;
  removalPolicy?: RemovalPolicy;
}

/** Errors of the Lambda service itself (not of the function's code), worth retrying. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const SPECIALIST_RETRY_ERRORS = ['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.SdkClientException'];

const title = (name: SpecialistName) => name.charAt(0).toUpperCase() + name.slice(1);
const $ = (path: string) => sfn.JsonPath.stringAt(path);

export class InvestigationWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InvestigationWorkflowProps) {
    super(scope, id);
    const { supervisor } = props;
    // States get their own scope: a state's name is its construct id, and `Logs` (the specialist) must not
    // collide with the construct ids of the resources below.
    const states = new Construct(this, 'States');

    const failed = new sfn.Fail(states, 'Failed', {
      comment: 'A supervisor step failed after its retries: the execution fails with that error',
      errorPath: '$.Error',
      causePath: '$.Cause',
    });

    const supervisorStep = (name: string, payload: Record<string, unknown>, resultPath: string) => {
      const task = new tasks.LambdaInvoke(states, name, {
        lambdaFunction: supervisor,
        // The function's return value is the result (Resource = the function ARN, no Payload envelope).
        payloadResponseOnly: true,
        payload: sfn.TaskInput.fromObject(payload),
        resultPath,
        // Replaced by the explicit retry below, so the retried errors are visible in the definition.
        retryOnServiceExceptions: false,
      });
      task.addRetry({
        errors: LAMBDA_SERVICE_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      task.addCatch(failed, { errors: [sfn.Errors.ALL] });
      return task;
    };

    const normalize = supervisorStep('Normalize', { step: 'normalize', request: $('$.request') }, '$.input');

    // A CustomState because the Pass construct drops null-valued parameters, and `nextPlan` must exist (as
    // null) for Plan's `$.nextPlan` and AnotherRound's IsNull test.
    const prepare = new sfn.CustomState(states, 'Prepare', {
      stateJson: {
        Type: 'Pass',
        Comment: 'Start the loop state: no history, no follow-up plan yet',
        Parameters: {
          'input.$': '$.input',
          history: [],
          nextPlan: null,
          'startedAt.$': '$$.Execution.StartTime',
        },
      },
    });

    const plan = supervisorStep('Plan', { step: 'plan', input: $('$.input'), nextPlan: $('$.nextPlan') }, '$.plan');

    const specialists = new sfn.Parallel(states, 'Specialists', {
      comment: 'Every specialist runs, or reports itself skipped or failed: a branch never fails the round',
      resultPath: '$.round',
    });
    for (const name of SPECIALISTS) specialists.branch(specialistBranch(states, name, props));

    const synthesize = supervisorStep(
      'Synthesize',
      { step: 'synthesize', input: $('$.input'), plan: $('$.plan'), round: $('$.round'), history: $('$.history') },
      '$.synthesis',
    );

    const carry = new sfn.Pass(states, 'Carry', {
      comment: 'Keep only what the next step needs (state size stays bounded across rounds)',
      parameters: {
        input: $('$.input'),
        history: $('$.synthesis.history'),
        nextPlan: $('$.synthesis.nextPlan'),
        outcome: $('$.synthesis.outcome'),
        startedAt: $('$.startedAt'),
      },
    });

    const finalize = supervisorStep(
      'Finalize',
      { step: 'finalize', input: $('$.input'), outcome: $('$.outcome'), history: $('$.history'), startedAt: $('$.startedAt') },
      '$.result',
    );
    const done = new sfn.Succeed(states, 'Done', { outputPath: '$.result' });

    // The loop is bounded by the supervisor, which returns a next plan at most once per investigation.
    // "No next plan → Finalize, otherwise → Plan" rather than "IsNull false → Plan": the same in AWS, and
    // aws-local-stepfunctions 3 evaluates `IsNull: false` as never true, which would skip the second round locally.
    const anotherRound = new sfn.Choice(states, 'AnotherRound')
      .when(sfn.Condition.isNull('$.nextPlan'), finalize)
      .otherwise(plan);
    finalize.next(done);

    const definition = normalize.next(prepare).next(plan).next(specialists).next(synthesize).next(carry).next(anotherRound);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: (props.logRetentionDays ?? 30) as logs.RetentionDays,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'sre-agent investigation: plan, run the specialists, synthesize, optionally one more round, finalize',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.executionTimeout ?? Duration.minutes(15),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    acknowledgeWildcards(
      this.stateMachine.role,
      { resources: ['*'] },
      'X-Ray trace segments and CloudWatch Logs log-delivery management (CreateLogDelivery, PutResourcePolicy, ...) do not support resource-level permissions; Step Functions needs them for tracing and execution logging.',
    );
    acknowledgeWildcards(
      this.stateMachine.role,
      { resources: [supervisor, ...SPECIALISTS.map((n) => props.specialists[n])].map((f) => `${f.functionArn}:*`) },
      'Granted by the LambdaInvoke tasks: the function and its versions/aliases (`:*`). The tasks invoke the unqualified ARN; the qualifier wildcard covers only this function.',
    );
  }
}

function specialistBranch(states: Construct, name: SpecialistName, props: InvestigationWorkflowProps): sfn.IChainable {
  const Name = title(name);
  const task = new tasks.LambdaInvoke(states, Name, {
    lambdaFunction: props.specialists[name],
    payloadResponseOnly: true,
    payload: sfn.TaskInput.fromObject({ input: $('$.input'), plan: $('$.plan') }),
    taskTimeout: sfn.Timeout.duration(props.specialistTimeout ?? Duration.seconds(120)),
    retryOnServiceExceptions: false,
  });
  task.addRetry({ errors: SPECIALIST_RETRY_ERRORS, interval: Duration.seconds(2), maxAttempts: 2, backoffRate: 2 });

  // The same shape as a specialist report, so the supervisor weighs a failure as a gap, not a crash.
  const failed = new sfn.Pass(states, `${Name}Failed`, {
    parameters: {
      name,
      status: 'failed',
      findings: [],
      healthy: [],
      toolCalls: 0,
      durationMs: 0,
      gaps: sfn.JsonPath.array(sfn.JsonPath.format(`the ${name} specialist failed: {}`, $('$.error.Error'))),
      error: $('$.error.Error'),
    },
  });
  task.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

  const skipped = new sfn.Pass(states, `${Name}Skipped`, {
    result: sfn.Result.fromObject({ name, status: 'skipped', findings: [], healthy: [], gaps: [], toolCalls: 0, durationMs: 0 }),
  });

  return new sfn.Choice(states, `${Name}Selected`)
    .when(sfn.Condition.booleanEquals(`$.plan.specialists.${name}.selected`, true), task)
    .otherwise(skipped);
}
