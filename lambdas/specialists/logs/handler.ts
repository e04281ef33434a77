import { createSpecialistHandler, type SpecialistDeps } from '../../../src/engine/specialist-lambda.ts';
import { toolCallerFromEnv } from '../../../src/mcp/from-env.ts';

/** The logs specialist: reaches the logs tools only through the MCP gateway. */
export const createHandler = (deps: SpecialistDeps) => createSpecialistHandler('logs', deps);

export const handler = createHandler({ tools: () => toolCallerFromEnv(process.env, ['logs']) });
