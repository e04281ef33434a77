/**
 * The S3 runbook library and Bedrock Knowledge Base retrieval, against an S3 stub holding the project's runbook
 * library (ListObjectsV2 pages, GetObject bodies with ETags) and a mocked agent-runtime Retrieve answering with
 * chunks as a Knowledge Base over that bucket does. The library must parse exactly as the folder library does
 * (same parser), be cached and refreshed by ETag, and every runbooks tool must answer the same over both.
 */
import { join } from 'node:path';
import { BedrockAgentRuntimeClient, RetrieveCommand, type RetrieveCommandOutput, ThrottlingException } from '@aws-sdk/client-bedrock-agent-runtime';
import { GetObjectCommand, ListObjectsV2Command, NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.ts';
import { createDirectoryRunbooksProvider } from '../../src/providers/runbooks/fixture.ts';
import { mapRetrievalResults } from '../../src/providers/runbooks/knowledge-base.ts';
import type { RunbookDocument } from '../../src/providers/runbooks/port.ts';
import { type S3RunbooksOptions, createS3RunbooksProvider, normalizePrefix } from '../../src/providers/runbooks/s3.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { runbooksBackend } from '../../src/tools/runbooks/index.ts';
import { ACCOUNT, REGION, TEST_CREDENTIALS, replayS3 } from './helpers/aws-fakes.ts';
import { runEveryOperation, runbooksCases } from './helpers/cases.ts';
import { virtualTime } from './helpers/time.ts';

const LIBRARY = join(projectRoot(), 'fixtures', 'runbooks');
const BUCKET = `sre-agent-runbooks-${ACCOUNT}`;
const URI = `s3://${BUCKET}/runbooks/`;
const folder = createDirectoryRunbooksProvider(LIBRARY);
const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: '4442587FB7D0A2F9', extendedRequestId: 'ZmFrZS1leHRlbmRlZC1pZA==', attempts: 1, totalRetryDelay: 0 });

