/**
 * The investigation's Lambdas: the supervisor (normalize, plan, synthesize, finalize) and the four specialists.
 * The specialists reach their tools only through the MCP gateway, with the machine client's token; the
 * supervisor owns the memory and the reports. Both may call Bedrock when a model is configured, and only then.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { type Auth, SCOPES } from './auth.ts';
import type { SreAgentConfig } from './config.ts';
import type { FunctionFactory } from './functions.ts';
import type { Memory } from './memory.ts';
import { acknowledgeWildcards } from './nag.ts';
import type { Reports } from './reports.ts';
import { SPECIALISTS, type SpecialistName } from './workflow.ts';

export interface AgentsProps {
  config: Pick<SreAgentConfig, 'bedrockModelId' | 'bedrockFallbackModelId' | 'specialistTimeoutSeconds'>;
  functions: FunctionFactory;
  auth: Auth;
  memory: Memory;
  reports: Reports;
  gatewayUrl: string;
}

export class Agents extends Construct {
  readonly supervisor: NodejsFunction;
  readonly specialists: Readonly<Record<SpecialistName, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: AgentsProps) {
    super(scope, id);
    const { config, functions, auth, memory, reports } = props;
    const models = [config.bedrockModelId, config.bedrockFallbackModelId].filter((m): m is string => !!m);
    const bedrockEnv: Record<string, string> = {
      // LLM mode is on exactly when a model is configured.
      ...(config.bedrockModelId ? { SRE_AGENT_LLM: 'bedrock', BEDROCK_MODEL_ID: config.bedrockModelId } : {}),
      ...(config.bedrockFallbackModelId ? { BEDROCK_FALLBACK_MODEL_ID: config.bedrockFallbackModelId } : {}),
    };

    this.supervisor = functions.create(this, 'Supervisor', {
      entry: 'lambdas/supervisor/handler.ts',
      role: 'supervisor',
      service: 'supervisor',
      description: 'sre-agent supervisor: normalize, plan, synthesize, finalize (report to S3, memory to DynamoDB)',
      environment: {
        TABLE_NAME: memory.table.tableName,
        REPORTS_BUCKET: reports.bucket.bucketName,
        REPORTS_PREFIX: reports.prefix,
        ...bedrockEnv,
      },
    });
    memory.grantReadWrite(this.supervisor);
    reports.grantWriteReports(this.supervisor);
    grantModels(this.supervisor, models);

    const specialists = {} as Record<SpecialistName, NodejsFunction>;
    for (const name of SPECIALISTS) {
      const fn = functions.create(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Specialist`, {
        entry: `lambdas/specialists/${name}/handler.ts`,
        role: 'specialist',
        service: `${name}-specialist`,
        description: `sre-agent ${name} specialist: investigates through the MCP gateway's ${name} tools`,
        // Stops before the state machine's TimeoutSeconds, so the failure is the function's own and logged.
        timeout: Duration.seconds(config.specialistTimeoutSeconds - 10),
        environment: {
          GATEWAY_URL: props.gatewayUrl,
          TOKEN_URL: auth.tokenUrl,
          MACHINE_CLIENT_ID: auth.machineClient.userPoolClientId,
          MACHINE_CLIENT_SECRET_ARN: auth.machineClientSecret.secretArn,
          TOOLS_SCOPE: SCOPES.toolsInvoke,
          ...bedrockEnv,
        },
      });
      auth.grantReadMachineSecret(fn);
      grantModels(fn, models);
      specialists[name] = fn;
    }
    this.specialists = specialists;
  }
}

/**
 * Geographic prefixes of cross-Region inference profile ids (`us.anthropic.claude-...`). A profile routes each
 * request to one of several Regions, and Bedrock then checks the foundation model in that Region too.
 */
const INFERENCE_PROFILE_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'];

/**
 * The ARNs a model id is invoked through: a foundation model in this Region; or an inference profile in this
 * Region plus its foundation model in any Region; or a full ARN as given (application inference profile,
 * provisioned or imported model).
 */
export function modelArns(stack: Stack, modelId: string): { arns: string[]; wildcards: string[] } {
  if (modelId.startsWith('arn:')) return { arns: [modelId], wildcards: [] };
  const dot = modelId.indexOf('.');
  const prefix = dot > 0 ? modelId.slice(0, dot) : '';
  if (INFERENCE_PROFILE_PREFIXES.includes(prefix) && modelId.indexOf('.', dot + 1) > 0) {
    const base = modelId.slice(dot + 1);
    const anyRegionModel = `arn:${stack.partition}:bedrock:*::foundation-model/${base}`;
    return {
      arns: [stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: modelId }), anyRegionModel],
      wildcards: [anyRegionModel],
    };
  }
  return { arns: [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${modelId}`], wildcards: [] };
}

/**
 * bedrock:InvokeModel on the configured models only. That one action authorises both InvokeModel and the
 * Converse API (which has no IAM action of its own); streaming is not used, so InvokeModelWithResponseStream is
 * not granted.
 */
function grantModels(fn: NodejsFunction, models: readonly string[]): void {
  if (!models.length) return;
  const stack = Stack.of(fn);
  const resolved = models.map((m) => modelArns(stack, m));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [...new Set(resolved.flatMap((r) => r.arns))] }));
  const wildcards = [...new Set(resolved.flatMap((r) => r.wildcards))];
  if (wildcards.length) {
    acknowledgeWildcards(
      fn.role!,
      { resources: wildcards },
      'A cross-Region inference profile sends each request to one of its Regions, where Bedrock checks the same foundation model: the Region is the only wildcard, the model is fixed.',
    );
  }
}
