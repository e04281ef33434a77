import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../domain/result.ts';
import { type LocalDynamo, ensureMemoryTable, startDynalite } from '../local/dynalite.ts';
import { type DynamoMemoryStore, IdempotencyKeyInUse, InvestigationExists, createDynamoMemoryStore, getIncidentHistory } from './dynamodb.ts';
import type { InvestigationRecord } from './port.ts';

const DAY = 86_400_000;
let db: LocalDynamo;
let now: number;
let store: DynamoMemoryStore;
let table = 0;
let currentTable = '';

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  // A fresh table per test keeps the listing and history assertions independent.
  const tableName = `memory-${++table}`;
  await ensureMemoryTable(db.client, tableName);
  now = Date.parse('2026-03-14T10:00:00Z');
  store = createDynamoMemoryStore({ client: db.documentClient, tableName, clock: () => now });
  currentTable = tableName;
});

function record(id: string, requester: string, createdAt: string, extra: Partial<InvestigationRecord> = {}): InvestigationRecord {
  return {
    investigationId: id,
    requester,
    status: 'queued',
    trigger: { type: 'question', question: `why is ${id} failing?`, userId: requester },
    createdAt,
    updatedAt: createdAt,
    steps: [],
    ...extra,
  };
}

function result(id: string, extra: Partial<InvestigationResult> = {}): InvestigationResult {
  return {
    investigationId: id,
    status: 'completed',
    rootCause: { category: 'oom-killed', resource: 'Deployment/shop/cart', summary: 'cart is OOM-killed', confidence: 0.9 },
    hypotheses: [
      {
        category: 'oom-killed',
        resource: 'Deployment/shop/cart',
        summary: 'cart is OOM-killed',
        confidence: 0.9,
        evidence: [
          { source: 'kubernetes___get_pod_status', detail: 'exit 137 OOMKilled' },
          { source: 'runbooks___search_runbooks', detail: 'oom-resolution: raise the memory limit to 1Gi and roll out\nmore text' },
        ],
      },
    ],
    specialists: [],
    report: { uri: `file:///tmp/${id}.md` },
    durationMs: 1200,
    ...extra,
  };
}

async function rawItem(pk: string, sk: string) {
  return (await db.documentClient.send(new GetCommand({ TableName: currentTable, Key: { pk, sk } }))).Item;
}

