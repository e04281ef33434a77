/**
 * The supervisor's narrative: with a model configured, the report's summary paragraph and the root-cause
 * explanation are written by the model from the structured outcome (hypotheses, evidence, timeline). The model
 * never chooses anything: the root cause, its confidence and the ranking are the evidence engine's, and the text
 * is used only if it passes validation —
 *   - the summary names the chosen root cause's category and resource;
 *   - every resource it names (`Kind/ns/name`, `ns/name`, code spans, host names, workload-like names) appears
 *     in the evidence;
 * otherwise the deterministic text is kept. Only investigations with a root cause are narrated: "nothing found"
 * and "expected behaviour" are verdicts whose wording the engine owns.
 */
// The namespace import lets esbuild tree-shake zod (`import { z }` pulls in all of it: +350 KiB per Lambda bundle).
import * as z from 'zod';
import type { Finding, SpecialistReport } from '../../domain/findings.ts';
import { parseResource } from '../../domain/resource.ts';
import { CATEGORY_DESCRIPTIONS } from '../../domain/taxonomy.ts';
import { clip } from '../specialists/session.ts';
import type { Outcome } from '../steps.ts';
import type { InvestigationInput } from '../types.ts';
import { type LlmFromEnvOptions, llmFromEnv } from './config.ts';
import { type ModelPort, isAbort, textOf } from './port.ts';
import { describeTrigger } from './prompts.ts';

export interface Narrative {
  summary: string;
  explanation: string;
  /** The model that wrote it, named in the report. */
  model: string;
}

export interface NarrativeInput {
  input: InvestigationInput;
  outcome: Outcome;
  reports: readonly SpecialistReport[];
}

export type NarrativeResult = { ok: true; narrative: Narrative } | { ok: false; reason: string };

/** The supervisor's port: writes and validates a narrative, never throws. */
export type Narrator = (data: NarrativeInput) => Promise<NarrativeResult>;

const narrativeSchema = z.object({
  summary: z.string().trim().min(20).max(1200),
  explanation: z.string().trim().min(20).max(2000),
});

/** Workload-ish name endings: a hyphenated word ending so names a resource and must be in the evidence. */
const NAME_SUFFIXES = /-(api|db|svc|service|worker|cache|redis|proxy|gateway|server|engine|web|app|frontend|backend|queue|consumer|producer|job|cron|deployment|pod|node|[a-z0-9]{5,10}-[a-z0-9]{5})$/;

/** The supervisor's narrator from the environment (the same settings as the specialists'); null when LLM mode is off. */
export function narratorFromEnv(env: NodeJS.ProcessEnv, options: LlmFromEnvOptions = {}): Narrator | null {
  const setup = llmFromEnv(env, options);
  return setup.model ? createNarrator(setup.model) : null;
}

