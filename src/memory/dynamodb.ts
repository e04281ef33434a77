/**
 * The MemoryStore on ONE DynamoDB table (dynalite locally). Item layout (every key component URI-encoded, so a
 * `#` inside a user id or resource name cannot collide with the separators):
 *
 * | item                         | pk                          | sk                    | gsi1pk                     | gsi1sk               | expiresAt |
 * |------------------------------|-----------------------------|-----------------------|----------------------------|----------------------|-----------|
 * | investigation record         | INV#<id>                    | RECORD                | REQUESTER#<requester>      | <createdAt>#<id>     | 90 days   |
 * | listing entry (admin "all")  | INV#<id>                    | LISTING               | INVESTIGATIONS#<YYYY-MM>   | <createdAt>#<id>     | 90 days   |
 * | idempotency-key claim        | IDEMPOTENCY#<requester>#<k> | CLAIM                 | –                          | –                    | 24 hours  |
 * | preferences                  | USER#<userId>               | PREFERENCES           | –                          | –                    | –         |
 * | incident history             | RESOURCE#<resource>         | HISTORY#<category>    | HISTORY                    | <lastSeen>#<fp>      | 90 days   |
 * | dependencies of a service    | RESOURCE#<resource>         | DEPENDENCIES          | DEPENDENCIES               | <updatedAt>#<res>    | 180 days  |
 *
 * Powertools idempotency records of the alarm ingest Lambda share the table (pk `idempotency#…`, TTL in
 * `expiresAt` too). Listing reads the GSI for keys only and then batch-reads the items, so it returns fresh
 * status whatever the index projects and however far the (eventually consistent) index lags. Expiry is
 * enforced on read as well: DynamoDB deletes expired items lazily (up to days later) and dynalite never does.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { InvestigationResult } from '../domain/result.ts';
import type { Category } from '../domain/taxonomy.ts';
import type { MemoryHints, Preferences } from '../engine/types.ts';
import { type IncidentHistoryEntry, type InvestigationRecord, type MemoryStore, fingerprint } from './port.ts';

/** The table's key schema, shared with the local table (src/local/dynalite.ts) and the stack. */
export const MEMORY_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ttlAttribute: 'expiresAt',
} as const;

const DAY_MS = 86_400_000;
/** "Seen N times in the last 30 days". */
const HISTORY_WINDOW_MS = 30 * DAY_MS;
/** Occurrence timestamps kept per fingerprint: enough for the 30-day count, bounded so items stay small. */
const MAX_OCCURRENCES = 50;
const HINTS_HISTORY_LIMIT = 25;
const HINTS_DEPENDENCY_LIMIT = 100;

export interface RetentionOptions {
  investigationDays: number;
  historyDays: number;
  dependencyDays: number;
  /** How long an API Idempotency-Key keeps pointing at its investigation. */
  idempotencyKeySeconds: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { investigationDays: 90, historyDays: 90, dependencyDays: 180, idempotencyKeySeconds: 86_400 };

export interface DynamoMemoryStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Wall clock for TTLs and "last 30 days" (injected in tests). */
  clock?: () => number;
  retention?: Partial<RetentionOptions>;
}

/** The extra `hints` option this store understands: the investigation's own clock for the 30-day window. */
export interface HintOptions {
  /** ISO instant the "last 30 days" end at; the store's clock when absent. */
  now?: string;
}

/**
 * Thrown by putInvestigation when the requester's idempotency key already belongs to another investigation
 * (two requests with the same key raced). Callers match on `name`, so they need not import this module.
 */
export class IdempotencyKeyInUse extends Error {
  override readonly name = 'IdempotencyKeyInUse';
  readonly investigationId: string;
  constructor(investigationId: string) {
    super(`the idempotency key already belongs to investigation ${investigationId}`);
    this.investigationId = investigationId;
  }
}

