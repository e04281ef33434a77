/**
 * The five API Lambda entry points as deployed: built from their environment (TABLE_NAME, STATE_MACHINE_ARN,
 * REPORTS_BUCKET), invoked with the fixture events of fixtures/events/api (what API Gateway sends after its
 * Cognito authorizer). DynamoDB is dynalite and S3 is s3rver (reached through the SDK's endpoint variables);
 * Step Functions, which has no local engine here, is mocked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamo, startDynalite } from '../../src/local/dynalite.ts';
import { type LocalS3, startS3rver } from '../../src/local/s3rver.ts';
import { createDynamoMemoryStore } from '../../src/memory/dynamodb.ts';
import { localContext, logger } from '../../src/platform/lambda.ts';
import { createS3ReportStore } from '../../src/reports/s3.ts';
import { apiDeps, memoryFromEnv, once } from '../../lambdas/api/deps.ts';
import { createApiHandler } from '../../lambdas/api/handler-factory.ts';
import { route } from '../../src/api/router.ts';
import { listInvestigations } from '../../src/api/routes/list-investigations.ts';
import { fakeResult } from './helpers.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:730335218804:stateMachine:sre-agent';
const FIXTURE_USER = '5a1c3f2e-8b7d-4e6a-9c0b-1d2e3f4a5b6c';
const FIXTURE_ID = 'inv-20260203-134700-a1b2c3';
const sfn = mockClient(SFNClient);
let db: LocalDynamo;
let s3: LocalS3;
type Handler = (event: APIGatewayProxyEvent, context: ReturnType<typeof localContext>) => Promise<APIGatewayProxyResult>;
const handlers: Record<string, Handler> = {};

function fixture(name: string): APIGatewayProxyEvent {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/events/api/${name}.json`, import.meta.url)), 'utf8'));
}
async function invoke(handler: string, event: APIGatewayProxyEvent) {
  const res = await handlers[handler]!(event, localContext(`sre-agent-${handler}`));
  return { ...res, json: res.headers?.['content-type'] === 'application/json' ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  db = await startDynalite({ tableName: 'sre-agent-memory' });
  s3 = await startS3rver({ bucket: 'sre-agent-reports' });
  // The Lambdas' environment, with the SDK pointed at the local engines.
  vi.stubEnv('TABLE_NAME', 'sre-agent-memory');
  vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE);
  vi.stubEnv('REPORTS_BUCKET', 'sre-agent-reports');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', db.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
  sfn.on(StartExecutionCommand).callsFake((input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
  for (const name of ['start-investigation', 'list-investigations', 'get-investigation', 'get-report', 'preferences']) {
    handlers[name] = ((await import(`../../lambdas/api/${name}/handler.ts`)) as { handler: Handler }).handler;
  }
});
afterAll(async () => {
  vi.unstubAllEnvs();
  sfn.restore();
  await s3?.close();
  await db?.close();
});

describe('API Lambda handlers with the fixture events', () => {
  it('POST /investigations → 202 and a StartExecution named by the investigation id', async () => {
    const res = await invoke('start-investigation', fixture('start-investigation'));
    expect(res.statusCode).toBe(202);
    const id = String(res.json.investigationId);
    expect(res.json).toMatchObject({
      status: 'queued',
      statusUrl: `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/investigations/${id}`,
      reportUrl: `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/investigations/${id}/report`,
    });
    const call = sfn.commandCalls(StartExecutionCommand).at(-1)!.args[0].input;
    expect(call).toMatchObject({ stateMachineArn: STATE_MACHINE, name: id });
    expect(JSON.parse(call.input!)).toEqual({
      request: {
        investigationId: id,
        trigger: { type: 'question', question: 'Why are the settlement workers in payments restarting?', userId: FIXTURE_USER },
        requestedBy: FIXTURE_USER,
      },
    });
    // The same event again (its Idempotency-Key included) is a replay.
    const again = await invoke('start-investigation', fixture('start-investigation'));
    expect(again.statusCode).toBe(200);
    expect(again.json.investigationId).toBe(id);

    const alarm = await invoke('start-investigation', fixture('start-investigation-alarm'));
    expect(alarm.statusCode).toBe(202);
  });

  it('the get and report handlers read the record and the report from S3', async () => {
    const memory = createDynamoMemoryStore({ client: db.documentClient, tableName: 'sre-agent-memory' });
    const reports = createS3ReportStore({ client: s3.client, bucket: 'sre-agent-reports' });
    const uri = await reports.put(FIXTURE_ID, '# Investigation\n\nOOM-killed.\n', '2026-02-03T13:47:05Z');
    await memory.putInvestigation({
      investigationId: FIXTURE_ID,
      requester: FIXTURE_USER,
      status: 'completed',
      trigger: { type: 'question', question: 'Why are the settlement workers in payments restarting?', userId: FIXTURE_USER },
      createdAt: '2026-02-03T13:47:00.000Z',
      updatedAt: '2026-02-03T13:49:00.000Z',
      steps: ['Normalize', 'Finalize'],
      result: fakeResult(FIXTURE_ID, uri),
      reportKey: uri,
    });

    const got = await invoke('get-investigation', fixture('get-investigation'));
    expect(got.statusCode).toBe(200);
    expect(got.json).toMatchObject({ investigationId: FIXTURE_ID, status: 'completed', result: { rootCause: { category: 'oom-killed' } } });

    const report = await invoke('get-report', fixture('get-report'));
    expect(report.statusCode).toBe(200);
    expect(report.headers?.['content-type']).toBe('text/markdown; charset=utf-8');
    expect(report.body).toBe('# Investigation\n\nOOM-killed.\n');

    const link = await invoke('get-report', fixture('get-report-url'));
    expect(link.statusCode).toBe(200);
    expect(String(link.json.url)).toContain(`/sre-agent-reports/reports/2026/02/03/${FIXTURE_ID}.md?`);
    expect(await (await fetch(String(link.json.url))).text()).toBe('# Investigation\n\nOOM-killed.\n');

    const list = await invoke('list-investigations', fixture('list-investigations'));
    expect(list.statusCode).toBe(200);
    expect((list.json.items as Array<{ investigationId: string }>).map((i) => i.investigationId)).toContain(FIXTURE_ID);
  });

  it('GET /investigations/{id} reports an execution that timed out before the supervisor could record it', async () => {
    const memory = createDynamoMemoryStore({ client: db.documentClient, tableName: 'sre-agent-memory' });
    const id = 'inv-20260203-140000-00ff00';
    await memory.putInvestigation({
      investigationId: id,
      requester: FIXTURE_USER,
      status: 'running',
      trigger: { type: 'question', question: 'Why is it slow?', userId: FIXTURE_USER },
      createdAt: '2026-02-03T14:00:00.000Z',
      updatedAt: '2026-02-03T14:00:00.000Z',
      steps: ['Normalize'],
      executionArn: `arn:aws:states:eu-west-1:730335218804:execution:sre-agent:${id}`,
    });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'internal detail that must not leak' } as never);
    const event = fixture('get-investigation');
    event.path = `/investigations/${id}`;
    event.pathParameters = { id };
    const res = await invoke('get-investigation', event);
    expect(res.json).toMatchObject({ status: 'failed', failure: { error: 'States.Timeout', message: 'the investigation ran out of time' } });
    expect(res.body).not.toContain('internal detail');
  });

  it('PUT then GET /preferences', async () => {
    const put = await invoke('preferences', fixture('put-preferences'));
    expect(put.statusCode).toBe(200);
    const got = await invoke('preferences', fixture('get-preferences'));
    expect(got.json).toEqual({ preferences: JSON.parse(fixture('put-preferences').body!) });
    const wrongMethod = fixture('get-preferences');
    wrongMethod.httpMethod = 'DELETE';
    expect((await invoke('preferences', wrongMethod)).statusCode).toBe(405);
  });

  it('400 names the field; an unexpected failure is a 500 with a request id and no internals', async () => {
    const bad = fixture('start-investigation');
    bad.body = JSON.stringify({ question: 'no' });
    bad.headers['Idempotency-Key'] = 'another-key';
    const res = await invoke('start-investigation', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ error: 'bad_request', message: "'question' must be at least 3 characters", field: 'question' });

    const noClaims = fixture('list-investigations');
    noClaims.requestContext.authorizer = null;
    expect((await invoke('list-investigations', noClaims)).statusCode).toBe(401);
    const readOnly = fixture('start-investigation');
    readOnly.requestContext.authorizer = { claims: { ...readOnly.requestContext.authorizer!.claims, scope: 'sre-agent/investigations.read' } };
    expect((await invoke('start-investigation', readOnly)).statusCode).toBe(403);

    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    vi.stubEnv('TABLE_NAME', 'no-such-table');
    // A fresh container of the list Lambda, configured with a table that does not exist.
    const broken = await createApiHandler([route('listInvestigations', listInvestigations)], once(() => apiDeps({ memory: memoryFromEnv() })))(
      fixture('list-investigations'),
      localContext('sre-agent-list'),
    );
    vi.stubEnv('TABLE_NAME', 'sre-agent-memory');
    expect(broken.statusCode).toBe(500);
    expect(JSON.parse(broken.body)).toEqual({ error: 'internal_error', message: 'an internal error occurred', requestId: 'c0ffee00-0000-4000-8000-000000000003' });
    expect(broken.body).not.toMatch(/ResourceNotFound|no-such-table|\.ts:/);
    expect(error).toHaveBeenCalledWith('unhandled error in API route', expect.objectContaining({ requestId: 'c0ffee00-0000-4000-8000-000000000003' }));
  });
});
