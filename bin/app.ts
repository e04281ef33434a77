/**
 * CDK app entry (`cdk.json`: `npx tsx bin/app.ts`). Configuration comes from context (cdk.json or
 * `cdk deploy -c key=value`, see lib/config.ts); cdk-nag's AWS Solutions checks run on every synth and fail it
 * on any finding that is not acknowledged with a reason.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from '../lib/config.ts';
import { SreAgentStack } from '../lib/sre-agent-stack.ts';

const app = new App();
const config = configFromContext(app.node);
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'SreAgent';

new SreAgentStack(app, stackName, {
  config,
  description: 'sre-agent: serverless SRE investigation agent (Step Functions, Lambda, AgentCore Gateway, Cognito)',
  // The account and region of the CLI's credentials; an explicit env gives literal ARNs and readable outputs.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  tags: { application: 'sre-agent' },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
