/**
 * The tools and the MCP gateway in front of them. Four tool Lambdas (one per backend, each serving every
 * operation of openapi/<backend>.yaml) sit behind either
 * - Amazon Bedrock AgentCore Gateway (default): one Lambda target per backend, whose inline tool schema is
 *   computed at synth from the OpenAPI specs by the project's one converter, so a spec change flows through; or
 * - the project's own MCP server on Lambda (`gateway: 'lambda'`), behind a Function URL, for regions or
 *   accounts without AgentCore. It speaks the same tool contract to the same tool Lambdas.
 * Either way only the machine client's tokens with the `sre-agent/tools.invoke` scope get in.
 *
 * Tool backends read production data (EKS, CloudWatch Logs and Metrics, S3 runbooks) when a cluster is
 * configured, and otherwise a recorded sample scenario bundled with them, so a fresh deploy works end to end.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import {
  BACKENDS,
  type Backend,
  type GatewaySchema,
  type GatewayToolDefinition,
  loadToolDefinitions,
  toGatewayToolSchema,
  writeOpenApiJson,
} from '../src/tools/openapi.ts';
import { type Auth, SCOPES } from './auth.ts';
import type { SreAgentConfig } from './config.ts';
import type { BundleCopy, FunctionFactory, VpcPlacement } from './functions.ts';
import { acknowledgeWildcards } from './nag.ts';

/** Where bundled files land inside a Lambda package (LAMBDA_TASK_ROOT). */
export const TASK_ROOT = '/var/task';
/**
 * The specs as JSON beside the bundle (written once per synth from openapi/*.yaml): the Lambda loads them without
 * a YAML parse on its cold start.
 */
let openApiJsonDir: string | undefined;
function openApiCopy(): BundleCopy {
  openApiJsonDir ??= writeOpenApiJson(join(mkdtempSync(join(tmpdir(), 'sre-agent-openapi-')), 'openapi'));
  return { from: openApiJsonDir, to: 'openapi' };
}

export type ToolsConfig = Pick<
  SreAgentConfig,
  | 'gateway'
  | 'clusterName'
  | 'logGroups'
  | 'metricNamespaces'
  | 'runbooksBucket'
  | 'runbooksPrefix'
  | 'knowledgeBaseId'
  | 'eksAccessPolicy'
  | 'eksKubernetesGroups'
  | 'vpcId'
  | 'subnetIds'
  | 'securityGroupIds'
  | 'sampleScenario'
>;

export interface ToolsProps {
  config: ToolsConfig;
  functions: FunctionFactory;
  auth: Auth;
}

/** The AgentCore inline tool schema of one backend's target: `toGatewayToolSchema` in the CDK's types. */
export function gatewayToolSchema(backend: Backend): agentcore.ToolDefinition[] {
  return toGatewayToolSchema(loadToolDefinitions([backend])).map(toCdkToolDefinition);
}

function toCdkToolDefinition(tool: GatewayToolDefinition): agentcore.ToolDefinition {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: toCdkSchema(tool.inputSchema),
    ...(tool.outputSchema ? { outputSchema: toCdkSchema(tool.outputSchema) } : {}),
  };
}

function toCdkSchema(schema: GatewaySchema): agentcore.SchemaDefinition {
  return {
    type: agentcore.SchemaDefinitionType.of(schema.type),
    ...(schema.description ? { description: schema.description } : {}),
    ...(schema.properties
      ? { properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, toCdkSchema(v)])) }
      : {}),
    ...(schema.required ? { required: [...schema.required] } : {}),
    ...(schema.items ? { items: toCdkSchema(schema.items) } : {}),
  };
}

export class Tools extends Construct {
  readonly functions: Readonly<Record<Backend, NodejsFunction>>;
  /** The MCP endpoint the specialists call (`.../mcp`). */
  readonly gatewayUrl: string;
  readonly gateway: agentcore.Gateway | undefined;
  readonly mcpServer: NodejsFunction | undefined;
  /** The security group of the Kubernetes tool when it runs in a VPC (allow it on the cluster's endpoint). */
  readonly kubernetesSecurityGroups: ec2.ISecurityGroup[];

