/**
 * Provider selection from the tool Lambdas' environment (see the CDK contract): `*_PROVIDER` picks the AWS
 * provider, its variables configure it, a missing one is a clear error naming it (also through the invoker, as
 * a tool error), and SRE_AGENT_SCENARIO keeps selecting the recorded scenario.
 */
import { join } from 'node:path';
import { DescribeLogGroupsCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { kubernetesProviderFromEnv } from '../../src/providers/kubernetes/index.ts';
import { logsProviderFromEnv } from '../../src/providers/logs/index.ts';
import { metricsProviderFromEnv } from '../../src/providers/metrics/index.ts';
import { runbooksProviderFromEnv } from '../../src/providers/runbooks/index.ts';
import { ToolError } from '../../src/tools/errors.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { kubernetesBackend } from '../../src/tools/kubernetes/index.ts';
import { SCENARIOS_ROOT } from '../contract/harness.ts';

const scenarioDir = join(SCENARIOS_ROOT, 'checkout-bad-rollout');
const AWS = { AWS_REGION: 'us-east-1' };
const mocks: Array<{ restore(): void }> = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.restore();
});

function thrown(fn: () => unknown): ToolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return error as ToolError;
  }
  throw new Error('expected an error');
}

describe('KUBERNETES_PROVIDER=eks', () => {
  it('needs EKS_CLUSTER_NAME, and says so through the tool invoker too', async () => {
    expect(thrown(() => kubernetesProviderFromEnv({ ...AWS, KUBERNETES_PROVIDER: 'eks' })).message).toBe(
      "KUBERNETES_PROVIDER=eks needs EKS_CLUSTER_NAME: set it in the tool Lambda's environment",
    );
    const invoker = createToolInvoker(kubernetesBackend, { provider: () => kubernetesProviderFromEnv({ ...AWS, KUBERNETES_PROVIDER: 'eks' }) });
    expect(await invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({ ok: false, error: { type: 'Internal', retryable: false, message: expect.stringContaining('EKS_CLUSTER_NAME') } });
  });

  it('builds the EKS provider without calling AWS until a tool runs', () => {
    const provider = kubernetesProviderFromEnv({ ...AWS, KUBERNETES_PROVIDER: 'eks', EKS_CLUSTER_NAME: 'shop-prod-use1' });
    expect(typeof provider.list).toBe('function');
    expect(typeof provider.podLogs).toBe('function');
  });

  it('leaves SRE_AGENT_SCENARIO in charge when set', async () => {
    const provider = kubernetesProviderFromEnv({ KUBERNETES_PROVIDER: 'eks', SRE_AGENT_SCENARIO: scenarioDir });
    expect((await provider.list('nodes')).length).toBeGreaterThan(0);
  });
});

describe('LOGS_PROVIDER=cloudwatch', () => {
  it('needs the cluster or LOG_GROUPS', () => {
    expect(thrown(() => logsProviderFromEnv({ ...AWS, LOGS_PROVIDER: 'cloudwatch' })).message).toMatch(/needs EKS_CLUSTER_NAME .* or LOG_GROUPS/);
  });

  it('searches the Container Insights groups of EKS_CLUSTER_NAME plus LOG_GROUPS', async () => {
    const mock = mockClient(CloudWatchLogsClient);
    mocks.push(mock);
    mock.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    const provider = logsProviderFromEnv({ ...AWS, LOGS_PROVIDER: 'cloudwatch', EKS_CLUSTER_NAME: 'shop-prod-use1', LOG_GROUPS: '/eks/shop-prod-use1/checkout, /aws/lambda/orders-*' });
    expect(await provider.listLogGroups()).toEqual([]);
    expect(mock.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input.logGroupNamePrefix)).toEqual([
      '/aws/containerinsights/shop-prod-use1/',
      '/eks/shop-prod-use1/checkout',
      '/aws/lambda/orders-',
    ]);
  });
});

describe('METRICS_PROVIDER=cloudwatch', () => {
  it('lists the namespaces of METRIC_NAMESPACES, and rejects an empty list', async () => {
    const mock = mockClient(CloudWatchClient);
    mocks.push(mock);
    mock.on(ListMetricsCommand).resolves({ Metrics: [] });
    const provider = metricsProviderFromEnv({ ...AWS, METRICS_PROVIDER: 'cloudwatch', METRIC_NAMESPACES: 'ContainerInsights,AWS/SQS' });
    expect(await provider.listMetrics()).toEqual([]);
    expect(mock.commandCalls(ListMetricsCommand).map((c) => c.args[0].input.Namespace)).toEqual(['ContainerInsights', 'AWS/SQS']);
    expect(thrown(() => metricsProviderFromEnv({ ...AWS, METRICS_PROVIDER: 'cloudwatch', METRIC_NAMESPACES: ' , ' })).message).toContain('METRIC_NAMESPACES');
  });
});

describe('RUNBOOKS_PROVIDER=s3', () => {
  it('needs RUNBOOKS_BUCKET; reads RUNBOOKS_PREFIX; adds retrieval with KNOWLEDGE_BASE_ID', async () => {
    expect(thrown(() => runbooksProviderFromEnv({ ...AWS, RUNBOOKS_PROVIDER: 's3' })).message).toContain('RUNBOOKS_BUCKET');
    const mock = mockClient(S3Client);
    mocks.push(mock);
    mock.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
    const plain = runbooksProviderFromEnv({ ...AWS, RUNBOOKS_PROVIDER: 's3', RUNBOOKS_BUCKET: 'sre-runbooks', RUNBOOKS_PREFIX: 'runbooks' });
    expect(await plain.list()).toEqual([]);
    expect(mock.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toMatchObject({ Bucket: 'sre-runbooks', Prefix: 'runbooks/' });
    expect(plain.retrieve).toBeUndefined();
    expect(typeof runbooksProviderFromEnv({ ...AWS, RUNBOOKS_PROVIDER: 's3', RUNBOOKS_BUCKET: 'b', KNOWLEDGE_BASE_ID: 'KBSRE12345' }).retrieve).toBe('function');
  });
});
