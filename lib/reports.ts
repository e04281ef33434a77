/**
 * Investigation reports in S3: private, encrypted, TLS-only and versioned, so a report is evidence that cannot
 * be silently overwritten. Old reports move to infrequent access and then expire; overwritten versions expire
 * sooner. Server access logs go to a bucket of their own.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SreAgentConfig } from './config.ts';
import { acknowledge, acknowledgeWildcards } from './nag.ts';

export interface ReportsProps {
  config: Pick<SreAgentConfig, 'removalPolicy' | 'reportsPrefix' | 'reportRetentionDays'>;
}

export class Reports extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  /** Key prefix of every report (`reports/`). */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    // Grant log delivery with a bucket policy (logging.s3.amazonaws.com) instead of the legacy ACL, so both
    // buckets keep ACLs disabled (BucketOwnerEnforced). Set here, it applies to this construct whatever cdk.json holds.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const { config } = props;
    this.prefix = config.reportsPrefix;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging can only deliver to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
    });
    acknowledge(this.accessLogs, 'S1', 'This bucket is the target of the reports bucket\'s server access logs; logging it into itself would loop.');

    const retention = config.reportRetentionDays;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'reports-bucket/',
      lifecycleRules: [
        {
          id: 'age-out-reports',
          prefix: this.prefix,
          // Reports are read in the days after an incident, rarely later: IA halves storage cost (30 days minimum).
          transitions:
            retention > 60 ? [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }] : [],
          expiration: Duration.days(retention),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Once a report and its versions have expired, the leftover delete markers are clutter.
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy,
    });
  }

  private objectsArn(): string {
    return this.bucket.arnForObjects(`${this.prefix}*`);
  }

  /** s3:PutObject under the reports prefix only (the supervisor writes reports, never reads or deletes them). */
  grantWriteReports(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [this.objectsArn()] });
    this.acknowledgePrefix(grantee, 'write');
  }

  /** s3:GetObject under the reports prefix (what a presigned GET URL is signed with). */
  grantReadReports(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.objectsArn()] });
    this.acknowledgePrefix(grantee, 'read');
  }

  private acknowledgePrefix(grantee: iam.IGrantable, verb: 'read' | 'write'): void {
    const role = grantee.grantPrincipal as unknown as iam.Role;
    if (!(role instanceof iam.Role)) return;
    acknowledgeWildcards(
      role,
      { resources: [this.objectsArn()] },
      `Reports are objects named by investigation id under ${this.prefix}; the function may ${verb} any of them, and nothing else in the bucket.`,
    );
  }
}
