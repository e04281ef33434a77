/**
 * The runbook library as the operations see it: every document analysed once and indexed for ranking, cached
 * per provider while the provider returns the same documents; lookups by id with suggestions; semantic scores
 * from the provider's knowledge base when it has one.
 */
import { type AnalyzedRunbook, RunbookIndex, analyzeRunbook, terms } from '../../analyzers/runbooks/index.ts';
import type { RunbookDocument, RunbookProblem, RunbooksProvider } from '../../providers/runbooks/port.ts';
import { ToolError } from '../errors.ts';

export interface Library {
  runbooks: readonly AnalyzedRunbook[];
  index: RunbookIndex;
  problems: RunbookProblem[];
}

export type Retrieval = 'lexical' | 'hybrid' | 'lexical_fallback';

const analyzed = new WeakMap<RunbookDocument, AnalyzedRunbook>();
const indexes = new WeakMap<RunbooksProvider, { docs: RunbookDocument[]; index: RunbookIndex }>();

export async function loadLibrary(provider: RunbooksProvider): Promise<Library> {
  const [docs, problems] = await Promise.all([provider.list(), provider.problems ? provider.problems() : Promise.resolve([])]);
  let cached = indexes.get(provider);
  if (!cached || cached.docs.length !== docs.length || cached.docs.some((d, i) => d !== docs[i])) {
    const runbooks = docs.map((d) => {
      let a = analyzed.get(d);
      if (!a) {
        a = analyzeRunbook(d);
        analyzed.set(d, a);
      }
      return a;
    });
    cached = { docs, index: new RunbookIndex(runbooks) };
    indexes.set(provider, cached);
  }
  return { runbooks: cached.index.runbooks, index: cached.index, problems };
}

/** One runbook by id; NotFound names the closest ids so the caller can correct the call. */
export async function requireRunbook(provider: RunbooksProvider, id: string, field: string): Promise<AnalyzedRunbook> {
  const wanted = id.trim();
  const library = await loadLibrary(provider);
  const found = library.runbooks.find((r) => r.id === wanted) ?? library.runbooks.find((r) => r.id.toLowerCase() === wanted.toLowerCase());
  if (found) return found;
  const doc = await provider.get(wanted);
  if (doc) return analyzeRunbook(doc);
  const similar = closestIds(library.runbooks, wanted);
  const hint = similar.length ? `; closest ids: ${similar.join(', ')}` : library.runbooks.length ? '' : ' (the library is empty)';
  throw new ToolError('NotFound', `No runbook with id '${wanted}' (argument '${field}')${hint}. search_runbooks lists the ids.`, field);
}

function closestIds(runbooks: readonly AnalyzedRunbook[], id: string, max = 5): string[] {
  const wanted = new Set(terms(id.replace(/[-_]/g, ' ')));
  return runbooks
    .map((r) => {
      const own = terms(`${r.id.replace(/[-_]/g, ' ')} ${r.title}`);
      const shared = own.filter((t) => wanted.has(t)).length;
      const contains = r.id.includes(id.toLowerCase()) || id.toLowerCase().includes(r.id) ? 2 : 0;
      return { id: r.id, score: shared + contains };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((x) => x.id);
}

/**
 * Semantic relevance by runbook id from the provider's knowledge base, when it has one and there is text to
 * search. A failing knowledge base degrades the ranking to lexical instead of failing the call.
 */
export async function semanticScores(
  provider: RunbooksProvider,
  text: string | undefined,
  library: Library,
  wanted: number,
): Promise<{ scores: Map<string, number>; retrieval: Retrieval }> {
  const scores = new Map<string, number>();
  if (!provider.retrieve || !text?.trim()) return { scores, retrieval: 'lexical' };
  let hits: Awaited<ReturnType<NonNullable<RunbooksProvider['retrieve']>>>;
  try {
    hits = await provider.retrieve(text, Math.min(100, Math.max(20, wanted * 4)));
  } catch {
    return { scores, retrieval: 'lexical_fallback' };
  }
  const known = new Set(library.runbooks.map((r) => r.id));
  for (const hit of hits) {
    if (!known.has(hit.id) || !Number.isFinite(hit.score)) continue;
    scores.set(hit.id, Math.max(scores.get(hit.id) ?? 0, Math.min(1, Math.max(0, hit.score))));
  }
  return { scores, retrieval: 'hybrid' };
}