function setup(options: Omit<Partial<S3RunbooksOptions>, 'knowledgeBase'> & { knowledgeBase?: boolean } = {}) {
  const replay = replayS3(LIBRARY, { bucket: BUCKET, prefix: 'runbooks/', pageSize: 6 });
  const time = virtualTime();
  const bedrock = new BedrockAgentRuntimeClient({ region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const kb = mockClient(bedrock);
  const { knowledgeBase, ...rest } = options;
  const provider = createS3RunbooksProvider({
    s3: replay.client,
    bucket: BUCKET,
    prefix: 'runbooks',
    ...(knowledgeBase ? { knowledgeBase: { client: bedrock, knowledgeBaseId: 'KBSRE12345' } } : {}),
    ...rest,
    resilience: { ...rest.resilience, runtime: time.runtime },
  });
  const invoker = createToolInvoker(runbooksBackend, {
    provider: () => provider,
    validateResponses: true,
    onInternalError: (error) => {
      throw error;
    },
  });
  return { replay, provider, invoker, time, kb };
}

/** A runbook as the folder library has it, with the S3 citation in place of the file path. */
const asFolder = (r: RunbookDocument) => ({ ...r, source: r.source.replace(URI, 'fixtures/runbooks/') });

describe('S3 runbook library', () => {
  it('reads every markdown object under the prefix, page by page, parsed as the folder library parses files', async () => {
    const { provider, replay } = setup();
    replay.put('runbooks/README.txt', 'not a runbook');
    replay.put('runbooks/.drafts/wip.md', '---\nid: wip\n---\nbody');
    replay.put('other/elsewhere.md', '---\nid: elsewhere\ntitle: x\n---\nbody');
    const runbooks = await provider.list();
    expect(runbooks.map(asFolder)).toEqual(await folder.list());
    expect(runbooks.every((r) => r.source.startsWith(URI))).toBe(true);
    expect((await provider.problems()).map((p) => ({ ...p, source: p.source.replace(URI, 'fixtures/runbooks/') }))).toEqual(await folder.problems());

    const lists = replay.mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(lists.every((l) => l.Bucket === BUCKET && l.Prefix === 'runbooks/')).toBe(true);
    expect(lists.length).toBeGreaterThan(3);
    expect(lists.slice(1).every((l) => l.ContinuationToken)).toBe(true);
    const gets = replay.mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key);
    expect(gets).toHaveLength(runbooks.length);
    expect(gets).not.toContain('runbooks/README.txt');
    expect(gets).not.toContain('runbooks/.drafts/wip.md');
    expect((await provider.get(runbooks[0]!.id))?.title).toBe(runbooks[0]!.title);
    expect(await provider.get('no-such-runbook')).toBeNull();
  });

  it('serves the cached library for its TTL, then downloads only objects whose ETag changed', async () => {
    const { provider, replay, time } = setup({ cacheTtlMs: 60_000 });
    const first = await provider.list();
    const lists = () => replay.mock.commandCalls(ListObjectsV2Command).length;
    const gets = () => replay.mock.commandCalls(GetObjectCommand).length;
    const [listed, got] = [lists(), gets()];
    await provider.list();
    expect([lists(), gets()]).toEqual([listed, got]);

    time.advance(61_000);
    const again = await provider.list();
    expect(lists()).toBe(listed * 2);
    expect(gets()).toBe(got);
    // Unchanged: the very same documents, so indexes built over them stay valid.
    expect(again[0]).toBe(first[0]);

    const changed = first[1]!;
    const key = changed.source.slice(`s3://${BUCKET}/`.length);
    replay.put(key, replay.objects.get(key)!.text.replace(/^title: .*$/m, 'title: Rewritten title'));
    time.advance(61_000);
    const refreshed = await provider.list();
    expect(gets()).toBe(got + 1);
    expect(refreshed.find((r) => r.id === changed.id)?.title).toBe('Rewritten title');
  });

  it('keeps serving the last library when a refresh fails', async () => {
    const { provider, replay, time } = setup({ cacheTtlMs: 60_000 });
    const first = await provider.list();
    time.advance(61_000);
    replay.faults.push({ command: 'ListObjectsV2', error: new S3ServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: meta(503), message: 'Please reduce your request rate.' }) });
    expect(await provider.list()).toEqual(first);
  });

  it('reports unreadable and oversized objects as problems and serves the rest', async () => {
    const sizes = [...replayS3(LIBRARY, { bucket: BUCKET, prefix: 'runbooks/' }).objects.entries()].map(([k, o]) => [k, Buffer.byteLength(o.text)] as const).sort((a, b) => b[1] - a[1]);
    const limit = sizes[0]![1] - 1;
    const { provider, replay } = setup({ maxObjectBytes: limit });
    const keys = [...replay.objects.keys()];
    const denied = sizes.at(-1)![0];
    replay.faults.push({ command: `GetObject ${denied}`, error: new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: meta(403), message: 'Access Denied' }) });
    const runbooks = await provider.list();
    const problems = await provider.problems();
    expect(problems).toContainEqual(expect.objectContaining({ source: `s3://${BUCKET}/${denied}`, skipped: true, message: expect.stringContaining('AccessDenied') }));
    expect(problems).toContainEqual({ source: `s3://${BUCKET}/${sizes[0]![0]}`, skipped: true, message: `is ${sizes[0]![1].toLocaleString('en-US')} bytes, over the ${limit.toLocaleString('en-US')} bytes limit for a runbook` });
    expect(runbooks).toHaveLength(keys.length - 2);
    expect(replay.mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(sizes[0]![0]);
  });

  it('a missing bucket is NotFound naming it; a denied listing is AccessDenied naming s3:ListBucket', async () => {
    const missing = setup();
    missing.replay.faults.push({ command: 'ListObjectsV2', error: new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: meta(404) }) });
    expect(await missing.invoker.invoke('runbooks___search_runbooks', { keyword: 'memory' })).toMatchObject({
      ok: false,
      error: { type: 'NotFound', message: expect.stringMatching(new RegExp(`'${BUCKET}' does not exist.*RUNBOOKS_BUCKET`)) },
    });

    const denied = setup();
    denied.replay.faults.push({ command: 'ListObjectsV2', error: new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: meta(403), message: 'Access Denied' }) });
    expect(await denied.invoker.invoke('runbooks___search_runbooks', {})).toMatchObject({
      ok: false,
      error: { type: 'AccessDenied', message: expect.stringContaining(`s3:ListBucket on ${URI}`) },
    });
  });

  it('normalizes the prefix to a folder', () => {
    expect(normalizePrefix('runbooks')).toBe('runbooks/');
    expect(normalizePrefix('/team/runbooks/')).toBe('team/runbooks/');
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix(undefined)).toBe('');
  });
});

