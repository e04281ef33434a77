/**
 * cdk-nag's AWS Solutions checks must find nothing that is not acknowledged with a reason. cdk-nag 3 is a CDK
 * policy-validation plugin: bin/app.ts registers it with Validations.of(app).addPlugins() and a finding fails the
 * synth; here the same pack walks the construct tree directly (validateScope) so the findings can be listed.
 */
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_CONTEXT, synth } from './support.ts';

function findings(context: Record<string, unknown>): string[] {
  const { app } = synth(context);
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`));
}

describe('cdk-nag AwsSolutionsChecks', () => {
  it('finds nothing unacknowledged in the default deployment (sample scenario, AgentCore Gateway)', () => {
    expect(findings({})).toEqual([]);
  });

  it('finds nothing unacknowledged in a production deployment (cluster in a VPC, runbooks, Bedrock, MCP Lambda, CORS, no threat protection)', () => {
    expect(
      findings({
        ...PRODUCTION_CONTEXT,
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0'],
        gateway: 'lambda',
        corsOrigins: ['https://console.example.com'],
        threatProtection: 'off',
        tableEncryption: 'customer-managed',
      }),
    ).toEqual([]);
  });

  it('fails the synth when a finding is not acknowledged (the plugin is live, acknowledgements are narrow)', () => {
    const { app, stack } = synth();
    // A wildcard the stack never acknowledged: the role's `Resource::*` acknowledgement covers X-Ray on the
    // default policy only, so a new statement in another policy is a finding.
    new iam.Policy(stack, 'Extra', {
      roles: [stack.agents.supervisor.role!],
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
    });
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join()}`)).toEqual([
      'AwsSolutions-IAM5[Resource::*] at SreAgent/Extra/Resource',
    ]);
  });

  it('is registered as a synth-time validation plugin by the app, which then refuses to synthesize findings', () => {
    const { app, stack } = synth();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new iam.Policy(stack, 'Extra', { roles: [stack.agents.supervisor.role!], statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] });
    expect(() => app.synth({ force: true })).toThrow(/AwsSolutions-IAM5\[Action::s3:\*\]/);
  });
});

describe('CDK annotations', () => {
  it.each([
    ['default', {}],
    ['production in a VPC with the MCP Lambda', { ...PRODUCTION_CONTEXT, gateway: 'lambda', vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0123456789abcdef0' }],
  ])('the %s deployment synthesizes without warnings or errors', (_name, context) => {
    const annotations = Annotations.fromStack(synth(context).stack);
    const messages = [...annotations.findWarning('*', Match.anyValue()), ...annotations.findError('*', Match.anyValue())];
    expect(messages.map((m) => `${m.id}: ${String(m.entry.data)}`)).toEqual([]);
  });
});

describe('CloudFormation registry validation', () => {
  it('accepts the template (the CDK\'s built-in schema checks, promoted to errors)', () => {
    expect(() =>
      synth({ ...PRODUCTION_CONTEXT, gateway: 'agentcore' }, { cloudFormationValidation: true, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }),
    ).not.toThrow();
  }, 120_000);
});
