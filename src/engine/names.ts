/**
 * Matching the names people, alarms and logs use to the names of cluster objects: `checkout` in a question,
 * `targetgroup/k8s-shop-checkout-1a2b3c4d5e/...` in an alarm, `orders-db.shop.svc.cluster.local:5432` in a log line
 * all refer to objects the Kubernetes specialist listed. Generic rules only: tokenisation, hashes stripped, plural
 * and prefix tolerance.
 */

const STOP = new Set([
  'the', 'a', 'an', 'is', 'are', 'was', 'were', 'be', 'why', 'what', 'whats', 'how', 'when', 'who', 'which', 'our', 'my',
  'we', 'i', 'it', 'its', 'of', 'in', 'on', 'for', 'to', 'from', 'and', 'or', 'with', 'this', 'that', 'these', 'there',
  'do', 'does', 'did', 'has', 'have', 'had', 'can', 'could', 'should', 'would', 'any', 'some', 'all', 'not', 'no', 'yes',
  'please', 'me', 'us', 'you', 'since', 'now', 'today', 'right', 'just', 'still', 'again', 'keep', 'keeps', 'getting',
  'going', 'out', 'up', 'down', 'about', 'into', 'than', 'then', 'also', 'very', 'much', 'many', 'lot', 'lots', 'being',
  'k8s', 'svc', 'cluster', 'local', 'default', 'prod', 'production', 'staging', 'com', 'net', 'io', 'internal', 'http',
  'https', 'www', 'app', 'targetgroup', 'deployment', 'pod', 'pods', 'service', 'services', 'namespace', 'anything',
  'something', 'wrong', 'happening', 'happened', 'issue', 'issues', 'problem', 'problems', 'users', 'user', 'customers',
  'say', 'says', 'seeing', 'see', 'look', 'looks', 'new', 'version',
]);

/** Pod-template hashes, ALB name hashes, ids: tokens that name an instance, not a thing. */
function isNoise(token: string): boolean {
  if (token.length <= 1) return true;
  if (/^\d+$/.test(token)) return true;
  // Hash-like: mixes letters and digits and is long enough (k8s pod-template-hash 9-10 chars, ALB hashes).
  if (token.length >= 5 && /\d/.test(token) && /[a-z]/.test(token) && !/^v\d/.test(token)) return true;
  return false;
}

/** Lower-case name tokens, split on separators and camelCase, noise and stop words removed. */
export function nameTokens(text: string): string[] {
  const spaced = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  const out: string[] = [];
  for (const raw of spaced.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!raw || STOP.has(raw) || isNoise(raw)) continue;
    out.push(raw);
  }
  return out;
}

function stem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 3 && token.endsWith('s') && !token.endsWith('ss')) return token.slice(0, -1);
  return token;
}

function tokenMatch(a: string, b: string): number {
  if (a === b) return 1;
  const sa = stem(a);
  const sb = stem(b);
  if (sa === sb) return 0.95;
  // Prefix tolerance for abbreviations: "pay" / "payments", "auth" / "authentication", "inv" / "inventory".
  const [short, long] = sa.length <= sb.length ? [sa, sb] : [sb, sa];
  if (short.length >= 3 && long.startsWith(short)) return 0.6;
  return 0;
}

/**
 * How well a set of query tokens names a resource (0..1): the share of the resource's name tokens covered by the
 * query, weighted towards covering the distinctive ones. `checkout` vs `checkout-api` → high; `api` vs
 * `checkout-api` → lower.
 */
export function nameScore(query: readonly string[], resourceName: string): number {
  const target = nameTokens(resourceName);
  if (!target.length || !query.length) return 0;
  let covered = 0;
  for (const t of target) {
    let best = 0;
    for (const q of query) best = Math.max(best, tokenMatch(q, t));
    covered += best;
  }
  const coverage = covered / target.length;
  // The first token of a workload name is usually its distinctive part (checkout-api, orders-db).
  let first = 0;
  for (const q of query) first = Math.max(first, tokenMatch(q, target[0]!));
  return Math.min(1, 0.6 * coverage + 0.4 * first);
}

/** `Kind/ns/name` → name; other strings unchanged. */
export function shortName(resource: string): string {
  const parts = resource.split('/');
  return parts.length === 3 ? parts[2]! : resource;
}

/** The host part of `host:port`, a URL, `user@host/db`, `dial tcp host:port`. Lower-case; empty when none. */
export function hostOf(target: string): string {
  let t = target.trim().toLowerCase();
  t = t.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  t = t.replace(/^[^@/]*@/, '');
  t = t.split('/')[0]!;
  if (t.startsWith('[')) return t.slice(1, t.indexOf(']'));
  const colon = t.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(t.slice(colon + 1))) t = t.slice(0, colon);
  return t;
}
