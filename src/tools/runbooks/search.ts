/**
 * search_runbooks: ranked retrieval over the library. `category`, `service`, `symptoms` and `keyword` rank;
 * `keyword`, `incident_type` and `severity` also filter (as in the reference sample).
 */
import {
  type IncidentType,
  type Severity,
  categoriesNamedIn,
  categoriesOfIncidentType,
  excerpt,
  normalizeSeverity,
} from '../../analyzers/runbooks/index.ts';
import type { Category } from '../../domain/taxonomy.ts';
import type { RunbooksProvider } from '../../providers/runbooks/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { loadLibrary, semanticScores } from './library.ts';
import { breakdownView, identity, problemsView } from './views.ts';

interface SearchArgs {
  incident_type?: IncidentType;
  keyword?: string;
  severity?: Severity;
  category?: Category;
  service?: string;
  symptoms?: string;
  limit: number;
}

export async function searchRunbooks(args: SearchArgs, ctx: OperationContext<RunbooksProvider>) {
  const library = await loadLibrary(ctx.provider);
  const text = [args.keyword, args.symptoms].filter((t): t is string => !!t?.trim()).join('\n') || undefined;
  // The asked category first; taxonomy ids written in the text (e.g. "oom-killed") count as weaker ones.
  const categories = [...new Set([...(args.category ? [args.category] : []), ...categoriesNamedIn(text ?? '')])];
  const { scores, retrieval } = await semanticScores(ctx.provider, text, library, args.limit);
  const typeCategories = args.incident_type ? new Set<Category>(categoriesOfIncidentType(args.incident_type)) : undefined;

  const ranked = library.index
    .rank({ ...(text ? { text } : {}), categories, ...(args.service ? { service: args.service } : {}), semantic: scores })
    .filter(({ runbook }) => {
      if (typeCategories && !runbook.categories.some((c) => typeCategories.has(c))) return false;
      if (args.severity && normalizeSeverity(runbook.severity) !== args.severity) return false;
      if (args.keyword && !library.index.containsAll(runbook, args.keyword)) return false;
      return true;
    });

  const page = bounded(ranked, args.limit);
  return {
    runbooks: page.items.map((r) => ({
      ...identity(r.runbook),
      score: r.score,
      score_breakdown: breakdownView(r.breakdown),
      reasons: [...r.reasons],
      matched_terms: [...r.matchedTerms],
      excerpt: excerpt(r.runbook, text),
      step_count: r.runbook.steps.length,
      source: r.runbook.doc.source,
    })),
    total_count: page.total_count,
    truncated: page.truncated,
    library_size: library.runbooks.length,
    retrieval,
    ...problemsView(library.problems),
  };
}
