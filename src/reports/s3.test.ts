import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startS3rver } from '../local/s3rver.ts';
import { ForeignReportUri } from './port.ts';
import { createS3ReportStore } from './s3.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'reports-bucket' });
});
afterAll(async () => {
  await s3?.close();
});

describe('S3 report store (s3rver)', () => {
  it('writes reports under reports/YYYY/MM/DD/<id>.md as markdown and reads them back', async () => {
    const store = createS3ReportStore({ client: s3.client, bucket: 'reports-bucket' });
    const now = '2026-03-14T10:02:03.000Z';
    const uri = store.uriFor('inv-20260314-100203-abc123', now);
    expect(uri).toBe('s3://reports-bucket/reports/2026/03/14/inv-20260314-100203-abc123.md');
    expect(await store.put('inv-20260314-100203-abc123', '# Investigation\n\nRoot cause: OOM ✓\n', now)).toBe(uri);

    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'reports-bucket', Key: 'reports/2026/03/14/inv-20260314-100203-abc123.md' }));
    expect(head.ContentType).toBe('text/markdown; charset=utf-8');
    expect(await store.read(uri)).toBe('# Investigation\n\nRoot cause: OOM ✓\n');
    expect(await store.read('s3://reports-bucket/reports/2026/03/14/inv-missing.md')).toBeUndefined();
  });

  it('presigns a GET that works without credentials', async () => {
    const store = createS3ReportStore({ client: s3.client, bucket: 'reports-bucket', prefix: 'team-a/reports' });
    const uri = await store.put('inv-presign', '# Presigned\n', '2026-03-15T00:00:00Z');
    expect(uri).toBe('s3://reports-bucket/team-a/reports/2026/03/15/inv-presign.md');
    const url = await store.presign(uri, 300);
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('X-Amz-Expires=300');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('# Presigned\n');
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    // s3rver parses SigV4 query auth but does not recompute it; the signing itself is the SDK's presigner.
  });

  it('refuses URIs outside its bucket or prefix and ids that are not ids', async () => {
    const store = createS3ReportStore({ client: s3.client, bucket: 'reports-bucket' });
    await expect(store.read('s3://other-bucket/reports/2026/03/14/x.md')).rejects.toBeInstanceOf(ForeignReportUri);
    await expect(store.read('s3://reports-bucket/secrets/x.md')).rejects.toBeInstanceOf(ForeignReportUri);
    await expect(store.presign('s3://reports-bucket/reports/../secrets/x.md', 60)).rejects.toBeInstanceOf(ForeignReportUri);
    expect(() => store.uriFor('../../etc/passwd', '2026-03-14T00:00:00Z')).toThrow(/not a valid investigation id/);
    // The object itself is stored with its body intact (GetObject through the SDK).
    const got = await s3.client.send(new GetObjectCommand({ Bucket: 'reports-bucket', Key: 'reports/2026/03/14/inv-20260314-100203-abc123.md' }));
    expect(await got.Body?.transformToString()).toContain('OOM');
  });
});
