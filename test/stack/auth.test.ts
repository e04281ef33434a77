import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createHandler, scopesForGroups } from '../../lambdas/gateway/token-scopes/handler.ts';
import { flatten, resources, synth } from './support.ts';

describe('the Cognito user pool', () => {
  const s = synth();

  it('is admin-provisioned, with a strong password policy, optional TOTP MFA and threat protection (Plus plan)', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 5,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('can drop to the Essentials plan (no threat protection), require MFA, and allow deletion', () => {
    const other = synth({ threatProtection: 'off', mfa: 'required', deletionProtection: false });
    other.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      MfaConfiguration: 'ON',
      DeletionProtection: 'INACTIVE',
      UserPoolAddOns: Match.absent(),
    });
  });

  it('has a CLI client (SRP, USER_PASSWORD, no secret, no hosted-UI flows) and a machine client (client credentials, tools scope only)', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'sre-agent-cli',
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      AllowedOAuthFlows: Match.absent(),
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'sre-agent-specialists',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^AuthUserPoolResourceServer') }, '/tools.invoke']] }],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('defines the sre-agent resource server with the four scopes, an admins group and a domain', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'sre-agent',
      Scopes: [
        Match.objectLike({ ScopeName: 'investigations.read' }),
        Match.objectLike({ ScopeName: 'investigations.write' }),
        Match.objectLike({ ScopeName: 'tools.invoke' }),
        Match.objectLike({ ScopeName: 'admin' }),
      ],
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'sre-agent-123456789012' });
    const custom = synth({ cognitoDomainPrefix: 'acme-sre' });
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-sre' });
  });

  it('keeps the machine client secret in Secrets Manager, read from the client attribute (no custom resource)', () => {
    const secret = Object.values(s.template.findResources('AWS::SecretsManager::Secret'))[0]!;
    expect(flatten(secret.Properties.SecretString)).toMatch(/^<AuthUserPoolMachineClient[0-9A-F]+\.ClientSecret>$/);
    expect(Object.values(resources(s.template)).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  it('adds API scopes to users\' access tokens with a V2_0 pre-token-generation trigger', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: Match.anyValue(), LambdaVersion: 'V2_0' } },
    });
    s.template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'cognito-idp.amazonaws.com' });
  });
});

describe('the pre-token-generation trigger', () => {
  const policy = { resourceServer: 'sre-agent', adminGroup: 'admins' };

  it('gives every user read and write, and admins the admin scope, never tools.invoke', () => {
    expect(scopesForGroups([], policy)).toEqual(['sre-agent/investigations.read', 'sre-agent/investigations.write']);
    expect(scopesForGroups(['oncall', 'admins'], policy)).toEqual(['sre-agent/investigations.read', 'sre-agent/investigations.write', 'sre-agent/admin']);
  });

  it('answers Cognito with scopesToAdd, keeping any other override', async () => {
    const handler = createHandler(policy);
    const event = {
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      region: 'us-east-1',
      userPoolId: 'us-east-1_x',
      userName: 'alice',
      callerContext: { awsSdkVersion: 'x', clientId: 'c' },
      request: { userAttributes: {}, groupConfiguration: { groupsToOverride: ['admins'] }, scopes: ['aws.cognito.signin.user.admin'] },
      response: { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToAddOrOverride: { team: 'sre' } } } },
    } as unknown as Parameters<typeof handler>[0];
    const out = await handler(event);
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: { team: 'sre' } },
      accessTokenGeneration: { scopesToAdd: ['sre-agent/investigations.read', 'sre-agent/investigations.write', 'sre-agent/admin'] },
    });
  });
});
