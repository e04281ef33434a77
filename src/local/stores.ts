/**
 * The stores of a local run: the memory table on dynalite (persistent under the state folder, so what one run
 * learns the next one remembers) and reports as markdown files in the state folder.
 */
import { join } from 'node:path';
import { createDynamoMemoryStore } from '../memory/dynamodb.ts';
import type { MemoryStore } from '../memory/port.ts';
import { stateDir } from '../platform/paths.ts';
import { createLocalReportStore } from '../reports/local.ts';
import type { ReportRepository } from '../reports/port.ts';
import { startDynalite } from './dynalite.ts';

export interface LocalStores {
  memory: MemoryStore;
  reports: ReportRepository;
  close(): Promise<void>;
}

export async function openLocalStores(options: { persistent?: boolean; reportsDir?: string } = {}): Promise<LocalStores> {
  const dynamo = await startDynalite(options.persistent === false ? {} : { path: join(stateDir(), 'dynalite') });
  return {
    memory: createDynamoMemoryStore({ client: dynamo.documentClient, tableName: dynamo.tableName }),
    reports: createLocalReportStore(options.reportsDir ? { dir: options.reportsDir } : {}),
    close: () => dynamo.close(),
  };
}
