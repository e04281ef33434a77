import { compactVariables, hashMaskedKey, maskedTokens, VAR } from './tokenize.ts';
import type { TokenizeOptions } from './tokenize.ts';

/**
 * Online log template miner.
 *
 * 1. Masking (tokenize.ts) turns a message into a key: whitespace tokens, variable segments as
 *    "<*>", runs of variable tokens collapsed. Lines of one template mostly share a key, so most
 *    lines cost one scan (hashing the key as it goes) and one hash-table probe.
 * 2. A new key joins a group of the same token count whose template it fits: equal at every
 *    constant position, anything at a "<*>" position ("<*>" inside a token matches one or more
 *    characters), and at least minSharedFraction of its tokens equal constants.
 *    Constant words are never generalised by similarity alone: in real logs, same-length templates
 *    that differ in one word (GET/POST, Started/Stopped, FOLLOWING/LEADING) are different events,
 *    which is exactly where Drain's similarity threshold over-merges.
 * 3. Merges, which make the result independent of arrival order:
 *    - subsumption: a group whose template fits another group's template joins it (lines with a
 *      word where others had a number: the word is a value too);
 *    - distinct values: a group that others fit except for a different word at one position (its
 *      "near fits" there) turns that position into a variable once minDistinctValues different
 *      words have been seen at it (fewer after a noun such as "user" or "host"), like Brain's
 *      distinct-value threshold, and the near fits join it.
 *    Merges only ever join groups: an id once returned stays valid and resolves to the survivor.
 *
 * Known limits: a template with two or more variables that are plain words (no digits, not
 * key=value) is only generalised where some combinations repeat; a variable spanning a varying
 * number of words (free text) splits its template by token count.
 */
export interface TemplateMinerOptions {
  /** Longest token list kept per message; the rest of a longer message becomes one trailing "<*>". */
  maxTokens: number;
  /** Mask a key=value value even without digits (user=alice → user=<*>). */
  maskKeyValues: boolean;
  /** Share of a message's tokens that must equal the template's constants for it to fit through "<*>" positions. */
  minSharedFraction: number;
  /** Distinct words at one position (everything else fitting) from which that position is a variable. */
  minDistinctValues: number;
  /** The same, for a position right after a noun that names an entity ("user", "host", "file"...; see ENTITY_NOUNS). */
  minDistinctAfterNoun: number;
  /** Bound of the key → group cache; it is cleared when full, which only costs re-matching. */
  maxCachedKeys: number;
}

export interface LogTemplate {
  id: number;
  /** Tokens joined by ' ', variables as '<*>'. */
  template: string;
  count: number;
}

/** The one configuration used for every data set and in production. */
export const DEFAULT_TEMPLATE_MINER_OPTIONS: Readonly<TemplateMinerOptions> = Object.freeze({
  maxTokens: 100,
  maskKeyValues: true,
  minSharedFraction: 0.3,
  minDistinctValues: 6,
  minDistinctAfterNoun: 3,
  maxCachedKeys: 100_000,
});

interface Group {
  id: number;
  /** Template tokens: VAR, a pattern (text with "<*>" inside, e.g. "size=<*>,"), or a word. */
  tokens: string[];
  /** 1 where tokens[i] is a pattern. */
  patterns: Uint8Array;
  /** How each position renders: its token, or for a VAR the common shape of its values ("<*>:<*>", "<*> MB,") or VAR. */
  shapes: string[];
  count: number;
  /** Number of positions that are not VAR. */
  constants: number;
  /** Near fits by position: groups that fit this template but for a different word there. */
  nearFits: Map<number, NearFits> | null;
  /** Key of the match bucket holding the group. */
  bucket: string;
  /** Posting keys of its word positions. */
  postings: number[];
  /** tokens.join(' '), key of the duplicate index. */
  text: string;
}

