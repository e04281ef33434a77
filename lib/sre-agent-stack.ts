/**
 * The SRE agent in one stack: identity, memory and reports, the tools behind an MCP gateway, the supervisor and
 * specialists, the investigation state machine, the API and the alarm trigger. Each concern is its own
 * construct; this class only wires them together and publishes what a client needs as outputs.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Agents } from './agents.ts';
import { AlarmTrigger } from './alarms.ts';
import { Api } from './api.ts';
import { Auth } from './auth.ts';
import type { SreAgentConfig } from './config.ts';
import { FunctionFactory, type FunctionFactoryProps } from './functions.ts';
import { Memory } from './memory.ts';
import { Reports } from './reports.ts';
import { Tools } from './tools.ts';
import { InvestigationWorkflow } from './workflow.ts';

export interface SreAgentStackProps extends StackProps {
  config: SreAgentConfig;
  /** See FunctionFactoryProps.resolveEntry (tests stand in for handlers that do not exist yet). */
  resolveEntry?: FunctionFactoryProps['resolveEntry'];
}

export class SreAgentStack extends Stack {
  readonly auth: Auth;
  readonly memory: Memory;
  readonly reports: Reports;
  readonly tools: Tools;
  readonly agents: Agents;
  readonly workflow: InvestigationWorkflow;
  readonly api: Api;
  readonly alarms: AlarmTrigger;

  constructor(scope: Construct, id: string, props: SreAgentStackProps) {
    super(scope, id, props);
    const { config } = props;
    const functions = new FunctionFactory({ config, ...(props.resolveEntry ? { resolveEntry: props.resolveEntry } : {}) });

    this.auth = new Auth(this, 'Auth', { config, functions });
    this.memory = new Memory(this, 'Memory', { config });
    this.reports = new Reports(this, 'Reports', { config });
    this.tools = new Tools(this, 'Tools', { config, functions, auth: this.auth });
    this.agents = new Agents(this, 'Agents', {
      config,
      functions,
      auth: this.auth,
      memory: this.memory,
      reports: this.reports,
      gatewayUrl: this.tools.gatewayUrl,
    });
    this.workflow = new InvestigationWorkflow(this, 'Workflow', {
      supervisor: this.agents.supervisor,
      specialists: this.agents.specialists,
      specialistTimeout: Duration.seconds(config.specialistTimeoutSeconds),
      executionTimeout: Duration.minutes(config.executionTimeoutMinutes),
      logRetentionDays: config.logRetentionDays,
      removalPolicy: config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.api = new Api(this, 'Api', {
      config,
      functions,
      auth: this.auth,
      memory: this.memory,
      reports: this.reports,
      stateMachine: this.workflow.stateMachine,
    });
    this.alarms = new AlarmTrigger(this, 'Alarms', { config, functions, memory: this.memory, stateMachine: this.workflow.stateMachine });

    const output = (name: string, value: string, description: string) => new CfnOutput(this, name, { value, description });
    output('ApiUrl', this.api.url, 'Base URL of the REST API (stage included)');
    output('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool of the engineers and the specialists');
    output('UserClientId', this.auth.userClient.userPoolClientId, 'App client for the CLI (SRP / USER_PASSWORD sign-in, no secret)');
    output('MachineClientId', this.auth.machineClient.userPoolClientId, 'App client of the specialists (client credentials)');
    output('MachineClientSecretArn', this.auth.machineClientSecret.secretArn, 'Secrets Manager secret holding the machine client secret');
    output('CognitoDomain', this.auth.domain.baseUrl(), 'Cognito domain (OAuth endpoints)');
    output('TokenUrl', this.auth.tokenUrl, 'OAuth 2.0 token endpoint');
    output('GatewayUrl', this.tools.gatewayUrl, `MCP endpoint of the tools (${config.gateway === 'agentcore' ? 'AgentCore Gateway' : 'MCP server Lambda'})`);
    output('ReportsBucket', this.reports.bucket.bucketName, 'S3 bucket of the investigation reports');
    output('TableName', this.memory.table.tableName, 'DynamoDB table of the agent memory');
    output('StateMachineArn', this.workflow.stateMachine.stateMachineArn, 'Investigation state machine');
    output('Region', this.region, 'Region of the deployment');
    if (this.tools.kubernetesSecurityGroups.length) {
      output(
        'KubernetesToolSecurityGroups',
        this.tools.kubernetesSecurityGroups.map((sg) => sg.securityGroupId).join(','),
        'Allow these on port 443 of the EKS cluster security group',
      );
    }
  }
}
