/**
 * The one table from the reference sample's vocabularies onto the root-cause taxonomy: its incident types
 * (`search_runbooks`, `get_escalation_procedures`) and its troubleshooting-guide categories
 * (`get_troubleshooting_guide`). A taxonomy category may belong to several of each.
 *
 * | taxonomy id                | incident types (primary first) | guide categories        |
 * |----------------------------|--------------------------------|-------------------------|
 * | oom-killed                 | performance, availability      | kubernetes, performance |
 * | crash-loop                 | availability, deployment       | kubernetes              |
 * | config-error               | deployment, availability       | kubernetes              |
 * | image-pull                 | deployment, availability       | kubernetes              |
 * | unschedulable              | availability, performance      | kubernetes              |
 * | node-failure               | availability                   | kubernetes              |
 * | probe-failure              | availability, deployment       | kubernetes, networking  |
 * | bad-deployment             | deployment, availability       | kubernetes              |
 * | dependency-failure         | availability                   | networking, database    |
 * | connection-pool-exhaustion | performance, availability      | performance, database   |
 * | cpu-saturation             | performance                    | performance, kubernetes |
 * | traffic-surge              | performance, availability      | performance             |
 * | certificate-expired        | security, availability         | networking              |
 * | dns-failure                | availability                   | networking              |
 * | disk-full                  | availability                   | kubernetes, database    |
 * | rate-limited               | performance, availability      | performance, networking |
 * | none                       | (none)                         | (none)                  |
 */
import { CATEGORIES, type Category, isCategory } from '../../domain/taxonomy.ts';

export const INCIDENT_TYPES = ['performance', 'availability', 'security', 'deployment'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const GUIDE_CATEGORIES = ['kubernetes', 'performance', 'networking', 'database'] as const;
export type GuideCategory = (typeof GUIDE_CATEGORIES)[number];

interface Row {
  incidentTypes: readonly IncidentType[];
  guides: readonly GuideCategory[];
}

export const CATEGORY_MAPPING: Readonly<Record<Category, Row>> = {
  'oom-killed': { incidentTypes: ['performance', 'availability'], guides: ['kubernetes', 'performance'] },
  'crash-loop': { incidentTypes: ['availability', 'deployment'], guides: ['kubernetes'] },
  'config-error': { incidentTypes: ['deployment', 'availability'], guides: ['kubernetes'] },
  'image-pull': { incidentTypes: ['deployment', 'availability'], guides: ['kubernetes'] },
  unschedulable: { incidentTypes: ['availability', 'performance'], guides: ['kubernetes'] },
  'node-failure': { incidentTypes: ['availability'], guides: ['kubernetes'] },
  'probe-failure': { incidentTypes: ['availability', 'deployment'], guides: ['kubernetes', 'networking'] },
  'bad-deployment': { incidentTypes: ['deployment', 'availability'], guides: ['kubernetes'] },
  'dependency-failure': { incidentTypes: ['availability'], guides: ['networking', 'database'] },
  'connection-pool-exhaustion': { incidentTypes: ['performance', 'availability'], guides: ['performance', 'database'] },
  'cpu-saturation': { incidentTypes: ['performance'], guides: ['performance', 'kubernetes'] },
  'traffic-surge': { incidentTypes: ['performance', 'availability'], guides: ['performance'] },
  'certificate-expired': { incidentTypes: ['security', 'availability'], guides: ['networking'] },
  'dns-failure': { incidentTypes: ['availability'], guides: ['networking'] },
  'disk-full': { incidentTypes: ['availability'], guides: ['kubernetes', 'database'] },
  'rate-limited': { incidentTypes: ['performance', 'availability'], guides: ['performance', 'networking'] },
  none: { incidentTypes: [], guides: [] },
};

/**
 * Words that mark a guide category in a runbook's text, used to rank within the category (a database guide
 * prefers the runbook about database dependencies over the one about any dependency).
 */
export const GUIDE_HINTS: Readonly<Record<GuideCategory, string>> = {
  kubernetes: 'kubernetes pod node deployment container kubelet kubectl',
  performance: 'latency slow throughput cpu memory saturation capacity p99',
  networking: 'network connection dns tls certificate timeout endpoint ingress',
  database: 'database db sql postgres mysql rds aurora connection pool query replica',
};

export function isIncidentType(value: unknown): value is IncidentType {
  return typeof value === 'string' && (INCIDENT_TYPES as readonly string[]).includes(value);
}

export function isGuideCategory(value: unknown): value is GuideCategory {
  return typeof value === 'string' && (GUIDE_CATEGORIES as readonly string[]).includes(value);
}

export function categoriesOfIncidentType(type: IncidentType): Category[] {
  return CATEGORIES.filter((c) => CATEGORY_MAPPING[c].incidentTypes.includes(type));
}

export function categoriesOfGuide(guide: GuideCategory): Category[] {
  return CATEGORIES.filter((c) => CATEGORY_MAPPING[c].guides.includes(guide));
}

/** The incident type a runbook reads as: the primary type of its first category that has one. */
export function primaryIncidentType(categories: readonly Category[]): IncidentType | undefined {
  for (const c of categories) {
    const t = CATEGORY_MAPPING[c].incidentTypes[0];
    if (t) return t;
  }
  return undefined;
}

export function primaryGuideCategory(categories: readonly Category[]): GuideCategory | undefined {
  for (const c of categories) {
    const g = CATEGORY_MAPPING[c].guides[0];
    if (g) return g;
  }
  return undefined;
}

/** Taxonomy ids written in a text ("oom-killed", "dns-failure"), in order of appearance. */
export function categoriesNamedIn(text: string): Category[] {
  const out: Category[] = [];
  for (const m of text.toLowerCase().matchAll(/[a-z]+(?:-[a-z]+)*/g)) {
    if (isCategory(m[0]) && m[0] !== 'none' && !out.includes(m[0])) out.push(m[0]);
  }
  return out;
}

/** Severity words as runbooks write them (sev1, P2, High) → the sample's scale; undefined when unknown. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function normalizeSeverity(value: string | undefined): Severity | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  const m = /^(?:sev|severity|p|priority)[\s-]?([0-5])$/.exec(v);
  if (m) return (['critical', 'critical', 'high', 'medium', 'low', 'low'] as const)[Number(m[1])];
  if (v === 'moderate' || v === 'warning') return 'medium';
  if (v === 'minor' || v === 'info') return 'low';
  if (v === 'major' || v === 'severe') return 'high';
  if (v === 'blocker' || v === 'emergency') return 'critical';
  return undefined;
}
