/** The one place Lambdas choose their report store: S3 when REPORTS_BUCKET is set, the local folder otherwise. */
import { S3Client } from '@aws-sdk/client-s3';
import { createLocalReportStore } from './local.ts';
import type { ReportRepository } from './port.ts';
import { createS3ReportStore } from './s3.ts';

export function reportStoreFromEnv(env: NodeJS.ProcessEnv = process.env, s3: () => S3Client = () => new S3Client({})): ReportRepository {
  if (env.REPORTS_BUCKET) {
    return createS3ReportStore({
      client: s3(),
      bucket: env.REPORTS_BUCKET,
      prefix: env.REPORTS_PREFIX ?? 'reports/',
      ...(env.REPORTS_KMS_KEY_ID ? { kmsKeyId: env.REPORTS_KMS_KEY_ID } : {}),
    });
  }
  return createLocalReportStore(env.SRE_AGENT_REPORTS_DIR ? { dir: env.SRE_AGENT_REPORTS_DIR } : {});
}
