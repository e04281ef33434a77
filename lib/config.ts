/**
 * The stack's typed configuration, read from CDK context (`cdk.json` or `cdk deploy -c key=value`). Context from
 * the command line always arrives as strings, so every reader also accepts the string form of its type
 * ("true", "a,b,c", "30"). Invalid values fail the synth with a message naming the key, never a half-deployed stack.
 */
import type { Node } from 'constructs';

export type GatewayKind = 'agentcore' | 'lambda';
export type ThreatProtection = 'enforced' | 'audit' | 'off';
export type TableEncryption = 'aws-managed' | 'customer-managed';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface SreAgentConfig {
  /** Which MCP gateway the specialists use: AgentCore Gateway, or the project's own MCP server on Lambda. */
  gateway: GatewayKind;
  /** Only alarms whose name starts with this prefix start an investigation; empty = every alarm in the account. */
  alarmNamePrefix: string;
  /** Prefix of the Cognito domain serving the OAuth token endpoint; undefined = `sre-agent-<account id>`. */
  cognitoDomainPrefix: string | undefined;
  /** Protects the user pool and the table from deletion (also from `cdk destroy`). */
  deletionProtection: boolean;
  /** What happens to data (table, buckets, user pool, log groups) when the stack is deleted. */
  removalPolicy: 'retain' | 'destroy';
  /** Cognito threat protection; anything but `off` needs the Plus feature plan. */
  threatProtection: ThreatProtection;
  /** Multi-factor authentication for users: TOTP, optional or required. */
  mfa: 'optional' | 'required';
  bedrockModelId: string | undefined;
  bedrockFallbackModelId: string | undefined;
  /** The EKS cluster to investigate; undefined = the tool Lambdas serve the bundled sample scenario. */
  clusterName: string | undefined;
  /** Log groups the logs tool may read; empty = the cluster's Container Insights groups. */
  logGroups: string[];
  metricNamespaces: string[];
  runbooksBucket: string | undefined;
  runbooksPrefix: string;
  knowledgeBaseId: string | undefined;
  /** EKS access policy associated with the Kubernetes tool's role (cluster scope); `none` = RBAC groups only. */
  eksAccessPolicy: string;
  /** Kubernetes RBAC groups for the access entry, the alternative to an access policy when it is not enough. */
  eksKubernetesGroups: string[];
  vpcId: string | undefined;
  subnetIds: string[];
  securityGroupIds: string[];
  /** The scenario folder (under fixtures/scenarios) bundled with the tool Lambdas when there is no cluster. */
  sampleScenario: string;
  logLevel: LogLevel;
  logRetentionDays: number;
  reportsPrefix: string;
  reportRetentionDays: number;
  idempotencyTtlSeconds: number;
  tableEncryption: TableEncryption;
  apiRateLimit: number;
  apiBurstLimit: number;
  /** Browser origins allowed to call the API; empty = CORS off. */
  corsOrigins: string[];
  /** A WAFv2 web ACL (REGIONAL) to associate with the API stage. */
  webAclArn: string | undefined;
  /** Create the account-wide role API Gateway needs to write execution logs (once per account and region). */
  apiGatewayCloudWatchRole: boolean;
  specialistTimeoutSeconds: number;
  executionTimeoutMinutes: number;
}

