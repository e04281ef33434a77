import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BACKENDS, type GatewaySchema, type GatewayToolDefinition, loadToolDefinitions, toGatewayToolSchema } from '../../src/tools/openapi.ts';
import { flatten, functionActions, functionStatements, resources, synth } from './support.ts';

type Res = { Type: string; Properties: Record<string, unknown> };

/** A gateway schema as CloudFormation spells it (AWS::BedrockAgentCore::GatewayTarget SchemaDefinition). */
function cfnSchema(schema: GatewaySchema): Record<string, unknown> {
  return {
    Type: schema.type,
    ...(schema.description ? { Description: schema.description } : {}),
    ...(schema.properties ? { Properties: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, cfnSchema(v)])) } : {}),
    ...(schema.required ? { Required: schema.required } : {}),
    ...(schema.items ? { Items: cfnSchema(schema.items) } : {}),
  };
}

function cfnTools(tools: GatewayToolDefinition[]): unknown[] {
  return tools.map((t) => ({
    Name: t.name,
    Description: t.description,
    InputSchema: cfnSchema(t.inputSchema),
    ...(t.outputSchema ? { OutputSchema: cfnSchema(t.outputSchema) } : {}),
  }));
}

describe('AgentCore Gateway (default)', () => {
  const s = synth();
  const all = resources(s.template) as Record<string, Res>;
  const targets = Object.values(all).filter((r) => r.Type === 'AWS::BedrockAgentCore::GatewayTarget');

  it('is an MCP gateway with Cognito JWT inbound auth: the machine client only, with the tools scope', () => {
    const gateways = Object.values(all).filter((r) => r.Type === 'AWS::BedrockAgentCore::Gateway');
    expect(gateways).toHaveLength(1);
    const gateway = gateways[0]!.Properties;
    expect(gateway.ProtocolType).toBe('MCP');
    expect(gateway.AuthorizerType).toBe('CUSTOM_JWT');
    const jwt = (gateway.AuthorizerConfiguration as { CustomJWTAuthorizer: Record<string, unknown> }).CustomJWTAuthorizer;
    expect(flatten(jwt.DiscoveryUrl)).toMatch(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/<AuthUserPool[0-9A-F]+>\/\.well-known\/openid-configuration$/);
    expect(jwt.AllowedClients).toEqual([{ Ref: expect.stringMatching(/^AuthUserPoolMachineClient/) }]);
    expect(jwt.AllowedScopes).toEqual(['sre-agent/tools.invoke']);
  });

  it('has one Lambda target per backend, named after it, whose inline schema is the converter\'s output for that backend', () => {
    expect(targets.map((t) => t.Properties.Name).sort()).toEqual([...BACKENDS].sort());
    for (const backend of BACKENDS) {
      const target = targets.find((t) => t.Properties.Name === backend)!;
      const lambdaTarget = (target.Properties.TargetConfiguration as { Mcp: { Lambda: { LambdaArn: unknown; ToolSchema: { InlinePayload: unknown } } } }).Mcp.Lambda;
      expect(flatten(lambdaTarget.LambdaArn)).toMatch(new RegExp(`^<Tools${backend.charAt(0).toUpperCase()}${backend.slice(1)}ToolFunction[0-9A-F]+\\.Arn>$`));
      const expected = toGatewayToolSchema(loadToolDefinitions([backend]));
      expect(expected.length).toBeGreaterThan(0);
      expect(lambdaTarget.ToolSchema.InlinePayload).toEqual(cfnTools(expected));
      expect(target.Properties.CredentialProviderConfigurations).toEqual([{ CredentialProviderType: 'GATEWAY_IAM_ROLE' }]);
    }
  });

  it('lets the gateway role invoke the four tool functions and nothing else', () => {
    const gatewayRole = Object.entries(all).find(([, r]) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('bedrock-agentcore'))!;
    const statements = Object.values(all)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(gatewayRole[0]))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown[] }> }).Statement);
    expect(statements.map((st) => st.Action)).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunction', 'lambda:InvokeFunction', 'lambda:InvokeFunction']);
    expect(statements.flatMap((st) => st.Resource.map(flatten)).every((r) => /ToolsToolFunction|Tools(Kubernetes|Logs|Metrics|Runbooks)ToolFunction/.test(r))).toBe(true);
  });

  it('gives the specialists the gateway URL, the token endpoint and the machine client (secret by ARN only)', () => {
    for (const fn of Object.values(s.stack.agents.specialists)) {
      const props = all[s.stack.getLogicalId(fn.node.defaultChild as never)]!.Properties;
      const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(flatten(env.GATEWAY_URL)).toMatch(/^<ToolsGateway[0-9A-F]+\.GatewayUrl>$/);
      expect(flatten(env.TOKEN_URL)).toMatch(/^https:\/\/<AuthUserPoolDomain[0-9A-F]+>\.auth\.us-east-1\.amazoncognito\.com\/oauth2\/token$/);
      expect(env.MACHINE_CLIENT_ID).toEqual({ Ref: expect.stringMatching(/^AuthUserPoolMachineClient/) });
      expect(env.MACHINE_CLIENT_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^AuthMachineClientSecret/) });
      expect(env.TOOLS_SCOPE).toBe('sre-agent/tools.invoke');
      expect(Object.keys(env)).not.toContain('MACHINE_CLIENT_SECRET');
      expect(JSON.stringify(env)).not.toMatch(/ClientSecret"\]/);
    }
  });

  it('bundles the sample scenario with the tool Lambdas when no cluster is configured', () => {
    for (const backend of BACKENDS) {
      const fn = s.stack.tools.functions[backend];
      const env = (all[s.stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(env.SRE_AGENT_SCENARIO).toBe('/var/task/scenarios/aws-sre-sample');
      expect(Object.keys(env).filter((k) => k.endsWith('_PROVIDER'))).toEqual([]);
    }
  });
});

