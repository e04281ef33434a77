/**
 * Single-pass masking tokenizer for log messages.
 *
 * A message is split on whitespace into tokens, and each token on punctuation delimiters into
 * segments. A segment is a variable ("<*>") when it
 *  - holds a digit (numbers, ids, IPs, UUIDs, timestamps, versions, host names like node-12),
 *  - is a path or URL ("/var/log/x", "//host", "pkg/.Main", with any query string),
 *  - is a long hex string without digits ("ffffffff"),
 *  - or, with maskKeyValues, is a value: of key=value (quoted values may hold spaces), of a JSON
 *    "key": value, or the token after a key that ends one ("user= alice").
 * A token with no word left outside its variables ("10.0.0.1:8080", "(42)", "[0x1f]") is a variable
 * token; so is a size or time unit right after a variable ("16.0 KB," — the unit varies with the
 * number), a weekday or month name next to one ("Sun Jul 24 02:38:23"), and a token longer than
 * MAX_TOKEN_LENGTH (a blob). A run of variable tokens collapses into one "<*>", so lists of any
 * length align.
 *
 * The *key* of a message is its tokens joined by single spaces, variable tokens as "<*>". Lines of
 * one template mostly share a key, so the miner resolves most lines by hashing the key during the
 * scan (hashMaskedKey: no string is built) and one lookup.
 */

export const VAR = '<*>';

export interface TokenizeOptions {
  /** Longest token list kept; the rest of a longer message becomes one trailing "<*>". */
  maxTokens: number;
  /** Mask the value of key=value even without digits, e.g. user=alice → user=<*>. */
  maskKeyValues: boolean;
}

// Character bits. A segment character (SEG) is anything but whitespace and the delimiters; the
// other bits say what a segment holds.
const SEG = 1;
const DIGIT = 2;
/** A character that cannot be part of a hex string (letters after f, '.', '-', '_', '/', non-ASCII...). */
const NON_HEX = 4;
const SLASH = 8;
const DOT = 16;
const DELIM = 32;
const SPACE = 64;

const CHAR_BITS = new Uint8Array(128).fill(SEG | NON_HEX);
for (let c = 0; c <= 32; c++) CHAR_BITS[c] = SPACE;
CHAR_BITS[127] = SPACE;
for (let c = 48; c <= 57; c++) CHAR_BITS[c] = SEG | DIGIT;
for (const ch of 'abcdefABCDEF') CHAR_BITS[ch.charCodeAt(0)] = SEG;
// '.', '-', '_' and slashes stay inside segments: they join the parts of one identifier, version,
// path or host name; splitting on them would turn ids like "attempt_1_0020_m_000002_0" or
// "a1b2-c3d4" into keys that differ by a stray letter group.
for (const ch of ':=,;()[]{}|#@"\'<>&!?*+`^~$%') CHAR_BITS[ch.charCodeAt(0)] = DELIM;
CHAR_BITS[46] = SEG | NON_HEX | DOT; // '.'
CHAR_BITS[47] = SEG | NON_HEX | SLASH; // '/'
CHAR_BITS[92] = SEG | NON_HEX | SLASH; // '\'

function bitsOf(c: number): number {
  return c < 128 ? CHAR_BITS[c]! : SEG | NON_HEX;
}

const C_EQUALS = 61;
const C_QUESTION = 63;
const C_HASH = 35;
const C_SPACE = 32;
const C_DQUOTE = 34;
const C_COLON = 58;
const C_DOT = 46;
const C_SQUOTE = 39;
/** A quoted key=value value is looked for this far; a longer one is tokenized as usual. */
const MAX_QUOTED_VALUE_LENGTH = 256;
/** A token longer than this is a variable as a whole. */
const MAX_TOKEN_LENGTH = 512;

/** Delimiters that may open a value right after '=' (tag="x", tag='x', tag=*x*): the value is the next segment. */
const OPENS_VALUE = new Uint8Array(128);
for (const ch of '"\'*') OPENS_VALUE[ch.charCodeAt(0)] = 1;
/** Delimiters after which the preceding segment names a structure: "Rect(", "WorkSource{", "List[", "Map<". */
const OPENS_STRUCTURE = new Uint8Array(128);
for (const ch of '([{<') OPENS_STRUCTURE[ch.charCodeAt(0)] = 1;

/** Hex strings without digits are variables from this length on ("ffffffff"); shorter ones are words ("cafe"). */
const MIN_HEX_WORD_LENGTH = 8;

