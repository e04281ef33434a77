/**
 * EKS tokens, checked against what aws-iam-authenticator accepts: the `k8s-aws-v1.` prefix, unpadded base64url
 * of a presigned STS GetCallerIdentity URL on the regional endpoint, `X-Amz-Expires=60`, and a SigV4 signature
 * (verified independently here) covering the `x-k8s-aws-id` header with the cluster name.
 */
import { describe, expect, it } from 'vitest';
import {
  EKS_TOKEN_PREFIX,
  TOKEN_LIFETIME_MS,
  createEksTokenSource,
  decodeEksToken,
  encodeEksToken,
  presignCallerIdentity,
  stsHostname,
} from '../../src/providers/kubernetes/eks-token.ts';
import { TEST_CREDENTIALS } from './helpers/aws-fakes.ts';
import { verifyPresignedUrl } from './helpers/sigv4.ts';

const signingDate = new Date('2026-03-14T10:32:00Z');

describe('presignCallerIdentity', () => {
  it('presigns GetCallerIdentity on the regional STS endpoint with the cluster header signed', async () => {
    const url = new URL(await presignCallerIdentity({ clusterName: 'shop-prod-use1', region: 'eu-west-1', credentials: TEST_CREDENTIALS, signingDate }));
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-Date')).toBe('20260314T103200Z');
    expect(q.get('X-Amz-Credential')).toBe(`${TEST_CREDENTIALS.accessKeyId}/20260314/eu-west-1/sts/aws4_request`);
    expect(q.get('X-Amz-Security-Token')).toBe(TEST_CREDENTIALS.sessionToken);
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // The header travels out of band: it is signed, not put in the query.
    expect(q.has('x-k8s-aws-id')).toBe(false);
  });

  it('produces a signature STS accepts for that cluster, and only for it', async () => {
    const url = new URL(await presignCallerIdentity({ clusterName: 'shop-prod-use1', region: 'us-east-1', credentials: TEST_CREDENTIALS, signingDate }));
    const at = signingDate.getTime() + 30_000;
    expect(verifyPresignedUrl(url, TEST_CREDENTIALS, { 'x-k8s-aws-id': 'shop-prod-use1' }, at)).toEqual({ ok: true });
    expect(verifyPresignedUrl(url, TEST_CREDENTIALS, { 'x-k8s-aws-id': 'another-cluster' }, at)).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyPresignedUrl(url, { ...TEST_CREDENTIALS, secretAccessKey: 'wrong' }, { 'x-k8s-aws-id': 'shop-prod-use1' }, at)).toMatchObject({ ok: false });
    expect(verifyPresignedUrl(url, TEST_CREDENTIALS, { 'x-k8s-aws-id': 'shop-prod-use1' }, at + 16 * 60_000)).toEqual({ ok: false, reason: 'token expired' });
  });

  it('omits the security token for long-term credentials', async () => {
    const { sessionToken: _ignored, ...longTerm } = TEST_CREDENTIALS;
    const url = new URL(await presignCallerIdentity({ clusterName: 'c', region: 'us-east-1', credentials: longTerm, signingDate }));
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
    expect(verifyPresignedUrl(url, longTerm, { 'x-k8s-aws-id': 'c' }, signingDate.getTime())).toEqual({ ok: true });
  });

  it('uses the China partition endpoint in China regions', () => {
    expect(stsHostname('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(stsHostname('us-gov-west-1')).toBe('sts.us-gov-west-1.amazonaws.com');
  });
});

describe('EKS token encoding', () => {
  it('is the prefix plus unpadded base64url of the URL, and decodes back', async () => {
    const url = await presignCallerIdentity({ clusterName: 'shop-prod-use1', region: 'us-east-1', credentials: TEST_CREDENTIALS, signingDate });
    const token = encodeEksToken(url);
    expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const payload = token.slice(EKS_TOKEN_PREFIX.length);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(payload).not.toContain('=');
    expect(Buffer.from(payload, 'base64url').toString('utf8')).toBe(url);
    expect(decodeEksToken(token)?.toString()).toBe(new URL(url).toString());
    expect(decodeEksToken('Bearer xyz')).toBeNull();
    expect(decodeEksToken(`${EKS_TOKEN_PREFIX}not base64!`)).toBeNull();
  });
});

describe('createEksTokenSource', () => {
  it('reuses a token for 14 minutes, then signs a new one; invalidate forces a new one', async () => {
    let now = signingDate.getTime();
    let credentialCalls = 0;
    const source = createEksTokenSource({
      clusterName: 'shop-prod-use1',
      region: async () => 'us-east-1',
      credentials: async () => {
        credentialCalls++;
        return TEST_CREDENTIALS;
      },
      now: () => now,
    });
    const [a, b] = await Promise.all([source.token(), source.token()]);
    expect(a).toBe(b);
    expect(credentialCalls).toBe(1);
    now += TOKEN_LIFETIME_MS - 1;
    expect(await source.token()).toBe(a);
    now += 2;
    const c = await source.token();
    expect(c).not.toBe(a);
    expect(decodeEksToken(c)?.searchParams.get('X-Amz-Date')).toBe('20260314T104600Z');
    source.invalidate();
    now += 1000;
    expect(await source.token()).not.toBe(c);
    expect(credentialCalls).toBe(3);
  });

  it('does not outlive the signing credentials', async () => {
    let now = signingDate.getTime();
    const source = createEksTokenSource({
      clusterName: 'c',
      region: async () => 'us-east-1',
      credentials: async () => ({ ...TEST_CREDENTIALS, expiration: new Date(now + 5 * 60_000) }),
      now: () => now,
    });
    const first = await source.token();
    now += 4 * 60_000 + 1; // within the 14 minutes, but past one minute before the credentials expire
    expect(await source.token()).not.toBe(first);
  });
});
