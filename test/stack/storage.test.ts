import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synth } from './support.ts';

describe('the memory table', () => {
  const s = synth();

  it('has pk/sk, gsi1, TTL on expiresAt, PITR, encryption and on-demand billing', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    s.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('can use a customer managed key with rotation, and be destroyed with the stack when asked', () => {
    const cmk = synth({ tableEncryption: 'customer-managed', removalPolicy: 'destroy', deletionProtection: false });
    cmk.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      DeletionProtectionEnabled: false,
    });
    cmk.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    cmk.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});

describe('the reports bucket', () => {
  const s = synth();
  const buckets = Object.entries(s.template.findResources('AWS::S3::Bucket'));
  const [reportsId, reports] = buckets.find(([id]) => id.startsWith('ReportsBucket'))!;

  it('is private, encrypted, versioned and logs access to its own log bucket', () => {
    expect(reports.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^ReportsAccessLogs/) }, LogFilePrefix: 'reports-bucket/' },
    });
  });

  it('ages reports out: infrequent access, expiry, noncurrent versions, incomplete uploads', () => {
    const rules = (reports.Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Prefix: 'reports/',
          Status: 'Enabled',
          ExpirationInDays: 365,
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        }),
        expect.objectContaining({ ExpiredObjectDeleteMarker: true }),
      ]),
    );
  });

  it('denies any request without TLS, on both buckets', () => {
    for (const [id] of buckets) {
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    expect(reportsId).toBeDefined();
  });

  it('lets S3 deliver access logs by bucket policy (ACLs stay disabled)', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' } })]),
      },
    });
  });
});
