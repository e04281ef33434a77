/**
 * The agent's memory: one DynamoDB table (single-table design) for investigations, their idempotency records,
 * user preferences and what past investigations learnt. `gsi1` serves per-user listings and idempotency lookups;
 * `expiresAt` lets DynamoDB drop expired records (idempotency keys, short-lived state) on its own.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { SreAgentConfig } from './config.ts';

export const GSI1 = 'gsi1';
export const TTL_ATTRIBUTE = 'expiresAt';

// Read and write are granted separately and explicitly (no Scan, no table management), instead of the CDK's
// grantReadData/grantWriteData, which add DescribeTable, Scan and every index (`index/*`).
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  // Conditional checks inside TransactWriteItems (e.g. "the investigation exists") are authorised separately.
  'dynamodb:ConditionCheckItem',
];

// With a customer managed key, DynamoDB uses the caller's KMS permissions. Listed explicitly rather than the
// CDK's key grants, whose `kms:ReEncrypt*` and `kms:GenerateDataKey*` wildcards also cover key-pair operations.
const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];

export interface MemoryProps {
  config: Pick<SreAgentConfig, 'removalPolicy' | 'deletionProtection' | 'tableEncryption'>;
}

export class Memory extends Construct {
  readonly table: dynamodb.Table;
  /** Set when the table is encrypted with a customer managed key. */
  readonly key: kms.Key | undefined;

  constructor(scope: Construct, id: string, props: MemoryProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.key =
      config.tableEncryption === 'customer-managed'
        ? new kms.Key(this, 'Key', { description: 'sre-agent memory table', enableKeyRotation: true, removalPolicy })
        : undefined;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      // Investigations come in bursts (an incident, then silence): on-demand costs nothing while idle.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(this.key
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.key }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }

  /** Item reads and queries on the table and on gsi1. */
  grantRead(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: READ_ACTIONS,
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${GSI1}`],
    });
    if (this.key) iam.Grant.addToPrincipal({ grantee, actions: KMS_READ_ACTIONS, resourceArns: [this.key.keyArn] });
  }

  /** Reads plus item writes (indexes are maintained by DynamoDB, so writes need the table only). */
  grantReadWrite(grantee: iam.IGrantable): void {
    this.grantRead(grantee);
    iam.Grant.addToPrincipal({ grantee, actions: WRITE_ACTIONS, resourceArns: [this.table.tableArn] });
    if (this.key) iam.Grant.addToPrincipal({ grantee, actions: KMS_WRITE_ACTIONS, resourceArns: [this.key.keyArn] });
  }
}