interface NearFits {
  /** Ids of the near-fitting groups; may hold stale ids (merged or changed since), rechecked before use. */
  ids: number[];
  /** Their words at the position (other than the template's own). */
  words: Set<string>;
}

/**
 * Nouns after which a word is usually an identifier ("for user alice", "on host db", "file x"): a
 * position after one needs fewer distinct words (minDistinctAfterNoun) to count as a variable,
 * while e.g. states after "from"/"to" or verbs after "VM" still need minDistinctValues.
 */
const ENTITY_NOUNS = new Set(
  ('user users username account host hostname node server client file filename path dir directory ' +
    'id name port pid uid gid session job task container pod instance app application service process ' +
    'program thread group device interface queue topic table database volume disk namespace image package module').split(' '),
);

/** A template word as a noun: lower case, without a trailing ':' or '=' ("User:" → "user"). */
function nounOf(token: string): string {
  let end = token.length;
  while (end > 0 && (token[end - 1] === ':' || token[end - 1] === '=')) end--;
  return token.slice(0, end).toLowerCase();
}

/**
 * A new template looks for near fits among at most this many groups sharing a word with it (rarest
 * words first), which bounds the cost of a new template when thousands of same-length groups share
 * most words.
 */
const MAX_NEAR_FIT_CANDIDATES = 1000;

export class TemplateMiner {
  private readonly options: TemplateMinerOptions;
  private readonly tokenizeOptions: TokenizeOptions;
  private readonly groups: Group[] = [];
  /** Union-find parent of every id ever issued; merged ids point towards their survivor. */
  private readonly parent: number[] = [];
  private readonly keyCache: KeyCache;
  /** The two hashes of the current message's key. */
  private readonly keyHash = new Int32Array(2);
  /**
   * Live groups by token count and first two tokens (VAR for a VAR or pattern), like the first levels
   * of Drain's parse tree: a message looks in at most four buckets.
   */
  private readonly buckets = new Map<string, Set<number>>();
  /** Live groups by hash of (token count, position, word): finds the groups a new template covers. */
  private readonly postings = new IdLists();
  /** Live groups by token count, for templates without a single word to look up. */
  private readonly byLength = new Map<number, Set<number>>();
  /** Live groups by template text: no two live groups share a template. */
  private readonly byText = new Map<string, number>();

  constructor(options?: Partial<TemplateMinerOptions>) {
    this.options = { ...DEFAULT_TEMPLATE_MINER_OPTIONS, ...options };
    const { maxTokens, minSharedFraction, minDistinctValues, minDistinctAfterNoun, maxCachedKeys } = this.options;
    if (!(Number.isInteger(maxTokens) && maxTokens >= 2)) throw new RangeError('maxTokens must be an integer >= 2');
    if (!(minSharedFraction >= 0 && minSharedFraction <= 1)) throw new RangeError('minSharedFraction must be within [0, 1]');
    if (!(Number.isInteger(minDistinctValues) && minDistinctValues >= 2)) throw new RangeError('minDistinctValues must be an integer >= 2');
    if (!(Number.isInteger(minDistinctAfterNoun) && minDistinctAfterNoun >= 2)) throw new RangeError('minDistinctAfterNoun must be an integer >= 2');
    if (!(maxCachedKeys >= 1)) throw new RangeError('maxCachedKeys must be >= 1');
    this.tokenizeOptions = { maxTokens, maskKeyValues: this.options.maskKeyValues };
    this.keyCache = new KeyCache(maxCachedKeys);
  }

  /** Adds one message (content only, no timestamp/level header); returns the id of the group it joined. */
  add(message: string): number {
    const hash = this.keyHash;
    hashMaskedKey(message, this.tokenizeOptions, hash);
    const cached = this.keyCache.get(hash[0]!, hash[1]!);
    if (cached >= 0) {
      const id = this.find(cached);
      this.groups[id]!.count++;
      return id;
    }
    const { tokens, shapes } = maskedTokens(message, this.tokenizeOptions);
    let id = this.byText.get(tokens.join(' '));
    if (id === undefined) id = this.findFit(tokens, -1);
    if (id !== undefined) this.absorbShapes(this.groups[id]!, shapes);
    else id = this.createGroup(tokens, shapes);
    id = this.find(id);
    this.groups[id]!.count++;
    this.keyCache.set(hash[0]!, hash[1]!, id);
    return id;
  }

