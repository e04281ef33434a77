/** Reports in S3: `<prefix>YYYY/MM/DD/<id>.md`, server-side encrypted, served to clients by presigned GET. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client, type ServerSideEncryption } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ForeignReportUri, type ReportRepository, checkReportId, datePath } from './port.ts';

export interface S3ReportStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, `reports/` by default (the stack's lifecycle rules and grants are scoped to it). */
  prefix?: string;
  /** A KMS key for SSE-KMS; SSE-S3 (AES256) otherwise. */
  kmsKeyId?: string;
}

export function createS3ReportStore(options: S3ReportStoreOptions): ReportRepository {
  const { client, bucket } = options;
  const prefix = normalizePrefix(options.prefix ?? 'reports/');
  const keyFor = (id: string, now: string): string => `${prefix}${datePath(now)}/${checkReportId(id)}.md`;

  /** s3://bucket/key → key, only for this bucket and prefix. */
  function keyOf(uri: string): string {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!m || m[1] !== bucket || !m[2]!.startsWith(prefix) || m[2]!.includes('..')) {
      throw new ForeignReportUri(`'${uri}' is not a report of bucket ${bucket}`);
    }
    return m[2]!;
  }

  return {
    uriFor: (id, now) => `s3://${bucket}/${keyFor(id, now)}`,
    async put(id, markdown, now) {
      const key = keyFor(id, now);
      const sse: ServerSideEncryption = options.kmsKeyId ? 'aws:kms' : 'AES256';
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: markdown,
          ContentType: 'text/markdown; charset=utf-8',
          ServerSideEncryption: sse,
          ...(options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
        }),
      );
      return `s3://${bucket}/${key}`;
    },
    async read(uri) {
      const key = keyOf(uri);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await out.Body?.transformToString('utf-8')) ?? '';
      } catch (error) {
        if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey')) return undefined;
        throw error;
      }
    },
    async presign(uri, expiresInSeconds) {
      const key = keyOf(uri);
      return getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: 'text/markdown; charset=utf-8' }),
        { expiresIn: expiresInSeconds },
      );
    },
  };
}

function normalizePrefix(prefix: string): string {
  const p = prefix.replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}
