/**
 * The public API (REST, API Gateway): engineers start investigations and read their results with Cognito
 * access tokens. Every method has the Cognito authorizer and the scopes it needs (`investigations.read` for
 * reads, `investigations.write` for writes; `admin` is accepted everywhere, since admins may do anything a user
 * may), and API Gateway rejects malformed requests before any Lambda runs. The stage is throttled (tighter on
 * POST /investigations, each call of which starts a state machine execution), traced and access-logged as JSON.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { type Auth, SCOPES } from './auth.ts';
import type { SreAgentConfig } from './config.ts';
import type { FunctionFactory } from './functions.ts';
import type { Memory } from './memory.ts';
import { acknowledge, acknowledgeManagedPolicy, acknowledgeWildcards } from './nag.ts';
import type { Reports } from './reports.ts';

export const STAGE_NAME = 'v1';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export interface ApiProps {
  config: Pick<
    SreAgentConfig,
    'apiRateLimit' | 'apiBurstLimit' | 'corsOrigins' | 'webAclArn' | 'apiGatewayCloudWatchRole' | 'logRetentionDays' | 'removalPolicy' | 'idempotencyTtlSeconds'
  >;
  functions: FunctionFactory;
  auth: Auth;
  memory: Memory;
  reports: Reports;
  stateMachine: sfn.StateMachine;
}

export type ApiRoute = 'startInvestigation' | 'listInvestigations' | 'getInvestigation' | 'getReport' | 'preferences';

export class Api extends Construct {
  readonly restApi: apigw.RestApi;
  readonly handlers: Readonly<Record<ApiRoute, NodejsFunction>>;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, functions, auth, memory, reports, stateMachine } = props;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    const env = { TABLE_NAME: memory.table.tableName, STATE_MACHINE_ARN: stateMachine.stateMachineArn, REPORTS_BUCKET: reports.bucket.bucketName };
    const handler = (fnId: string, entry: string, description: string, extra: Record<string, string> = {}) =>
      functions.create(this, fnId, { entry, role: 'api', service: `api-${entry.split('/')[2]}`, description, environment: { ...env, ...extra } });

    const start = handler('StartInvestigation', 'lambdas/api/start-investigation/handler.ts', 'POST /investigations: validate, record, start the state machine', {
      IDEMPOTENCY_TTL_SECONDS: String(config.idempotencyTtlSeconds),
    });
    memory.grantReadWrite(start);
    stateMachine.grantStartExecution(start);

    const list = handler('ListInvestigations', 'lambdas/api/list-investigations/handler.ts', 'GET /investigations: the caller\'s investigations');
    memory.grantRead(list);

    const get = handler('GetInvestigation', 'lambdas/api/get-investigation/handler.ts', 'GET /investigations/{id}: status and result');
    memory.grantRead(get);
    // The execution is named by the investigation id, so its ARN is known; only this state machine's executions.
    const executions = stateMachineExecutionsArn(stateMachine);
    get.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
    acknowledgeWildcards(get.role!, { resources: [executions] }, 'Executions are named by investigation id at runtime; the wildcard covers the executions of this one state machine.');

    const report = handler('GetReport', 'lambdas/api/get-report/handler.ts', 'GET /investigations/{id}/report: a presigned URL of the report');
    memory.grantRead(report);
    reports.grantReadReports(report);

    const preferences = handler('Preferences', 'lambdas/api/preferences/handler.ts', 'GET and PUT /preferences: the caller\'s preferences');
    memory.grantReadWrite(preferences);

    this.handlers = { startInvestigation: start, listInvestigations: list, getInvestigation: get, getReport: report, preferences };

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy });

    this.restApi = new apigw.RestApi(this, 'Api', {
      description: 'sre-agent: start SRE investigations and read their reports',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logs need the account-level API Gateway CloudWatch role; kept on stack deletion because
      // other APIs in the account rely on that setting too.
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      ...(config.apiGatewayCloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.INFO,
        // Request and response bodies hold questions and findings: never in execution logs.
        dataTraceEnabled: false,
        throttlingRateLimit: config.apiRateLimit,
        throttlingBurstLimit: config.apiBurstLimit,
        methodOptions: {
          // Each accepted POST starts an execution (Lambda, Bedrock, AgentCore costs): a tighter limit.
          '/investigations/POST': {
            throttlingRateLimit: Math.max(1, Math.min(5, config.apiRateLimit)),
            throttlingBurstLimit: Math.max(1, Math.min(10, config.apiBurstLimit)),
          },
        },
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: apigw.AccessLogField.contextRequestId(),
            requestTime: apigw.AccessLogField.contextRequestTime(),
            ip: apigw.AccessLogField.contextIdentitySourceIp(),
            userAgent: apigw.AccessLogField.contextIdentityUserAgent(),
            user: apigw.AccessLogField.contextAuthorizerClaims('sub'),
            clientId: apigw.AccessLogField.contextAuthorizerClaims('client_id'),
            httpMethod: apigw.AccessLogField.contextHttpMethod(),
            resourcePath: apigw.AccessLogField.contextResourcePath(),
            status: apigw.AccessLogField.contextStatus(),
            responseLength: apigw.AccessLogField.contextResponseLength(),
            responseLatency: apigw.AccessLogField.contextResponseLatency(),
            integrationLatency: apigw.AccessLogField.contextIntegrationLatency(),
            error: apigw.AccessLogField.contextErrorMessage(),
            validationError: apigw.AccessLogField.contextErrorValidationErrorString(),
            xrayTraceId: apigw.AccessLogField.contextXrayTraceId(),
          }),
        ),
      },
      // CORS is off unless browser origins are configured (the CLI needs none).
      ...(config.corsOrigins.length
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: config.corsOrigins,
              allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
              allowHeaders: ['Authorization', 'Content-Type', IDEMPOTENCY_HEADER],
            },
          }
        : {}),
    });
    const api = this.restApi;

    if (config.apiGatewayCloudWatchRole) {
      acknowledgeManagedPolicy(
        api,
        'service-role/AmazonAPIGatewayPushToCloudWatchLogs',
        'The account-level role API Gateway uses to write execution logs; AWS documents this managed policy for it and API Gateway decides the log group names.',
      );
    }
    if (config.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', { resourceArn: api.deploymentStage.stageArn, webAclArn: config.webAclArn });
    } else {
      acknowledge(
        api,
        'APIG3',
        'Every method requires a Cognito access token and the stage is throttled; set context webAclArn to associate a WAFv2 web ACL (its rules and cost are the account owner\'s choice).',
      );
    }

    // Validation errors are returned to the caller (the CLI prints them), not API Gateway's bare "Invalid request body".
    api.addGatewayResponse('BadRequestBody', {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: { 'application/json': '{"error":"invalid_request","message":"$context.error.validationErrorString"}' },
    });

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [auth.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });
    const bodyValidator = api.addRequestValidator('BodyAndParameters', { validateRequestBody: true, validateRequestParameters: true });
    const paramsValidator = api.addRequestValidator('Parameters', { validateRequestBody: false, validateRequestParameters: true });

    const readScopes = [SCOPES.read, SCOPES.admin];
    const writeScopes = [SCOPES.write, SCOPES.admin];
    const method = (scopes: string[], validator: apigw.IRequestValidator, extra: Partial<apigw.MethodOptions> = {}): apigw.MethodOptions => ({
      authorizer,
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizationScopes: scopes,
      requestValidator: validator,
      ...extra,
    });
    const integration = (fn: NodejsFunction) => new apigw.LambdaIntegration(fn, { proxy: true });

    const startModel = api.addModel('StartInvestigationRequest', {
      contentType: 'application/json',
      modelName: 'StartInvestigationRequest',
      description: 'A question, or a CloudWatch alarm event, to investigate',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'StartInvestigationRequest',
        type: apigw.JsonSchemaType.OBJECT,
        properties: {
          question: { type: apigw.JsonSchemaType.STRING, minLength: 3, maxLength: 2000 },
          alarmEvent: { type: apigw.JsonSchemaType.OBJECT },
          now: { type: apigw.JsonSchemaType.STRING, maxLength: 64 },
          // Accepted for parity with the local API; ignored in AWS.
          scenario: { type: apigw.JsonSchemaType.STRING, maxLength: 200 },
        },
        // Exactly one trigger: a question or an alarm event.
        oneOf: [{ required: ['question'] }, { required: ['alarmEvent'] }],
        additionalProperties: false,
      },
    });
    const preferencesModel = api.addModel('PreferencesRequest', {
      contentType: 'application/json',
      modelName: 'PreferencesRequest',
      description: 'Preferences to store; the handler validates each field',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'PreferencesRequest', type: apigw.JsonSchemaType.OBJECT },
    });

    const investigations = api.root.addResource('investigations');
    investigations.addMethod(
      'POST',
      integration(start),
      method(writeScopes, bodyValidator, {
        requestModels: { 'application/json': startModel },
        requestParameters: { [`method.request.header.${IDEMPOTENCY_HEADER}`]: false },
      }),
    );
    investigations.addMethod('GET', integration(list), method(readScopes, paramsValidator));

    const investigation = investigations.addResource('{id}');
    const idParam = { 'method.request.path.id': true };
    investigation.addMethod('GET', integration(get), method(readScopes, paramsValidator, { requestParameters: idParam }));
    investigation
      .addResource('report')
      .addMethod('GET', integration(report), method(readScopes, paramsValidator, { requestParameters: idParam }));

    const prefs = api.root.addResource('preferences');
    prefs.addMethod('GET', integration(preferences), method(readScopes, paramsValidator));
    prefs.addMethod('PUT', integration(preferences), method(writeScopes, bodyValidator, { requestModels: { 'application/json': preferencesModel } }));
  }

  get url(): string {
    return this.restApi.url;
  }
}

/** `arn:<partition>:states:<region>:<account>:execution:<state machine name>:*` */
function stateMachineExecutionsArn(stateMachine: sfn.StateMachine): string {
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
