/**
 * Identity for people and for the agent itself, in one Cognito user pool:
 * - engineers sign in from the CLI (SRP or USER_PASSWORD, no client secret) and call the API with access tokens;
 *   a pre-token-generation trigger gives those tokens the API scopes, because tokens from InitiateAuth otherwise
 *   carry only `aws.cognito.signin.user.admin`, which API Gateway scope checks would reject;
 * - the specialists authenticate to the MCP gateway with the machine client (client credentials, scope
 *   `sre-agent/tools.invoke`), whose secret lives in Secrets Manager and is read at runtime, never put in env.
 */
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SreAgentConfig } from './config.ts';
import type { FunctionFactory } from './functions.ts';
import { acknowledge } from './nag.ts';

export const RESOURCE_SERVER_ID = 'sre-agent';
export const ADMIN_GROUP = 'admins';

/** Scope names as they appear in tokens and in API Gateway's authorizationScopes. */
export const SCOPES = {
  read: `${RESOURCE_SERVER_ID}/investigations.read`,
  write: `${RESOURCE_SERVER_ID}/investigations.write`,
  toolsInvoke: `${RESOURCE_SERVER_ID}/tools.invoke`,
  admin: `${RESOURCE_SERVER_ID}/admin`,
} as const;

export interface AuthProps {
  config: Pick<SreAgentConfig, 'cognitoDomainPrefix' | 'deletionProtection' | 'removalPolicy' | 'threatProtection' | 'mfa'>;
  functions: FunctionFactory;
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userClient: cognito.UserPoolClient;
  readonly machineClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly machineClientSecret: secretsmanager.Secret;
  readonly tokenScopes: NodejsFunction;
  /** `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token` */
  readonly tokenUrl: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`, the `iss` of every token. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const plus = config.threatProtection !== 'off';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by an administrator (AdminCreateUser or the console), never by strangers.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: config.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      // TOTP only: SMS needs an SNS origination setup and is the weaker factor.
      mfaSecondFactor: { otp: true, sms: false },
      // Essentials at least: access-token customisation (the scopes trigger) needs it; Plus adds threat protection.
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus
        ? {
            standardThreatProtectionMode:
              config.threatProtection === 'enforced'
                ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
                : cognito.StandardThreatProtectionMode.AUDIT_ONLY,
          }
        : {}),
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    if (config.mfa !== 'required') {
      acknowledge(
        this.userPool,
        'COG2',
        'MFA (TOTP) is optional so a team can onboard before enrolling authenticators; set context mfa=required to enforce it. Sign-ins are also covered by threat protection.',
      );
    }
    if (!plus) {
      acknowledge(this.userPool, 'COG8', 'Threat protection was turned off with context threatProtection=off (Essentials feature plan).');
    }

    const toolsInvoke = new cognito.ResourceServerScope({ scopeName: 'tools.invoke', scopeDescription: 'Call the SRE tools through the MCP gateway' });
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'sre-agent',
      scopes: [
        new cognito.ResourceServerScope({ scopeName: 'investigations.read', scopeDescription: 'Read investigations and reports' }),
        new cognito.ResourceServerScope({ scopeName: 'investigations.write', scopeDescription: 'Start investigations, change preferences' }),
        toolsInvoke,
        new cognito.ResourceServerScope({ scopeName: 'admin', scopeDescription: 'Administer the agent' }),
      ],
    });

    this.userClient = this.userPool.addClient('UserClient', {
      userPoolClientName: 'sre-agent-cli',
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      // No hosted-UI flows: the CLI authenticates with InitiateAuth; scopes come from the trigger below.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'sre-agent-specialists',
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        // The specialists only call tools: no investigation or admin scope for this client.
        scopes: [cognito.OAuthScope.resourceServer(resourceServer, toolsInvoke)],
      },
      // No user sign-in through this client. Left unset, Cognito would allow SRP and custom auth; a non-empty
      // object with every flow off leaves only ALLOW_REFRESH_TOKEN_AUTH, which client credentials never use.
      authFlows: { userSrp: false },
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
    });

    this.userPool.addGroup('Admins', {
      groupName: ADMIN_GROUP,
      description: 'Administrators of the SRE agent: their tokens carry the sre-agent/admin scope',
      precedence: 0,
    });

    const domainPrefix = config.cognitoDomainPrefix ?? `sre-agent-${Stack.of(this).account}`;
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    this.tokenUrl = `${this.domain.baseUrl()}/oauth2/token`;
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;

    // The secret is read from the client's CloudFormation attribute: no custom resource (the CDK's
    // userPoolClientSecret would add a Lambda calling DescribeUserPoolClient).
    const cfnMachineClient = this.machineClient.node.defaultChild as cognito.CfnUserPoolClient;
    this.machineClientSecret = new secretsmanager.Secret(this, 'MachineClientSecret', {
      description: 'Client secret of the sre-agent machine client (Cognito client-credentials grant for the specialists)',
      secretStringValue: SecretValue.resourceAttribute(cfnMachineClient.attrClientSecret),
    });
    acknowledge(
      this.machineClientSecret,
      'SMG4',
      'The value is the Cognito app client secret, generated and owned by Cognito; Secrets Manager rotation cannot change it. Rotate by replacing the machine client (a stack update), which updates this secret.',
    );

    this.tokenScopes = props.functions.create(this, 'TokenScopes', {
      entry: 'lambdas/gateway/token-scopes/handler.ts',
      role: 'auth',
      service: 'token-scopes',
      description: 'Cognito pre-token-generation trigger: adds the sre-agent API scopes to users\' access tokens',
      environment: { RESOURCE_SERVER: RESOURCE_SERVER_ID, ADMIN_GROUP },
    });
    // V2_0: the event version that can customise access tokens; it does not fire for client credentials,
    // so the machine client's tokens keep exactly the scope it was granted.
    this.userPool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.tokenScopes, cognito.LambdaVersion.V2_0);
  }

  /** secretsmanager:GetSecretValue on the machine client secret, nothing more (no DescribeSecret, no list). */
  grantReadMachineSecret(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.machineClientSecret.secretArn] });
  }
}
