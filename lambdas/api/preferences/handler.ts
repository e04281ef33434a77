/** GET and PUT /preferences (scopes and behaviour: src/api/router.ts): DynamoDB reads and writes. */
import { route } from '../../../src/api/router.ts';
import { getPreferences, putPreferences } from '../../../src/api/routes/preferences.ts';
import { apiDeps, memoryFromEnv, once } from '../deps.ts';
import { createApiHandler } from '../handler-factory.ts';

export const handler = createApiHandler(
  [route('getPreferences', getPreferences), route('putPreferences', putPreferences)],
  once(() => apiDeps({ memory: memoryFromEnv() })),
);