/** Units whose value varies with the number before them (human-readable sizes and durations). */
const UNITS = new Set(['B', 'kB', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'ns', 'us', 'µs', 'ms', 'sec', 'secs', 'min', 'mins']);

/** Token flags reported by scanToken. */
const MASKED = 1;
const VERBATIM_WORD = 2;

/** Results of the last scanToken call (module variables: returned without allocating). */
let scannedFlags = 0;
let scannedText = '';
/** Whether the last scanned token ends by opening a value ("key=", "\"key\":"): the next token is that value. */
let scannedOpensValue = false;
/**
 * Running hashes of the key being scanned: scanToken continues them over the token's masked text.
 * Two FNV-1a style 32-bit hashes with different seeds and multipliers, 64 bits together. (Each step
 * is a bijection of the state, so keys of one length that differ in a single character never collide.)
 */
let hashA = 0;
let hashB = 0;

const HASH_A_SEED = 0x811c9dc5 | 0;
const HASH_B_SEED = 0x9747b28c | 0;
const VAR_0 = VAR.charCodeAt(0);
const VAR_1 = VAR.charCodeAt(1);
const VAR_2 = VAR.charCodeAt(2);

function mixA(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193); // FNV-1a
}

function mixB(h: number, c: number): number {
  return Math.imul(h ^ c, 0x5bd1e995); // FNV-1a-like, another multiplier
}

/**
 * Scans the token that starts at `start` (a non-space character) and returns its end. Sets
 * scannedFlags (MASKED: some segment is a variable; VERBATIM_WORD: some word is kept) and
 * scannedOpensValue, advances hashA/hashB over the token's masked text, and, when `build` is set,
 * sets scannedText to that text. `valueFirst`: the token is the value of a key that ended the
 * previous token ("user= alice", "\"msg\": \"a b\"").
 */
function scanToken(message: string, start: number, maskKeyValues: boolean, valueFirst: boolean, build: boolean): number {
  const n = message.length;
  let flags = 0;
  let text = '';
  let a = hashA;
  let b = hashB;
  // Hashes at the segment start, to replace a segment that turns out to be a variable by VAR.
  let segA = a;
  let segB = b;
  let segStart = start;
  let seg = 0; // the bits of the segment's characters
  let slashes = 0;
  let afterEquals = valueFirst;
  let i = start;
  for (; ; i++) {
    // The segment's characters: the hot loop.
    let c = C_SPACE;
    let bits = SPACE;
    while (i < n) {
      c = message.charCodeAt(i);
      bits = c < 128 ? CHAR_BITS[c]! : SEG | NON_HEX;
      if ((bits & SEG) === 0) break;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      seg |= bits;
      if ((bits & SLASH) !== 0) slashes++;
      i++;
    }
    if (i >= n) {
      c = C_SPACE;
      bits = SPACE;
    }
    // A delimiter or the end of the token closes the segment [segStart, i).
    const length = i - segStart;
    if (length > 0 && c === C_COLON && message.startsWith('//', i + 1)) {
      // A URL ("hdfs://host:9000/x", "akka.tcp://sys@host"): one variable up to the end of the
      // token or the closing punctuation that ends it.
      flags |= MASKED;
      if (build) text += VAR;
      a = mixA(mixA(mixA(segA, VAR_0), VAR_1), VAR_2);
      b = mixB(mixB(mixB(segB, VAR_0), VAR_1), VAR_2);
      i = urlEnd(message, i);
      segStart = i;
      segA = a;
      segB = b;
      seg = 0;
      slashes = 0;
      afterEquals = false;
      i--; // the loop steps onto the URL's end
      continue;
    }
    if (length > 0) {
      const path = slashes >= 2 || (slashes === 1 && ((length >= 2 && (bitsOf(message.charCodeAt(segStart)) & SLASH) !== 0) || (seg & DOT) !== 0));
      const hex = (seg & NON_HEX) === 0 && length >= MIN_HEX_WORD_LENGTH;
      // After '=', a segment that opens a structure is its type, not the value ("bounds=Rect(0, 0)").
      const value = afterEquals && maskKeyValues && (c >= 128 || OPENS_STRUCTURE[c] !== 1);
      if (((seg & DIGIT) !== 0 && (hex || !isNameWithDigit(message, segStart, i))) || path || hex || value) {
        flags |= MASKED;
        if (build) text += VAR;
        a = mixA(mixA(mixA(segA, VAR_0), VAR_1), VAR_2);
        b = mixB(mixB(mixB(segB, VAR_0), VAR_1), VAR_2);
        if (path && (c === C_QUESTION || c === C_HASH)) {
          // A URL's query string or fragment is part of the variable.
          i = urlEnd(message, i);
          segStart = i;
          segA = a;
          segB = b;
          seg = 0;
          slashes = 0;
          afterEquals = false;
          i--; // the loop steps onto the URL's end
          continue;
        }
      } else {
        flags |= VERBATIM_WORD;
        if (build) text += message.slice(segStart, i);
      }
      afterEquals = false;
    }
    if (bits === SPACE) break;
    if (build) text += message[i];
    a = mixA(a, c);
    b = mixB(b, c);
    if (maskKeyValues && afterEquals && length === 0 && (c === C_DQUOTE || c === C_SQUOTE)) {
      // key="a quoted value": the value is one variable, spaces included.
      const close = closingQuote(message, i);
      if (close > i + 1) {
        flags |= MASKED;
        if (build) text += VAR;
        a = mixA(mixA(mixA(a, VAR_0), VAR_1), VAR_2);
        b = mixB(mixB(mixB(b, VAR_0), VAR_1), VAR_2);
        afterEquals = false;
        segStart = close;
        segA = a;
        segB = b;
        i = close - 1; // the closing quote is next, as a delimiter after an empty segment
        continue;
      }
    }
    // '=' opens a value, and so does ':' after a quoted key (JSON).
    if (c === C_EQUALS || (c === C_COLON && length === 0 && i > start && message.charCodeAt(i - 1) === C_DQUOTE)) afterEquals = true;
    else if (length > 0 || !(afterEquals && OPENS_VALUE[c] === 1)) afterEquals = false;
    segStart = i + 1;
    segA = a;
    segB = b;
    seg = 0;
    slashes = 0;
  }
  const end = i < n ? i : n;
  scannedOpensValue = afterEquals && maskKeyValues;
  if (end - start > MAX_TOKEN_LENGTH) {
    // A blob (base64, a minified payload): one variable, and no huge key or template.
    flags = MASKED;
    text = VAR;
  }
  scannedFlags = flags;
  scannedText = text;
  hashA = a;
  hashB = b;
  return end;
}