/** The validated narrative, or undefined (then the deterministic text stays); `onRejected` hears why not. */
export async function narrate(narrator: Narrator, data: NarrativeInput, onRejected?: (reason: string) => void): Promise<Narrative | undefined> {
  if (!data.outcome.rootCause) return undefined;
  let result: NarrativeResult;
  try {
    result = await narrator(data);
  } catch (error) {
    result = { ok: false, reason: `the narrator failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (result.ok) return result.narrative;
  onRejected?.(result.reason);
  return undefined;
}

export function createNarrator(model: ModelPort, options: { timeoutMs?: number } = {}): Narrator {
  const timeoutMs = options.timeoutMs ?? 45_000;
  return async (data) => {
    if (!data.outcome.rootCause) return { ok: false, reason: 'no root cause: the engine’s verdict text is kept' };
    try {
      const res = await model.converse({
        system: NARRATIVE_SYSTEM,
        messages: [{ role: 'user', content: [{ text: narrativePrompt(data) }] }],
        maxTokens: 1200,
        temperature: 0,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return validateNarrative(textOf(res.message), data, res.model);
    } catch (error) {
      const why = isAbort(error) ? `no answer within ${Math.round(timeoutMs / 1000)} s` : error instanceof Error ? error.message : String(error);
      return { ok: false, reason: `the model could not write the narrative: ${why}` };
    }
  };
}

const NARRATIVE_SYSTEM = [
  'You write the summary of an incident investigation report for on-call engineers. The investigation is done: the root cause, its confidence and the evidence were decided by a deterministic evidence engine. Do not change them, add causes, or add facts that are not in the data you are given.',
  'Answer with ONE JSON object and nothing else: {"summary": "<2-4 sentences>", "explanation": "<why this root cause, 2-6 sentences, citing the evidence and the timeline>"}.',
  'Rules:',
  '- The summary names the root cause category id exactly as given (for example `oom-killed`) and the root-cause resource exactly as given, in backticks (for example `Deployment/shop/api`).',
  '- Name resources only from the "resources" list, exactly as written there, in backticks. Never invent a name, host, version or number.',
  '- Plain sentences, no markdown headings or lists.',
].join('\n');

export function narrativePrompt(data: NarrativeInput): string {
  const { outcome, input } = data;
  const root = outcome.rootCause!;
  const findings = data.reports.flatMap((r) => r.findings);
  const timeline = findings
    .filter((f) => f.since && f.severity !== 'info' && f.signal !== 'model-hypothesis')
    .sort((a, b) => Date.parse(a.since!) - Date.parse(b.since!))
    .slice(0, 20)
    .map((f) => ({ at: f.since, source: f.evidence[0]?.source ?? 'unknown', event: clip(f.summary.replace(/\s+/g, ' '), 240) }));
  const payload = {
    trigger: describeTrigger(input.trigger),
    rootCause: {
      category: root.category,
      meaning: CATEGORY_DESCRIPTIONS[root.category],
      resource: root.resource,
      confidence: root.confidence,
      summary: clip(root.summary, 800),
      evidence: root.evidence.slice(0, 8).map((e) => ({ source: e.source, ...(e.at ? { at: e.at } : {}), detail: clip(e.detail, 300) })),
    },
    whyRankedFirst: clip(outcome.explanation, 800),
    otherHypotheses: outcome.hypotheses
      .filter((h) => h.category !== root.category || h.resource !== root.resource)
      .slice(0, 4)
      .map((h) => ({ category: h.category, resource: h.resource, confidence: h.confidence, summary: clip(h.summary, 300) })),
    timeline,
    resources: [...knownResources(data)].slice(0, 80),
  };
  return `Write the summary and explanation for this investigation.\n\n${JSON.stringify(payload, null, 1)}`;
}

export function validateNarrative(text: string, data: NarrativeInput, model: string): NarrativeResult {
  const root = data.outcome.rootCause;
  if (!root) return { ok: false, reason: 'no root cause to narrate' };
  const parsed = parseJsonObject(text, narrativeSchema);
  if (!parsed) return { ok: false, reason: 'narrative rejected: not the expected JSON {summary, explanation}' };
  const summary = parsed.summary.replace(/\s+/g, ' ').trim();
  const explanation = parsed.explanation.replace(/\s+/g, ' ').trim();
  const lowSummary = summary.toLowerCase();
  if (!lowSummary.includes(root.category) && !lowSummary.includes(root.category.replace(/-/g, ' '))) {
    return { ok: false, reason: `narrative rejected: the summary does not name the root cause category ${root.category}` };
  }
  if (!lowSummary.includes(root.resource.toLowerCase())) {
    return { ok: false, reason: `narrative rejected: the summary does not name the root cause resource ${root.resource}` };
  }
  const unknown = unknownNames(`${summary}\n${explanation}`, data);
  if (unknown.length) return { ok: false, reason: `narrative rejected: it names ${unknown.slice(0, 3).join(', ')}, absent from the evidence` };
  return { ok: true, narrative: { summary, explanation, model } };
}

/** Names in the text that neither a known resource nor any evidence text contains. */
export function unknownNames(text: string, data: NarrativeInput): string[] {
  const resources = knownResources(data);
  const lowResources = new Set([...resources].map((r) => r.toLowerCase()));
  const corpus = evidenceCorpus(data, resources);
  const known = (name: string) => corpus.includes(name.toLowerCase());
  const out = new Set<string>();
  // Kind/namespace/name (Node//x included): must be one of the resources.
  for (const m of text.matchAll(/\b([A-Z][A-Za-z]+)\/([a-z0-9][a-z0-9.-]*)?\/([a-z0-9][a-z0-9.-]*[a-z0-9])/g)) {
    if (!lowResources.has(m[0].toLowerCase())) out.add(m[0]);
  }
  const REF = /\b[A-Z][A-Za-z]+\/[a-z0-9.-]*\/[a-z0-9.-]*[a-z0-9]/g;
  // Code spans: what the model marks as an identifier must be in the evidence (references were checked above).
  for (const m of text.matchAll(/`([^`]{2,200})`/g)) {
    const span = m[1]!.trim();
    if (span.replace(REF, '').trim() === '') continue;
    if (!known(span)) out.add(span);
  }
  const words = text.replace(/`[^`]*`/g, ' ').replace(REF, ' ');
  // namespace/name, for the namespaces the evidence has ("and/or" and "3/3 ready" are not resources).
  const namespaces = new Set([...resources].map((r) => parseResource(r)?.namespace ?? '').filter(Boolean));
  for (const m of words.matchAll(/(?<![\w/.:-])([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*[a-z0-9])(?![\w/-]|\.\w)/g)) {
    if (namespaces.has(m[1]!) && !known(m[0])) out.add(m[0]);
  }
  // Host names (two labels or more, with a letter): dependencies and endpoints.
  for (const m of words.matchAll(/(?<![\w.-])((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*)(?::\d+)?(?![\w-])/gi)) {
    const host = m[1]!.replace(/\.$/, '');
    if (/^(e\.g|i\.e|etc)$/i.test(host)) continue;
    if (!known(host)) out.add(host);
  }
  // Workload-like names: hyphenated words ending like a resource name, or sharing a known resource's first word.
  const firstWords = new Set([...resources].map((r) => parseResource(r)?.name.split('-')[0] ?? '').filter((w) => w.length >= 3));
  for (const m of words.matchAll(/(?<![\w/.-])([a-z0-9]+(?:-[a-z0-9]+)+)(?![\w/-])/g)) {
    const name = m[1]!;
    if (!(NAME_SUFFIXES.test(name) || firstWords.has(name.split('-')[0]!))) continue;
    if (!known(name)) out.add(name);
  }
  return [...out];
}

function knownResources(data: NarrativeInput): Set<string> {
  const out = new Set<string>();
  const add = (r: string | undefined) => {
    if (r && parseResource(r)) out.add(r);
  };
  add(data.outcome.rootCause?.resource);
  for (const h of data.outcome.hypotheses) add(h.resource);
  for (const r of data.reports) {
    for (const f of r.findings) {
      add(f.resource);
      add(f.workload);
    }
    for (const e of r.inventory ?? []) {
      add(e.resource);
      add(e.workload);
    }
  }
  return out;
}

/** Everything the evidence says, lower-cased: what any name in the narrative must be found in. */
function evidenceCorpus(data: NarrativeInput, resources: ReadonlySet<string>): string {
  const parts: string[] = [...resources, describeTrigger(data.input.trigger), data.outcome.explanation];
  const finding = (f: Finding) => {
    parts.push(f.summary, ...f.evidence.map((e) => e.detail));
    const facts = f.facts;
    if (facts) parts.push(facts.message ?? '', facts.signature ?? '', facts.image ?? '', facts.previousImage ?? '', facts.metric ?? '', facts.node ?? '', ...(facts.targets ?? []));
  };
  for (const h of data.outcome.hypotheses) parts.push(h.category, h.summary, ...h.evidence.map((e) => e.detail));
  if (data.outcome.rootCause) parts.push(data.outcome.rootCause.category, data.outcome.rootCause.summary);
  for (const r of data.reports) {
    r.findings.forEach(finding);
    for (const e of r.inventory ?? []) parts.push(...(e.aliases ?? []), ...(e.nodes ?? []));
  }
  return parts.join('\n').toLowerCase();
}

function parseJsonObject<T>(text: string, schema: z.ZodType<T>): T | null {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const c of candidates) {
    try {
      const parsed = schema.safeParse(JSON.parse(c));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON; try the next candidate
    }
  }
  return null;
}