describe('investigation records', () => {
  it('puts, gets and patches a record; never overwrites or creates one by patching', async () => {
    await store.putInvestigation(record('inv-1', 'alice', '2026-03-14T10:00:00.000Z'));
    expect(await store.getInvestigation('inv-1')).toMatchObject({ investigationId: 'inv-1', requester: 'alice', status: 'queued' });
    await expect(store.putInvestigation(record('inv-1', 'bob', '2026-03-14T10:00:00.000Z'))).rejects.toBeInstanceOf(InvestigationExists);

    await store.updateInvestigation('inv-1', { status: 'running', steps: ['Normalize'], executionArn: 'arn:aws:states:x', updatedAt: '2026-03-14T10:00:05.000Z' });
    await store.updateInvestigation('inv-1', { status: 'completed', result: result('inv-1'), reportKey: 'file:///tmp/inv-1.md' });
    const got = await store.getInvestigation('inv-1');
    expect(got).toMatchObject({ status: 'completed', steps: ['Normalize'], executionArn: 'arn:aws:states:x', requester: 'alice', reportKey: 'file:///tmp/inv-1.md' });
    expect(got?.result?.rootCause?.category).toBe('oom-killed');
    // No key attributes leak into the record.
    expect(Object.keys(got!)).not.toContain('pk');
    expect(Object.keys(got!)).not.toContain('gsi1pk');

    await store.updateInvestigation('inv-unknown', { status: 'running' });
    expect(await store.getInvestigation('inv-unknown')).toBeUndefined();
    expect(await rawItem('INV#inv-unknown', 'RECORD')).toBeUndefined();
  });

  it('works with a document client that does not drop undefined values', async () => {
    const plain = createDynamoMemoryStore({ client: DynamoDBDocumentClient.from(db.client), tableName: currentTable, clock: () => now });
    await plain.putInvestigation({ ...record('inv-u', 'alice', '2026-03-14T10:00:00.000Z'), executionArn: undefined, idempotencyKey: undefined });
    await plain.updateInvestigation('inv-u', { status: 'completed', result: { ...result('inv-u'), gaps: undefined }, reportKey: undefined });
    await plain.putPreferences('alice', { reportStyle: 'technical', timeZone: undefined });
    expect(await plain.getInvestigation('inv-u')).toMatchObject({ status: 'completed', result: { investigationId: 'inv-u' } });
    expect(await plain.getPreferences('alice')).toEqual({ reportStyle: 'technical' });
  });

  it('lists a requester\'s investigations newest first, with a limit, and everyone\'s for admins', async () => {
    await store.putInvestigation(record('inv-a1', 'alice', '2026-03-14T09:00:00.000Z'));
    await store.putInvestigation(record('inv-b1', 'bob', '2026-03-14T09:30:00.000Z'));
    await store.putInvestigation(record('inv-a2', 'alice', '2026-03-14T09:45:00.000Z'));
    await store.putInvestigation(record('inv-a0', 'alice', '2026-02-20T09:45:00.000Z'));
    await store.updateInvestigation('inv-a1', { status: 'completed' });

    const own = await store.listInvestigations('alice', 10);
    expect(own.map((r) => r.investigationId)).toEqual(['inv-a2', 'inv-a1', 'inv-a0']);
    // Fresh status, not the index's copy.
    expect(own[1]!.status).toBe('completed');
    expect((await store.listInvestigations('alice', 2)).map((r) => r.investigationId)).toEqual(['inv-a2', 'inv-a1']);
    expect(await store.listInvestigations('carol', 10)).toEqual([]);
    // Across month partitions, newest first.
    expect((await store.listInvestigations(undefined, 10)).map((r) => r.investigationId)).toEqual(['inv-a2', 'inv-b1', 'inv-a1', 'inv-a0']);
    expect((await store.listInvestigations(undefined, 2)).map((r) => r.investigationId)).toEqual(['inv-a2', 'inv-b1']);
  });

  it('sets the TTL attribute and hides expired records before DynamoDB deletes them', async () => {
    await store.putInvestigation(record('inv-ttl', 'alice', '2026-03-14T10:00:00.000Z'));
    const item = await rawItem('INV#inv-ttl', 'RECORD');
    expect(item?.expiresAt).toBe(Math.floor((now + 90 * DAY) / 1000));
    expect((await rawItem('INV#inv-ttl', 'LISTING'))?.expiresAt).toBe(item?.expiresAt);
    now += 91 * DAY;
    expect(await store.getInvestigation('inv-ttl')).toBeUndefined();
    expect(await store.listInvestigations('alice', 10)).toEqual([]);
  });

  it('finds an investigation by the requester\'s idempotency key and refuses a second claim', async () => {
    await store.putInvestigation(record('inv-k1', 'alice', '2026-03-14T10:00:00.000Z', { idempotencyKey: 'key#1' }));
    expect((await store.findByIdempotencyKey('alice', 'key#1'))?.investigationId).toBe('inv-k1');
    expect(await store.findByIdempotencyKey('bob', 'key#1')).toBeUndefined();
    expect(await store.findByIdempotencyKey('alice', 'other')).toBeUndefined();

    const claim = await rawItem(`IDEMPOTENCY#alice#${encodeURIComponent('key#1')}`, 'CLAIM');
    expect(claim?.expiresAt).toBe(Math.floor((now + DAY) / 1000));

    // A racing request with the same key loses: its record is removed and the winner is named.
    const lost = store.putInvestigation(record('inv-k2', 'alice', '2026-03-14T10:00:01.000Z', { idempotencyKey: 'key#1' }));
    await expect(lost).rejects.toBeInstanceOf(IdempotencyKeyInUse);
    await expect(lost).rejects.toMatchObject({ investigationId: 'inv-k1' });
    expect(await store.getInvestigation('inv-k2')).toBeUndefined();

    // Bob's key space is his own.
    await store.putInvestigation(record('inv-k3', 'bob', '2026-03-14T10:00:02.000Z', { idempotencyKey: 'key#1' }));
    expect((await store.findByIdempotencyKey('bob', 'key#1'))?.investigationId).toBe('inv-k3');

    // After the key's retention it may start a new investigation.
    now += DAY + 1000;
    expect(await store.findByIdempotencyKey('alice', 'key#1')).toBeUndefined();
    await store.putInvestigation(record('inv-k4', 'alice', '2026-03-15T10:00:02.000Z', { idempotencyKey: 'key#1' }));
    expect((await store.findByIdempotencyKey('alice', 'key#1'))?.investigationId).toBe('inv-k4');
  });
});

describe('preferences', () => {
  it('round-trips and replaces', async () => {
    expect(await store.getPreferences('alice')).toBeUndefined();
    await store.putPreferences('alice', { reportStyle: 'executive', timeZone: 'Europe/Paris', preferredSpecialists: ['logs', 'metrics'], timeBudgetSeconds: 300 });
    expect(await store.getPreferences('alice')).toEqual({ reportStyle: 'executive', timeZone: 'Europe/Paris', preferredSpecialists: ['logs', 'metrics'], timeBudgetSeconds: 300 });
    await store.putPreferences('alice', { reportStyle: 'technical' });
    expect(await store.getPreferences('alice')).toEqual({ reportStyle: 'technical' });
    expect(await store.getPreferences('bob')).toBeUndefined();
    expect((await rawItem('USER#alice', 'PREFERENCES'))?.expiresAt).toBeUndefined();
  });
});