/** The index of the quote closing the one at `open`, if within MAX_QUOTED_VALUE_LENGTH; else -1. */
function closingQuote(message: string, open: number): number {
  const quote = message.charCodeAt(open);
  const last = Math.min(message.length, open + 1 + MAX_QUOTED_VALUE_LENGTH);
  for (let i = open + 1; i < last; i++) if (message.charCodeAt(i) === quote) return i;
  return -1;
}

/** Delimiters that may close what holds a URL ("[url]", "(url),", "\"url\";"): they are not part of it. */
const CLOSES_URL = new Uint8Array(128);
for (const ch of ')]}>"\',;') CLOSES_URL[ch.charCodeAt(0)] = 1;

/** The end of the URL that continues at `from`: the end of the token, less the closing punctuation after it. */
function urlEnd(message: string, from: number): number {
  let end = from;
  while (end < message.length && bitsOf(message.charCodeAt(end)) !== SPACE) end++;
  while (end > from) {
    const c = message.charCodeAt(end - 1);
    if (c >= 128 || CLOSES_URL[c] !== 1) break;
    end--;
  }
  return end;
}

/**
 * Whether a segment with digits is a name that merely contains one ("log4j", "jk2_init", "Slf4jLogger",
 * "k8s"): a single digit between a letter and a letter or '_'. Numbers, ids with several digits and
 * names ending in a number ("node12", "ssh2") stay variables.
 */
