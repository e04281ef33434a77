/**
 * Ranked runbook retrieval. The text score is BM25F over weighted fields (title, keywords: categories/tags/services,
 * symptoms, body), squashed into [0,1); a runbook written for one of the asked categories gains a
 * full point, so it outranks any text-only match; a runbook written for the affected service gains a little over a
 * generic one, and one written for other services loses as much; an optional semantic score (a knowledge base) is
 * blended in. Every part of the score is reported, so a ranking can be explained.
 */
import type { Category } from '../../domain/taxonomy.ts';
import type { AnalyzedRunbook } from './analyze.ts';
import { plainText } from './markdown.ts';
import { terms, uniqueTerms, weightedTerms } from './text.ts';

const FIELDS = ['title', 'keywords', 'symptoms', 'body'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_WEIGHTS: Readonly<Record<Field, number>> = { title: 3, keywords: 2, symptoms: 2, body: 1 };
const K1 = 1.2;
const B = 0.75;
/** BM25F at which the text score reaches 0.5; a few distinctive terms matched score 5 to 15. */
const TEXT_HALF = 6;

export const WEIGHTS = {
  /** The first asked category; later ones count a little less (they come from weaker hypotheses). */
  category: 1,
  categoryDecay: 0.15,
  /** Per position of the category in the runbook's own list. */
  categoryRank: 0.05,
  service: 0.3,
  otherService: -0.3,
  semantic: 0.6,
} as const;

export interface RankQuery {
  /** Free text: symptoms, a keyword, an issue. Ranks; does not filter. */
  text?: string;
  /** Taxonomy categories, most likely first. */
  categories?: readonly Category[];
  service?: string;
  /** Relevance in [0,1] by runbook id, from semantic retrieval. */
  semantic?: ReadonlyMap<string, number>;
  /** Extra terms that break ties (e.g. the words of a guide category); they never make a runbook match. */
  hints?: string;
  /** Return every runbook, matching or not (when the caller's filters already define the set). */
  includeUnmatched?: boolean;
}

export interface ScoreBreakdown {
  text: number;
  category: number;
  service: number;
  semantic: number;
}

export interface RankedRunbook {
  runbook: AnalyzedRunbook;
  score: number;
  breakdown: ScoreBreakdown;
  /** Query terms found in the runbook. */
  matchedTerms: string[];
  /** Why it matched, in words. */
  reasons: string[];
}

interface FieldStats {
  tf: Map<string, number>;
  length: number;
}

export class RunbookIndex {
  readonly runbooks: readonly AnalyzedRunbook[];
  private readonly docs: Array<Record<Field, FieldStats>>;
  private readonly positions = new Map<string, number>();
  private readonly df = new Map<string, number>();
  private readonly avgLength: Record<Field, number>;

  constructor(runbooks: readonly AnalyzedRunbook[]) {
    this.runbooks = runbooks;
    runbooks.forEach((r, i) => this.positions.set(r.id, i));
    this.docs = runbooks.map((r) => {
      const stats = {} as Record<Field, FieldStats>;
      const seen = new Set<string>();
      for (const f of FIELDS) {
        const ts = terms(r.text[f]);
        const tf = new Map<string, number>();
        for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
        stats[f] = { tf, length: ts.length };
        for (const t of tf.keys()) seen.add(t);
      }
      for (const t of seen) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return stats;
    });
    const n = Math.max(1, runbooks.length);
    this.avgLength = Object.fromEntries(FIELDS.map((f) => [f, this.docs.reduce((s, d) => s + d[f].length, 0) / n || 1])) as Record<Field, number>;
  }

  private idf(term: string): number {
    const n = this.runbooks.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Whether a runbook holds every term of a text in any field (any word form the stemmer joins). */
  containsAll(runbook: AnalyzedRunbook, text: string): boolean {
    const doc = this.docs[this.positions.get(runbook.id) ?? -1];
    if (!doc) return false;
    return uniqueTerms(text).every((t) => FIELDS.some((f) => doc[f].tf.has(t)));
  }

  /**
   * BM25F of one runbook for the query terms: a term's frequencies in the fields are weighted and length-normalised
   * per field, summed, then saturated once, so a common word repeated in every field cannot outweigh a rare one.
   */
  bm25(i: number, queryTerms: ReadonlyMap<string, number>): { score: number; matched: string[] } {
    const doc = this.docs[i]!;
    let score = 0;
    const matched: string[] = [];
    for (const [t, weight] of queryTerms) {
      let tf = 0;
      for (const f of FIELDS) {
        const n = doc[f].tf.get(t);
        if (n) tf += (FIELD_WEIGHTS[f] * n) / (1 - B + (B * doc[f].length) / this.avgLength[f]);
      }
      if (tf > 0) {
        matched.push(t);
        score += weight * this.idf(t) * ((tf * (K1 + 1)) / (tf + K1));
      }
    }
    return { score, matched };
  }

  /**
   * Scores every runbook for the query. A runbook is returned when it matches something asked: an asked category,
   * a query term or a semantic hit; with none of these asked, every runbook except those written only for another
   * service is returned.
   */
  rank(query: RankQuery): RankedRunbook[] {
    const queryTerms = query.text ? weightedTerms(query.text) : new Map<string, number>();
    const hintTerms = new Map([...(query.hints ? weightedTerms(query.hints) : new Map<string, number>())].filter(([t]) => !queryTerms.has(t)));
    const categories = query.categories ?? [];
    const service = query.service?.trim().toLowerCase();
    const asked = queryTerms.size > 0 || categories.length > 0 || (query.semantic?.size ?? 0) > 0;
    const out: RankedRunbook[] = [];
    this.runbooks.forEach((runbook, i) => {
      const reasons: string[] = [];
      const { score: raw, matched } = this.bm25(i, queryTerms);
      const hint = hintTerms.size ? this.bm25(i, hintTerms).score : 0;
      const text = raw > 0 ? raw / (raw + TEXT_HALF) : 0;
      if (matched.length) reasons.push(`text matches ${matched.slice(0, 8).join(', ')}`);

      let category = 0;
      const at = categories.findIndex((c) => runbook.categories.includes(c));
      if (at >= 0) {
        // A runbook that lists the category first is about it; one that lists it fourth only touches on it.
        const own = runbook.categories.indexOf(categories[at]!);
        category = Math.max(0.1, WEIGHTS.category - WEIGHTS.categoryDecay * at - WEIGHTS.categoryRank * Math.min(3, own));
        reasons.push(`written for category ${categories[at]}${own > 0 ? ` (its ${ordinal(own + 1)} category)` : ''}`);
      }

      let serviceScore = 0;
      const specific = runbook.services.map((s) => s.toLowerCase());
      if (service && specific.length) {
        if (specific.includes(service)) {
          serviceScore = WEIGHTS.service;
          reasons.push(`written for service ${query.service!.trim()}`);
        } else {
          serviceScore = WEIGHTS.otherService;
          reasons.push(`written for other services (${runbook.services.join(', ')})`);
        }
      }

      const sem = query.semantic?.get(runbook.id) ?? 0;
      const semantic = sem > 0 ? WEIGHTS.semantic * Math.min(1, sem) : 0;
      if (semantic > 0) reasons.push(`semantic relevance ${round(sem)}`);

      const matches = !asked ? !service || specific.length === 0 || serviceScore > 0 : text > 0 || category > 0 || semantic > 0;
      if (!matches && !query.includeUnmatched) return;
      // Hints only order runbooks that already match; their weight stays below any real signal.
      const tie = hint > 0 ? 0.05 * (hint / (hint + TEXT_HALF)) : 0;
      out.push({
        runbook,
        score: round(text + category + serviceScore + semantic + tie),
        breakdown: { text: round(text), category: round(category), service: round(serviceScore), semantic: round(semantic) },
        matchedTerms: matched,
        reasons,
      });
    });
    return out.sort((a, b) => b.score - a.score || b.breakdown.category - a.breakdown.category || a.runbook.id.localeCompare(b.runbook.id));
  }
}

/**
 * A short excerpt for a match: the line of the runbook (symptoms first, then the body) that holds the most query
 * terms; without query terms, its description or first symptom.
 */
export function excerpt(runbook: AnalyzedRunbook, queryText: string | undefined, maxLength = 240): string {
  const wanted = new Set(queryText ? uniqueTerms(queryText) : []);
  const candidates = [
    ...runbook.symptoms.map((s) => plainText(s)),
    ...(runbook.description ? [runbook.description] : []),
    ...runbook.doc.body
      .split('\n')
      .filter((l) => !/^\s{0,3}#/.test(l) && !/^\s*(```|~~~)/.test(l))
      .map((l) => plainText(l).trim())
      .filter((l) => l.length > 12),
  ].map((l) => l.replace(/\s+/g, ' ').trim());
  let best = '';
  let bestHits = 0;
  if (wanted.size) {
    for (const line of candidates) {
      const hits = new Set(terms(line).filter((t) => wanted.has(t))).size;
      if (hits > bestHits) {
        best = line;
        bestHits = hits;
      }
    }
  }
  if (!best) best = runbook.description ?? candidates[0] ?? runbook.title;
  return best.length > maxLength ? `${best.slice(0, maxLength - 3).trimEnd()}...` : best;
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
