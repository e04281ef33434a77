/**
 * Runbook files → runbook documents: YAML front matter as the scenario contract defines it (`id`, `title`,
 * `services`, `categories`, `severity`, plus any extra fields) and the markdown body. Liberal where the contract
 * allows it (a single string for a list, a title taken from the first heading); a file whose front matter cannot be
 * read is left out with a problem that says why, and never takes the rest of the library down with it.
 */
import { parse as parseYaml } from 'yaml';
import { type Category, isCategory } from '../../domain/taxonomy.ts';
import type { RunbookDocument, RunbookProblem } from '../../providers/runbooks/port.ts';

export interface RunbookFile {
  /** File path or s3:// URI, for citations and problems. */
  source: string;
  text: string;
}

export interface ParsedRunbook {
  runbook: RunbookDocument | null;
  problems: RunbookProblem[];
}

// Opening `---`, the YAML, a closing `---` (or `...`), then the body. A BOM and CRLF line ends are tolerated.
const FRONT_MATTER_RE = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)([\s\S]*)$/;
const EMPTY_FRONT_MATTER_RE = /^\uFEFF?---[ \t]*\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/** Splits a file into its front matter text and body; null when it does not start with front matter. */
export function splitFrontMatter(text: string): { yaml: string; body: string } | null {
  const empty = EMPTY_FRONT_MATTER_RE.exec(text);
  if (empty) return { yaml: '', body: empty[1]! };
  const m = FRONT_MATTER_RE.exec(text);
  return m ? { yaml: m[1]!, body: m[2]! } : null;
}

/** One file → a runbook, or null with the reason. Corrections (a dropped unknown category...) are problems too. */
export function parseRunbookFile(file: RunbookFile): ParsedRunbook {
  const problems: RunbookProblem[] = [];
  const skip = (message: string): ParsedRunbook => ({ runbook: null, problems: [{ source: file.source, message, skipped: true }] });
  const note = (message: string) => problems.push({ source: file.source, message, skipped: false });

  const split = splitFrontMatter(file.text);
  if (!split) return skip('no YAML front matter: the file must start with a --- line, the front matter, and a closing --- line');
  let fm: unknown;
  try {
    fm = split.yaml.trim() ? parseYaml(split.yaml) : {};
  } catch (error) {
    return skip(`front matter is not valid YAML: ${firstLine((error as Error).message)}`);
  }
  if (!fm || typeof fm !== 'object' || Array.isArray(fm)) return skip('front matter must be a YAML mapping (key: value lines)');
  const frontMatter = fm as Record<string, unknown>;
  const body = split.body.replace(/^\s*\n/, '');
  if (!body.trim()) return skip('the runbook has front matter but no body');

  let id = scalarString(frontMatter.id);
  if (!id) {
    id = fileStem(file.source);
    note(`front matter has no id; using the file name '${id}'`);
  }
  let title = scalarString(frontMatter.title);
  if (!title) {
    title = firstHeading(body) ?? id;
    note(`front matter has no title; using '${title}'`);
  }

  const categories: Category[] = [];
  const rawCategories = stringList(frontMatter.categories);
  if (rawCategories === null) note('front matter categories must be a list of taxonomy ids; ignored');
  for (const raw of rawCategories ?? []) {
    const c = raw.trim().toLowerCase();
    if (isCategory(c)) {
      if (!categories.includes(c)) categories.push(c);
    } else {
      note(`front matter category '${raw}' is not a taxonomy id; ignored`);
    }
  }

  const rawServices = stringList(frontMatter.services);
  if (rawServices === null) note('front matter services must be a list of service names; ignored (the runbook applies to any service)');
  const services = [...new Set((rawServices ?? []).map((s) => s.trim()).filter(Boolean))];

  const severity = scalarString(frontMatter.severity);
  if (frontMatter.severity !== undefined && frontMatter.severity !== null && !severity) note('front matter severity must be a string; ignored');

  return {
    runbook: { id, title, services, categories, ...(severity ? { severity } : {}), body, source: file.source, frontMatter },
    problems,
  };
}

/**
 * A whole library: every file parsed, duplicates of an id left out (the first file in source order wins), and
 * every problem collected. Runbooks come back in source order.
 */
export function buildRunbookLibrary(files: readonly RunbookFile[]): { runbooks: RunbookDocument[]; problems: RunbookProblem[] } {
  const runbooks: RunbookDocument[] = [];
  const problems: RunbookProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of [...files].sort((a, b) => a.source.localeCompare(b.source))) {
    const parsed = parseRunbookFile(file);
    problems.push(...parsed.problems);
    if (!parsed.runbook) continue;
    const first = seen.get(parsed.runbook.id);
    if (first) {
      problems.push({ source: file.source, message: `id '${parsed.runbook.id}' is also the id of ${first}; this file is left out`, skipped: true });
      continue;
    }
    seen.set(parsed.runbook.id, file.source);
    runbooks.push(parsed.runbook);
  }
  return { runbooks, problems };
}

function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** A list of strings; a lone string is a list of one; absent is empty; anything else is null (malformed). */
function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  return null;
}

function fileStem(source: string): string {
  const name = source.split(/[/\\]/).pop() ?? source;
  return name.replace(/\.(md|markdown)$/i, '') || source;
}

function firstHeading(body: string): string | undefined {
  const m = /^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(body);
  return m?.[1]?.trim() || undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
