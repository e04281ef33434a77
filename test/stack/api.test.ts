import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, flatten, functionActions, resources, synth } from './support.ts';

const READ = ['sre-agent/investigations.read', 'sre-agent/admin'];
const WRITE = ['sre-agent/investigations.write', 'sre-agent/admin'];

let s: Synthesized;

beforeAll(() => {
  s = synth();
});

type Res = { Type: string; Properties: Record<string, unknown> };

/** `METHOD /path` of every API method, with its properties. */
function methods(): Map<string, Record<string, unknown>> {
  const all = resources(s.template) as Record<string, Res>;
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (!id || all[id]?.Type !== 'AWS::ApiGateway::Resource') return '';
    const r = all[id]!.Properties;
    return `${pathOf(r.ParentId)}/${r.PathPart as string}`;
  };
  const out = new Map<string, Record<string, unknown>>();
  for (const r of Object.values(all)) {
    if (r.Type !== 'AWS::ApiGateway::Method') continue;
    out.set(`${r.Properties.HttpMethod as string} ${pathOf(r.Properties.ResourceId) || '/'}`, r.Properties);
  }
  return out;
}

describe('routes and authorization', () => {
  it('exposes exactly the routes of the contract (no CORS preflight methods by default)', () => {
    expect([...methods().keys()].sort()).toEqual([
      'GET /investigations',
      'GET /investigations/{id}',
      'GET /investigations/{id}/report',
      'GET /preferences',
      'POST /investigations',
      'PUT /preferences',
    ]);
  });

  it('puts the Cognito authorizer and scopes on every method: read for GETs, write for POST/PUT', () => {
    const authorizers = s.template.findResources('AWS::ApiGateway::Authorizer');
    expect(Object.values(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    expect(authorizer.Properties).toMatchObject({ Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization' });
    expect(JSON.stringify(authorizer.Properties.ProviderARNs)).toContain('AuthUserPool');
    for (const [route, m] of methods()) {
      expect(m.AuthorizationType, route).toBe('COGNITO_USER_POOLS');
      expect(m.AuthorizerId, route).toEqual({ Ref: authorizerId });
      expect(m.AuthorizationScopes, route).toEqual(route.startsWith('GET') ? READ : WRITE);
    }
  });

  it('routes each method to its own handler', () => {
    const target = (route: string) => flatten((methods().get(route)!.Integration as { Uri: unknown }).Uri);
    expect(target('POST /investigations')).toMatch(/ApiStartInvestigationFunction/);
    expect(target('GET /investigations')).toMatch(/ApiListInvestigationsFunction/);
    expect(target('GET /investigations/{id}')).toMatch(/ApiGetInvestigationFunction/);
    expect(target('GET /investigations/{id}/report')).toMatch(/ApiGetReportFunction/);
    expect(target('GET /preferences')).toMatch(/ApiPreferencesFunction/);
    expect(target('PUT /preferences')).toMatch(/ApiPreferencesFunction/);
  });
});

describe('request validation', () => {
  it('validates bodies and parameters on writes, parameters on reads', () => {
    const validators = s.template.findResources('AWS::ApiGateway::RequestValidator');
    const byId = Object.fromEntries(Object.entries(validators).map(([id, v]) => [id, v.Properties]));
    for (const [route, m] of methods()) {
      const validator = byId[(m.RequestValidatorId as { Ref: string }).Ref];
      expect(validator, route).toBeDefined();
      expect(validator.ValidateRequestParameters, route).toBe(true);
      expect(validator.ValidateRequestBody, route).toBe(!route.startsWith('GET'));
    }
  });

  it('has body models for POST /investigations (question xor alarmEvent) and PUT /preferences (an object)', () => {
    const models = Object.values(s.template.findResources('AWS::ApiGateway::Model')).map((m) => m.Properties);
    const start = models.find((m) => m.Name === 'StartInvestigationRequest')!;
    expect(start.Schema).toMatchObject({
      type: 'object',
      properties: {
        question: { type: 'string', minLength: 3, maxLength: 2000 },
        alarmEvent: { type: 'object' },
        now: { type: 'string' },
        scenario: { type: 'string' },
      },
      oneOf: [{ required: ['question'] }, { required: ['alarmEvent'] }],
      additionalProperties: false,
    });
    expect(models.find((m) => m.Name === 'PreferencesRequest')!.Schema).toMatchObject({ type: 'object' });
    expect(methods().get('POST /investigations')!.RequestModels).toEqual({ 'application/json': { Ref: expect.stringMatching(/StartInvestigationRequest/) } });
    expect(methods().get('PUT /preferences')!.RequestModels).toEqual({ 'application/json': { Ref: expect.stringMatching(/PreferencesRequest/) } });
  });

  it('declares the optional Idempotency-Key header and the required id path parameter', () => {
    expect(methods().get('POST /investigations')!.RequestParameters).toEqual({ 'method.request.header.Idempotency-Key': false });
    expect(methods().get('GET /investigations/{id}')!.RequestParameters).toEqual({ 'method.request.path.id': true });
    expect(methods().get('GET /investigations/{id}/report')!.RequestParameters).toEqual({ 'method.request.path.id': true });
  });

  it('returns validation errors to the caller', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_BODY',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('validationErrorString') },
    });
  });
});

describe('the stage', () => {
  it('is throttled, with a tighter limit on POST /investigations, traced, and logs access as JSON', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, LoggingLevel: 'INFO', DataTraceEnabled: false }),
        Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1investigations', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }),
      ]),
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const stage = Object.values(s.template.findResources('AWS::ApiGateway::Stage'))[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', user: '$context.authorizer.claims.sub' });
    expect(JSON.stringify(stage.Properties.AccessLogSetting.DestinationArn)).toContain('ApiAccessLogs');
  });
});

describe('handler permissions', () => {
  it('start: memory read/write and StartExecution; no Bedrock, no S3', () => {
    const actions = functionActions(s, s.stack.api.handlers.startInvestigation);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 'states:StartExecution']));
    expect(actions.filter((a) => a.startsWith('bedrock:') || a.startsWith('s3:'))).toEqual([]);
  });

  it('list: memory reads only', () => {
    const actions = functionActions(s, s.stack.api.handlers.listInvestigations);
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
  });

  it('get: memory reads and DescribeExecution on this state machine\'s executions', () => {
    const actions = functionActions(s, s.stack.api.handlers.getInvestigation);
    expect(actions).toContain('states:DescribeExecution');
    expect(actions).not.toContain('dynamodb:PutItem');
  });

  it('report: memory reads and s3:GetObject only', () => {
    const actions = functionActions(s, s.stack.api.handlers.getReport);
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
    expect(actions).not.toContain('dynamodb:PutItem');
  });

  it('no API handler may invoke Bedrock or read the machine client secret', () => {
    for (const fn of Object.values(s.stack.api.handlers)) {
      const actions = functionActions(s, fn);
      expect(actions.filter((a) => a.startsWith('bedrock:') || a.startsWith('secretsmanager:'))).toEqual([]);
    }
  });
});

describe('options', () => {
  it('adds CORS preflight (without authorizer) only when origins are configured, and a WAF association when given', () => {
    const withCors = synth({ corsOrigins: 'https://console.example.com', webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/sre/abc' });
    const options = Object.values(withCors.template.findResources('AWS::ApiGateway::Method')).filter((m) => m.Properties.HttpMethod === 'OPTIONS');
    expect(options.length).toBeGreaterThan(0);
    withCors.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });
});
