/**
 * The investigation clock: tools answer "the last 30 minutes" relative to it. A recorded scenario's `now` when
 * tools run over fixtures (SRE_AGENT_SCENARIO), an explicit SRE_AGENT_NOW if set, the wall clock otherwise.
 */
import { parseInstant } from '../domain/time.ts';
import { loadScenarioMeta } from './fixture/scenario.ts';

export function investigationClock(env: NodeJS.ProcessEnv = process.env): () => number {
  if (env.SRE_AGENT_NOW) {
    const fixed = parseInstant(env.SRE_AGENT_NOW);
    if (fixed === null) throw new Error(`SRE_AGENT_NOW is not an ISO 8601 instant: ${env.SRE_AGENT_NOW}`);
    return () => fixed;
  }
  if (env.SRE_AGENT_SCENARIO) {
    const now = loadScenarioMeta(env.SRE_AGENT_SCENARIO).now;
    return () => now;
  }
  return Date.now;
}
