/**
 * Shared helpers of the stack tests: synthesize the stack for a given context (bundling skipped unless asked,
 * handlers that do not exist yet replaced by a stub), and read the template the way the assertions need
 * (statements per function role, the resolved state machine definition).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lib/config.ts';
import { REPO_ROOT } from '../../lib/functions.ts';
import { SreAgentStack } from '../../lib/sre-agent-stack.ts';

export const STUB_ENTRY = join(REPO_ROOT, 'test', 'stack', 'fixtures', 'stub-handler.ts');
export const ENV = { account: '123456789012', region: 'us-east-1' };

/** Every Lambda entry the stack can deploy (both gateway options). */
export const ALL_ENTRIES = [
  'lambdas/supervisor/handler.ts',
  ...['kubernetes', 'logs', 'metrics', 'runbooks'].map((n) => `lambdas/specialists/${n}/handler.ts`),
  ...['kubernetes', 'logs', 'metrics', 'runbooks'].map((n) => `lambdas/tools/${n}/handler.ts`),
  ...['start-investigation', 'list-investigations', 'get-investigation', 'get-report', 'preferences'].map((n) => `lambdas/api/${n}/handler.ts`),
  'lambdas/ingest/alarm/handler.ts',
  'lambdas/gateway/mcp/handler.ts',
  'lambdas/gateway/token-scopes/handler.ts',
];

export function missingEntries(): string[] {
  return ALL_ENTRIES.filter((e) => !existsSync(join(REPO_ROOT, e)));
}

export function entryOrStub(entry: string): string {
  const path = join(REPO_ROOT, entry);
  return existsSync(path) ? path : STUB_ENTRY;
}

/** A production-like context: a cluster, a runbook bucket with a knowledge base, and a Bedrock model. */
export const PRODUCTION_CONTEXT = {
  clusterName: 'prod-eks',
  runbooksBucket: 'acme-runbooks',
  runbooksPrefix: 'sre/',
  knowledgeBaseId: 'KB12345678',
  bedrockModelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  bedrockFallbackModelId: 'amazon.nova-pro-v1:0',
  metricNamespaces: ['ContainerInsights', 'AWS/ApplicationELB'],
};

export interface Synthesized {
  app: App;
  stack: SreAgentStack;
  template: Template;
}

export interface SynthOptions {
  /** Run real esbuild bundling (slow); default: bundling skipped. */
  bundle?: boolean;
  /** Run the CDK's built-in CloudFormation schema validation (slow); default: off. */
  cloudFormationValidation?: boolean;
  /** Extra App context (feature flags). */
  context?: Record<string, unknown>;
}

/** The context of cdk.json (feature flags), so the tests synthesize what `cdk deploy` deploys. */
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

export function synth(context: Record<string, unknown> = {}, options: SynthOptions = {}): Synthesized {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'sre-agent-stack-')),
    analyticsReporting: false,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    context: { ...CDK_JSON_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
  });
  const stack = new SreAgentStack(app, 'SreAgent', { config: parseConfig({ ...CDK_JSON_CONTEXT, ...context }), env: ENV, resolveEntry: entryOrStub });
  return { app, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

export function resources(template: Template): Resources {
  return template.toJSON().Resources as Resources;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export function actionsOf(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/** Every statement of every IAM policy attached to the role whose logical id is `roleLogicalId`. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const out: Statement[] = [];
  for (const r of Object.values(resources(template))) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    const roles = (r.Properties!.Roles as Array<{ Ref: string }>).map((x) => x.Ref);
    if (!roles.includes(roleLogicalId)) continue;
    out.push(...(r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  }
  return out;
}

/** Every action granted to a function's role (the function given by its construct). */
export function functionActions(s: Synthesized, fn: { role?: unknown }): string[] {
  const role = fn.role as { node: { defaultChild: unknown } };
  const logicalId = s.stack.getLogicalId(role.node.defaultChild as never);
  return [...new Set(roleStatements(s.template, logicalId).flatMap(actionsOf))].sort();
}

export function functionStatements(s: Synthesized, fn: { role?: unknown }): Statement[] {
  const role = fn.role as { node: { defaultChild: unknown } };
  return roleStatements(s.template, s.stack.getLogicalId(role.node.defaultChild as never));
}

/** A CloudFormation value flattened to a string, references written `<LogicalId>` / `<LogicalId.Attr>`. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const o = value as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(sep);
  }
  if (o['Fn::GetAtt']) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  if (o.Ref) return `<${o.Ref as string}>`;
  return JSON.stringify(value);
}

/** The deployed state machine's ASL, with references flattened (function ARNs read `<Logical.Arn>`). */
export function stateMachineDefinition(template: Template): Record<string, unknown> {
  const machines = Object.values(resources(template)).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  return JSON.parse(flatten(machines[0]!.Properties!.DefinitionString)) as Record<string, unknown>;
}
