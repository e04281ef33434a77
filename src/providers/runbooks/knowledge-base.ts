/**
 * Semantic retrieval from an Amazon Bedrock Knowledge Base (agent runtime `Retrieve`) whose data source is the
 * runbook library. Retrieve answers with chunks; each is mapped back to the runbook it came from: by its source
 * S3 URI (the library's own `source`), else a metadata `id`, else the file name or an `id:` line in the chunk.
 * Chunks of one runbook are merged (best score, best excerpt). Chunks that map to no runbook are left out.
 */
import { type BedrockAgentRuntimeClient, type KnowledgeBaseRetrievalResult, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { type ResilienceOptions, callAws, resolveResilience } from '../aws/retry.ts';
import type { RunbookDocument } from './port.ts';

export interface RetrievalHit {
  id: string;
  /** Relevance in [0, 1]. */
  score: number;
  excerpt?: string;
}

export interface KnowledgeBaseRetrieverOptions {
  client: BedrockAgentRuntimeClient;
  knowledgeBaseId: string;
  resilience?: ResilienceOptions;
}

export type KnowledgeBaseRetriever = (text: string, limit: number, library: readonly RunbookDocument[]) => Promise<RetrievalHit[]>;

/** Query text sent at most: retrieval ranks by meaning, and a symptom description is short. */
const MAX_QUERY_CHARS = 1_000;
const MAX_EXCERPT = 300;
const SOURCE_URI_KEY = 'x-amz-bedrock-kb-source-uri';

export function createKnowledgeBaseRetriever(options: KnowledgeBaseRetrieverOptions): KnowledgeBaseRetriever {
  const resilience = resolveResilience(options.resilience);
  return async (text, limit, library) => {
    const query = text.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS);
    if (!query) return [];
    const response = await callAws(
      { service: 'Amazon Bedrock', action: 'bedrock:Retrieve', resource: `knowledge base ${options.knowledgeBaseId}` },
      (abortSignal) =>
        options.client.send(
          new RetrieveCommand({
            knowledgeBaseId: options.knowledgeBaseId,
            retrievalQuery: { text: query },
            retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: Math.max(1, Math.min(100, Math.floor(limit))) } },
          }),
          { abortSignal },
        ),
      resilience,
    );
    return mapRetrievalResults(response.retrievalResults ?? [], library, limit);
  };
}

/** Retrieve chunks → runbook ids, best first, one hit per runbook. */
export function mapRetrievalResults(results: readonly KnowledgeBaseRetrievalResult[], library: readonly RunbookDocument[], limit: number): RetrievalHit[] {
  const ids = new Set(library.map((r) => r.id));
  const bySource = new Map(library.map((r) => [r.source, r.id]));
  const byStem = new Map(library.map((r) => [stem(r.source), r.id]));
  const best = new Map<string, RetrievalHit>();
  for (const result of results) {
    const id = runbookIdOf(result, ids, bySource, byStem);
    if (!id) continue;
    const score = Math.min(1, Math.max(0, typeof result.score === 'number' && Number.isFinite(result.score) ? result.score : 0));
    const previous = best.get(id);
    if (previous && previous.score >= score) continue;
    const excerpt = result.content?.text?.replace(/\s+/g, ' ').trim();
    best.set(id, { id, score, ...(excerpt ? { excerpt: excerpt.length > MAX_EXCERPT ? `${excerpt.slice(0, MAX_EXCERPT - 1)}…` : excerpt } : {}) });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, Math.max(0, limit));
}

function runbookIdOf(result: KnowledgeBaseRetrievalResult, ids: ReadonlySet<string>, bySource: ReadonlyMap<string, string>, byStem: ReadonlyMap<string, string>): string | undefined {
  const metadata = (result.metadata ?? {}) as Record<string, unknown>;
  const uri = result.location?.s3Location?.uri ?? (typeof metadata[SOURCE_URI_KEY] === 'string' ? (metadata[SOURCE_URI_KEY] as string) : undefined);
  if (uri) {
    const direct = bySource.get(uri) ?? bySource.get(safeDecode(uri));
    if (direct) return direct;
  }
  // A metadata file (`<doc>.metadata.json`) may carry the runbook's id.
  for (const key of ['id', 'runbook_id', 'runbookId']) {
    const v = metadata[key];
    if (typeof v === 'string' && ids.has(v)) return v;
  }
  if (uri) {
    const s = stem(uri);
    const byFile = byStem.get(s) ?? (ids.has(s) ? s : undefined);
    if (byFile) return byFile;
  }
  // The first chunk of a file holds its front matter.
  const m = /^id:[ \t]*["']?([A-Za-z0-9._-]+)["']?[ \t]*$/m.exec(result.content?.text ?? '');
  return m && ids.has(m[1]!) ? m[1] : undefined;
}

/** Knowledge bases may report keys URL-encoded (spaces, non-ASCII); a malformed escape is left as it is. */
function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function stem(source: string): string {
  const name = source.split(/[/\\]/).pop() ?? source;
  return name.replace(/\.(md|markdown)$/i, '');
}
