import { createSpecialistHandler, type SpecialistDeps } from '../../../src/engine/specialist-lambda.ts';
import { toolCallerFromEnv } from '../../../src/mcp/from-env.ts';

/** The metrics specialist: reaches the metrics tools only through the MCP gateway. */
export const createHandler = (deps: SpecialistDeps) => createSpecialistHandler('metrics', deps);

export const handler = createHandler({ tools: () => toolCallerFromEnv(process.env, ['metrics']) });