describe('the MCP server Lambda option (gateway: lambda)', () => {
  const s = synth({ gateway: 'lambda' });
  const all = resources(s.template) as Record<string, Res>;

  it('deploys no AgentCore gateway but the MCP server function behind a Function URL', () => {
    s.template.resourceCountIs('AWS::BedrockAgentCore::Gateway', 0);
    s.template.resourceCountIs('AWS::BedrockAgentCore::GatewayTarget', 0);
    expect(s.stack.tools.mcpServer).toBeDefined();
    s.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', InvokeMode: 'BUFFERED', TargetFunctionArn: Match.anyValue() });
    // Public at the HTTP level (the handler verifies the JWT), and invocable only through the URL.
    s.template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' });
    s.template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true });
  });

  it('configures the server with the user pool, the machine client, the tool functions and the scope', () => {
    const server = all[s.stack.getLogicalId(s.stack.tools.mcpServer!.node.defaultChild as never)]!.Properties;
    const env = (server.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.USER_POOL_ID).toEqual({ Ref: expect.stringMatching(/^AuthUserPool/) });
    expect(env.MACHINE_CLIENT_ID).toEqual({ Ref: expect.stringMatching(/^AuthUserPoolMachineClient/) });
    expect(env.TOOLS_SCOPE).toBe('sre-agent/tools.invoke');
    const toolFunctions = flatten(env.TOOL_FUNCTIONS);
    for (const backend of BACKENDS) expect(toolFunctions).toContain(`"${backend}":"<Tools${backend.charAt(0).toUpperCase()}${backend.slice(1)}ToolFunction`);
  });

  it('lets the server invoke exactly the four tool functions (unqualified)', () => {
    const statements = functionStatements(s, s.stack.tools.mcpServer!).filter((st) => JSON.stringify(st.Action).includes('lambda:'));
    expect(statements).toHaveLength(1);
    expect((statements[0]!.Resource as unknown[]).map(flatten).sort()).toEqual(
      BACKENDS.map((b) => expect.stringMatching(new RegExp(`^<Tools${b.charAt(0).toUpperCase()}${b.slice(1)}ToolFunction[0-9A-F]+\\.Arn>$`))),
    );
    expect(functionActions(s, s.stack.tools.mcpServer!).filter((a) => !/^(logs|xray):/.test(a))).toEqual(['lambda:InvokeFunction']);
  });

  it('points the specialists at the Function URL\'s /mcp endpoint', () => {
    for (const fn of Object.values(s.stack.agents.specialists)) {
      const env = (all[s.stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(flatten(env.GATEWAY_URL)).toMatch(/^<ToolsMcpServerFunctionFunctionUrl[0-9A-F]+\.FunctionUrl>mcp$/);
    }
  });
});
