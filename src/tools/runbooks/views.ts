/** Response shapes shared by the runbook operations (snake_case, optional fields omitted when absent). */
import type { AnalyzedRunbook, EscalationLevel, ScoreBreakdown } from '../../analyzers/runbooks/index.ts';
import type { RunbookProblem } from '../../providers/runbooks/port.ts';

export function identity(r: AnalyzedRunbook) {
  return {
    id: r.id,
    title: r.title,
    categories: [...r.categories],
    services: [...r.services],
    ...(r.severity ? { severity: r.severity } : {}),
    ...(r.incidentType ? { incident_type: r.incidentType } : {}),
  };
}

export function breakdownView(b: ScoreBreakdown) {
  return { text: b.text, category: b.category, service: b.service, semantic: b.semantic };
}

export function escalationView(levels: readonly EscalationLevel[]) {
  return levels.map((l) => ({
    level: l.level,
    text: l.text,
    ...(l.role ? { role: l.role } : {}),
    ...(l.contact ? { contact: l.contact } : {}),
    ...(l.response_time ? { response_time: l.response_time } : {}),
    actions: [...l.actions],
  }));
}

export function problemsView(problems: readonly RunbookProblem[]) {
  return problems.length ? { library_problems: problems.map((p) => ({ source: p.source, message: p.message, skipped: p.skipped })) } : {};
}

