/**
 * One runbook document read once into everything the tools serve: its sections, the steps verbatim, symptoms,
 * causes, diagnostic commands, verification, rollback, escalation, and the text fields retrieval ranks on.
 */
import type { Category } from '../../domain/taxonomy.ts';
import type { RunbookDocument } from '../../providers/runbooks/port.ts';
import { type Severity, type IncidentType, normalizeSeverity, primaryIncidentType } from './mapping.ts';
import { paragraphs, plainText } from './markdown.ts';
import {
  type EscalationContact,
  type EscalationLevel,
  escalationChain,
  frontMatterContacts,
  sectionCommands,
  sectionEntries,
  sectionSteps,
} from './procedure.ts';
import { type RunbookSection, type SectionKind, parseSections } from './sections.ts';

export interface AnalyzedRunbook {
  doc: RunbookDocument;
  id: string;
  title: string;
  categories: Category[];
  services: string[];
  /** As written in the front matter. */
  severity?: string;
  /** On the low/medium/high/critical scale, when the written severity maps onto it. */
  severityLevel?: Severity;
  incidentType?: IncidentType;
  sections: RunbookSection[];
  description?: string;
  symptoms: string[];
  causes: string[];
  /** Diagnosis sections' entries, verbatim. */
  diagnosis: string[];
  diagnosticCommands: string[];
  /** Remediation steps, verbatim. */
  steps: string[];
  verification: string[];
  rollback: string[];
  prevention: string[];
  escalation: EscalationLevel[];
  contacts: EscalationContact[];
  /** Related runbook ids named in the front matter (`related`, `related_runbooks`, `see_also`) or a references section. */
  related: string[];
  estimatedResolutionTime?: string;
  tags: string[];
  /** Text fields for retrieval. */
  text: { title: string; keywords: string; symptoms: string; body: string };
}

export function analyzeRunbook(doc: RunbookDocument): AnalyzedRunbook {
  const { sections } = parseSections(doc.body);
  const of = (kind: SectionKind) => sections.filter((s) => s.kind === kind);
  const fm = doc.frontMatter;

  const fmSymptoms = stringsOf(fm.symptoms);
  const symptoms = [...new Set([...fmSymptoms, ...of('symptoms').flatMap(sectionEntries)])];
  const steps = of('steps').flatMap(sectionSteps);
  const diagnosisSections = of('diagnosis');
  const escalationSections = of('escalation');
  const description =
    scalar(fm.description) ?? scalar(fm.summary) ?? of('overview').flatMap((s) => paragraphs(s.content)).find((p) => !/^\*\*[^*]+:\*\*/.test(p));
  const tags = stringsOf(fm.tags);
  const severityLevel = normalizeSeverity(doc.severity);
  const incidentType = primaryIncidentType(doc.categories);
  const estimated = scalar(fm.estimated_resolution_time) ?? scalar(fm.estimated_time) ?? scalar(fm.eta);

  return {
    doc,
    id: doc.id,
    title: doc.title,
    categories: doc.categories,
    services: doc.services,
    ...(doc.severity ? { severity: doc.severity } : {}),
    ...(severityLevel ? { severityLevel } : {}),
    ...(incidentType ? { incidentType } : {}),
    sections,
    ...(description ? { description: oneLine(plainText(description)) } : {}),
    symptoms,
    causes: of('causes').flatMap(sectionEntries),
    diagnosis: diagnosisSections.flatMap(sectionSteps),
    diagnosticCommands: [...new Set(diagnosisSections.flatMap((s) => sectionCommands(s.content)))],
    steps,
    verification: of('verification').flatMap(sectionSteps),
    rollback: of('rollback').flatMap(sectionSteps),
    prevention: of('prevention').flatMap(sectionEntries),
    escalation: escalationSections.flatMap(escalationChain).map((level, i, all) =>
      // Several escalation sections continue one chain.
      all.length > 1 && escalationSections.length > 1 ? { ...level, level: i + 1 } : level,
    ),
    contacts: frontMatterContacts(fm),
    related: relatedIds(fm, of('references')),
    ...(estimated ? { estimatedResolutionTime: estimated } : {}),
    tags,
    text: {
      title: doc.title,
      keywords: [...doc.categories, ...tags, ...doc.services].join(' '),
      symptoms: plainText(symptoms.join('\n')),
      body: plainText(doc.body),
    },
  };
}

function relatedIds(fm: Record<string, unknown>, references: readonly RunbookSection[]): string[] {
  const ids = [...stringsOf(fm.related), ...stringsOf(fm.related_runbooks), ...stringsOf(fm.see_also)];
  for (const s of references) {
    for (const entry of sectionEntries(s)) {
      // "- pod-crashloop-troubleshooting", "- [Title](other-runbook.md)", "- `other-runbook`"
      const link = /\(([^)\s]+?)(?:\.md)?\)/.exec(entry)?.[1];
      const bare = plainText(entry).trim();
      const id = link ?? (/^[a-z0-9][a-z0-9._-]*$/i.test(bare) ? bare : undefined);
      if (id) ids.push(id.split('/').pop()!);
    }
  }
  return [...new Set(ids)];
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim()).filter(Boolean);
  return [];
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
