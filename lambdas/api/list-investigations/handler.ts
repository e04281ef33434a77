/** GET /investigations (scopes and behaviour: src/api/router.ts): DynamoDB reads. */
import { route } from '../../../src/api/router.ts';
import { listInvestigations } from '../../../src/api/routes/list-investigations.ts';
import { apiDeps, memoryFromEnv, once } from '../deps.ts';
import { createApiHandler } from '../handler-factory.ts';

export const handler = createApiHandler([route('listInvestigations', listInvestigations)], once(() => apiDeps({ memory: memoryFromEnv() })));
