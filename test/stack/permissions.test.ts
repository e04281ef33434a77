/**
 * Least privilege, function by function: each role holds what its function uses and nothing of its neighbours'.
 */
import { describe, expect, it } from 'vitest';
import { type Statement, type Synthesized, PRODUCTION_CONTEXT, actionsOf, flatten, functionActions, functionStatements, resources, synth } from './support.ts';

/** Actions beyond the two every function has (writing its own log group, X-Ray). */
const own = (actions: string[]) => actions.filter((a) => !/^(logs:CreateLogStream|logs:PutLogEvents|xray:PutTraceSegments|xray:PutTelemetryRecords)$/.test(a));

function resourcesFor(statements: Statement[], action: string): string[] {
  return statements.filter((st) => actionsOf(st).includes(action)).flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(flatten));
}

describe('with the sample scenario (no cluster, no model)', () => {
  const s = synth();

  it('every function writes only its own log group', () => {
    const fns = [
      s.stack.agents.supervisor,
      ...Object.values(s.stack.agents.specialists),
      ...Object.values(s.stack.tools.functions),
      ...Object.values(s.stack.api.handlers),
      s.stack.alarms.ingest,
      s.stack.auth.tokenScopes,
    ];
    for (const fn of fns) {
      const logGroup = s.stack.getLogicalId(fn.logGroup.node.defaultChild as never);
      expect(resourcesFor(functionStatements(s, fn), 'logs:PutLogEvents')).toEqual([`<${logGroup}.Arn>`]);
    }
  });

  it('tool Lambdas serving the sample need no permission at all', () => {
    for (const fn of Object.values(s.stack.tools.functions)) expect(own(functionActions(s, fn))).toEqual([]);
  });

  it('specialists may read the machine client secret and nothing else (no Bedrock without a model)', () => {
    for (const fn of Object.values(s.stack.agents.specialists)) {
      expect(own(functionActions(s, fn))).toEqual(['secretsmanager:GetSecretValue']);
      expect(resourcesFor(functionStatements(s, fn), 'secretsmanager:GetSecretValue')).toEqual([expect.stringMatching(/^<AuthMachineClientSecret[0-9A-F]+>$/)]);
    }
  });

  it('the supervisor reads/writes the memory and puts reports under reports/ only', () => {
    const statements = functionStatements(s, s.stack.agents.supervisor);
    const actions = own(functionActions(s, s.stack.agents.supervisor));
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(resourcesFor(statements, 's3:PutObject')).toEqual([expect.stringMatching(/^<ReportsBucket[0-9A-F]+\.Arn>\/reports\/\*$/)]);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(resourcesFor(statements, 'dynamodb:Query')).toEqual([
      expect.stringMatching(/^<MemoryTable[0-9A-F]+\.Arn>$/),
      expect.stringMatching(/^<MemoryTable[0-9A-F]+\.Arn>\/index\/gsi1$/),
    ]);
    expect(actions.filter((a) => /^(bedrock|secretsmanager|states|lambda):/.test(a))).toEqual([]);
  });

  it('the pre-token trigger has no permission beyond its logs', () => {
    expect(own(functionActions(s, s.stack.auth.tokenScopes))).toEqual([]);
  });
});