  constructor(scope: Construct, id: string, props: ToolsProps) {
    super(scope, id);
    const { config, functions, auth } = props;
    const production = config.clusterName !== undefined;

    // Without a cluster every backend serves the bundled sample scenario (its ground truth left out).
    const scenarioDir = `scenarios/${config.sampleScenario}`;
    const sample: BundleCopy = { from: `fixtures/scenarios/${config.sampleScenario}`, to: scenarioDir, remove: ['expected.json', 'README.md'] };
    const sampleEnv = { SRE_AGENT_SCENARIO: `${TASK_ROOT}/${scenarioDir}` };

    let placement: VpcPlacement | undefined;
    this.kubernetesSecurityGroups = [];
    if (config.vpcId) {
      // Imported by id, no lookup: synth needs no AWS credentials and the subnets are the ones named.
      const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: config.vpcId, availabilityZones: Fn.getAzs() });
      const securityGroups = config.securityGroupIds.length
        ? config.securityGroupIds.map((sg, i) => ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, sg))
        : [
            new ec2.SecurityGroup(this, 'KubernetesToolSecurityGroup', {
              vpc,
              description: 'sre-agent Kubernetes tool: outbound HTTPS to the EKS API endpoint and AWS APIs',
              allowAllOutbound: true,
            }),
          ];
      // Lambda only needs the subnet ids, so neither the VPC's AZ list nor the subnets' route tables are ever read.
      Annotations.of(vpc).acknowledgeWarning('@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones', 'Only explicit subnets are used');
      const subnets = config.subnetIds.map((id, i) => {
        const subnet = ec2.Subnet.fromSubnetId(this, `Subnet${i}`, id);
        Annotations.of(subnet).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'The route table is never read');
        return subnet;
      });
      placement = { vpc, subnets, securityGroups };
      this.kubernetesSecurityGroups = securityGroups;
    }

    const clusterEnv: Record<string, string> = production ? { EKS_CLUSTER_NAME: config.clusterName! } : {};
    // The logs tool reads named groups; IAM for the default Container Insights groups uses their common prefix.
    const logGroups = config.logGroups.length ? config.logGroups : containerInsightsGroups(config.clusterName ?? '');
    const logGroupGrants = config.logGroups.length ? config.logGroups : [`/aws/containerinsights/${config.clusterName ?? ''}/*`];

    const runbooksEnv: Record<string, string> = !production
      ? sampleEnv
      : config.runbooksBucket
        ? {
            RUNBOOKS_PROVIDER: 's3',
            RUNBOOKS_BUCKET: config.runbooksBucket,
            RUNBOOKS_PREFIX: config.runbooksPrefix,
            ...(config.knowledgeBaseId ? { KNOWLEDGE_BASE_ID: config.knowledgeBaseId } : {}),
          }
        : // A cluster but no runbook bucket: serve the sample's runbook library rather than nothing.
          { SRE_AGENT_RUNBOOKS_DIR: `${TASK_ROOT}/${scenarioDir}/runbooks` };

    const envs: Record<Backend, Record<string, string>> = {
      kubernetes: production ? { KUBERNETES_PROVIDER: 'eks', ...clusterEnv } : sampleEnv,
      logs: production ? { LOGS_PROVIDER: 'cloudwatch', LOG_GROUPS: logGroups.join(','), ...clusterEnv } : sampleEnv,
      metrics: production ? { METRICS_PROVIDER: 'cloudwatch', METRIC_NAMESPACES: config.metricNamespaces.join(','), ...clusterEnv } : sampleEnv,
      runbooks: { ...runbooksEnv, ...clusterEnv },
    };
    const needsSample = (b: Backend) => !production || (b === 'runbooks' && !config.runbooksBucket);

    const fns = {} as Record<Backend, NodejsFunction>;
    for (const backend of BACKENDS) {
      fns[backend] = functions.create(this, `${title(backend)}Tool`, {
        entry: `lambdas/tools/${backend}/handler.ts`,
        role: 'tool',
        service: `${backend}-tool`,
        description: `sre-agent ${backend} tools (every operation of openapi/${backend}.yaml)`,
        environment: envs[backend],
        // The handler validates arguments against the spec it finds in openapi/ beside the bundle.
        copy: needsSample(backend) ? [openApiCopy(), sample] : [openApiCopy()],
        ...(backend === 'kubernetes' && placement ? { vpc: placement } : {}),
      });
    }
    this.functions = fns;
    if (production) this.grantProductionAccess(config, logGroupGrants);

    if (config.gateway === 'agentcore') {
      this.gateway = this.createAgentCoreGateway(auth);
      this.gatewayUrl = this.gateway.gatewayUrl!;
      this.mcpServer = undefined;
    } else {
      this.gateway = undefined;
      this.mcpServer = this.createMcpServer(functions, auth);
      const url = this.mcpServer.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, invokeMode: lambda.InvokeMode.BUFFERED });
      this.gatewayUrl = `${url.url}mcp`;
    }
  }

  private createAgentCoreGateway(auth: Auth): agentcore.Gateway {
    const stackName = Stack.of(this).stackName;
    const gateway = new agentcore.Gateway(this, 'Gateway', {
      // A literal name lets the default service role trust only this gateway (aws:SourceArn).
      // Gateway names allow letters, digits and single hyphens: `^([0-9a-zA-Z][-]?){1,48}$`.
      gatewayName: `${stackName.replace(/[^0-9a-zA-Z]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '')}-tools`,
      description: 'sre-agent read-only SRE tools: kubernetes, logs, metrics, runbooks',
      protocolConfiguration: agentcore.GatewayProtocol.mcp({
        instructions:
          'Read-only SRE tools over Kubernetes state, CloudWatch logs and metrics, and runbooks. Tool names are <backend>___<operation>.',
        supportedVersions: [
          agentcore.MCPProtocolVersion.MCP_2025_03_26,
          agentcore.MCPProtocolVersion.MCP_2025_06_18,
          agentcore.MCPProtocolVersion.MCP_2025_11_25,
        ],
      }),
      authorizerConfiguration: agentcore.GatewayAuthorizer.usingCognito({
        userPool: auth.userPool,
        allowedClients: [auth.machineClient],
        allowedScopes: [SCOPES.toolsInvoke],
      }),
    });
    for (const backend of BACKENDS) {
      gateway.addLambdaTarget(`${title(backend)}Target`, {
        // The target name prefixes every tool: `kubernetes___get_pod_status`, as the tool Lambdas expect.
        gatewayTargetName: backend,
        description: `sre-agent ${backend} tools`,
        lambdaFunction: this.functions[backend],
        toolSchema: agentcore.ToolSchema.fromInline(gatewayToolSchema(backend)),
      });
    }
    acknowledgeWildcards(
      gateway.role,
      { resources: BACKENDS.map((b) => `${this.functions[b].functionArn}:*`) },
      'Granted by GatewayTarget.forLambda: lambda:InvokeFunction on each tool function and its versions/aliases (`:*`); the wildcard is the qualifier of these four functions only.',
    );
    return gateway;
  }

  private createMcpServer(functions: FunctionFactory, auth: Auth): NodejsFunction {
    const server = functions.create(this, 'McpServer', {
      entry: 'lambdas/gateway/mcp/handler.ts',
      role: 'mcp',
      service: 'mcp-gateway',
      description: 'sre-agent MCP gateway (Streamable HTTP, stateless): Cognito JWT check, then the tool Lambdas',
      environment: {
        USER_POOL_ID: auth.userPool.userPoolId,
        MACHINE_CLIENT_ID: auth.machineClient.userPoolClientId,
        TOOL_FUNCTIONS: Stack.of(this).toJsonString(Object.fromEntries(BACKENDS.map((b) => [b, this.functions[b].functionName]))),
        TOOLS_SCOPE: SCOPES.toolsInvoke,
      },
      copy: [openApiCopy()],
    });
    // Unqualified ARNs only (no `:*`): the server always invokes $LATEST of each tool.
    server.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: BACKENDS.map((b) => this.functions[b].functionArn) }),
    );
    return server;
  }

  /** A named policy attached to one function's role. */
  private policy(id: string, fn: NodejsFunction, statements: iam.PolicyStatement[]): iam.Policy {
    return new iam.Policy(this, id, { statements, roles: [fn.role!] });
  }

  private grantProductionAccess(config: ToolsConfig, logGroups: readonly string[]): void {
    const stack = Stack.of(this);
    const cluster = config.clusterName!;

    // Kubernetes: find the cluster endpoint and CA, then act as a read-only Kubernetes user through an EKS access entry.
    const k8s = this.functions.kubernetes;
    k8s.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['eks:DescribeCluster'],
        resources: [stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: cluster })],
      }),
    );
    // The cluster's authentication mode must include API (API or API_AND_CONFIG_MAP) for access entries.
    new eks.CfnAccessEntry(this, 'KubernetesToolAccess', {
      clusterName: cluster,
      principalArn: k8s.role!.roleArn,
      type: 'STANDARD',
      ...(config.eksKubernetesGroups.length ? { kubernetesGroups: config.eksKubernetesGroups } : {}),
      // `none`: Kubernetes RBAC through eksKubernetesGroups only.
      accessPolicies: config.eksAccessPolicy !== 'none'
        ? [
            {
              policyArn: `arn:${stack.partition}:eks::aws:cluster-access-policy/${config.eksAccessPolicy}`,
              accessScope: { type: 'cluster' },
            },
          ]
        : [],
    });

    // Logs: Logs Insights queries and event filtering on the configured groups only. Wildcard grants go into
    // policies of their own, each acknowledged for exactly its wildcards.
    const groupArns = logGroups.flatMap((g) => {
      const arn = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: g, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      // Some Logs APIs authorise against `log-group:<name>`, others against `log-group:<name>:*`.
      return [arn, `${arn}:*`];
    });
    const anyGroup = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const logsRead = this.policy('LogsToolRead', this.functions.logs, [
      new iam.PolicyStatement({ actions: ['logs:StartQuery', 'logs:FilterLogEvents'], resources: groupArns }),
      new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: [anyGroup] }),
      new iam.PolicyStatement({ actions: ['logs:GetQueryResults', 'logs:StopQuery'], resources: ['*'] }),
    ]);
    acknowledgeWildcards(
      logsRead,
      { resources: groupArns.filter((a) => a.includes('*')) },
      "Log groups named in context logGroups (default: the cluster's Container Insights groups, /aws/containerinsights/<cluster>/*); `:*` covers their log streams. Read-only.",
    );
    acknowledgeWildcards(
      logsRead,
      { resources: [anyGroup, '*'] },
      'DescribeLogGroups lists groups (it cannot be scoped to names), and GetQueryResults/StopQuery take a query id and support no resource-level permissions. All read-only.',
    );

    // Metrics: read-only CloudWatch APIs; GetMetricData/ListMetrics cannot be scoped, alarms stay in this account/region.
    const alarms = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const metricsRead = this.policy('MetricsToolRead', this.functions.metrics, [
      new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], resources: [alarms] }),
    ]);
    acknowledgeWildcards(
      metricsRead,
      { resources: ['*', alarms] },
      'cloudwatch:GetMetricData and ListMetrics support no resource-level permissions and need Resource "*"; alarms are read in this account and region only. All four actions are read-only.',
    );

    // Runbooks: the runbook prefix of the bucket, and the knowledge base when one is configured.
    const runbooksFn = this.functions.runbooks;
    if (config.runbooksBucket) {
      const bucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: config.runbooksBucket });
      const objects = `${bucketArn}/${config.runbooksPrefix}*`;
      const runbooksRead = this.policy('RunbooksToolRead', runbooksFn, [
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }),
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          ...(config.runbooksPrefix ? { conditions: { StringLike: { 's3:prefix': [`${config.runbooksPrefix}*`] } } } : {}),
        }),
      ]);
      acknowledgeWildcards(
        runbooksRead,
        { resources: [objects] },
        `Runbooks are the objects under ${config.runbooksPrefix || 'the root'} of bucket ${config.runbooksBucket}; read-only.`,
      );
    }
    if (config.knowledgeBaseId) {
      runbooksFn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:Retrieve'],
          resources: [stack.formatArn({ service: 'bedrock', resource: 'knowledge-base', resourceName: config.knowledgeBaseId })],
        }),
      );
    }
  }
}

/** The Container Insights log groups of a cluster. */
export function containerInsightsGroups(cluster: string): string[] {
  return ['application', 'dataplane', 'host', 'performance'].map((g) => `/aws/containerinsights/${cluster}/${g}`);
}

function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
