/**
 * get_troubleshooting_guide: the diagnosis sections of the runbooks for an area (the sample's guide categories)
 * or a root-cause category, ranked by the issue described.
 */
import {
  GUIDE_HINTS,
  type GuideCategory,
  categoriesNamedIn,
  categoriesOfGuide,
  isGuideCategory,
  primaryGuideCategory,
} from '../../analyzers/runbooks/index.ts';
import { type Category, isCategory } from '../../domain/taxonomy.ts';
import type { RunbooksProvider } from '../../providers/runbooks/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { loadLibrary } from './library.ts';

interface GuideArgs {
  category?: GuideCategory | Category;
  issue_type?: string;
  service?: string;
  limit: number;
}

export async function getTroubleshootingGuide(args: GuideArgs, ctx: OperationContext<RunbooksProvider>) {
  const library = await loadLibrary(ctx.provider);
  const guide = isGuideCategory(args.category) ? args.category : undefined;
  const allowed = guide ? new Set(categoriesOfGuide(guide)) : isCategory(args.category) ? new Set([args.category]) : undefined;
  const text = args.issue_type?.trim() || undefined;

  const ranked = library.index
    .rank({
      ...(text ? { text } : {}),
      categories: categoriesNamedIn(text ?? ''),
      ...(args.service ? { service: args.service } : {}),
      // The area's own words order its runbooks (a database guide prefers the database runbook).
      ...(guide ? { hints: GUIDE_HINTS[guide] } : {}),
      // A category defines the set; the issue only orders it.
      includeUnmatched: allowed !== undefined,
    })
    .filter(({ runbook }) => {
      if (allowed && !runbook.categories.some((c) => allowed.has(c))) return false;
      return runbook.diagnosis.length > 0 || runbook.diagnosticCommands.length > 0 || runbook.causes.length > 0;
    });

  const page = bounded(ranked, args.limit);
  return {
    guides: page.items.map(({ runbook: r, score }) => {
      const category = guide ?? (isCategory(args.category) ? args.category : primaryGuideCategory(r.categories));
      return {
        id: r.id,
        title: r.title,
        ...(category ? { category } : {}),
        categories: [...r.categories],
        score,
        steps: [...r.diagnosis],
        common_causes: [...r.causes],
        diagnostic_commands: [...r.diagnosticCommands],
        symptoms: [...r.symptoms],
        source: r.doc.source,
      };
    }),
    total_count: page.total_count,
    truncated: page.truncated,
  };
}
