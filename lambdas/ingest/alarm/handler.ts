/**
 * The alarm ingest Lambda (EventBridge rule target): validate the alarm event, drop non-ALARM states, and start
 * one investigation per alarm state change. EventBridge delivers at least once and retries failed invocations,
 * so the start is idempotent (Powertools, records in the memory table: pk/sk keys, TTL in `expiresAt`) on the
 * alarm ARN and the state timestamp. Malformed events are logged with the offending field and dropped: a retry
 * would not fix them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { type AlarmIngestPorts, type AlarmIngestResult, type AlarmStateChange, checkAlarmEvent, startAlarmInvestigation } from '../../../src/api/alarm-ingest.ts';
import { lambdaHandler, logger } from '../../../src/platform/lambda.ts';
import { memoryFromEnv, required, workflowFromEnv } from '../../api/deps.ts';

export type AlarmIngestOutcome =
  | ({ outcome: 'started' } & AlarmIngestResult)
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'rejected'; field?: string; message: string };

export interface AlarmIngestDeps extends AlarmIngestPorts {
  persistence: BasePersistenceLayer;
  /** How long an alarm state change is remembered as handled (IDEMPOTENCY_TTL_SECONDS, default 24 h). */
  idempotencyTtlSeconds: number;
}

/** The idempotency records' place in the shared table; a fixed partition so renaming the function keeps them. */
export const IDEMPOTENCY_PARTITION = 'idempotency#alarm-ingest';

export function idempotencyPersistence(client: DynamoDBClient, tableName: string): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: IDEMPOTENCY_PARTITION,
    expiryAttr: 'expiresAt',
  });
}

export function createAlarmIngestHandler(deps: () => AlarmIngestDeps) {
  let start: ((key: { alarmArn: string; stateTimestamp: string }, context: Context, alarm: AlarmStateChange) => Promise<AlarmIngestResult>) | undefined;
  let ports: AlarmIngestDeps | undefined;
  return lambdaHandler(async (event: unknown, context: Context): Promise<AlarmIngestOutcome> => {
    const check = checkAlarmEvent(event);
    if (!check.ok) {
      logger.error('rejected alarm event', { field: check.field, reason: check.message });
      return { outcome: 'rejected', ...(check.field ? { field: check.field } : {}), message: check.message };
    }
    const { alarm } = check;
    if (alarm.state !== 'ALARM') {
      logger.info('ignored alarm state change', { alarmName: alarm.alarmName, state: alarm.state });
      return { outcome: 'ignored', reason: `the alarm went to ${alarm.state}, not ALARM` };
    }
    ports ??= deps();
    // Only the first argument (ARN + state timestamp) is hashed; the context argument lets Powertools bound the
    // in-progress lock by the invocation's remaining time.
    start ??= makeIdempotent(
      async (_key: { alarmArn: string; stateTimestamp: string }, _context: Context, a: AlarmStateChange) => startAlarmInvestigation(a, ports!),
      {
        persistenceStore: ports.persistence,
        keyPrefix: 'alarm-ingest',
        config: new IdempotencyConfig({ expiresAfterSeconds: ports.idempotencyTtlSeconds }),
      },
    );
    const result = await start({ alarmArn: alarm.alarmArn, stateTimestamp: alarm.stateTimestamp }, context, alarm);
    logger.info('alarm investigation started', { alarmName: alarm.alarmName, ...result });
    return { outcome: 'started', ...result };
  });
}

function depsFromEnv(env: NodeJS.ProcessEnv = process.env): AlarmIngestDeps {
  const ttl = Number(env.IDEMPOTENCY_TTL_SECONDS ?? 86_400);
  return {
    memory: memoryFromEnv(env),
    workflow: workflowFromEnv(env),
    persistence: idempotencyPersistence(new DynamoDBClient({}), required(env, 'TABLE_NAME')),
    idempotencyTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 86_400,
    clock: Date.now,
  };
}

export const handler = createAlarmIngestHandler(() => depsFromEnv());
