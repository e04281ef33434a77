/**
 * Finds which of many fixed phrases occur in a text, in one pass (Aho-Corasick, compiled to a DFA over a small
 * alphabet). Error-signature conditions test ~200 phrases per line; a regex alternation of them costs
 * O(length × phrases) in V8, this costs O(length).
 */

// Characters that occur in phrases get their own class; every other character is class 0 (no phrase continues
// through it). Texts are expected lower-cased, as the phrases are.
const MAX_CODE = 128;

export interface PhraseMatcher {
  /** Ids of the entries whose phrase occurs in the text, each once, ascending. */
  match(text: string): number[];
}

export function createPhraseMatcher(entries: ReadonlyArray<readonly [phrase: string, id: number]>): PhraseMatcher {
  const classOf = new Uint8Array(MAX_CODE);
  let classes = 1;
  for (const [phrase] of entries) {
    for (let i = 0; i < phrase.length; i++) {
      const c = phrase.charCodeAt(i);
      if (c >= MAX_CODE) throw new Error(`phrase matcher: non-ASCII phrase '${phrase}'`);
      if (classOf[c] === 0) classOf[c] = classes++;
    }
  }
  // Trie.
  const next: number[][] = [new Array<number>(classes).fill(-1)];
  const outputs: number[][] = [[]];
  for (const [phrase, id] of entries) {
    let node = 0;
    for (let i = 0; i < phrase.length; i++) {
      const k = classOf[phrase.charCodeAt(i)]!;
      let child = next[node]![k]!;
      if (child < 0) {
        child = next.length;
        next.push(new Array<number>(classes).fill(-1));
        outputs.push([]);
        next[node]![k] = child;
      }
      node = child;
    }
    if (!outputs[node]!.includes(id)) outputs[node]!.push(id);
  }
  // Failure links by breadth-first search, turning the trie into a DFA.
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  for (let k = 0; k < classes; k++) {
    const child = next[0]![k]!;
    if (child > 0) queue.push(child);
    else next[0]![k] = 0;
  }
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const id of outputs[fail[node]!]!) if (!outputs[node]!.includes(id)) outputs[node]!.push(id);
    for (let k = 0; k < classes; k++) {
      const child = next[node]![k]!;
      if (child > 0) {
        fail[child] = next[fail[node]!]![k]!;
        queue.push(child);
      } else {
        next[node]![k] = next[fail[node]!]![k]!;
      }
    }
  }
  const table = new Int32Array(next.length * classes);
  next.forEach((row, node) => table.set(row, node * classes));
  const hasOutput = new Uint8Array(next.length);
  outputs.forEach((o, node) => (hasOutput[node] = o.length ? 1 : 0));

  return {
    match(text: string): number[] {
      let node = 0;
      let found: Set<number> | undefined;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        node = table[node * classes + (c < MAX_CODE ? classOf[c]! : 0)]!;
        if (hasOutput[node]) {
          found ??= new Set();
          for (const id of outputs[node]!) found.add(id);
        }
      }
      return found ? [...found].sort((a, b) => a - b) : [];
    },
  };
}
