import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../lib/config.ts';

describe('stack configuration from CDK context', () => {
  it('defaults to the sample scenario behind AgentCore Gateway, data retained and protected', () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ gateway: 'agentcore', clusterName: undefined, removalPolicy: 'retain', deletionProtection: true, alarmNamePrefix: '' });
  });

  it('accepts the string forms the CLI passes (-c key=value) as well as JSON types from cdk.json', () => {
    const fromCli = parseConfig({
      gateway: 'lambda',
      logGroups: '/app/api, /app/worker',
      deletionProtection: 'false',
      logRetentionDays: '90',
      clusterName: 'prod',
    });
    expect(fromCli).toMatchObject({ gateway: 'lambda', logGroups: ['/app/api', '/app/worker'], deletionProtection: false, logRetentionDays: 90 });
    const fromJson = parseConfig({ logGroups: ['/app/api'], deletionProtection: false, logRetentionDays: 90 });
    expect(fromJson).toMatchObject({ logGroups: ['/app/api'], deletionProtection: false, logRetentionDays: 90 });
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ bedrockModelId: '  ', clusterName: '' })).toMatchObject({ bedrockModelId: undefined, clusterName: undefined });
  });

  it.each([
    [{ gateway: 'apigw' }, /gateway must be one of agentcore, lambda/],
    [{ logRetentionDays: 31 }, /logRetentionDays must be one of/],
    [{ deletionProtection: 'yes' }, /deletionProtection must be true or false/],
    [{ knowledgeBaseId: 'KB1' }, /knowledgeBaseId needs runbooksBucket/],
    [{ subnetIds: 'subnet-1' }, /set vpcId too/],
    [{ vpcId: 'vpc-1', subnetIds: 'subnet-1' }, /set clusterName/],
    [{ reportsPrefix: 'reports' }, /must end with '\/'/],
    [{ apiRateLimit: 50, apiBurstLimit: 10 }, /apiBurstLimit must be at least apiRateLimit/],
    [{ cognitoDomainPrefix: 'Has_Upper' }, /cognitoDomainPrefix/],
    [{ specialistTimeoutSeconds: 5 }, /specialistTimeoutSeconds must be an integer between 30 and 900/],
  ])('refuses %j', (context, message) => {
    expect(() => parseConfig(context)).toThrow(ConfigError);
    expect(() => parseConfig(context)).toThrow(message);
  });
});
