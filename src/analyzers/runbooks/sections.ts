/**
 * A runbook body → its sections, each classified by what its heading says it is. Authors write `## Steps`,
 * `### Response Steps`, `## Remediation` or `#### Quick Fixes` for the same thing, at whatever heading level
 * their template uses, so the section level is found from the document and the kind from the heading's words.
 */
import { headings, trimBlankLines } from './markdown.ts';

export const SECTION_KINDS = [
  'overview',
  'symptoms',
  'diagnosis',
  'causes',
  'steps',
  'verification',
  'rollback',
  'escalation',
  'prevention',
  'references',
  'other',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export interface RunbookSection {
  /** The heading as written; empty for the text before the first section. */
  heading: string;
  /** Markdown heading level; 0 for the text before the first section. */
  level: number;
  kind: SectionKind;
  /** The section's markdown verbatim, subsections included, without its own heading line. */
  content: string;
}

export interface ParsedBody {
  /** The document's own `# Title`, when it opens with exactly one level-1 heading. */
  title?: string;
  sections: RunbookSection[];
}

// First match wins, so the order settles headings that name two things ("Troubleshooting Steps" is diagnosis,
// "Rollback Steps" a rollback, "Pre-Recovery Checks" diagnosis, "Recovery Steps" steps).
const KIND_RULES: ReadonlyArray<readonly [SectionKind, RegExp]> = [
  ['escalation', /\b(escalat\w*|contacts?|on-?call|who to (call|page|contact)|paging|owners?)\b/],
  ['rollback', /\b(roll ?back|back ?out|revert)\b/],
  ['verification', /\b(verif\w*|validat\w*|confirm\w*|post-?checks?|success criteria|recovery criteria|how to know)\b/],
  ['symptoms', /\b(symptoms?|triggers?|trigger conditions|signs?|alerts?|alarms?|indicators?|when to use|detection|what you see)\b/],
  ['causes', /\b(causes?|root causes?|common issues|common problems|why)\b/],
  ['overview', /\b(impact|blast radius)\b/],
  ['diagnosis', /\b(diagnos\w*|investigat\w*|troubleshoot\w*|triage|checks?|inspect\w*|identify|debug\w*|analysis|assessment)\b/],
  ['prevention', /\b(prevent\w*|permanent|long-? ?term|follow-? ?ups?|post-?incident|lessons|hardening|avoid)\b/],
  ['references', /\b(related|references?|see also|links?|further reading|dashboards?)\b/],
  ['steps', /\b(steps?|remediat\w*|resolution|resolve|mitigat\w*|fix(es)?|recover\w*|response|procedures?|actions?|runbook|playbook|restore|phases?|what to do|workaround|repair)\b/],
  ['overview', /\b(description|overview|summary|context|background|about|purpose|scope|impact)\b/],
];

export function sectionKind(heading: string): SectionKind {
  const text = heading
    .toLowerCase()
    .replace(/[`*_[\]()]/g, ' ')
    .replace(/^\s*(step|phase|level)?\s*\d+[.):]?\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [kind, re] of KIND_RULES) if (re.test(text)) return kind;
  return 'other';
}

/**
 * Splits a body into sections at its top section level: the shallowest heading level below a lone `# Title`.
 * Deeper headings stay inside their section's content.
 */
export function parseSections(body: string): ParsedBody {
  const lines = body.split(/\r?\n/);
  let hs = headings(body);
  let title: string | undefined;
  const h1 = hs.filter((h) => h.level === 1);
  if (hs.length && hs[0]!.level === 1 && h1.length === 1) {
    title = hs[0]!.text;
    hs = hs.slice(1);
  }
  const level = hs.length ? Math.min(...hs.map((h) => h.level)) : 0;
  const tops = hs.filter((h) => h.level === level);
  const sections: RunbookSection[] = [];
  const leadStart = title !== undefined ? h1[0]!.line + 1 : 0;
  const lead = trimBlankLines(lines.slice(leadStart, tops[0]?.line ?? lines.length).join('\n'));
  if (lead) sections.push({ heading: '', level: 0, kind: 'overview', content: lead });
  tops.forEach((h, i) => {
    const content = trimBlankLines(lines.slice(h.line + 1, tops[i + 1]?.line ?? lines.length).join('\n'));
    sections.push({ heading: h.text, level: h.level, kind: sectionKind(h.text), content });
  });
  return { ...(title !== undefined ? { title } : {}), sections };
}

export function sectionsOfKind(sections: readonly RunbookSection[], kind: SectionKind): RunbookSection[] {
  return sections.filter((s) => s.kind === kind);
}