function isNameWithDigit(message: string, start: number, end: number): boolean {
  if (end - start < 3 || !isLetter(message.charCodeAt(start))) return false;
  let at = -1;
  for (let i = start + 1; i < end; i++) {
    const c = message.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (at >= 0) return false;
      at = i;
    }
  }
  if (at < 0 || at === end - 1) return false;
  const after = message.charCodeAt(at + 1);
  return isLetter(message.charCodeAt(at - 1)) && (isLetter(after) || after === 95);
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** Weekday and month names: part of a date when next to a number ("Sun Jul 24 02:38:23 2005"). */
const CALENDAR = new Set([
  ...'Mon Tue Wed Thu Fri Sat Sun Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(' '),
  ...'Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March April June July August September October November December'.split(' '),
]);
const MAX_CALENDAR_LENGTH = 9;
/** First characters of units (bit 1) and of calendar names (bit 2): most tokens need no lookup. */
const STARTS_WORD_OF_VARIABLE = new Uint8Array(128);
for (const u of UNITS) if (u.charCodeAt(0) < 128) STARTS_WORD_OF_VARIABLE[u.charCodeAt(0)]! |= 1;
for (const w of CALENDAR) STARTS_WORD_OF_VARIABLE[w.charCodeAt(0)]! |= 2;

/**
 * Whether a plain token belongs to the variable next to it: a unit right after a variable
 * ("16.0 KB,"), or a weekday or month name right after a variable or leading into one through
 * other such names ("at Sun Jul 24 02:38:23"). Trailing punctuation is ignored.
 */
function joinsVariable(message: string, start: number, tokenEnd: number, prevVar: boolean, maskKeyValues: boolean): boolean {
  let end = tokenEnd;
  while (end > start && bitsOf(message.charCodeAt(end - 1)) === DELIM) end--;
  const length = end - start;
  if (length === 0 || length > MAX_CALENDAR_LENGTH) return false;
  const first = message.charCodeAt(start);
  if (first < 128 ? (STARTS_WORD_OF_VARIABLE[first]! & (prevVar ? 3 : 2)) === 0 : !(prevVar && first === 0xb5)) return false;
  const word = message.slice(start, end);
  if (prevVar) return UNITS.has(word) || CALENDAR.has(word);
  if (!CALENDAR.has(word)) return false;
  // Look ahead through a few further calendar names ("Sun Jul 24") for a variable token.
  const n = message.length;
  let j = skipSpaces(message, tokenEnd);
  let names = 0;
  const savedFlags = scannedFlags;
  const savedOpensValue = scannedOpensValue;
  const savedA = hashA;
  const savedB = hashB;
  let result = false;
  while (j < n) {
    const e = scanToken(message, j, maskKeyValues, false, false);
    if (scannedFlags === MASKED) {
      result = true;
      break;
    }
    let we = e;
    while (we > j && bitsOf(message.charCodeAt(we - 1)) === DELIM) we--;
    if (++names > 3 || we - j > MAX_CALENDAR_LENGTH || !CALENDAR.has(message.slice(j, we))) break;
    j = skipSpaces(message, e);
  }
  scannedFlags = savedFlags;
  scannedOpensValue = savedOpensValue;
  hashA = savedA;
  hashB = savedB;
  return result;
}

function skipSpaces(message: string, i: number): number {
  const n = message.length;
  while (i < n) {
    const c = message.charCodeAt(i);
    if (c >= 128 || CHAR_BITS[c] !== SPACE) break;
    i++;
  }
  return i;
}

/**
 * Writes into out[0] and out[1] two 32-bit hashes of the message's key (maskedKey), without
 * building it: the miner's hot path. One pass over the characters, no allocation; a test pins
 * that the result equals hashKeyText(maskedKey(message)).
 */
export function hashMaskedKey(message: string, options: TokenizeOptions, out: Int32Array): void {
  const n = message.length;
  const maxTokens = options.maxTokens;
  const maskKeyValues = options.maskKeyValues;
  let a = HASH_A_SEED;
  let b = HASH_B_SEED;
  let tokens = 0;
  let prevVar = false;
  let valueNext = false;
  let i = skipSpaces(message, 0);
  while (i < n) {
    const tokStart = i;
    // Hashes before this token's separating space, and at its start.
    const beforeA = a;
    const beforeB = b;
    if (tokens > 0) {
      a = mixA(a, C_SPACE);
      b = mixB(b, C_SPACE);
    }
    const startA = a;
    const startB = b;
    hashA = a;
    hashB = b;
    const tokEnd = scanToken(message, tokStart, maskKeyValues, valueNext, false);
    let flags = scannedFlags;
    valueNext = scannedOpensValue;
    i = skipSpaces(message, tokEnd);
    if (tokens === maxTokens - 1 && i < n) {
      // Cap reached: this token and all after it are one variable.
      if (prevVar) {
        a = beforeA;
        b = beforeB;
      } else {
        a = mixA(mixA(mixA(startA, VAR_0), VAR_1), VAR_2);
        b = mixB(mixB(mixB(startB, VAR_0), VAR_1), VAR_2);
      }
      break;
    }
    if ((flags & MASKED) === 0 && flags !== 0 && joinsVariable(message, tokStart, tokEnd, prevVar, maskKeyValues)) flags = MASKED;
    if (flags === MASKED) {
      if (prevVar) {
        a = beforeA;
        b = beforeB;
      } else {
        a = mixA(mixA(mixA(startA, VAR_0), VAR_1), VAR_2);
        b = mixB(mixB(mixB(startB, VAR_0), VAR_1), VAR_2);
        tokens++;
        prevVar = true;
      }
      continue;
    }
    a = hashA;
    b = hashB;
    tokens++;
    prevVar = false;
  }
  out[0] = a;
  out[1] = b;
}

