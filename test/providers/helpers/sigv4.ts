/**
 * An independent SigV4 check of presigned STS URLs, written from the published algorithm (canonical request →
 * string to sign → HMAC chain), the way STS verifies the URL that aws-iam-authenticator replays: with the
 * `x-k8s-aws-id` header set to the cluster the API server serves. Used by the fake API server to accept only
 * tokens that STS would accept for that cluster.
 */
import { createHash, createHmac } from 'node:crypto';

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const sha256hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 canonicalisation requires (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifyPresignedUrl(url: URL, credentials: TestCredentials, headers: Record<string, string>, now = Date.now()): Verdict {
  const q = url.searchParams;
  const signature = q.get('X-Amz-Signature');
  const signedHeaders = q.get('X-Amz-SignedHeaders');
  const credential = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  if (!signature || !signedHeaders || !credential || !amzDate) return { ok: false, reason: 'missing SigV4 query parameters' };
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { ok: false, reason: 'not AWS4-HMAC-SHA256' };
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId) return { ok: false, reason: 'unknown access key' };
  if (service !== 'sts' || terminator !== 'aws4_request' || !date || !region) return { ok: false, reason: `bad credential scope ${credential}` };
  if (credentials.sessionToken && q.get('X-Amz-Security-Token') !== credentials.sessionToken) return { ok: false, reason: 'wrong session token' };
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  // aws-iam-authenticator honours a token for 15 minutes after its signing time.
  if (!Number.isFinite(signedAt) || Math.abs(now - signedAt) > 15 * 60_000) return { ok: false, reason: 'token expired' };

  const names = signedHeaders.split(';');
  const headerValues: Record<string, string> = { host: url.host, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) };
  if (names.some((n) => headerValues[n] === undefined)) return { ok: false, reason: `cannot supply signed header(s) ${signedHeaders}` };
  const canonicalHeaders = names.map((n) => `${n}:${headerValues[n]!.trim()}\n`).join('');
  const canonicalQuery = [...q.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = ['GET', url.pathname || '/', canonicalQuery, canonicalHeaders, signedHeaders, sha256hex('')].join('\n');
  const scope = `${date}/${region}/${service}/${terminator}`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), terminator);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return expected === signature ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