/** Thrown by putInvestigation when a record with that id exists (a retried alarm, a replayed request). */
export class InvestigationExists extends Error {
  override readonly name = 'InvestigationExists';
  readonly investigationId: string;
  constructor(investigationId: string) {
    super(`investigation ${investigationId} already exists`);
    this.investigationId = investigationId;
  }
}

/** A document client that drops undefined attributes (optional fields of records and results). */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * Drops undefined values at any depth (optional fields of records and results), so the store works with any
 * document client, not only one configured with removeUndefinedValues.
 */
function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(clean) as T;
  if (value && typeof value === 'object' && !(value instanceof Set) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, clean(v)])) as T;
  }
  return value;
}

const enc = (s: string): string => encodeURIComponent(s);
const keys = {
  investigation: (id: string): Key => ({ pk: `INV#${enc(id)}`, sk: 'RECORD' }),
  listing: (id: string): Key => ({ pk: `INV#${enc(id)}`, sk: 'LISTING' }),
  claim: (requester: string, key: string): Key => ({ pk: `IDEMPOTENCY#${enc(requester)}#${enc(key)}`, sk: 'CLAIM' }),
  preferences: (userId: string): Key => ({ pk: `USER#${enc(userId)}`, sk: 'PREFERENCES' }),
  history: (resource: string, category: Category): Key => ({ pk: `RESOURCE#${enc(resource)}`, sk: `HISTORY#${category}` }),
  dependencies: (resource: string): Key => ({ pk: `RESOURCE#${enc(resource)}`, sk: 'DEPENDENCIES' }),
  requesterIndex: (requester: string): string => `REQUESTER#${enc(requester)}`,
  monthIndex: (epochMs: number): string => `INVESTIGATIONS#${new Date(epochMs).toISOString().slice(0, 7)}`,
};

const RECORD_FIELDS = [
  'investigationId',
  'requester',
  'status',
  'trigger',
  'createdAt',
  'updatedAt',
  'steps',
  'executionArn',
  'result',
  'reportKey',
  'idempotencyKey',
] as const satisfies ReadonlyArray<keyof InvestigationRecord>;

/** The MemoryStore, whose `hints` also takes the investigation's clock. */
export interface DynamoMemoryStore extends MemoryStore {
  hints(resources: readonly string[], hintOptions?: HintOptions): Promise<MemoryHints>;
}

