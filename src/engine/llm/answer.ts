/**
 * The specialist model's final answer: parsed (JSON, validated with zod), then every claim checked against the
 * run's tool data before it may become a finding. A hypothesis is accepted whole or not at all: its category is
 * in the taxonomy, its resource exists in what the specialist saw, and every quote it cites was returned by a
 * tool in this run. Accepted claims become `model-hypothesis` findings; each rejection is a line for the gaps.
 */
// The namespace import lets esbuild tree-shake zod (`import { z }` pulls in all of it: +350 KiB per Lambda bundle).
import * as z from 'zod';
import type { Finding, SpecialistReport } from '../../domain/findings.ts';
import { type Category, isCategory } from '../../domain/taxonomy.ts';
import { clip } from '../specialists/session.ts';
import { type Grounding, MIN_QUOTE_CHARS, checkResource } from './grounding.ts';

const evidenceItem = z.object({
  source: z.string().trim().min(1).max(200),
  quote: z.string().trim().min(1).max(1000),
});

const claim = z.object({
  resource: z.string().trim().min(1).max(300),
  summary: z.string().trim().min(1).max(600),
  evidence: z.array(evidenceItem).max(8).default([]),
});

export const modelAnswerSchema = z.object({
  hypotheses: z.array(claim.extend({ category: z.string().trim().min(1).max(60) })).max(8).default([]),
  observations: z.array(claim).max(12).default([]),
});
export type ModelAnswer = z.infer<typeof modelAnswerSchema>;

/** Accepted claims at most, so one chatty answer cannot flood the report. */
const MAX_HYPOTHESES = 5;
const MAX_OBSERVATIONS = 5;

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; reason: string };

/** Finds the JSON object in the answer: bare, in a ```json fence, or between the first '{' and the last '}'. */
export function parseModelAnswer(text: string): ParsedAnswer {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  let lastProblem = 'it contains no JSON object';
  for (const c of candidates) {
    let json: unknown;
    try {
      json = JSON.parse(c);
    } catch {
      continue;
    }
    const parsed = modelAnswerSchema.safeParse(json);
    if (parsed.success) return { ok: true, answer: parsed.data };
    lastProblem = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
      .join('; ');
  }
  return { ok: false, reason: `model answer rejected: not the expected JSON (${lastProblem})` };
}

export interface ValidatedAnswer {
  findings: Finding[];
  /** One line per rejected claim, phrased for the report's gaps. */
  rejected: string[];
}

export function validateAnswer(answer: ModelAnswer, report: SpecialistReport, grounding: Grounding): ValidatedAnswer {
  const findings: Finding[] = [];
  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const h of answer.hypotheses) {
    if (findings.filter((f) => f.facts?.categories).length >= MAX_HYPOTHESES) {
      rejected.push(`model answer rejected: more than ${MAX_HYPOTHESES} hypotheses (${h.category} on ${h.resource} dropped)`);
      continue;
    }
    const category = h.category.trim().toLowerCase();
    if (!isCategory(category)) {
      rejected.push(`model answer rejected: category '${clip(h.category, 60)}' is not in the taxonomy`);
      continue;
    }
    // "Nothing is wrong" is the engine's verdict to reach from the evidence bar, not a cause to rank.
    if (category === 'none') {
      rejected.push(`model answer rejected: 'none' is not a root-cause hypothesis (${clip(h.resource, 120)})`);
      continue;
    }
    const finding = groundedFinding(h, report, grounding, category);
    if ('reason' in finding) {
      rejected.push(finding.reason);
      continue;
    }
    const k = `${category}|${finding.resource}`;
    if (seen.has(k)) continue;
    seen.add(k);
    findings.push(finding);
  }
  let observations = 0;
  for (const o of answer.observations) {
    if (observations >= MAX_OBSERVATIONS) break;
    const finding = groundedFinding(o, report, grounding);
    if ('reason' in finding) {
      rejected.push(finding.reason.replace('model answer rejected:', 'model observation rejected:'));
      continue;
    }
    observations += 1;
    findings.push(finding);
  }
  return { findings, rejected };
}

function groundedFinding(
  claimed: z.infer<typeof claim>,
  report: SpecialistReport,
  grounding: Grounding,
  category?: Category,
): Finding | { reason: string } {
  const what = category ? `${category} on ${clip(claimed.resource, 120)}` : `observation on ${clip(claimed.resource, 120)}`;
  const resource = checkResource(claimed.resource, report, grounding);
  if (!resource.ok) return { reason: `model answer rejected: ${resource.reason}` };
  if (!claimed.evidence.length) return { reason: `model answer rejected: ${what} cites no tool data` };
  const evidence: Finding['evidence'] = [];
  for (const e of claimed.evidence) {
    const tool = grounding.findQuote(e.quote, e.source);
    if (!tool) {
      const why = e.quote.replace(/\s+/g, ' ').trim().length < MIN_QUOTE_CHARS ? 'is too short to be evidence' : 'was not returned by any tool in this run';
      return { reason: `model answer rejected: ${what}: the quote “${clip(e.quote, 120)}” ${why}` };
    }
    // The tool that actually returned the quote, so the report never attributes a datum to the wrong tool.
    evidence.push({ source: tool, detail: clip(e.quote, 400) });
  }
  return {
    signal: 'model-hypothesis',
    resource: resource.resource,
    ...(resource.workload ? { workload: resource.workload } : {}),
    // Observations carry no category and no weight: they are shown, not ranked.
    severity: category ? 'warning' : 'info',
    summary: clip(category ? `Model hypothesis (${category}): ${claimed.summary}` : `Model observation: ${claimed.summary}`, 400),
    evidence,
    facts: { ...(category ? { categories: [category] } : {}), count: evidence.length },
  };
}