describe('in production (cluster, runbook bucket, knowledge base, Bedrock models)', () => {
  const s: Synthesized = synth(PRODUCTION_CONTEXT);
  const all = () => resources(s.template);

  it('configures each tool Lambda for its production provider', () => {
    const env = (fn: { node: { defaultChild?: unknown } }) =>
      (all()[s.stack.getLogicalId(fn.node.defaultChild as never)]!.Properties!.Environment as { Variables: Record<string, string> }).Variables;
    const t = s.stack.tools.functions;
    expect(env(t.kubernetes)).toMatchObject({ KUBERNETES_PROVIDER: 'eks', EKS_CLUSTER_NAME: 'prod-eks' });
    expect(env(t.logs)).toMatchObject({
      LOGS_PROVIDER: 'cloudwatch',
      LOG_GROUPS: '/aws/containerinsights/prod-eks/application,/aws/containerinsights/prod-eks/dataplane,/aws/containerinsights/prod-eks/host,/aws/containerinsights/prod-eks/performance',
    });
    expect(env(t.metrics)).toMatchObject({ METRICS_PROVIDER: 'cloudwatch', METRIC_NAMESPACES: 'ContainerInsights,AWS/ApplicationELB' });
    expect(env(t.runbooks)).toMatchObject({ RUNBOOKS_PROVIDER: 's3', RUNBOOKS_BUCKET: 'acme-runbooks', RUNBOOKS_PREFIX: 'sre/', KNOWLEDGE_BASE_ID: 'KB12345678' });
    for (const fn of Object.values(t)) expect(env(fn).SRE_AGENT_SCENARIO).toBeUndefined();
  });

  it('kubernetes tool: DescribeCluster on the cluster, and an EKS access entry with the view policy', () => {
    const fn = s.stack.tools.functions.kubernetes;
    expect(own(functionActions(s, fn))).toEqual(['eks:DescribeCluster']);
    expect(resourcesFor(functionStatements(s, fn), 'eks:DescribeCluster')).toEqual(['arn:<AWS::Partition>:eks:us-east-1:123456789012:cluster/prod-eks']);
    s.template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod-eks',
      PrincipalArn: { 'Fn::GetAtt': [s.stack.getLogicalId(fn.role!.node.defaultChild as never), 'Arn'] },
      Type: 'STANDARD',
      AccessPolicies: [
        { PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy']] }, AccessScope: { Type: 'cluster' } },
      ],
    });
  });

  it('logs tool: queries and filters on the Container Insights groups only, read-only', () => {
    const fn = s.stack.tools.functions.logs;
    expect(own(functionActions(s, fn))).toEqual(['logs:DescribeLogGroups', 'logs:FilterLogEvents', 'logs:GetQueryResults', 'logs:StartQuery', 'logs:StopQuery']);
    expect(resourcesFor(functionStatements(s, fn), 'logs:StartQuery')).toEqual([
      'arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:/aws/containerinsights/prod-eks/*',
      'arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:/aws/containerinsights/prod-eks/*:*',
    ]);
  });

  it('metrics tool: the four read-only CloudWatch actions, no S3, no logs data', () => {
    const fn = s.stack.tools.functions.metrics;
    expect(own(functionActions(s, fn))).toEqual(['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics']);
    expect(functionActions(s, fn).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it('runbooks tool: GetObject under the prefix, ListBucket limited to it, Retrieve on the knowledge base', () => {
    const fn = s.stack.tools.functions.runbooks;
    const statements = functionStatements(s, fn);
    expect(own(functionActions(s, fn))).toEqual(['bedrock:Retrieve', 's3:GetObject', 's3:ListBucket']);
    expect(resourcesFor(statements, 's3:GetObject')).toEqual(['arn:<AWS::Partition>:s3:::acme-runbooks/sre/*']);
    expect(statements.find((st) => actionsOf(st).includes('s3:ListBucket'))!.Condition).toEqual({ StringLike: { 's3:prefix': ['sre/*'] } });
    expect(resourcesFor(statements, 'bedrock:Retrieve')).toEqual(['arn:<AWS::Partition>:bedrock:us-east-1:123456789012:knowledge-base/KB12345678']);
  });

  it('supervisor and specialists may invoke exactly the configured models; API handlers and tools may not', () => {
    const expected = [
      'arn:<AWS::Partition>:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0',
      'arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
      'arn:<AWS::Partition>:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0',
    ];
    for (const fn of [s.stack.agents.supervisor, ...Object.values(s.stack.agents.specialists)]) {
      expect(resourcesFor(functionStatements(s, fn), 'bedrock:InvokeModel')).toEqual(expected);
      expect(functionActions(s, fn).filter((a) => a.startsWith('bedrock:'))).toEqual(['bedrock:InvokeModel']);
      const env = (all()[s.stack.getLogicalId(fn.node.defaultChild as never)]!.Properties!.Environment as { Variables: Record<string, string> }).Variables;
      expect(env).toMatchObject({ SRE_AGENT_LLM: 'bedrock', BEDROCK_MODEL_ID: PRODUCTION_CONTEXT.bedrockModelId, BEDROCK_FALLBACK_MODEL_ID: PRODUCTION_CONTEXT.bedrockFallbackModelId });
    }
    for (const fn of [...Object.values(s.stack.api.handlers), s.stack.tools.functions.kubernetes, s.stack.tools.functions.metrics, s.stack.alarms.ingest]) {
      expect(functionActions(s, fn).filter((a) => a.startsWith('bedrock:'))).toEqual([]);
    }
  });

  it('places the Kubernetes tool in the VPC when asked, creating a security group when none is given', () => {
    const inVpc = synth({ ...PRODUCTION_CONTEXT, vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210' });
    const fn = inVpc.stack.tools.functions.kubernetes;
    const props = resources(inVpc.template)[inVpc.stack.getLogicalId(fn.node.defaultChild as never)]!.Properties!;
    expect(props.VpcConfig).toMatchObject({ SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'] });
    inVpc.template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
    expect(JSON.stringify(props.VpcConfig)).toMatch(/ToolsKubernetesToolSecurityGroup/);
    for (const other of ['logs', 'metrics', 'runbooks'] as const) {
      const p = resources(inVpc.template)[inVpc.stack.getLogicalId(inVpc.stack.tools.functions[other].node.defaultChild as never)]!.Properties!;
      expect(p.VpcConfig).toBeUndefined();
    }
  });
});
