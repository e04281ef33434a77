/**
 * The Kubernetes provider for an Amazon EKS cluster: DescribeCluster gives the API server endpoint and CA, an
 * IAM-signed token (eks-token.ts) authenticates, and kube-api.ts reads. The tool role needs eks:DescribeCluster
 * and an EKS access entry granting read access (AmazonEKSViewPolicy, i.e. the Kubernetes `view` role).
 * Nothing is called until the first tool call; a failed DescribeCluster is retried by the next one.
 */
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ToolError } from '../../tools/errors.ts';
import { awsClientSettings, requireEnv } from '../aws/config.ts';
import { type ResilienceOptions, callAws, resolveResilience } from '../aws/retry.ts';
import { type CredentialsProvider, createEksTokenSource } from './eks-token.ts';
import { type KubeApiOptions, type KubeConnection, createKubeApiProvider } from './kube-api.ts';
import type { KubernetesProvider } from './port.ts';

export interface EksKubernetesOptions {
  clusterName: string;
  eks: EKSClient;
  /** Signs the tokens; defaults to the EKS client's credentials (the Lambda role). */
  credentials?: CredentialsProvider;
  /** The cluster's region, for the STS URL; defaults to the EKS client's. */
  region?: string;
  resilience?: ResilienceOptions;
  kube?: KubeApiOptions;
  now?: () => number;
}

export const EKS_ACCESS_HINT =
  "give the tool's IAM role read access to the cluster: an EKS access entry with the AmazonEKSViewPolicy access policy (cluster scope)";

export function createEksKubernetesProvider(options: EksKubernetesOptions): KubernetesProvider {
  const { clusterName, eks } = options;
  const resilience = resolveResilience(options.resilience);
  const region = async (): Promise<string> => options.region ?? (await eks.config.region());
  const credentials: CredentialsProvider = options.credentials ?? (() => eks.config.credentials());
  const tokens = createEksTokenSource({ clusterName, region, credentials, ...(options.now ? { now: options.now } : {}) });

  const connect = async (): Promise<KubeConnection> => {
    const where = await region().catch(() => 'the configured region');
    const { cluster } = await callAws(
      {
        service: 'Amazon EKS',
        action: 'eks:DescribeCluster',
        resource: `cluster ${clusterName}`,
        notFound: `EKS cluster '${clusterName}' does not exist in ${where}; check EKS_CLUSTER_NAME and AWS_REGION`,
      },
      (abortSignal) => eks.send(new DescribeClusterCommand({ name: clusterName }), { abortSignal }),
      resilience,
    );
    const endpoint = cluster?.endpoint;
    const ca = cluster?.certificateAuthority?.data;
    if (!endpoint || !ca) {
      // CREATING clusters have neither yet; a FAILED one may never have them.
      throw new ToolError('Unavailable', `EKS cluster '${clusterName}' has no API endpoint yet (status ${cluster?.status ?? 'unknown'})`);
    }
    return {
      server: endpoint,
      ca: Buffer.from(ca, 'base64'),
      token: () => tokens.token(),
      invalidateToken: () => tokens.invalidate(),
      name: `EKS cluster ${clusterName}`,
      accessHint: EKS_ACCESS_HINT,
    };
  };

  return createKubeApiProvider(connect, { ...options.kube, resilience: options.kube?.resilience ?? options.resilience ?? {} });
}

/** `KUBERNETES_PROVIDER=eks`: EKS_CLUSTER_NAME (required) in AWS_REGION (or the SDK's default region). */
export function eksKubernetesProviderFromEnv(env: NodeJS.ProcessEnv = process.env): KubernetesProvider {
  const { EKS_CLUSTER_NAME } = requireEnv(env, ['EKS_CLUSTER_NAME'], 'KUBERNETES_PROVIDER=eks');
  return createEksKubernetesProvider({ clusterName: EKS_CLUSTER_NAME, eks: new EKSClient(awsClientSettings(env)) });
}