  /** The current template of a group; a merged id gives its survivor's. */
  template(id: number): LogTemplate {
    const group = this.groups[this.resolve(id)]!;
    return { id: group.id, template: group.shapes.map(compactVariables).join(' '), count: group.count };
  }

  /** All live groups, oldest first. */
  templates(): LogTemplate[] {
    const out: LogTemplate[] = [];
    for (let id = 0; id < this.parent.length; id++) if (this.parent[id] === id) out.push(this.template(id));
    return out;
  }

  /** Final group id for an id returned earlier by add() (after any merges). */
  resolve(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this.parent.length) throw new RangeError(`unknown template id ${id}`);
    return this.find(id);
  }

  private find(id: number): number {
    const parent = this.parent;
    let root = id;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[id] !== root) {
      const next = parent[id]!;
      parent[id] = root;
      id = next;
    }
    return root;
  }

  private minShared(length: number): number {
    return Math.max(1, Math.ceil(this.options.minSharedFraction * length));
  }

  /**
   * How many constants of the group's template the tokens equal, or -1 if they do not fit it
   * (a differing word, or a VAR where the template has a word or pattern).
   */
  private fit(group: Group, tokens: string[]): number {
    const t = group.tokens;
    const n = t.length;
    if (tokens.length !== n) return -1;
    let shared = 0;
    for (let i = 0; i < n; i++) {
      const g = t[i]!;
      if (g === VAR) continue;
      const s = tokens[i]!;
      if (g === s) shared++;
      else if (group.patterns[i] === 1 && s !== VAR && globMatch(g, s)) shared++;
      else return -1;
    }
    return shared;
  }

  /** The live group (other than `exclude`) whose template the tokens fit with the most shared constants. */
  private findFit(tokens: string[], exclude: number): number | undefined {
    const n = tokens.length;
    if (n === 0) return undefined;
    const need = this.minShared(n);
    let best: number | undefined;
    let bestShared = -1;
    let bestCount = -1;
    const first = tokens[0]!;
    const second = n > 1 ? tokens[1]! : '';
    for (let k = 0; k < 4; k++) {
      // k's bits choose, for each of the first two tokens, the exact token (0) or the VAR branch (1).
      if ((k & 1) === 0 && first === VAR) continue;
      if ((k & 2) === 0 && second === VAR) continue;
      if ((k & 2) !== 0 && n === 1) continue;
      const bucket = this.buckets.get(bucketKey(n, k & 1 ? VAR : first, k & 2 ? VAR : second));
      if (!bucket) continue;
      for (const id of bucket) {
        const group = this.groups[id]!;
        if (id === exclude || group.constants < need) continue;
        const shared = this.fit(group, tokens);
        if (shared < need) continue;
        if (shared > bestShared || (shared === bestShared && group.count > bestCount)) {
          best = id;
          bestShared = shared;
          bestCount = group.count;
        }
      }
    }
    return best;
  }

  /** A new key joined the group: where its variable shapes differ from the group's, the group renders VAR. */
  private absorbShapes(group: Group, shapes: string[]): void {
    const t = group.tokens;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === VAR && group.shapes[i] !== shapes[i]) group.shapes[i] = VAR;
    }
  }

  private createGroup(tokens: string[], shapes: string[]): number {
    const id = this.parent.length;
    this.parent.push(id);
    const group: Group = { id, tokens, patterns: new Uint8Array(0), shapes, count: 0, constants: 0, nearFits: null, bucket: '', postings: [], text: '' };
    this.groups.push(group);
    this.index(group);
    this.settle(id, false);
    return this.find(id);
  }

  /** Registers a group (after any template change) in the match, posting, length and text indexes. */
  private index(group: Group): void {
    const t = group.tokens;
    const n = t.length;
    group.patterns = new Uint8Array(n);
    group.constants = 0;
    for (let i = 0; i < n; i++) {
      if (t[i] === VAR) continue;
      group.constants++;
      if (t[i]!.includes(VAR)) group.patterns[i] = 1;
    }
    // Words are the positions that are neither VAR nor a pattern.
    const first = n > 0 && t[0] !== VAR && group.patterns[0] === 0 ? t[0]! : VAR;
    const second = n > 1 ? (t[1] !== VAR && group.patterns[1] === 0 ? t[1]! : VAR) : '';
    group.bucket = bucketKey(n, first, second);
    addTo(this.buckets, group.bucket, group.id);
    addTo(this.byLength, n, group.id);
    group.text = t.join(' ');
    this.byText.set(group.text, group.id);

    group.postings = [];
    for (let i = 0; i < n; i++) {
      if (t[i] === VAR || group.patterns[i] === 1) continue;
      const key = postingKey(n, i, t[i]!);
      group.postings.push(key);
      this.postings.add(key, group.id);
    }
  }

  private unindex(group: Group): void {
    removeFrom(this.buckets, group.bucket, group.id);
    removeFrom(this.byLength, group.tokens.length, group.id);
    if (this.byText.get(group.text) === group.id) this.byText.delete(group.text);
    for (const key of group.postings) this.postings.remove(key, group.id);
    group.postings = [];
  }

  /**
   * Runs the merges that a new or changed template allows, until nothing more merges. `checkCover`:
   * whether the start group may itself fit another template (not for a group just created from a
   * message that fitted none).
   */
  private settle(start: number, checkCover: boolean): void {
    const work = [start];
    let first = true;
    while (work.length > 0) {
      const id = this.find(work.pop()!);
      const group = this.groups[id]!;
      // Is the template now covered by a more general one? Then it joins that one.
      const cover = first && !checkCover ? undefined : this.findFit(group.tokens, id);
      first = false;
      if (cover !== undefined) {
        this.mergeInto(this.groups[cover]!, [group]);
        continue;
      }
      // Groups whose templates fit this one join it.
      const covered = this.coveredBy(group);
      if (covered.length > 0) this.mergeInto(group, covered);
      // Enough distinct words at one position, all else fitting, make that position a variable.
      const generalised = this.recordNearFits(group);
      if (generalised >= 0) work.push(generalised);
    }
  }

  /**
   * The position at which the tokens fit the anchor's template except for one different word
   * (the rest fitting, with at least minShared equal constants), or -1.
   */
  private nearFitPosition(anchor: Group, tokens: string[]): number {
    const t = anchor.tokens;
    const n = t.length;
    if (tokens.length !== n) return -1;
    let shared = 0;
    let at = -1;
    for (let i = 0; i < n; i++) {
      const g = t[i]!;
      if (g === VAR) continue;
      const s = tokens[i]!;
      if (g === s) shared++;
      else if (s === VAR) return -1; // more general there: not a value of this template
      else if (anchor.patterns[i] === 1 && globMatch(g, s)) shared++;
      else if (at >= 0) return -1;
      else at = i;
    }
    return at >= 0 && shared >= this.minShared(n) ? at : -1;
  }

  /**
   * Registers the near fits between a new or changed group and the groups sharing a word with it at
   * the same position, both ways (it near-fits them; they near-fit it). When some group has near
   * fits with minDistinctValues - 1 other words at one position, that position becomes a variable
   * there and the near fits join it. Returns the generalised group's id, or -1.
   */
  private recordNearFits(group: Group): number {
    const n = group.tokens.length;
    if (n < 2 || group.constants - 1 < this.minShared(n)) return -1;
    // Rarest words first. A group that fits this one but for one word shares one of its two rarest
    // words, so those two postings are always read; further ones until the candidate budget is spent.
    const keys = group.postings.slice().sort((a, b) => this.postings.count(a) - this.postings.count(b));
    const seen = new Set<number>([group.id]);
    for (let k = 0; k < keys.length && (k < 2 || seen.size <= MAX_NEAR_FIT_CANDIDATES); k++) {
      for (const id of this.postings.get(keys[k]!)) {
        if (seen.has(id)) continue;
        seen.add(id);
        const other = this.groups[id]!;
        const theirs = this.nearFitPosition(other, group.tokens);
        if (theirs >= 0 && this.addNearFit(other, theirs, group)) return this.generaliseAt(other, theirs);
        const ours = this.nearFitPosition(group, other.tokens);
        if (ours >= 0 && this.addNearFit(group, ours, other)) return this.generaliseAt(group, ours);
      }
    }
    return -1;
  }

  /** Records that `fitter` near-fits the anchor at `position`; true when that position now has enough distinct words. */
  private addNearFit(anchor: Group, position: number, fitter: Group): boolean {
    anchor.nearFits ??= new Map();
    let entry = anchor.nearFits.get(position);
    if (!entry) anchor.nearFits.set(position, (entry = { ids: [], words: new Set() }));
    entry.ids.push(fitter.id);
    entry.words.add(fitter.tokens[position]!);
    const needed = position > 0 && ENTITY_NOUNS.has(nounOf(anchor.tokens[position - 1]!)) ? this.options.minDistinctAfterNoun : this.options.minDistinctValues;
    return entry.words.size + 1 >= needed;
  }

  /** Live groups, other than the group itself, whose templates fit its template. */
  private coveredBy(group: Group): Group[] {
    const t = group.tokens;
    const n = t.length;
    const need = this.minShared(n);
    // Nothing but words: only an identical template would fit, and there is none.
    if (group.constants < need || (group.constants === n && !group.patterns.includes(1))) return [];
    // Candidates share the group's rarest word at its position; without a word, all of its length.
    let rarest = -1;
    let size = Infinity;
    for (const key of group.postings) {
      const count = this.postings.count(key);
      if (count < size) {
        rarest = key;
        size = count;
      }
    }
    if (size <= 1) return []; // only the group itself has its rarest word there
    const candidates = rarest !== -1 ? this.postings.get(rarest) : this.byLength.get(n);
    const out: Group[] = [];
    if (!candidates) return out;
    for (const m of candidates) {
      if (m === group.id) continue;
      const other = this.groups[m]!;
      if (this.fit(group, other.tokens) >= need) out.push(other);
    }
    return out;
  }

  /** Merges the groups into the target, whose template (already general enough) is kept. */
  private mergeInto(target: Group, others: Group[]): void {
    this.unindex(target);
    for (const other of others) {
      this.unindex(other);
      this.parent[other.id] = target.id;
      target.count += other.count;
      for (let i = 0; i < target.tokens.length; i++) {
        if (target.tokens[i] === VAR && target.shapes[i] !== other.shapes[i]) target.shapes[i] = VAR;
      }
      // Only its id lives on (resolving to the target): drop the rest.
      other.tokens = other.shapes = [];
      other.nearFits = null;
    }
    this.index(target);
  }

  /** Makes a position of the anchor a variable and merges its near fits there into it; returns its id. */
  private generaliseAt(anchor: Group, position: number): number {
    // The near fits still live and still fitting but for that position join.
    const ids = [...new Set(anchor.nearFits!.get(position)!.ids)].filter(
      (id) => this.parent[id] === id && id !== anchor.id && this.nearFitPosition(anchor, this.groups[id]!.tokens) === position,
    );
    anchor.nearFits!.delete(position);
    this.unindex(anchor);
    anchor.tokens = anchor.tokens.slice();
    anchor.tokens[position] = VAR;
    anchor.shapes = anchor.shapes.slice();
    anchor.shapes[position] = VAR;
    const others = ids.map((id) => this.groups[id]!);
    // The generalised template may already exist as another group: that one joins too.
    const twin = this.byText.get(anchor.tokens.join(' '));
    if (twin !== undefined && !ids.includes(twin)) others.push(this.groups[twin]!);
    this.index(anchor);
    this.mergeInto(anchor, others);
    return anchor.id;
  }
}

