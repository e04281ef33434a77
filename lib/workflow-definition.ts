/**
 * The investigation state machine's ASL, for the local runner: the SAME construct the stack deploys, built in a
 * throwaway app around placeholder function ARNs and synthesized (no bundling, no other resources), so what runs
 * locally under aws-local-stepfunctions is what runs in AWS. The runner binds each Task to an in-process
 * handler by state name; the placeholder ARNs only make the definition valid and recognisable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { InvestigationWorkflow, SPECIALISTS, type SpecialistName } from './workflow.ts';

export type WorkflowRole = 'supervisor' | SpecialistName;

/** `arn:aws:lambda:us-east-1:000000000000:function:sre-agent-<role>` */
export function placeholderFunctionArn(role: WorkflowRole): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:sre-agent-${role}`;
}

export function synthesizeWorkflowDefinition(): { definition: Record<string, unknown> } {
  const outdir = mkdtempSync(join(tmpdir(), 'sre-agent-workflow-'));
  try {
    // No CloudFormation schema validation here (a WASM engine that takes seconds to load): the stack's own synth
    // validates this same state machine, and the runner only needs the ASL.
    const app = new App({ outdir, analyticsReporting: false, stackTraces: false, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'SreAgentWorkflowDefinition', { env: { account: '000000000000', region: 'us-east-1' } });
    const fn = (role: WorkflowRole) => lambda.Function.fromFunctionArn(stack, `Placeholder-${role}`, placeholderFunctionArn(role));
    new InvestigationWorkflow(stack, 'Workflow', {
      supervisor: fn('supervisor'),
      specialists: Object.fromEntries(SPECIALISTS.map((name) => [name, fn(name)])) as Record<SpecialistName, lambda.IFunction>,
    });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: { DefinitionString: unknown } }>;
    };
    const machines = Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
    const definition = JSON.parse(literalString(machines[0]!.Properties.DefinitionString)) as Record<string, unknown>;
    return { definition };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * A CloudFormation string value made only of literals: a string, or an Fn::Join of literals. Anything else (a Ref
 * or GetAtt) would mean the definition depends on a deployed resource, which the placeholders are there to avoid.
 */
function literalString(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  if (join) return join[1].map(literalString).join(join[0]);
  throw new Error(`the state machine definition references a deployed value: ${JSON.stringify(value)}`);
}
