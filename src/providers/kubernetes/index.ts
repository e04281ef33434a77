/**
 * Chooses the Kubernetes provider from the environment: `SRE_AGENT_SCENARIO=<folder>` serves a recorded
 * scenario. The EKS provider (selected by `KUBERNETES_PROVIDER=eks`) comes with the AWS providers.
 */
import { eksKubernetesProviderFromEnv } from './eks.ts';
import { createFixtureKubernetesProvider } from './fixture.ts';
import type { KubernetesProvider } from './port.ts';

export type { KubernetesProvider } from './port.ts';
export { createFixtureKubernetesProvider } from './fixture.ts';

export function kubernetesProviderFromEnv(env: NodeJS.ProcessEnv = process.env): KubernetesProvider {
  const scenario = env.SRE_AGENT_SCENARIO?.trim();
  if (scenario) return createFixtureKubernetesProvider(scenario);
  const selected = env.KUBERNETES_PROVIDER?.trim();
  if (selected === 'eks') return eksKubernetesProviderFromEnv(env);
  throw new Error(
    selected
      ? `KUBERNETES_PROVIDER=${selected} is not available in this build; set SRE_AGENT_SCENARIO=<scenario folder> to serve a recorded scenario`
      : 'No Kubernetes provider configured: set SRE_AGENT_SCENARIO=<scenario folder> to serve a recorded scenario (KUBERNETES_PROVIDER selects the cluster provider once it exists)',
  );
}
