/**
 * cdk-nag acknowledgements, kept narrow. cdk-nag 3 reads CDK's native `Validations.of(scope).acknowledge()`
 * (its v2 `NagSuppressions` API is gone) and reports each wildcard of an IAM policy as its own finding,
 * `AwsSolutions-IAM5[Resource::<flattened ARN>]`. The helpers below compute those finding ids from the very tokens
 * used in the policy statements, so an acknowledgement names exactly one wildcard on one resource and goes stale
 * (the finding reappears) as soon as the statement changes.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges one AwsSolutions rule (e.g. `S1`) on a construct and its children, with the reason reviewers read. */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

/**
 * Acknowledges the IAM5 findings of specific wildcard resources and actions granted to `scope` (a role, a policy,
 * or the construct owning them). Resources are given as used in the statements, tokens included.
 */
export function acknowledgeWildcards(
  scope: IConstruct,
  wildcards: { resources?: readonly string[]; actions?: readonly string[] },
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of wildcards.resources ?? []) {
    const flat = flattenReference(stack.resolve(resource));
    if (!flat.includes('*')) throw new Error(`${flat} holds no wildcard: nothing to acknowledge`);
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
  }
  for (const action of wildcards.actions ?? []) {
    if (!action.includes('*')) throw new Error(`${action} holds no wildcard: nothing to acknowledge`);
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
  }
}

/** Acknowledges the IAM4 finding of one AWS managed policy (`service-role/AWSLambdaVPCAccessExecutionRole`). */
export function acknowledgeManagedPolicy(scope: IConstruct, policyName: string, reason: string): void {
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`,
    reason,
  });
}

/** The string cdk-nag derives from a resolved CloudFormation value (same rules as its flattenCfnReference). */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (o['Fn::Sub']) return flattenReference(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return flattenReference(o['Fn::ImportValue']);
    if (o.Ref) return `<${flattenReference(o.Ref)}>`;
  }
  return JSON.stringify(node);
}
