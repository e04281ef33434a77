import { createSpecialistHandler, type SpecialistDeps } from '../../../src/engine/specialist-lambda.ts';
import { toolCallerFromEnv } from '../../../src/mcp/from-env.ts';

/** The kubernetes specialist: reaches the kubernetes tools only through the MCP gateway. */
export const createHandler = (deps: SpecialistDeps) => createSpecialistHandler('kubernetes', deps);

export const handler = createHandler({ tools: () => toolCallerFromEnv(process.env, ['kubernetes']) });
