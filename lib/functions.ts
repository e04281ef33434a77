/**
 * The one way this stack makes a Lambda function: a NodejsFunction bundled locally by esbuild (no Docker) into
 * minified ESM for Node.js 24 on ARM, with source maps, X-Ray, JSON logs into its own log group with a
 * retention, Powertools settings, and a role of its own that starts with nothing but the right to write that log
 * group. Every other permission is granted by the construct that owns the resource it touches.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SreAgentConfig } from './config.ts';
import { acknowledgeManagedPolicy, acknowledgeWildcards } from './nag.ts';

/** The repository root: entries, openapi/ and fixtures/ are resolved from here whatever the working directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type FunctionRole = 'supervisor' | 'specialist' | 'tool' | 'api' | 'ingest' | 'mcp' | 'auth';

/**
 * Memory and timeout per role. Memory buys CPU on Lambda: the analysis-heavy roles (log pattern mining, anomaly
 * detection, hypothesis ranking) get 1 GB; request/response roles 512 MB. Timeouts follow each caller's budget.
 */
export const FUNCTION_PROFILES: Readonly<Record<FunctionRole, { memorySize: number; timeout: Duration }>> = {
  // Plan/synthesize/finalize, with an optional LLM call and the S3 report write.
  supervisor: { memorySize: 1024, timeout: Duration.seconds(180) },
  // Overridden from specialistTimeoutSeconds so the Lambda stops before the state's TimeoutSeconds.
  specialist: { memorySize: 1024, timeout: Duration.seconds(110) },
  // One tool call; the MCP client gives up after 30 s (TOOL_TIMEOUT_MS), so longer would be wasted work.
  tool: { memorySize: 1024, timeout: Duration.seconds(30) },
  // Behind API Gateway, whose integration timeout is 29 s.
  api: { memorySize: 512, timeout: Duration.seconds(15) },
  ingest: { memorySize: 512, timeout: Duration.seconds(30) },
  // Serves one MCP request, which may wait on one tool Lambda (30 s).
  mcp: { memorySize: 1024, timeout: Duration.seconds(40) },
  // Cognito waits 5 s at most for a trigger.
  auth: { memorySize: 256, timeout: Duration.seconds(5) },
};

/** Files copied beside the bundle (`from`: relative to the repository root, or absolute; `to`: in the bundle folder). */
export interface BundleCopy {
  from: string;
  to: string;
  /** Names removed from the copy (e.g. a scenario's ground truth, which no Lambda may read). */
  remove?: readonly string[];
}

export interface VpcPlacement {
  vpc: ec2.IVpc;
  subnets: ec2.ISubnet[];
  securityGroups: ec2.ISecurityGroup[];
}

export interface AgentFunctionOptions {
  /** Entry file, relative to the repository root. */
  entry: string;
  role: FunctionRole;
  /** Powertools service name suffix (`sre-agent-<service>`), also used in descriptions. */
  service: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  copy?: readonly BundleCopy[];
  vpc?: VpcPlacement;
}

export interface FunctionFactoryProps {
  config: Pick<SreAgentConfig, 'logLevel' | 'logRetentionDays' | 'removalPolicy'>;
  /**
   * Maps a repository-relative entry to the file to bundle. Defaults to the file in this repository; tests use it
   * to stand in for handlers other engineers have not written yet (NodejsFunction refuses a missing entry).
   */
  resolveEntry?: (entry: string) => string;
}

export const METRICS_NAMESPACE = 'SreAgent';

// ESM bundles have no `require`; CommonJS dependencies bundled into them (and their dynamic requires of Node
// built-ins) need one, so the banner recreates it from the module URL.
const ESM_REQUIRE_BANNER = "import { createRequire as __sreAgentCreateRequire } from 'node:module';const require = __sreAgentCreateRequire(import.meta.url);";

export class FunctionFactory {
  private readonly props: FunctionFactoryProps;

  constructor(props: FunctionFactoryProps) {
    this.props = props;
  }

  /** Creates `<id>/Function` with its role (`<id>/Role`) and log group (`<id>/Logs`) under `scope`. */
  create(scope: Construct, id: string, options: AgentFunctionOptions): NodejsFunction {
    const { config } = this.props;
    const group = new Construct(scope, id);
    const entry = (this.props.resolveEntry ?? ((e: string) => join(REPO_ROOT, e)))(options.entry);
    const profile = FUNCTION_PROFILES[options.role];
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    const logGroup = new logs.LogGroup(group, 'Logs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy });
    // A role per function, created here rather than by the Function, so it does not get the AWS managed
    // AWSLambdaBasicExecutionRole (which may write any log group): this one writes its own log group only.
    const role = new iam.Role(group, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `sre-agent ${options.service} (${options.role}) Lambda`,
    });
    logGroup.grantWrite(role);
    if (options.vpc) {
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      acknowledgeManagedPolicy(
        role,
        'service-role/AWSLambdaVPCAccessExecutionRole',
        'Lambda needs to create, describe and delete its network interfaces in the VPC; the AWS managed policy is the documented minimum and EC2 does not scope these actions to resources known before deployment.',
      );
    }

    for (const c of options.copy ?? []) {
      if (!existsSync(resolve(REPO_ROOT, c.from))) throw new Error(`${options.service}: cannot bundle ${c.from}: not found in ${REPO_ROOT}`);
    }

    const fn = new NodejsFunction(group, 'Function', {
      entry,
      handler: 'handler',
      description: options.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: options.memorySize ?? profile.memorySize,
      timeout: options.timeout ?? profile.timeout,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Kept equal to LOG_LEVEL: Powertools warns when the Lambda log level would drop what it is told to emit.
      applicationLogLevelV2: lambda.ApplicationLogLevel[config.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      ...(options.vpc
        ? { vpc: options.vpc.vpc, vpcSubnets: { subnets: options.vpc.subnets }, securityGroups: options.vpc.securityGroups }
        : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: `sre-agent-${options.service}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: config.logLevel,
        // Stack traces point into the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...options.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Prefer the ESM builds of dependencies: smaller bundles, and no CommonJS interop at runtime.
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Bundle the pinned AWS SDK (3.1162.0) rather than the runtime's copy, whose version AWS changes
        // without notice: what was tested is what runs.
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => (options.copy ?? []).flatMap((c) => copyCommands(inputDir, outputDir, c)),
        },
      },
    });
    // Active tracing made the Function add xray:PutTraceSegments/PutTelemetryRecords on `*` to the role's default
    // policy. Acknowledged there only: other wildcard grants go into policies of their own, with their own reasons.
    acknowledgeWildcards(
      role.node.findChild('DefaultPolicy'),
      { resources: ['*'] },
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; they are what active tracing needs.',
    );
    return fn;
  }
}

function copyCommands(inputDir: string, outputDir: string, c: BundleCopy): string[] {
  const target = `${outputDir}/${c.to}`;
  return [
    `mkdir -p ${quote(dirname(target))}`,
    `cp -R ${quote(isAbsolute(c.from) ? c.from : `${inputDir}/${c.from}`)} ${quote(target)}`,
    ...(c.remove ?? []).map((name) => `rm -rf ${quote(`${target}/${name}`)}`),
  ];
}

function quote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}
