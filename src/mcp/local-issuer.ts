/**
 * The local token issuer: stands in for Cognito on a laptop so the MCP gateway and the dev API run with real JWT
 * checks. Its RSA key lives in the state folder (`.sre-agent/` by default), so `sre-agent token` in one shell mints
 * tokens that `sre-agent gateway` or `sre-agent dev` in another shell accept.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type JWK, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, importJWK } from 'jose';
import { type TokenVerifier, createJwtVerifier } from './auth.ts';
import { stateDir } from '../platform/paths.ts';

export const LOCAL_ISSUER = 'https://sre-agent.local/issuer';
export const LOCAL_MACHINE_CLIENT = 'sre-agent-local-machine';
/** Scopes the local issuer grants by default: the same names the Cognito resource server defines. */
export const DEFAULT_LOCAL_SCOPES = ['sre-agent/tools.invoke', 'sre-agent/investigations.read', 'sre-agent/investigations.write'];

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface LocalIssuer {
  issuer: string;
  verifier(options?: { requiredScopes?: readonly string[]; allowedClients?: readonly string[] }): TokenVerifier;
  mint(options?: { subject?: string; username?: string; clientId?: string; scopes?: readonly string[]; groups?: readonly string[]; expiresInSeconds?: number }): Promise<string>;
  jwks(): { keys: JWK[] };
}

async function loadOrCreateKey(file: string): Promise<StoredKey> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  } catch {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const stored: StoredKey = {
      kid,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    };
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    return stored;
  }
}

export async function openLocalIssuer(dir = stateDir()): Promise<LocalIssuer> {
  const key = await loadOrCreateKey(join(dir, 'local-issuer-key.json'));
  const privateKey = await importJWK(key.privateJwk, 'RS256');
  const keySet = createLocalJWKSet({ keys: [key.publicJwk] });
  return {
    issuer: LOCAL_ISSUER,
    verifier: (options = {}) => createJwtVerifier({ jwks: keySet, issuer: LOCAL_ISSUER, ...options }),
    async mint(options = {}) {
      const clientId = options.clientId ?? LOCAL_MACHINE_CLIENT;
      return new SignJWT({
        token_use: 'access',
        client_id: clientId,
        scope: [...(options.scopes ?? DEFAULT_LOCAL_SCOPES)].join(' '),
        ...(options.username ? { username: options.username } : {}),
        ...(options.groups?.length ? { 'cognito:groups': [...options.groups] } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuer(LOCAL_ISSUER)
        .setSubject(options.subject ?? options.username ?? clientId)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 3600))
        .sign(privateKey);
    },
    jwks: () => ({ keys: [key.publicJwk] }),
  };
}