describe('what investigations learn', () => {
  it('counts repeats of a fingerprint in the last 30 days, once per investigation, with the last resolution', async () => {
    await store.learn(result('inv-old'), { dependencies: {}, at: '2026-01-20T08:00:00.000Z' });
    await store.learn(result('inv-h1'), { dependencies: {}, at: '2026-03-01T08:00:00.000Z' });
    await store.learn(result('inv-h2'), { dependencies: {}, at: '2026-03-10T08:00:00.000Z' });
    // A retried Finalize of the same investigation does not count twice.
    await store.learn(result('inv-h2'), { dependencies: {}, at: '2026-03-10T08:00:00.000Z' });
    await store.learn(result('inv-h3'), { dependencies: {}, at: '2026-03-14T09:00:00.000Z' });

    const entry = await getIncidentHistory(db.documentClient, currentTable, 'oom-killed', 'Deployment/shop/cart');
    expect(entry).toMatchObject({
      fingerprint: 'oom-killed#Deployment/shop/cart',
      count: 4,
      firstSeen: '2026-01-20T08:00:00.000Z',
      lastSeen: '2026-03-14T09:00:00.000Z',
      lastInvestigationId: 'inv-h3',
      lastResolution: 'oom-resolution: raise the memory limit to 1Gi and roll out',
    });
    expect(entry!.expiresAt).toBe(Math.floor((now + 90 * DAY) / 1000));

    const hints = await store.hints(['Deployment/shop/cart']);
    expect(hints.history).toEqual([
      {
        fingerprint: 'oom-killed#Deployment/shop/cart',
        category: 'oom-killed',
        resource: 'Deployment/shop/cart',
        count: 3,
        lastSeen: '2026-03-14T09:00:00.000Z',
        lastInvestigationId: 'inv-h3',
        lastResolution: 'oom-resolution: raise the memory limit to 1Gi and roll out',
      },
    ]);
    // The window follows the investigation's clock when given.
    expect((await store.hints(['Deployment/shop/cart'], { now: '2026-02-05T00:00:00.000Z' })).history?.[0]?.count).toBe(1);
    expect((await store.hints(['Deployment/shop/cart'], { now: '2026-06-01T00:00:00.000Z' })).history).toBeUndefined();
    // Nothing named yet: the most recent history.
    expect((await store.hints([])).history?.map((h) => h.fingerprint)).toEqual(['oom-killed#Deployment/shop/cart']);
    expect(await store.hints(['Deployment/other/thing'])).toEqual({});
  });

  it('keeps separate fingerprints per category and learns no history without a root cause', async () => {
    await store.learn(result('inv-1'), { dependencies: {}, at: '2026-03-13T08:00:00.000Z' });
    await store.learn(
      result('inv-2', { rootCause: { category: 'crash-loop', resource: 'Deployment/shop/cart', summary: 'crash', confidence: 0.7 }, hypotheses: [] }),
      { dependencies: {}, at: '2026-03-13T09:00:00.000Z' },
    );
    await store.learn(result('inv-3', { rootCause: null, hypotheses: [] }), { dependencies: {}, at: '2026-03-13T10:00:00.000Z' });
    const hints = await store.hints(['Deployment/shop/cart']);
    expect(hints.history?.map((h) => [h.fingerprint, h.count, h.lastResolution])).toEqual([
      ['crash-loop#Deployment/shop/cart', 1, undefined],
      ['oom-killed#Deployment/shop/cart', 1, 'oom-resolution: raise the memory limit to 1Gi and roll out'],
    ]);
  });

  it('merges the dependencies learned per service', async () => {
    await store.learn(result('inv-1', { rootCause: null }), {
      dependencies: { 'Deployment/shop/storefront': ['StatefulSet/shop/cart-redis', 'payments.example.com:443'] },
      at: '2026-03-13T08:00:00.000Z',
    });
    await store.learn(result('inv-2', { rootCause: null }), {
      dependencies: { 'Deployment/shop/storefront': ['StatefulSet/shop/cart-redis', 'Deployment/shop/pricing'], 'Deployment/shop/checkout': [] },
      at: '2026-03-14T08:00:00.000Z',
    });
    const hints = await store.hints(['Deployment/shop/storefront', 'Deployment/shop/checkout']);
    expect(hints.dependencies).toEqual({
      'Deployment/shop/storefront': ['Deployment/shop/pricing', 'StatefulSet/shop/cart-redis', 'payments.example.com:443'],
    });
    expect((await store.hints([])).dependencies).toEqual(hints.dependencies);
    const items = (await db.documentClient.send(new ScanCommand({ TableName: currentTable }))).Items ?? [];
    const deps = items.find((i) => i.sk === 'DEPENDENCIES');
    expect(deps?.expiresAt).toBe(Math.floor((now + 180 * DAY) / 1000));
  });
});
