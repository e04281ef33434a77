/** GET /investigations/{id}/report (scopes and behaviour: src/api/router.ts): DynamoDB reads, S3 GetObject. */
import { route } from '../../../src/api/router.ts';
import { getReport } from '../../../src/api/routes/get-report.ts';
import { reportStoreFromEnv } from '../../../src/reports/from-env.ts';
import { apiDeps, memoryFromEnv, once } from '../deps.ts';
import { createApiHandler } from '../handler-factory.ts';

export const handler = createApiHandler([route('getReport', getReport)], once(() => apiDeps({ memory: memoryFromEnv(), reports: reportStoreFromEnv() })));
