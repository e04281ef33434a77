/** get_common_resolutions: the remediation of the runbooks that best match an issue. */
import { categoriesNamedIn, stepAction, stepCommand } from '../../analyzers/runbooks/index.ts';
import type { RunbooksProvider } from '../../providers/runbooks/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { loadLibrary, semanticScores } from './library.ts';
import { breakdownView } from './views.ts';

interface ResolutionArgs {
  issue: string;
  service?: string;
  limit: number;
}

export async function getCommonResolutions(args: ResolutionArgs, ctx: OperationContext<RunbooksProvider>) {
  const library = await loadLibrary(ctx.provider);
  const issue = args.issue.trim();
  const { scores, retrieval } = await semanticScores(ctx.provider, issue, library, args.limit);
  const ranked = library.index
    .rank({ text: issue, categories: categoriesNamedIn(issue), ...(args.service ? { service: args.service } : {}), semantic: scores })
    .filter(({ runbook }) => runbook.steps.length > 0);

  const page = bounded(ranked, args.limit);
  return {
    resolutions: page.items.map(({ runbook: r, score, breakdown }) => ({
      id: r.id,
      title: r.title,
      categories: [...r.categories],
      services: [...r.services],
      score,
      score_breakdown: breakdownView(breakdown),
      symptoms: [...r.symptoms],
      quick_fixes: r.steps.map((step) => {
        const command = stepCommand(step);
        return { action: stepAction(step), ...(command ? { command } : {}) };
      }),
      steps: [...r.steps],
      verification: [...r.verification],
      permanent_solutions: [...r.prevention],
      source: r.doc.source,
    })),
    total_count: page.total_count,
    truncated: page.truncated,
    retrieval,
  };
}
