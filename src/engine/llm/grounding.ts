/**
 * What the model's answer is checked against: the text of every tool result this specialist received in this
 * run (the evidence engine's calls and the model's own), plus the resources its report already names. A quote
 * counts only if a tool returned it; a resource counts only if the report or a tool result names it. Nothing the
 * model wrote itself, and nothing from the prompt, can ground a claim.
 */
import type { SpecialistReport } from '../../domain/findings.ts';
import { parseResource } from '../../domain/resource.ts';
import type { ToolCaller, ToolCallResult } from '../../mcp/client.ts';

/** Shorter quotes ("error", "OOMKilled") occur everywhere and prove nothing about a particular claim. */
export const MIN_QUOTE_CHARS = 12;

interface RecordedResult {
  tool: string;
  /** Lower-cased, whitespace collapsed, JSON escapes undone: the raw text and every string inside the result. */
  strict: string;
  /** The same without JSON punctuation, so `"restarts": 14` and `restarts: 14` match each other. */
  loose: string;
  /** The text alone, normalised: keys beside values, for telling a namespace from an object name. */
  text: string;
}

export class Grounding {
  private readonly results: RecordedResult[] = [];

  /** A ToolCaller that records each successful result before handing it on, unchanged. */
  wrap(tools: ToolCaller): ToolCaller {
    return {
      get calls() {
        return tools.calls;
      },
      listTools: () => tools.listTools(),
      callTool: async (name, args) => {
        const res = await tools.callTool(name, args);
        this.record(res);
        return res;
      },
    };
  }

  record(res: ToolCallResult): void {
    if (!res.ok) return;
    const strings = stringLeaves(res.result);
    const combined = `${res.text}\n${strings.join('\n')}`;
    this.results.push({ tool: res.tool, strict: normalize(combined), loose: loosen(normalize(combined)), text: normalize(res.text) });
  }

  get size(): number {
    return this.results.length;
  }

  /**
   * The tool whose result contains the quote (the cited tool when it does, else the first that does), or null.
   * Matching ignores case, whitespace runs, JSON escaping and surrounding quote marks or ellipses.
   */
  findQuote(quote: string, citedTool?: string): string | null {
    const q = normalize(trimQuote(quote));
    if (q.length < MIN_QUOTE_CHARS) return null;
    const lq = loosen(q);
    const hit = (r: RecordedResult) => r.strict.includes(q) || (lq.length >= MIN_QUOTE_CHARS && r.loose.includes(lq));
    const cited = citedTool ? this.results.find((r) => r.tool === citedTool && hit(r)) : undefined;
    return (cited ?? this.results.find(hit))?.tool ?? null;
  }

  /**
   * Whether any tool result names this token as a whole word (a Kubernetes name: letters, digits, '-' and '.').
   * With `notAsNamespace`, occurrences that are that namespace (`"namespace":"x"`, `Kind/x/...`) do not count:
   * a namespace is not evidence that an object of the same name exists in it.
   */
  mentions(token: string, notAsNamespace?: string): boolean {
    const t = token.toLowerCase();
    if (!t) return false;
    const re = new RegExp(`(^|[^a-z0-9-])${escapeRe(t)}($|[^a-z0-9-])`);
    const ns = notAsNamespace?.toLowerCase();
    const asNamespace = ns ? new RegExp(`namespace[a-z_]*"?\\s*[:=]\\s*"?${escapeRe(ns)}"?|/${escapeRe(ns)}/`, 'g') : undefined;
    return this.results.some((r) => re.test(asNamespace ? r.text.replace(asNamespace, ' ') : r.strict));
  }
}

export type ResourceCheck = { ok: true; resource: string; workload?: string } | { ok: false; reason: string };

/**
 * A resource the model names must be one the report knows (inventory, findings) or one a tool result names
 * (its name, and its namespace when it has one). Known resources win: a wrong kind for a known namespace/name
 * (`Deployment/shop/orders-db` for the StatefulSet) is corrected to the known one rather than rejected.
 */
export function checkResource(resource: string, report: SpecialistReport, grounding: Grounding): ResourceCheck {
  const ref = parseResource(resource.trim());
  if (!ref) return { ok: false, reason: `resource ${resource} is not of the form Kind/namespace/name` };
  const known = knownResources(report);
  const exact = known.get(key(ref.kind, ref.namespace, ref.name));
  if (exact) return { ok: true, ...exact };
  const sameName = [...known.values()].filter((k) => {
    const r = parseResource(k.resource)!;
    return r.name.toLowerCase() === ref.name.toLowerCase() && r.namespace.toLowerCase() === ref.namespace.toLowerCase();
  });
  if (sameName.length === 1) return { ok: true, ...sameName[0]! };
  if (grounding.mentions(ref.name, ref.name === ref.namespace ? ref.namespace : undefined) && (!ref.namespace || grounding.mentions(ref.namespace) || [...known.values()].some((k) => parseResource(k.resource)?.namespace === ref.namespace))) {
    return { ok: true, resource: `${ref.kind}/${ref.namespace}/${ref.name}` };
  }
  return { ok: false, reason: `resource ${resource} does not exist in the data this specialist saw` };
}

function knownResources(report: SpecialistReport): Map<string, { resource: string; workload?: string }> {
  const out = new Map<string, { resource: string; workload?: string }>();
  const add = (resource: string, workload?: string) => {
    const ref = parseResource(resource);
    if (!ref) return;
    const k = key(ref.kind, ref.namespace, ref.name);
    if (!out.has(k)) out.set(k, { resource, ...(workload && workload !== resource ? { workload } : {}) });
  };
  for (const e of report.inventory ?? []) {
    add(e.resource, e.workload);
    if (e.workload) add(e.workload);
  }
  for (const f of report.findings) {
    add(f.resource, f.workload);
    if (f.workload) add(f.workload);
  }
  return out;
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind.toLowerCase()}/${namespace.toLowerCase()}/${name.toLowerCase()}`;
}

export function normalize(text: string): string {
  return text
    .replace(/\\"/g, '"')
    .replace(/\\[nrt]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function loosen(text: string): string {
  return text
    .replace(/["{}[\],]/g, ' ')
    .replace(/\s*:\s*/g, ': ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Models wrap quotes in quote marks and ellipses; those are not part of what the tool said. */
function trimQuote(quote: string): string {
  return quote.replace(/^[\s"'`“”‘’…]+|[\s"'`“”‘’…]+$/g, '').replace(/^\.{3}|\.{3}$/g, '');
}

function stringLeaves(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 12) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringLeaves(v, out, depth + 1);
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
