import { join } from 'node:path';
import { projectRoot } from '../platform/paths.ts';

/** The bundled reference incident (the AWS sample's), used when no --scenario is given. */
export function defaultScenarioDir(): string {
  return join(projectRoot(), 'fixtures', 'scenarios', 'aws-sre-sample');
}

export function defaultScenariosRoot(): string {
  return join(projectRoot(), 'fixtures', 'scenarios');
}