export function createDynamoMemoryStore(options: DynamoMemoryStoreOptions): DynamoMemoryStore {
  const { client, tableName: TableName } = options;
  const clock = options.clock ?? Date.now;
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const ttl = (fromMs: number, ms: number): number => Math.floor((fromMs + ms) / 1000);
  const expired = (item: Item | undefined): boolean => typeof item?.expiresAt === 'number' && item.expiresAt <= Math.floor(clock() / 1000);

  async function get(key: Key): Promise<Item | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
    return Item && !expired(Item) ? Item : undefined;
  }

  /** Batch-reads items by key (≤100 per call, unprocessed keys retried), returned in the order of `wanted`. */
  async function batchGet(wanted: Key[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    for (let i = 0; i < wanted.length; i += 100) {
      let pending: Key[] = wanted.slice(i, i + 100);
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8) throw new Error('DynamoDB kept keys unprocessed; try again');
        const out = await client.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of out.Responses?.[TableName] ?? []) found.set(`${item.pk}|${item.sk}`, item);
        pending = (out.UnprocessedKeys?.[TableName]?.Keys ?? []) as Key[];
      }
    }
    return wanted.map((k) => found.get(`${k.pk}|${k.sk}`)).filter((x): x is Item => x !== undefined && !expired(x));
  }

  /** Newest-first keys from one GSI partition. */
  async function indexKeys(partition: string, limit: number): Promise<Key[]> {
    const out: Key[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName,
          IndexName: MEMORY_TABLE.gsi.name,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': MEMORY_TABLE.gsi.partitionKey },
          ExpressionAttributeValues: { ':gpk': partition },
          ScanIndexForward: false,
          Limit: limit - out.length,
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) out.push({ pk: String(item.pk), sk: String(item.sk) });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && out.length < limit);
    return out;
  }

  function toRecord(item: Item): InvestigationRecord {
    const record: Record<string, unknown> = {};
    for (const f of RECORD_FIELDS) if (item[f] !== undefined) record[f] = item[f];
    return record as unknown as InvestigationRecord;
  }

  function isConditionFailure(error: unknown): boolean {
    return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
  }

  const store: DynamoMemoryStore = {
    async putInvestigation(record: InvestigationRecord): Promise<void> {
      const created = Date.parse(record.createdAt);
      if (!Number.isFinite(created)) throw new Error(`createdAt must be an ISO instant, not '${record.createdAt}'`);
      const expiresAt = ttl(clock(), retention.investigationDays * DAY_MS);
      const order = `${record.createdAt}#${record.investigationId}`;
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: {
              ...keys.investigation(record.investigationId),
              type: 'investigation',
              ...clean(record),
              gsi1pk: keys.requesterIndex(record.requester),
              gsi1sk: order,
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) throw new InvestigationExists(record.investigationId);
        throw error;
      }
      if (record.idempotencyKey !== undefined) {
        // Claimed after the record exists, so a lost race leaves nothing behind: the loser deletes its record.
        const now = clock();
        try {
          await client.send(
            new PutCommand({
              TableName,
              Item: {
                ...keys.claim(record.requester, record.idempotencyKey),
                type: 'idempotency-key',
                investigationId: record.investigationId,
                requester: record.requester,
                createdAt: new Date(now).toISOString(),
                expiresAt: ttl(now, retention.idempotencyKeySeconds * 1000),
              },
              // An expired claim (not yet deleted by TTL) may be taken over.
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
              ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          const claim = await get(keys.claim(record.requester, record.idempotencyKey));
          await client.send(new DeleteCommand({ TableName, Key: keys.investigation(record.investigationId) }));
          throw new IdempotencyKeyInUse(String(claim?.investigationId ?? 'unknown'));
        }
      }
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...keys.listing(record.investigationId),
            type: 'investigation-listing',
            investigationId: record.investigationId,
            gsi1pk: keys.monthIndex(created),
            gsi1sk: order,
            expiresAt,
          },
        }),
      );
    },

    async updateInvestigation(id, patch): Promise<void> {
      const fields: Record<string, unknown> = { ...patch, updatedAt: patch.updatedAt ?? new Date(clock()).toISOString() };
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined || !(RECORD_FIELDS as readonly string[]).includes(k)) continue;
        if (k === 'investigationId' || k === 'requester' || k === 'createdAt') continue;
        const i = sets.length;
        names[`#f${i}`] = k;
        values[`:v${i}`] = clean(v);
        sets.push(`#f${i} = :v${i}`);
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: keys.investigation(id),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            // Never create a partial record: an execution started outside the API (console, tests of the
            // engine) has no record, and its progress updates are simply not kept.
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async getInvestigation(id: string): Promise<InvestigationRecord | undefined> {
      const item = await get(keys.investigation(id));
      return item ? toRecord(item) : undefined;
    },

    async listInvestigations(requester: string | undefined, limit: number): Promise<InvestigationRecord[]> {
      const max = Math.max(1, Math.min(1000, Math.floor(limit)));
      let wanted: Key[];
      if (requester !== undefined) {
        wanted = (await indexKeys(keys.requesterIndex(requester), max)).map((k) => keys.investigation(idOf(k)));
      } else {
        // All requesters: one index partition per month, newest month first, back as far as records live.
        wanted = [];
        const months = Math.ceil(retention.investigationDays / 28) + 1;
        const start = new Date(clock());
        for (let m = 0; m < months && wanted.length < max; m++) {
          const month = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - m, 1);
          wanted.push(...(await indexKeys(keys.monthIndex(month), max - wanted.length)).map((k) => keys.investigation(idOf(k))));
        }
      }
      return (await batchGet(wanted)).map(toRecord);
    },

    async findByIdempotencyKey(requester: string, key: string): Promise<InvestigationRecord | undefined> {
      const claim = await get(keys.claim(requester, key));
      if (!claim) return undefined;
      const record = await store.getInvestigation(String(claim.investigationId));
      return record && record.requester === requester ? record : undefined;
    },

    async getPreferences(userId: string): Promise<Preferences | undefined> {
      const item = await get(keys.preferences(userId));
      return item ? (item.preferences as Preferences) : undefined;
    },

    async putPreferences(userId: string, preferences: Preferences): Promise<void> {
      await client.send(
        new PutCommand({
          TableName,
          Item: { ...keys.preferences(userId), type: 'preferences', userId, preferences: clean(preferences), updatedAt: new Date(clock()).toISOString() },
        }),
      );
    },

    async hints(resources: readonly string[], hintOptions: HintOptions = {}): Promise<MemoryHints> {
      const reference = hintOptions.now !== undefined && Number.isFinite(Date.parse(hintOptions.now)) ? Date.parse(hintOptions.now) : clock();
      let items: Item[];
      if (resources.length) {
        items = [];
        for (const resource of new Set(resources)) {
          const { Items } = await client.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': `RESOURCE#${enc(resource)}` },
              ConsistentRead: true,
            }),
          );
          items.push(...(Items ?? []).filter((i) => !expired(i)));
        }
      } else {
        // No resources named yet (the normalize step): what was learned most recently, bounded.
        const wanted = [...(await indexKeys('HISTORY', HINTS_HISTORY_LIMIT)), ...(await indexKeys('DEPENDENCIES', HINTS_DEPENDENCY_LIMIT))];
        items = await batchGet(wanted);
      }
      const dependencies: Record<string, string[]> = {};
      const history: NonNullable<MemoryHints['history']> = [];
      for (const item of items) {
        if (item.type === 'dependencies') {
          dependencies[String(item.resource)] = [...((item.dependencies as Set<string> | undefined) ?? [])].sort();
        } else if (item.type === 'incident-history') {
          const entry = toHistory(item);
          const recent = (item.occurrences as Occurrence[] | undefined ?? []).filter((o) => {
            const t = Date.parse(o.at);
            return t <= reference && t > reference - HISTORY_WINDOW_MS;
          }).length;
          if (recent === 0) continue;
          history.push({
            fingerprint: entry.fingerprint,
            category: entry.category,
            resource: entry.resource,
            count: recent,
            lastSeen: entry.lastSeen,
            lastInvestigationId: entry.lastInvestigationId,
            ...(entry.lastResolution ? { lastResolution: entry.lastResolution } : {}),
          });
        }
      }
      history.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
      return {
        ...(Object.keys(dependencies).length ? { dependencies } : {}),
        ...(history.length ? { history } : {}),
      };
    },

    async learn(result: InvestigationResult, learned: { dependencies: Record<string, string[]>; at: string }): Promise<void> {
      const at = Number.isFinite(Date.parse(learned.at)) ? new Date(Date.parse(learned.at)).toISOString() : new Date(clock()).toISOString();
      if (result.rootCause) await recordOccurrence(result, at);
      for (const [resource, deps] of Object.entries(learned.dependencies)) {
        const unique = [...new Set(deps.filter((d) => d && d !== resource))];
        if (!unique.length) continue;
        await client.send(
          new UpdateCommand({
            TableName,
            Key: keys.dependencies(resource),
            // ADD on a string set is an atomic union: concurrent investigations never lose each other's edges.
            UpdateExpression: 'ADD dependencies :deps SET #type = :type, #resource = :resource, updatedAt = :at, expiresAt = :exp, gsi1pk = :gpk, gsi1sk = :gsk',
            ExpressionAttributeNames: { '#type': 'type', '#resource': 'resource' },
            ExpressionAttributeValues: {
              ':deps': new Set(unique),
              ':type': 'dependencies',
              ':resource': resource,
              ':at': at,
              ':exp': ttl(clock(), retention.dependencyDays * DAY_MS),
              ':gpk': 'DEPENDENCIES',
              ':gsk': `${at}#${resource}`,
            },
          }),
        );
      }
    },
  };

  /**
   * One more occurrence of the root cause's fingerprint. Read-modify-write under a version check: the bounded
   * occurrence list cannot be trimmed by an update expression, and a retried Finalize (same investigation) must
   * not count twice.
   */
  async function recordOccurrence(result: InvestigationResult, at: string): Promise<void> {
    const { category, resource } = result.rootCause!;
    const key = keys.history(resource, category);
    const resolution = resolutionOf(result);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await get(key);
      const occurrences = (current?.occurrences as Occurrence[] | undefined) ?? [];
      if (occurrences.some((o) => o.investigationId === result.investigationId)) return;
      const next = [...occurrences, { at, investigationId: result.investigationId }]
        .sort((a, b) => a.at.localeCompare(b.at))
        .slice(-MAX_OCCURRENCES);
      const latest = next[next.length - 1]!;
      const version = Number(current?.version ?? 0);
      // This investigation's resolution when it is the latest occurrence; otherwise the one already recorded.
      const lastResolution = (latest.investigationId === result.investigationId ? resolution : undefined) ?? (current?.lastResolution as string | undefined);
      const item: Item = {
        ...key,
        type: 'incident-history',
        fingerprint: fingerprint(category, resource),
        category,
        resource,
        count: Number(current?.count ?? 0) + 1,
        firstSeen: [String(current?.firstSeen ?? at), at].sort()[0],
        lastSeen: latest.at,
        lastInvestigationId: latest.investigationId,
        ...(lastResolution ? { lastResolution } : {}),
        occurrences: next,
        version: version + 1,
        gsi1pk: 'HISTORY',
        gsi1sk: `${latest.at}#${fingerprint(category, resource)}`,
        expiresAt: ttl(clock(), retention.historyDays * DAY_MS),
      };
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: item,
            ...(current
              ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`could not record the incident history of ${fingerprint(category, resource)}: too many concurrent writers`);
  }

  return store;
}

