/**
 * Terms for runbook retrieval. Incident text and runbooks name the same thing many ways (`OOMKilled`,
 * `oom-killed`, "OOM killed"; `CrashLoopBackOff`, "crash loop"), so a word yields its whole form and its parts
 * (camelCase and hyphen pieces), lowercased and lightly stemmed; stop words carry no signal and are dropped.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have how i if in into is it its ' +
    'may me might my no not of on or our over should so such than that the their them then there these they this ' +
    'those through to too up us very was we were what when where which while who why will with would you your ' +
    'after before all any also about again against because both each few more most other out own same some ' +
    'only just until under during above below off further once here both nor am'
  ).split(' '),
);

// Words are runs of letters, digits and the joiners people use inside identifiers.
const WORD_RE = /[A-Za-z0-9][A-Za-z0-9_.\-/]*[A-Za-z0-9]|[A-Za-z0-9]/g;

/** A light suffix stemmer: enough to meet `pods`/`pod`, `killed`/`kill`, `throttling`/`throttled`/`throttles`. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.length > 5 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  else if (w.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // A silent final e goes too, so `throttle` meets `throttled` and `expire` meets `expired`.
  return w.length > 4 && w.endsWith('e') && !w.endsWith('ee') ? w.slice(0, -1) : w;
}

function undouble(word: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(word) && !/(?:ll|ss|zz)$/.test(word) ? word.slice(0, -1) : word;
}

/** Terms of a text, in order, with repeats (term frequency matters for BM25). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0];
    const pieces = word
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(/[\s_.\-/]+/)
      .filter(Boolean)
      .map((p) => p.toLowerCase());
    const whole = word.toLowerCase().replace(/[_.\-/]/g, '');
    const emit = (t: string) => {
      if (t.length < 2 && !/\d/.test(t)) return;
      if (STOP_WORDS.has(t)) return;
      out.push(stem(t));
    };
    if (pieces.length > 1) {
      // Joined form so `oom-killed`, `OOMKilled` and `oomkilled` meet; dotted versions and paths stay whole too.
      emit(whole);
      for (const p of pieces) emit(p);
    } else {
      emit(whole);
    }
  }
  return out;
}

export function uniqueTerms(text: string): string[] {
  return [...new Set(terms(text))];
}

/** Query terms with weights: whole words count 1, the pieces of a compound (`CrashLoopBackOff`) half each. */
export function weightedTerms(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(WORD_RE)) {
    const ts = terms(m[0]);
    ts.forEach((t, i) => out.set(t, Math.max(out.get(t) ?? 0, i === 0 ? 1 : 0.5)));
  }
  return out;
}
