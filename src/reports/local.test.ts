import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalReportStore } from './local.ts';
import { ForeignReportUri } from './port.ts';
import { reportStoreFromEnv } from './from-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'sre-agent-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local report store', () => {
  it('writes <dir>/<id>.md and reads it back by its file URI', async () => {
    const store = createLocalReportStore({ dir });
    const uri = store.uriFor('inv-1', '2026-03-14T10:00:00Z');
    expect(uri).toBe(pathToFileURL(join(dir, 'inv-1.md')).href);
    expect(await store.put('inv-1', '# Report\n', '2026-03-14T10:00:00Z')).toBe(uri);
    expect(await store.read(uri)).toBe('# Report\n');
    expect(statSync(join(dir, 'inv-1.md')).mode & 0o777).toBe(0o600);
    expect(await store.presign(uri, 60)).toBe(uri);
    expect(await store.read(pathToFileURL(join(dir, 'inv-2.md')).href)).toBeUndefined();
  });

  it('refuses paths outside its folder', async () => {
    const store = createLocalReportStore({ dir });
    await expect(store.read(pathToFileURL('/etc/passwd').href)).rejects.toBeInstanceOf(ForeignReportUri);
    await expect(store.read(pathToFileURL(join(dir, '..', 'x.md')).href)).rejects.toBeInstanceOf(ForeignReportUri);
    await expect(store.read('s3://bucket/reports/x.md')).rejects.toBeInstanceOf(ForeignReportUri);
    await expect(store.put('../escape', 'x', '2026-03-14T10:00:00Z')).rejects.toThrow(/not a valid investigation id/);
  });

  it('is what Lambdas get without REPORTS_BUCKET, S3 with it', () => {
    expect(reportStoreFromEnv({ SRE_AGENT_REPORTS_DIR: dir }).uriFor('inv-9', '2026-03-14T10:00:00Z')).toMatch(/^file:\/\//);
    expect(reportStoreFromEnv({ REPORTS_BUCKET: 'b', REPORTS_PREFIX: 'r/' }).uriFor('inv-9', '2026-03-14T10:00:00Z')).toBe('s3://b/r/2026/03/14/inv-9.md');
  });
});
