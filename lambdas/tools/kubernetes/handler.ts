/** The Kubernetes tool Lambda: AgentCore Gateway target for every operation of openapi/kubernetes.yaml. */
import { investigationClock } from '../../../src/providers/clock.ts';
import { kubernetesProviderFromEnv } from '../../../src/providers/kubernetes/index.ts';
import type { KubernetesProvider } from '../../../src/providers/kubernetes/port.ts';
import { kubernetesBackend } from '../../../src/tools/kubernetes/index.ts';
import { createToolLambdaHandler } from '../../../src/tools/lambda.ts';

export interface HandlerDeps {
  provider: () => KubernetesProvider | Promise<KubernetesProvider>;
  clock?: () => number;
}

export function createHandler(deps: HandlerDeps) {
  return createToolLambdaHandler(kubernetesBackend, { provider: deps.provider, ...(deps.clock ? { clock: deps.clock } : {}) });
}

export const handler = createHandler({
  provider: () => kubernetesProviderFromEnv(process.env),
  clock: investigationClock(process.env),
});
