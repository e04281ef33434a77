/** get_incident_playbook and get_runbook: one runbook by id, as a structured procedure or as written. */
import type { RunbooksProvider } from '../../providers/runbooks/port.ts';
import type { OperationContext } from '../invoke.ts';
import { requireRunbook } from './library.ts';
import { escalationView, identity } from './views.ts';

type Ctx = OperationContext<RunbooksProvider>;

export async function getIncidentPlaybook(args: { playbook_id: string }, ctx: Ctx) {
  const r = await requireRunbook(ctx.provider, args.playbook_id, 'playbook_id');
  return {
    ...identity(r),
    ...(r.description ? { description: r.description } : {}),
    triggers: [...r.symptoms],
    steps: [...r.steps],
    verification: [...r.verification],
    rollback: [...r.rollback],
    escalation: escalationView(r.escalation),
    contacts: r.contacts.map((c) => ({ ...c })),
    ...(r.estimatedResolutionTime ? { estimated_resolution_time: r.estimatedResolutionTime } : {}),
    related_runbooks: [...r.related],
    source: r.doc.source,
  };
}

export async function getRunbook(args: { runbook_id: string }, ctx: Ctx) {
  const r = await requireRunbook(ctx.provider, args.runbook_id, 'runbook_id');
  return {
    ...identity(r),
    ...(r.description ? { description: r.description } : {}),
    front_matter: Object.entries(r.doc.frontMatter).map(([name, value]) => ({ name, value: fieldValue(value) })),
    sections: r.sections.map((s) => ({ heading: s.heading, level: s.level, kind: s.kind, content: s.content })),
    steps: [...r.steps],
    source: r.doc.source,
  };
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}
