/**
 * The runbook library in S3: every `*.md` / `*.markdown` object under a bucket prefix, parsed with the same
 * front-matter parser as the folder library (analyzers/runbooks/document.ts), cited as `s3://bucket/key`. The
 * library is kept for a few minutes; a refresh lists again and downloads only objects whose ETag changed, and
 * when nothing changed the same documents are served (the tools' search index stays valid). A refresh that
 * fails keeps serving the previous library. A Bedrock Knowledge Base over the same documents adds `retrieve`.
 */
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type RunbookFile, buildRunbookLibrary } from '../../analyzers/runbooks/document.ts';
import { ToolError } from '../../tools/errors.ts';
import { awsClientSettings, requireEnv } from '../aws/config.ts';
import { type Resilience, type ResilienceOptions, callAws, resolveResilience } from '../aws/retry.ts';
import { type KnowledgeBaseRetriever, createKnowledgeBaseRetriever } from './knowledge-base.ts';
import type { RunbookDocument, RunbookProblem, RunbooksProvider } from './port.ts';

export interface S3RunbooksOptions {
  s3: S3Client;
  bucket: string;
  /** Key prefix of the library (`runbooks/`); the whole bucket when empty. */
  prefix?: string;
  /** Semantic retrieval over the same runbooks. */
  knowledgeBase?: { client: BedrockAgentRuntimeClient; knowledgeBaseId: string };
  /** How long a loaded library is served before it is checked again. */
  cacheTtlMs?: number;
  /** Objects read at most; a bigger library is read partially, with a problem saying so. */
  maxObjects?: number;
  /** Larger objects are left out (with a problem): runbooks are documents, not archives. */
  maxObjectBytes?: number;
  /** GetObject calls in flight at once. */
  concurrency?: number;
  resilience?: ResilienceOptions;
}

interface Listed {
  key: string;
  etag: string;
  size: number;
}

interface Library {
  runbooks: RunbookDocument[];
  byId: Map<string, RunbookDocument>;
  problems: RunbookProblem[];
  /** Text by key and ETag, so a refresh downloads only what changed. */
  texts: Map<string, { etag: string; text: string }>;
  /** Key → ETag of every listed object, to recognise an unchanged library. */
  listing: Map<string, string>;
}

const MINUTE = 60_000;

/** `runbooks` → `runbooks/`: a prefix names a folder, not every key that starts with the same letters. */
export function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').trim().replace(/^\/+/, '');
  return p && !p.endsWith('/') ? `${p}/` : p;
}

export function createS3RunbooksProvider(options: S3RunbooksOptions): RunbooksProvider & { problems(): Promise<RunbookProblem[]> } {
  const prefix = normalizePrefix(options.prefix);
  const where = `s3://${options.bucket}/${prefix}`;
  const resilience = resolveResilience(options.resilience);
  const now = () => resilience.runtime.now();
  const ttl = options.cacheTtlMs ?? 5 * MINUTE;
  const retriever: KnowledgeBaseRetriever | undefined = options.knowledgeBase
    ? createKnowledgeBaseRetriever({ ...options.knowledgeBase, ...(options.resilience ? { resilience: options.resilience } : {}) })
    : undefined;

  let current: { library: Library; expires: number } | undefined;
  let loading: Promise<Library> | undefined;
  const library = (): Promise<Library> => {
    if (current && current.expires > now()) return Promise.resolve(current.library);
    loading ??= loadLibrary({ ...options, prefix, where, resilience }, current?.library)
      .then(
        (lib) => {
          current = { library: lib, expires: now() + ttl };
          return lib;
        },
        (error: unknown) => {
          // Keep answering from the last good library; try again in half a minute rather than on every call.
          if (current) {
            current.expires = now() + 30_000;
            return current.library;
          }
          throw error;
        },
      )
      .finally(() => (loading = undefined));
    return loading;
  };

  const provider: RunbooksProvider & { problems(): Promise<RunbookProblem[]> } = {
    async list() {
      return [...(await library()).runbooks];
    },
    async get(id: string) {
      return (await library()).byId.get(id) ?? null;
    },
    async problems() {
      return [...(await library()).problems];
    },
  };
  if (retriever) {
    provider.retrieve = async (text: string, limit: number) => retriever(text, limit, (await library()).runbooks);
  }
  return provider;
}

interface LoadInput extends S3RunbooksOptions {
  prefix: string;
  where: string;
  resilience: Resilience;
}