export const DEFAULT_CONFIG: SreAgentConfig = {
  gateway: 'agentcore',
  alarmNamePrefix: '',
  cognitoDomainPrefix: undefined,
  deletionProtection: true,
  removalPolicy: 'retain',
  threatProtection: 'enforced',
  mfa: 'optional',
  bedrockModelId: undefined,
  bedrockFallbackModelId: undefined,
  clusterName: undefined,
  logGroups: [],
  metricNamespaces: ['ContainerInsights'],
  runbooksBucket: undefined,
  runbooksPrefix: 'runbooks/',
  knowledgeBaseId: undefined,
  eksAccessPolicy: 'AmazonEKSViewPolicy',
  eksKubernetesGroups: [],
  vpcId: undefined,
  subnetIds: [],
  securityGroupIds: [],
  sampleScenario: 'aws-sre-sample',
  logLevel: 'INFO',
  logRetentionDays: 30,
  reportsPrefix: 'reports/',
  reportRetentionDays: 365,
  idempotencyTtlSeconds: 3600,
  tableEncryption: 'aws-managed',
  apiRateLimit: 20,
  apiBurstLimit: 40,
  corsOrigins: [],
  webAclArn: undefined,
  apiGatewayCloudWatchRole: true,
  specialistTimeoutSeconds: 120,
  executionTimeoutMinutes: 15,
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Raw = (key: string) => unknown;

/** Reads the configuration from a construct's context (normally the App's). */
export function configFromContext(node: Node): SreAgentConfig {
  return parseConfig((key) => node.tryGetContext(key));
}

/** Parses raw context values; exported for tests and for callers that hold a plain object. */
export function parseConfig(raw: Raw | Record<string, unknown>): SreAgentConfig {
  const get: Raw = typeof raw === 'function' ? raw : (key) => raw[key];
  const d = DEFAULT_CONFIG;
  const config: SreAgentConfig = {
    gateway: oneOf(get, 'gateway', ['agentcore', 'lambda'] as const, d.gateway),
    alarmNamePrefix: str(get, 'alarmNamePrefix') ?? d.alarmNamePrefix,
    cognitoDomainPrefix: str(get, 'cognitoDomainPrefix'),
    deletionProtection: bool(get, 'deletionProtection', d.deletionProtection),
    removalPolicy: oneOf(get, 'removalPolicy', ['retain', 'destroy'] as const, d.removalPolicy),
    threatProtection: oneOf(get, 'threatProtection', ['enforced', 'audit', 'off'] as const, d.threatProtection),
    mfa: oneOf(get, 'mfa', ['optional', 'required'] as const, d.mfa),
    bedrockModelId: str(get, 'bedrockModelId'),
    bedrockFallbackModelId: str(get, 'bedrockFallbackModelId'),
    clusterName: str(get, 'clusterName'),
    logGroups: list(get, 'logGroups') ?? d.logGroups,
    metricNamespaces: list(get, 'metricNamespaces') ?? d.metricNamespaces,
    runbooksBucket: str(get, 'runbooksBucket'),
    runbooksPrefix: str(get, 'runbooksPrefix') ?? d.runbooksPrefix,
    knowledgeBaseId: str(get, 'knowledgeBaseId'),
    eksAccessPolicy: str(get, 'eksAccessPolicy') ?? d.eksAccessPolicy,
    eksKubernetesGroups: list(get, 'eksKubernetesGroups') ?? d.eksKubernetesGroups,
    vpcId: str(get, 'vpcId'),
    subnetIds: list(get, 'subnetIds') ?? d.subnetIds,
    securityGroupIds: list(get, 'securityGroupIds') ?? d.securityGroupIds,
    sampleScenario: str(get, 'sampleScenario') ?? d.sampleScenario,
    logLevel: oneOf(get, 'logLevel', ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const, d.logLevel),
    logRetentionDays: retention(get, 'logRetentionDays', d.logRetentionDays),
    reportsPrefix: str(get, 'reportsPrefix') ?? d.reportsPrefix,
    reportRetentionDays: int(get, 'reportRetentionDays', d.reportRetentionDays, 31, 36500),
    idempotencyTtlSeconds: int(get, 'idempotencyTtlSeconds', d.idempotencyTtlSeconds, 60, 30 * 86400),
    tableEncryption: oneOf(get, 'tableEncryption', ['aws-managed', 'customer-managed'] as const, d.tableEncryption),
    apiRateLimit: int(get, 'apiRateLimit', d.apiRateLimit, 1, 10000),
    apiBurstLimit: int(get, 'apiBurstLimit', d.apiBurstLimit, 1, 5000),
    corsOrigins: list(get, 'corsOrigins') ?? d.corsOrigins,
    webAclArn: str(get, 'webAclArn'),
    apiGatewayCloudWatchRole: bool(get, 'apiGatewayCloudWatchRole', d.apiGatewayCloudWatchRole),
    specialistTimeoutSeconds: int(get, 'specialistTimeoutSeconds', d.specialistTimeoutSeconds, 30, 900),
    executionTimeoutMinutes: int(get, 'executionTimeoutMinutes', d.executionTimeoutMinutes, 5, 24 * 60),
  };
  validate(config);
  return config;
}

function validate(c: SreAgentConfig): void {
  if (!c.reportsPrefix.endsWith('/')) throw new ConfigError(`reportsPrefix must end with '/': ${c.reportsPrefix}`);
  if (c.runbooksPrefix && !c.runbooksPrefix.endsWith('/')) {
    throw new ConfigError(`runbooksPrefix must be empty or end with '/': ${c.runbooksPrefix}`);
  }
  if (c.knowledgeBaseId && !c.runbooksBucket) {
    throw new ConfigError('knowledgeBaseId needs runbooksBucket: the knowledge base retrieves passages, the bucket holds the runbooks they come from');
  }
  if ((c.subnetIds.length || c.securityGroupIds.length) && !c.vpcId) {
    throw new ConfigError('subnetIds and securityGroupIds place the Kubernetes tool in a VPC: set vpcId too');
  }
  if (c.vpcId && !c.subnetIds.length) throw new ConfigError('vpcId needs subnetIds (private subnets that reach the EKS endpoint)');
  if (c.vpcId && !c.clusterName) throw new ConfigError('vpcId only applies to the Kubernetes tool of a real cluster: set clusterName');
  if (c.apiBurstLimit < c.apiRateLimit) throw new ConfigError('apiBurstLimit must be at least apiRateLimit');
  if (!/^[a-z0-9-]+$/.test(c.sampleScenario)) throw new ConfigError(`sampleScenario must be a scenario folder name: ${c.sampleScenario}`);
  if (c.cognitoDomainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(c.cognitoDomainPrefix)) {
    throw new ConfigError(`cognitoDomainPrefix must be lowercase letters, digits and hyphens: ${c.cognitoDomainPrefix}`);
  }
}

function str(get: Raw, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${key} must be a string`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function list(get: Raw, key: string): string[] | undefined {
  const value = get(key);
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((v) => typeof v !== 'string')) throw new ConfigError(`${key} must be a list of strings or a comma-separated string`);
  return (items as string[]).map((v) => v.trim()).filter(Boolean);
}

function bool(get: Raw, key: string, fallback: boolean): boolean {
  const value = get(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`${key} must be true or false`);
}

function int(get: Raw, key: string, fallback: number, min: number, max: number): number {
  const value = get(key);
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be an integer between ${min} and ${max}`);
  return n;
}

// The only retention periods CloudWatch Logs accepts.
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

function retention(get: Raw, key: string, fallback: number): number {
  const days = int(get, key, fallback, 1, 3653);
  if (!RETENTION_DAYS.includes(days)) throw new ConfigError(`${key} must be one of ${RETENTION_DAYS.join(', ')}`);
  return days;
}

function oneOf<T extends string>(get: Raw, key: string, allowed: readonly T[], fallback: T): T {
  const value = str(get, key);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`${key} must be one of ${allowed.join(', ')}`);
  return value as T;
}