/**
 * Key hash → group id, open addressing in typed arrays: no allocation per lookup. Keys are the
 * 64-bit hashes of message keys (two 32-bit halves), not the keys: a false hit needs a new key whose
 * 64-bit hash equals that of one of the (at most maxKeys) cached keys, about 5e-15 per new key with
 * 100,000 cached. The table starts small and doubles as it fills; at maxKeys it is cleared
 * instead, and the messages then take the slow path once more and land in the same groups.
 */
class KeyCache {
  private hashA: Int32Array = new Int32Array(0);
  private hashB: Int32Array = new Int32Array(0);
  /** Group id per slot, -1 for an empty slot. */
  private values: Int32Array = new Int32Array(0);
  private mask = 0;
  private size = 0;

  constructor(private readonly maxKeys: number) {
    this.allocate(1024);
  }

  private allocate(capacity: number): void {
    this.hashA = new Int32Array(capacity);
    this.hashB = new Int32Array(capacity);
    this.values = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.size = 0;
  }

  private slot(a: number): number {
    const h = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    return (h ^ (h >>> 13)) & this.mask;
  }

  /** The group id stored for the key hash, or -1. */
  get(a: number, b: number): number {
    const values = this.values;
    const mask = this.mask;
    for (let i = this.slot(a); ; i = (i + 1) & mask) {
      const v = values[i]!;
      if (v < 0) return -1;
      if (this.hashA[i] === a && this.hashB[i] === b) return v;
    }
  }

