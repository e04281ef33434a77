/**
 * The alarm ingest Lambda with its real idempotency layer (Powertools, records in the memory table on dynalite)
 * and Step Functions mocked (no local engine for StartExecution).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStepFunctionsWorkflow } from '../../src/api/adapters/step-functions.ts';
import { type LocalDynamo, ensureMemoryTable, startDynalite } from '../../src/local/dynalite.ts';
import { createDynamoMemoryStore } from '../../src/memory/dynamodb.ts';
import { localContext, logger } from '../../src/platform/lambda.ts';
import { IDEMPOTENCY_PARTITION, createAlarmIngestHandler, idempotencyPersistence } from '../../lambdas/ingest/alarm/handler.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:730335218804:stateMachine:sre-agent';
const alarm = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/events/alarm-state-change.json', import.meta.url)), 'utf8'));
const sfn = mockClient(SFNClient);
let db: LocalDynamo;
let tableName: string;
let n = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  sfn.restore();
  await db?.close();
});
beforeEach(async () => {
  tableName = `ingest-${++n}`;
  await ensureMemoryTable(db.client, tableName);
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
});
afterEach(() => vi.restoreAllMocks());

function makeHandler() {
  const memory = createDynamoMemoryStore({ client: db.documentClient, tableName });
  const handler = createAlarmIngestHandler(() => ({
    memory,
    workflow: createStepFunctionsWorkflow({ client: new SFNClient({ region: 'eu-west-1' }), stateMachineArn: STATE_MACHINE }),
    persistence: idempotencyPersistence(db.client, tableName),
    idempotencyTtlSeconds: 3600,
    clock: Date.now,
  }));
  return { memory, invoke: (event: unknown) => handler(event, localContext('sre-agent-alarm-ingest')) };
}

describe('alarm ingest', () => {
  it('two identical alarm events start one investigation', async () => {
    const { memory, invoke } = makeHandler();
    const first = await invoke(alarm);
    const second = await invoke(structuredClone(alarm));
    expect(first).toMatchObject({ outcome: 'started' });
    expect(second).toEqual(first);
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);

    const { investigationId, executionArn } = first as { investigationId: string; executionArn: string };
    expect(investigationId).toMatch(/^inv-20260203-134638-[0-9a-f]{6}$/);
    // The contract: the execution is named by the investigation id, its input is { request }.
    expect(calls[0]!.args[0].input).toMatchObject({ stateMachineArn: STATE_MACHINE, name: investigationId });
    expect(JSON.parse(calls[0]!.args[0].input.input!)).toEqual({
      request: { investigationId, trigger: { type: 'alarm', event: alarm }, requestedBy: 'alarm:payments-settlement-worker-restarts' },
    });
    expect(await memory.getInvestigation(investigationId)).toMatchObject({
      requester: 'alarm:payments-settlement-worker-restarts',
      status: 'queued',
      executionArn,
      trigger: { type: 'alarm' },
    });

    // The idempotency record lives in the same table, with its TTL in expiresAt.
    const { Items } = await db.documentClient.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': IDEMPOTENCY_PARTITION } }),
    );
    expect(Items).toHaveLength(1);
    expect(Items![0]).toMatchObject({ status: 'COMPLETED' });
    expect(Items![0]!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(Items![0]!.expiresAt).toBeLessThanOrEqual(Date.now() / 1000 + 3601);
  });

  it('a redelivery with another event id is the same state change; a new state timestamp is a new one', async () => {
    const { invoke } = makeHandler();
    const first = (await invoke(alarm)) as { investigationId: string };
    const redelivered = { ...structuredClone(alarm), id: 'another-event-id', time: '2026-02-03T13:47:10Z' };
    expect(((await invoke(redelivered)) as { investigationId: string }).investigationId).toBe(first.investigationId);
    const later = structuredClone(alarm);
    later.detail.state.timestamp = '2026-02-03T15:02:11.000+0000';
    const next = (await invoke(later)) as { investigationId: string };
    expect(next.investigationId).not.toBe(first.investigationId);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });

  it('concurrent duplicates start one execution', async () => {
    const { invoke } = makeHandler();
    const outcomes = await Promise.allSettled([invoke(alarm), invoke(structuredClone(alarm)), invoke(structuredClone(alarm))]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    // The losers either see the finished record or are told the first is in progress (EventBridge retries them).
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(String((o.reason as Error).name)).toMatch(/IdempotencyAlreadyInProgressError/);
    }
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
  });

  it('a failed start is retried by the next delivery', async () => {
    const { memory, invoke } = makeHandler();
    sfn.on(StartExecutionCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).callsFake((input: { name: string }) => ({
      executionArn: `arn:aws:states:eu-west-1:730335218804:execution:sre-agent:${input.name}`,
      startDate: new Date(),
    }));
    await expect(invoke(alarm)).rejects.toThrow();
    const retried = (await invoke(alarm)) as { investigationId: string; executionArn: string };
    expect(retried).toMatchObject({ outcome: 'started' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
    expect((await memory.getInvestigation(retried.investigationId))?.executionArn).toBe(retried.executionArn);
  });

  it('only ALARM states start investigations', async () => {
    const { invoke } = makeHandler();
    const ok = structuredClone(alarm);
    ok.detail.state.value = 'OK';
    expect(await invoke(ok)).toMatchObject({ outcome: 'ignored' });
    const insufficient = structuredClone(alarm);
    insufficient.detail.state.value = 'INSUFFICIENT_DATA';
    expect(await invoke(insufficient)).toMatchObject({ outcome: 'ignored' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('bad events are logged with the offending field and start nothing', async () => {
    const { invoke } = makeHandler();
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const missing = structuredClone(alarm);
    delete missing.detail.state.value;
    expect(await invoke(missing)).toEqual({ outcome: 'rejected', field: 'detail.state.value', message: "'detail.state.value' is required" });
    expect(error).toHaveBeenCalledWith('rejected alarm event', { field: 'detail.state.value', reason: "'detail.state.value' is required" });

    const wrongType = structuredClone(alarm);
    wrongType.detail.state.timestamp = 'yesterday';
    expect(await invoke(wrongType)).toMatchObject({ outcome: 'rejected', field: 'detail.state.timestamp' });
    expect(await invoke({ 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: {} })).toMatchObject({
      outcome: 'rejected',
      field: 'detail-type',
    });
    expect(await invoke('not an event')).toMatchObject({ outcome: 'rejected' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
