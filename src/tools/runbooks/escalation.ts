/**
 * get_escalation_procedures: the escalation guidance of the library for a severity and an incident type.
 * Runbooks of another severity are left out; those without one apply to any. General escalation policies
 * (runbooks without categories) apply to every incident type.
 */
import {
  type Severity,
  categoriesNamedIn,
  categoriesOfIncidentType,
  isIncidentType,
  normalizeSeverity,
} from '../../analyzers/runbooks/index.ts';
import { type Category, isCategory } from '../../domain/taxonomy.ts';
import type { RunbooksProvider } from '../../providers/runbooks/port.ts';
import { bounded } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { loadLibrary } from './library.ts';
import { escalationView } from './views.ts';

interface EscalationArgs {
  severity?: Severity;
  incident_type?: string;
  service?: string;
  limit: number;
}

// Order of precedence between the parts of the ordering (each dominates the next).
const SEVERITY_MATCH = 10;
const FOR_INCIDENT = 2;
const GENERAL_POLICY = 1;

export async function getEscalationProcedures(args: EscalationArgs, ctx: OperationContext<RunbooksProvider>) {
  const library = await loadLibrary(ctx.provider);
  const asked = args.incident_type?.trim().toLowerCase();
  let typeCategories: Set<Category> | undefined;
  let text: string | undefined;
  if (asked && isIncidentType(asked)) typeCategories = new Set(categoriesOfIncidentType(asked));
  else if (asked && isCategory(asked)) typeCategories = new Set([asked]);
  else if (asked) text = args.incident_type!.trim();

  const ranked = library.index.rank({
    ...(text ? { text, categories: categoriesNamedIn(text) } : {}),
    ...(args.service ? { service: args.service } : {}),
    includeUnmatched: true,
  });

  const chosen = ranked.flatMap((r) => {
    const rb = r.runbook;
    if (!rb.escalation.length && !rb.contacts.length) return [];
    const severity = normalizeSeverity(rb.severity);
    if (args.severity && rb.severity && severity !== args.severity) return [];
    const general = rb.categories.length === 0;
    const forType = typeCategories ? rb.categories.some((c) => typeCategories.has(c)) : false;
    if (typeCategories && !forType && !general) return [];
    const textMatch = text ? r.breakdown.text > 0 || r.breakdown.category > 0 : false;
    if (text && !textMatch && !general) return [];

    const reasons: string[] = [];
    let order = 0;
    if (args.severity && severity === args.severity) {
      order += SEVERITY_MATCH;
      reasons.push(`severity ${rb.severity}`);
    } else if (args.severity) {
      reasons.push('no severity: applies to any');
    }
    if (forType || textMatch) {
      order += FOR_INCIDENT;
      reasons.push(forType ? `covers ${rb.categories.filter((c) => typeCategories!.has(c)).join(', ')}` : r.reasons.join('; '));
    }
    if (general) {
      order += GENERAL_POLICY;
      reasons.push('general escalation policy (no categories)');
    }
    if (r.breakdown.service > 0) reasons.push(`written for service ${args.service}`);
    return [{ r, order: order + r.score / 100, reasons }];
  });
  chosen.sort((a, b) => b.order - a.order || a.r.runbook.id.localeCompare(b.r.runbook.id));

  const page = bounded(chosen, args.limit);
  return {
    escalation_procedures: page.items.map(({ r, reasons }) => {
      const rb = r.runbook;
      return {
        id: rb.id,
        title: rb.title,
        ...(rb.severity ? { severity: rb.severity } : {}),
        categories: [...rb.categories],
        reasons,
        trigger_conditions: [...rb.symptoms],
        escalation_chain: escalationView(rb.escalation),
        contacts: rb.contacts.map((c) => ({ ...c })),
        source: rb.doc.source,
      };
    }),
    total_count: page.total_count,
    truncated: page.truncated,
  };
}
