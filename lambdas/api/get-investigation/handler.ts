/** GET /investigations/{id} (scopes and behaviour: src/api/router.ts): DynamoDB reads, states:DescribeExecution. */
import { route } from '../../../src/api/router.ts';
import { getInvestigation } from '../../../src/api/routes/get-investigation.ts';
import { apiDeps, memoryFromEnv, once, workflowFromEnv } from '../deps.ts';
import { createApiHandler } from '../handler-factory.ts';

export const handler = createApiHandler(
  [route('getInvestigation', getInvestigation)],
  once(() => apiDeps({ memory: memoryFromEnv(), monitor: workflowFromEnv() })),
);
