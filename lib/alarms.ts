/**
 * Alarms start investigations: an EventBridge rule matches CloudWatch alarms entering ALARM (optionally only
 * those whose name starts with a prefix) and sends the event to the ingest Lambda, which deduplicates it
 * (Powertools idempotency, in the memory table) and starts the state machine. Events that cannot be delivered,
 * or whose processing keeps failing, land in an encrypted dead-letter queue, watched by an alarm, instead of
 * being lost: an incident nobody investigated is the failure this project exists to prevent.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SreAgentConfig } from './config.ts';
import type { FunctionFactory } from './functions.ts';
import type { Memory } from './memory.ts';
import { acknowledge } from './nag.ts';

export interface AlarmTriggerProps {
  config: Pick<SreAgentConfig, 'alarmNamePrefix' | 'idempotencyTtlSeconds'>;
  functions: FunctionFactory;
  memory: Memory;
  stateMachine: sfn.IStateMachine;
}

/** The EventBridge pattern of alarms that start an investigation. */
export function alarmEventPattern(alarmNamePrefix: string): events.EventPattern {
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    detail: {
      state: { value: ['ALARM'] },
      ...(alarmNamePrefix ? { alarmName: events.Match.prefix(alarmNamePrefix) } : {}),
    },
  };
}

export class AlarmTrigger extends Construct {
  readonly rule: events.Rule;
  readonly ingest: NodejsFunction;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: AlarmTriggerProps) {
    super(scope, id);
    const { config, functions, memory, stateMachine } = props;

    this.ingest = functions.create(this, 'Ingest', {
      entry: 'lambdas/ingest/alarm/handler.ts',
      role: 'ingest',
      service: 'alarm-ingest',
      description: 'Starts an investigation for a CloudWatch alarm entering ALARM (idempotent per alarm transition)',
      environment: {
        TABLE_NAME: memory.table.tableName,
        STATE_MACHINE_ARN: stateMachine.stateMachineArn,
        IDEMPOTENCY_TTL_SECONDS: String(config.idempotencyTtlSeconds),
      },
    });
    // Powertools idempotency records live in the same table: read and write.
    memory.grantReadWrite(this.ingest);
    stateMachine.grantStartExecution(this.ingest);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      // SQS-managed SSE: EventBridge and Lambda can deliver to it without a key policy to maintain.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'SQS3', 'This queue is the dead-letter queue of the alarm rule target and of the ingest function.');

    this.rule = new events.Rule(this, 'AlarmRule', {
      description: config.alarmNamePrefix
        ? `Investigate CloudWatch alarms named ${config.alarmNamePrefix}* when they enter ALARM`
        : 'Investigate every CloudWatch alarm that enters ALARM',
      eventPattern: alarmEventPattern(config.alarmNamePrefix),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.ingest, {
        deadLetterQueue: this.deadLetterQueue,
        // Delivery retries (throttling, service errors); an alarm older than an hour has probably been handled.
        retryAttempts: 8,
        maxEventAge: Duration.hours(1),
      }),
    );
    // EventBridge invokes asynchronously: function errors are retried by Lambda, then dead-lettered too.
    this.ingest.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Alarm events that could not start an investigation are waiting in the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
