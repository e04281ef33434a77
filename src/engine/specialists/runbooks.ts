/**
 * The runbooks specialist. Round one: runbooks ranked by the trigger's own words (alarm name, description, metric,
 * or the question). Round two: the runbook for each leading hypothesis's category (and service), so the report can
 * quote the matching runbook's steps verbatim with its id.
 */
import type { Category } from '../../domain/taxonomy.ts';
import { shortName } from '../names.ts';
import type { SpecialistContext } from './index.ts';
import { SpecialistSession, clip } from './session.ts';

interface RunbookMatch {
  id: string;
  title: string;
  categories: string[];
  services: string[];
  score: number;
  reasons?: string[];
}

interface RunbookDetail {
  id: string;
  title: string;
  categories: string[];
  steps: string[];
  source: string;
}

const SEARCH = 'runbooks___search_runbooks';
const GET = 'runbooks___get_runbook';
const MAX_STEPS_CHARS = 3000;

export async function runbooksSpecialist({ plan, tools }: SpecialistContext): Promise<ReturnType<SpecialistSession['report']>> {
  const s = new SpecialistSession('runbooks', tools);
  const picked = new Map<string, RunbookMatch>();
  if (plan.round === 1) {
    const res = await s.call<{ runbooks: RunbookMatch[] }>(SEARCH, { symptoms: plan.focus.text, limit: 3 });
    for (const r of res?.runbooks ?? []) if (r.score > 0) picked.set(r.id, r);
  } else {
    const service = plan.specialists.runbooks.targets[0] ? shortName(plan.specialists.runbooks.targets[0]) : undefined;
    const categories: Category[] = plan.specialists.runbooks.categories ?? [];
    const found = await Promise.all(
      categories.map((category) => s.call<{ runbooks: RunbookMatch[] }>(SEARCH, { category, symptoms: plan.focus.text, ...(service ? { service } : {}), limit: 1 })),
    );
    for (const res of found) {
      const best = res?.runbooks?.[0];
      if (best) picked.set(best.id, best);
    }
  }
  const details = await Promise.all([...picked.keys()].map((id) => s.call<RunbookDetail>(GET, { runbook_id: id })));
  for (const d of details) {
    if (!d) continue;
    const match = picked.get(d.id)!;
    const steps = d.steps.map((step, i) => (/^\s*\d+[.)]/.test(step) ? step : `${i + 1}. ${step}`)).join('\n');
    s.add({
      signal: 'runbook-match',
      resource: `Runbook//${d.id}`,
      severity: 'info',
      summary: d.title,
      evidence: [{ source: GET, detail: clip(`${d.id} (${d.source}): ${d.title}${match.reasons?.length ? ` — ${match.reasons.join('; ')}` : ''}`, 400) }],
      facts: { runbookId: d.id, categories: d.categories, score: match.score, message: steps.length > MAX_STEPS_CHARS ? `${steps.slice(0, MAX_STEPS_CHARS)}…` : steps },
    });
  }
  if (!picked.size && plan.round === 1) s.gaps.push('no runbook in the library matches the trigger’s symptoms');
  return s.report();
}
