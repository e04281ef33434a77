import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { alarmEventPattern } from '../../lib/alarms.ts';
import { flatten, functionActions, synth } from './support.ts';

describe('the alarm trigger', () => {
  const s = synth({ alarmNamePrefix: 'prod-' });

  it('matches CloudWatch alarms entering ALARM whose name has the prefix', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { state: { value: ['ALARM'] }, alarmName: [{ prefix: 'prod-' }] },
      },
      State: 'ENABLED',
    });
  });

  it('targets the ingest Lambda with a retry policy and an encrypted, TLS-only dead-letter queue', () => {
    const rule = Object.values(s.template.findResources('AWS::Events::Rule'))[0]!;
    const [target] = rule.Properties.Targets as Array<Record<string, unknown>>;
    expect(flatten(target!.Arn)).toMatch(/AlarmsIngestFunction/);
    expect(target!.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 });
    expect(flatten((target!.DeadLetterConfig as { Arn: unknown }).Arn)).toMatch(/AlarmsDeadLetterQueue/);

    s.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('dead-letters function failures too, and watches the queue', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
    });
  });

  it('gives the ingest function the memory table (idempotency records) and StartExecution, nothing else of note', () => {
    const actions = functionActions(s, s.stack.alarms.ingest);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'states:StartExecution', 'sqs:SendMessage']));
    expect(actions.filter((a) => /^(s3|bedrock|secretsmanager|lambda):/.test(a))).toEqual([]);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TTL_SECONDS: '3600', TABLE_NAME: Match.anyValue(), STATE_MACHINE_ARN: Match.anyValue() }) },
      Description: Match.stringLikeRegexp('CloudWatch alarm'),
    });
  });

  it('matches every alarm when the prefix is empty', () => {
    expect(alarmEventPattern('')).toEqual({
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM'] } },
    });
    const all = synth();
    const rule = Object.values(all.template.findResources('AWS::Events::Rule'))[0]!;
    expect(rule.Properties.EventPattern.detail).toEqual({ state: { value: ['ALARM'] } });
  });
});
