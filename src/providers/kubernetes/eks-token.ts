/**
 * EKS bearer tokens, as `aws eks get-token` and aws-iam-authenticator make them: `k8s-aws-v1.` followed by the
 * unpadded base64url of a presigned STS GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header
 * (the cluster name, so a token for one cluster is useless on another). The API server's authenticator replays
 * the URL to STS to learn the caller's IAM identity. The URL is computed locally: no STS call is made here.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../aws/sha256.ts';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** What aws-iam-authenticator expects; the token itself is honoured for 15 minutes after X-Amz-Date. */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** `aws eks get-token` reports tokens as expiring after 14 minutes: one minute of margin below the 15. */
export const TOKEN_LIFETIME_MS = 14 * 60_000;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

/** The regional STS endpoint (global STS is legacy; China regions use their own DNS suffix). */
export function stsHostname(region: string): string {
  return `sts.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

export interface PresignInput {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  signingDate?: Date;
}

/** The presigned `https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-...` URL. */
export async function presignCallerIdentity(input: PresignInput): Promise<string> {
  const hostname = stsHostname(input.region);
  const signer = new SignatureV4({ service: 'sts', region: input.region, credentials: input.credentials, sha256: NodeSha256 });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      // Not an x-amz-* header, so the presigner keeps it a signed header rather than hoisting it into the query.
      headers: { host: hostname, [CLUSTER_ID_HEADER]: input.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, ...(input.signingDate ? { signingDate: input.signingDate } : {}) },
  );
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(presigned.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== null && v !== undefined) query.append(key, v);
  }
  return `https://${hostname}/?${query.toString()}`;
}

export function encodeEksToken(presignedUrl: string): string {
  // Node's base64url has no padding, which is what the authenticator accepts.
  return EKS_TOKEN_PREFIX + Buffer.from(presignedUrl, 'utf8').toString('base64url');
}

/** The presigned URL inside a token; null when the token is not an EKS token. */
export function decodeEksToken(token: string): URL | null {
  if (!token.startsWith(EKS_TOKEN_PREFIX)) return null;
  const payload = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return null;
  try {
    return new URL(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

export interface EksTokenSourceOptions {
  clusterName: string;
  region: () => Promise<string>;
  credentials: CredentialsProvider;
  now?: () => number;
}

export interface EksTokenSource {
  token(): Promise<string>;
  /** Forget the cached token (the API server rejected it). */
  invalidate(): void;
}

/**
 * A token cached for 14 minutes, or until one minute before the signing credentials expire (a token signed
 * with expired session credentials is rejected by STS). Concurrent callers share one signing.
 */
export function createEksTokenSource(options: EksTokenSourceOptions): EksTokenSource {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    async token() {
      if (cached && cached.expiresAt > now()) return cached.token;
      pending ??= (async () => {
        try {
          const [region, credentials] = await Promise.all([options.region(), options.credentials()]);
          const signedAt = now();
          const url = await presignCallerIdentity({ clusterName: options.clusterName, region, credentials, signingDate: new Date(signedAt) });
          const credentialsExpire = credentials.expiration ? credentials.expiration.getTime() - 60_000 : Infinity;
          cached = { token: encodeEksToken(url), expiresAt: Math.min(signedAt + TOKEN_LIFETIME_MS, credentialsExpire) };
          return cached.token;
        } finally {
          pending = undefined;
        }
      })();
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