/** The same two hashes as hashMaskedKey, of a key given as text. */
export function hashKeyText(key: string, out: Int32Array): void {
  let a = HASH_A_SEED;
  let b = HASH_B_SEED;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = mixA(a, c);
    b = mixB(b, c);
  }
  out[0] = a;
  out[1] = b;
}

/** The key of a message: its tokens (variable tokens as "<*>", runs collapsed) joined by single spaces. */
export function maskedKey(message: string, options: TokenizeOptions): string {
  return maskedTokens(message, options).tokens.join(' ');
}

export interface MaskedTokens {
  /** The key's tokens: VAR for variable tokens (runs collapsed), masked text otherwise. */
  tokens: string[];
  /**
   * Per token, its masked text before variable tokens were reduced to VAR ("<*>:<*>", a run
   * "<*> MB,"); used to render templates.
   */
  shapes: string[];
}

/** A collapsed run's shape stops being tracked past this length (it would be too specific to match anything). */
const MAX_RUN_SHAPE_LENGTH = 48;

/**
 * The tokens of a message and the shape of each (variable tokens as "<*>", runs collapsed, at
 * most maxTokens). Allocates; the miner calls it once per new key.
 */
export function maskedTokens(message: string, options: TokenizeOptions): MaskedTokens {
  const tokens: string[] = [];
  const shapes: string[] = [];
  const n = message.length;
  let prevVar = false;
  let runTooLong = false;
  let valueNext = false;
  let i = skipSpaces(message, 0);
  while (i < n) {
    const tokStart = i;
    const tokEnd = scanToken(message, tokStart, options.maskKeyValues, valueNext, true);
    let flags = scannedFlags;
    valueNext = scannedOpensValue;
    const text = scannedText;
    i = skipSpaces(message, tokEnd);
    if (tokens.length === options.maxTokens - 1 && i < n) {
      if (prevVar) shapes[shapes.length - 1] = VAR;
      else {
        tokens.push(VAR);
        shapes.push(VAR);
      }
      break;
    }
    if ((flags & MASKED) === 0 && flags !== 0 && joinsVariable(message, tokStart, tokEnd, prevVar, options.maskKeyValues)) flags = MASKED;
    if (flags === MASKED) {
      // A full stop after the last variable of a run ends the sentence; the shape shows it ("port <*>.").
      const shape = message.charCodeAt(tokEnd - 1) === C_DOT && text.endsWith(VAR) ? `${text}.` : text;
      if (prevVar) {
        const last = shapes.length - 1;
        const run = shapes[last]!.endsWith('.') ? shapes[last]!.slice(0, -1) : shapes[last]!;
        runTooLong ||= run.length + 1 + shape.length > MAX_RUN_SHAPE_LENGTH;
        shapes[last] = runTooLong ? VAR : `${run} ${shape}`;
      } else {
        tokens.push(VAR);
        shapes.push(shape);
        runTooLong = false;
      }
      prevVar = true;
      continue;
    }
    tokens.push(text);
    shapes.push(text);
    prevVar = false;
  }
  return { tokens, shapes };
}

/**
 * Rendering of a template token: variables joined by address punctuation ("<*>:<*>" host:port,
 * "<*>@<*>", "<*>.<*>") or collapsed from a run of tokens ("<*> <*>") are one value and render as
 * one "<*>". Separators that list several values (',', '|', '#') keep them apart.
 */
export function compactVariables(shape: string): string {
  return shape.includes(VAR) ? shape.replace(/<\*>(?:[ :.\-_/@]<\*>)+/g, VAR) : shape;
}
