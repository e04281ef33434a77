/** POST /investigations (scopes and behaviour: src/api/router.ts): DynamoDB and states:StartExecution. */
import { route } from '../../../src/api/router.ts';
import { startInvestigation } from '../../../src/api/routes/start-investigation.ts';
import { apiDeps, memoryFromEnv, once, workflowFromEnv } from '../deps.ts';
import { createApiHandler } from '../handler-factory.ts';

export const handler = createApiHandler(
  [route('startInvestigation', startInvestigation)],
  once(() => apiDeps({ memory: memoryFromEnv(), workflow: workflowFromEnv() })),
);
