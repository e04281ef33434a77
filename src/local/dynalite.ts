/**
 * DynamoDB on a laptop: dynalite (DynamoDB's API over LevelDB) started in this process on loopback, with the
 * memory table created exactly as the stack creates it (pk/sk, GSI gsi1 on gsi1pk/gsi1sk). The dev server and the
 * tests use it through the real AWS SDK v3 client, so the DynamoDB adapter runs the same calls it runs in AWS.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MEMORY_TABLE, documentClient } from '../memory/dynamodb.ts';

type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
// dynalite is CommonJS without type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface LocalDynamo {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  tableName: string;
  /** The low-level client (what Powertools' idempotency layer takes). */
  client: DynamoDBClient;
  /** The document client the memory store takes. */
  documentClient: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  tableName?: string;
  /** A folder for a persistent LevelDB store (e.g. `<state dir>/dynalite`); in memory when absent. */
  path?: string;
  host?: string;
}

/** Credentials dynalite accepts (it checks that requests are signed, not by whom). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });
}

export async function startDynalite(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? 'sre-agent-local';
  if (options.path) mkdirSync(options.path, { recursive: true, mode: 0o700 });
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  const client = localDynamoClient(endpoint);
  try {
    await ensureMemoryTable(client, tableName);
  } catch (error) {
    client.destroy();
    await closeServer(server);
    throw error;
  }
  return {
    endpoint,
    tableName,
    client,
    documentClient: documentClient(client),
    async close() {
      client.destroy();
      await closeServer(server);
    },
  };
}

/** Creates the memory table when it does not exist yet (a persistent store keeps it across runs). */
export async function ensureMemoryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { partitionKey, sortKey, gsi } = MEMORY_TABLE;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, gsi.partitionKey, gsi.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: gsi.name,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  // dynalite has no UpdateTimeToLive (nor does it expire items); the store itself ignores expired items on
  // read, so the TTL attribute behaves the same locally as in AWS where deletion lags expiry.
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the local table ${tableName} did not become ACTIVE`);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
