import { createSpecialistHandler, type SpecialistDeps } from '../../../src/engine/specialist-lambda.ts';
import { toolCallerFromEnv } from '../../../src/mcp/from-env.ts';

/** The runbooks specialist: reaches the runbooks tools only through the MCP gateway. */
export const createHandler = (deps: SpecialistDeps) => createSpecialistHandler('runbooks', deps);

export const handler = createHandler({ tools: () => toolCallerFromEnv(process.env, ['runbooks']) });