describe('Bedrock Knowledge Base retrieval', () => {
  /** Retrieve as a Knowledge Base over the runbook bucket answers: chunks with S3 locations and KB metadata. */
  const retrieveOutput: RetrieveCommandOutput = {
    $metadata: meta(200),
    retrievalResults: [
      {
        content: { type: 'TEXT', text: '## Symptoms\n- Containers terminated with reason OOMKilled (exit code 137)\n- Restarts climb after a traffic increase' },
        location: { type: 'S3', s3Location: { uri: `${URI}oom-killed-containers.md` } },
        metadata: { 'x-amz-bedrock-kb-source-uri': `${URI}oom-killed-containers.md`, 'x-amz-bedrock-kb-chunk-id': '1%3A0%3AaXvDno4BqLQ8wN7', 'x-amz-bedrock-kb-data-source-id': 'DSRUNBOOK1' },
        score: 0.6781,
      },
      {
        content: { type: 'TEXT', text: '## Steps\n1. Raise the memory limit' },
        location: { type: 'S3', s3Location: { uri: `${URI}oom-killed-containers.md` } },
        metadata: { 'x-amz-bedrock-kb-source-uri': `${URI}oom-killed-containers.md`, 'x-amz-bedrock-kb-chunk-id': '1%3A0%3AbXvDno4BqLQ8wN8' },
        score: 0.5512,
      },
      {
        content: { type: 'TEXT', text: '---\nid: crash-loop-backoff\ntitle: Containers restart in a loop\n---' },
        metadata: { 'x-amz-bedrock-kb-chunk-id': '1%3A0%3AcXvDno4BqLQ8wN9' },
        score: 0.43,
      },
      {
        content: { type: 'TEXT', text: 'An old wiki page' },
        location: { type: 'S3', s3Location: { uri: `s3://${BUCKET}/archive/old-wiki.md` } },
        metadata: { 'x-amz-bedrock-kb-source-uri': `s3://${BUCKET}/archive/old-wiki.md` },
        score: 0.9,
      },
    ],
  };

  it('maps chunks back to runbook ids (source URI, metadata, front matter), best chunk per runbook', async () => {
    const { provider, kb } = setup({ knowledgeBase: true });
    kb.on(RetrieveCommand).resolves(retrieveOutput);
    const ids = new Set((await provider.list()).map((r) => r.id));
    expect(ids.has('oom-killed-containers') && ids.has('crash-loop-backoff')).toBe(true);
    const hits = await provider.retrieve!('pods OOMKilled   exit code 137\nafter the rollout', 30);
    expect(hits).toEqual([
      { id: 'oom-killed-containers', score: 0.6781, excerpt: '## Symptoms - Containers terminated with reason OOMKilled (exit code 137) - Restarts climb after a traffic increase' },
      { id: 'crash-loop-backoff', score: 0.43, excerpt: '--- id: crash-loop-backoff title: Containers restart in a loop ---' },
    ]);
    expect(kb.commandCalls(RetrieveCommand)[0]!.args[0].input).toEqual({
      knowledgeBaseId: 'KBSRE12345',
      retrievalQuery: { text: 'pods OOMKilled exit code 137 after the rollout' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 30 } },
    });
  });

  it('feeds search_runbooks (hybrid ranking), and a failing knowledge base degrades it to lexical', async () => {
    const hybrid = setup({ knowledgeBase: true });
    hybrid.kb.on(RetrieveCommand).resolves(retrieveOutput);
    const outcome = await hybrid.invoker.invoke('runbooks___search_runbooks', { symptoms: 'pods OOMKilled with exit code 137' });
    expect(outcome).toMatchObject({ ok: true, result: { retrieval: 'hybrid' } });

    const failing = setup({ knowledgeBase: true, resilience: { policy: { maxAttempts: 2 } } });
    failing.kb.on(RetrieveCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: meta(429) }));
    expect(await failing.invoker.invoke('runbooks___search_runbooks', { symptoms: 'pods OOMKilled with exit code 137' })).toMatchObject({ ok: true, result: { retrieval: 'lexical_fallback' } });
    expect(failing.kb.commandCalls(RetrieveCommand)).toHaveLength(2);
  });

  it('ignores scores outside [0, 1] and chunks of unknown documents', () => {
    const library = [{ id: 'a', source: 's3://b/a.md' }] as RunbookDocument[];
    expect(mapRetrievalResults([{ content: { text: 'x' }, location: { type: 'S3', s3Location: { uri: 's3://b/a.md' } }, score: 1.7 }], library, 5)).toEqual([{ id: 'a', score: 1, excerpt: 'x' }]);
    expect(mapRetrievalResults([{ content: { text: 'x' }, location: { type: 'S3', s3Location: { uri: 's3://b/z.md' } }, score: 0.5 }], library, 5)).toEqual([]);
  });
});

describe('S3 runbook library: every runbooks tool', () => {
  it('answers every operation, schema-valid, exactly as over the folder library', async () => {
    const { invoker } = setup();
    const cases = await runbooksCases(folder);
    const overFolder = createToolInvoker(runbooksBackend, { provider: () => folder, validateResponses: true });
    const live = await runEveryOperation(invoker, cases);
    const recorded = await runEveryOperation(overFolder, cases);
    for (let i = 0; i < live.length; i++) {
      expect(JSON.parse(JSON.stringify(live[i]!.result).replaceAll(URI, 'fixtures/runbooks/')), live[i]!.label).toEqual(recorded[i]!.result);
    }
  });
});