interface Occurrence {
  at: string;
  investigationId: string;
}

function idOf(key: Key): string {
  return decodeURIComponent(key.pk.slice('INV#'.length));
}

function toHistory(item: Item): IncidentHistoryEntry {
  return {
    fingerprint: String(item.fingerprint),
    category: item.category as Category,
    resource: String(item.resource),
    count: Number(item.count ?? 0),
    firstSeen: String(item.firstSeen),
    lastSeen: String(item.lastSeen),
    lastInvestigationId: String(item.lastInvestigationId),
    ...(typeof item.lastResolution === 'string' ? { lastResolution: item.lastResolution } : {}),
  };
}

/**
 * What resolved it, as far as the investigation knows: the runbook guidance cited as evidence for the root cause
 * (the report quotes the same runbook under Remediation).
 */
export function resolutionOf(result: InvestigationResult): string | undefined {
  const rc = result.rootCause;
  if (!rc) return undefined;
  const same = result.hypotheses.find((h) => h.category === rc.category && h.resource === rc.resource);
  const cited = same?.evidence.find((e) => /runbook/i.test(e.source));
  return cited ? cited.detail.split('\n')[0]!.slice(0, 300) : undefined;
}

/** Reads an incident history entry by fingerprint parts (for tests and tooling). */
export async function getIncidentHistory(
  client: DynamoDBDocumentClient,
  tableName: string,
  category: Category,
  resource: string,
): Promise<(IncidentHistoryEntry & { expiresAt: number; occurrences: Occurrence[] }) | undefined> {
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.history(resource, category), ConsistentRead: true }));
  return Item ? { ...toHistory(Item), expiresAt: Number(Item.expiresAt), occurrences: Item.occurrences as Occurrence[] } : undefined;
}