async function loadLibrary(input: LoadInput, previous: Library | undefined): Promise<Library> {
  const maxObjects = input.maxObjects ?? 1_000;
  const maxBytes = input.maxObjectBytes ?? 1024 * 1024;
  const { objects, more } = await listObjects(input, maxObjects);

  const listing = new Map(objects.map((o) => [o.key, o.etag]));
  if (previous && !more && sameListing(previous.listing, listing)) return previous;

  const problems: RunbookProblem[] = [];
  if (more) problems.push({ source: input.where, message: `more than ${maxObjects} runbook files; only the first ${maxObjects} (by key) are read`, skipped: false });
  const texts = new Map<string, { etag: string; text: string }>();
  const wanted = objects.filter((o) => {
    if (o.size <= maxBytes) return true;
    problems.push({ source: sourceOf(input.bucket, o.key), message: `is ${bytes(o.size)}, over the ${bytes(maxBytes)} limit for a runbook`, skipped: true });
    return false;
  });
  await forEachLimited(wanted, input.concurrency ?? 8, async (o) => {
    const cached = previous?.texts.get(o.key);
    if (cached && cached.etag === o.etag) {
      texts.set(o.key, cached);
      return;
    }
    try {
      texts.set(o.key, { etag: o.etag, text: await getText(input, o.key) });
    } catch (error) {
      // One unreadable object (deleted since the listing, encrypted with a key the role cannot use) is a problem
      // of that file; throttling or an outage is a problem of the library and fails the load.
      if (error instanceof ToolError && (error.type === 'NotFound' || error.type === 'AccessDenied')) {
        problems.push({ source: sourceOf(input.bucket, o.key), message: `cannot be read (${error.message})`, skipped: true });
        return;
      }
      throw error;
    }
  });
  const files: RunbookFile[] = wanted.filter((o) => texts.has(o.key)).map((o) => ({ source: sourceOf(input.bucket, o.key), text: texts.get(o.key)!.text }));
  const built = buildRunbookLibrary(files);
  return {
    runbooks: built.runbooks,
    byId: new Map(built.runbooks.map((r) => [r.id, r])),
    problems: [...problems, ...built.problems],
    texts,
    listing,
  };
}

async function listObjects(input: LoadInput, maxObjects: number): Promise<{ objects: Listed[]; more: boolean }> {
  const objects: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await callAws(
      {
        service: 'Amazon S3',
        action: 's3:ListBucket',
        resource: input.where,
        notFound: `The runbook bucket '${input.bucket}' does not exist (check RUNBOOKS_BUCKET)`,
      },
      (abortSignal) =>
        input.s3.send(new ListObjectsV2Command({ Bucket: input.bucket, Prefix: input.prefix, MaxKeys: 1000, ...(token ? { ContinuationToken: token } : {}) }), { abortSignal }),
      input.resilience,
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key || !/\.(md|markdown)$/i.test(o.Key)) continue;
      // Hidden files and folders (`.drafts/`, editor backups) are not part of the library.
      if (o.Key.slice(input.prefix.length).split('/').some((part) => part.startsWith('.'))) continue;
      if (objects.length >= maxObjects) return { objects, more: true };
      objects.push({ key: o.Key, etag: o.ETag ?? `${o.Size ?? 0}:${o.LastModified?.toISOString() ?? ''}`, size: o.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, more: false };
}

async function getText(input: LoadInput, key: string): Promise<string> {
  const response = await callAws(
    { service: 'Amazon S3', action: 's3:GetObject', resource: sourceOf(input.bucket, key), notFound: `${sourceOf(input.bucket, key)} no longer exists` },
    async (abortSignal) => {
      const object = await input.s3.send(new GetObjectCommand({ Bucket: input.bucket, Key: key }), { abortSignal });
      // Read the body inside the timed attempt: a stalled download is a timeout like a stalled request.
      const body = object.Body as { transformToString?: (encoding?: string) => Promise<string> } | undefined;
      if (!body?.transformToString) return '';
      return body.transformToString('utf-8');
    },
    input.resilience,
  );
  return response;
}

function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${n.toLocaleString('en-US')} bytes`;
}

function sourceOf(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

function sameListing(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/**
 * `RUNBOOKS_PROVIDER=s3`: RUNBOOKS_BUCKET (required), RUNBOOKS_PREFIX (optional, the whole bucket when unset),
 * KNOWLEDGE_BASE_ID (optional: Bedrock Knowledge Base retrieval over the same runbooks).
 */
export function s3RunbooksProviderFromEnv(env: NodeJS.ProcessEnv = process.env): RunbooksProvider {
  const { RUNBOOKS_BUCKET } = requireEnv(env, ['RUNBOOKS_BUCKET'], 'RUNBOOKS_PROVIDER=s3');
  const settings = awsClientSettings(env);
  const knowledgeBaseId = env.KNOWLEDGE_BASE_ID?.trim();
  return createS3RunbooksProvider({
    s3: new S3Client(settings),
    bucket: RUNBOOKS_BUCKET,
    prefix: env.RUNBOOKS_PREFIX ?? '',
    ...(knowledgeBaseId ? { knowledgeBase: { client: new BedrockAgentRuntimeClient(settings), knowledgeBaseId } } : {}),
  });
}