  set(a: number, b: number, value: number): void {
    if (this.size >= this.maxKeys) {
      this.values.fill(-1);
      this.size = 0;
    } else if (this.size * 2 >= this.values.length) {
      this.grow();
    }
    const values = this.values;
    const mask = this.mask;
    for (let i = this.slot(a); ; i = (i + 1) & mask) {
      if (values[i]! < 0) {
        this.hashA[i] = a;
        this.hashB[i] = b;
        values[i] = value;
        this.size++;
        return;
      }
      if (this.hashA[i] === a && this.hashB[i] === b) {
        values[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { hashA, hashB, values } = this;
    this.allocate(values.length * 2);
    for (let i = 0; i < values.length; i++) if (values[i]! >= 0) this.set(hashA[i]!, hashB[i]!, values[i]!);
  }
}

function bucketKey(length: number, first: string, second: string): string {
  return `${length}\u0001${first}\u0001${second}`;
}

/**
 * A multimap from int32 key to group ids, in typed arrays: open addressing from key to the head of
 * a linked list of entries. Index upkeep is most of the cost of a new template, and this keeps it
 * free of per-entry allocation (a Map of arrays was several times slower).
 */
class IdLists {
  // Hash table: key, list head (entry index + 1; 0 = empty slot, -1 = deleted slot) and list length.
  private keys: Int32Array = new Int32Array(256);
  private heads: Int32Array = new Int32Array(256);
  private sizes: Int32Array = new Int32Array(256);
  private used = 0; // slots not empty (live or deleted)
  // Entries: group id and next entry (index + 1, 0 = end of list); freed entries are chained from `free`.
  private ids: Int32Array = new Int32Array(256);
  private next: Int32Array = new Int32Array(256);
  private entries = 0;
  private free = 0;

  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let h = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d);
    h ^= h >>> 12;
    let i = h & mask;
    let deleted = -1;
    for (;;) {
      const head = this.heads[i]!;
      if (head === 0) return deleted >= 0 ? deleted : i;
      if (head === -1) {
        if (deleted < 0) deleted = i;
      } else if (this.keys[i] === key) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  add(key: number, id: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.rehash();
    let e = this.free;
    if (e !== 0) this.free = this.next[e - 1]!;
    else {
      if (this.entries === this.ids.length) {
        this.ids = grown(this.ids);
        this.next = grown(this.next);
      }
      e = ++this.entries;
    }
    const slot = this.slotOf(key);
    const head = this.heads[slot]!;
    if (head <= 0) {
      if (head === 0) this.used++;
      this.keys[slot] = key;
      this.next[e - 1] = 0;
      this.sizes[slot] = 0;
    } else {
      this.next[e - 1] = head;
    }
    this.ids[e - 1] = id;
    this.heads[slot] = e;
    this.sizes[slot]!++;
  }

  remove(key: number, id: number): void {
    const slot = this.slotOf(key);
    let prev = 0;
    for (let e = this.heads[slot]!; e > 0; prev = e, e = this.next[e - 1]!) {
      if (this.ids[e - 1] !== id) continue;
      const after = this.next[e - 1]!;
      if (prev === 0) this.heads[slot] = after === 0 ? -1 : after;
      else this.next[prev - 1] = after;
      this.sizes[slot]!--;
      this.next[e - 1] = this.free;
      this.free = e;
      return;
    }
  }

  count(key: number): number {
    const slot = this.slotOf(key);
    return this.heads[slot]! > 0 ? this.sizes[slot]! : 0;
  }

  get(key: number): number[] {
    const out: number[] = [];
    for (let e = this.heads[this.slotOf(key)]!; e > 0; e = this.next[e - 1]!) out.push(this.ids[e - 1]!);
    return out;
  }

  /** Rebuilds the table (twice as large if mostly live) without its deleted slots. */
  private rehash(): void {
    const { keys, heads, sizes } = this;
    let live = 0;
    for (let i = 0; i < heads.length; i++) if (heads[i]! > 0) live++;
    const capacity = (live + 1) * 4 > keys.length ? keys.length * 2 : keys.length;
    this.keys = new Int32Array(capacity);
    this.heads = new Int32Array(capacity);
    this.sizes = new Int32Array(capacity);
    this.used = 0;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i]! <= 0) continue;
      const slot = this.slotOf(keys[i]!);
      this.keys[slot] = keys[i]!;
      this.heads[slot] = heads[i]!;
      this.sizes[slot] = sizes[i]!;
      this.used++;
    }
  }
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function addTo<K>(map: Map<K, Set<number>>, key: K, value: number): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K>(map: Map<K, Set<number>>, key: K, value: number): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** Whether text matches a pattern in which each "<*>" stands for one or more characters. */
export function globMatch(pattern: string, text: string): boolean {
  const pl = pattern.length;
  const tl = text.length;
  let p = 0;
  let t = 0;
  let backP = -1;
  let backT = -1;
  while (t < tl) {
    if (pattern.startsWith(VAR, p)) {
      p += VAR.length;
      t++; // a variable takes at least one character
      backP = p;
      backT = t;
    } else if (p < pl && pattern.charCodeAt(p) === text.charCodeAt(t)) {
      p++;
      t++;
    } else if (backP >= 0) {
      // Let the last variable take one more character.
      p = backP;
      t = ++backT;
    } else {
      return false;
    }
  }
  return p === pl;
}

/**
 * Posting keys: a hash of (token count, position, word) cut to 30 bits, so that V8 keeps them as
 * small integers. Collisions only add candidates: every candidate is checked against the real tokens.
 */
function postingKey(length: number, position: number, token: string): number {
  let h = 0x811c9dc5 ^ Math.imul(length + 0x3c6ef372, 0x9e3779b1) ^ Math.imul(position + 0x165667b1, 0x85ebca77);
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}
