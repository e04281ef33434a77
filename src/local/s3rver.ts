/**
 * S3 on a laptop: s3rver started in this process on loopback with one bucket, and an S3 client configured for it
 * (path-style addressing, s3rver's key pair). The S3 report store runs against it unchanged, presigned URLs
 * included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver is CommonJS without type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  close(): Promise<void>;
}

export interface LocalS3Options {
  bucket?: string;
  /** Folder holding the objects; a temporary folder (removed on close) when absent. */
  directory?: string;
  host?: string;
}

/** s3rver's fixed key pair (it requires signed requests; it parses SigV4, presigned URLs included). */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3rver(options: LocalS3Options = {}): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  const bucket = options.bucket ?? 'sre-agent-reports';
  const temporary = options.directory ? undefined : mkdtempSync(join(tmpdir(), 'sre-agent-s3-'));
  const server = new S3rver({
    address: host,
    port: 0,
    silent: true,
    directory: options.directory ?? temporary,
    configureBuckets: [{ name: bucket }],
    // Path-style only: vhost matching would need DNS for <bucket>.localhost.
    vhostBuckets: false,
  });
  const { port } = await server.run();
  const endpoint = `http://${host}:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    // s3rver predates the SDK's default CRC checksums and aws-chunked uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    bucket,
    client,
    async close() {
      client.destroy();
      server.httpServer?.closeAllConnections();
      await server.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
