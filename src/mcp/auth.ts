/**
 * Bearer-token verification for the MCP gateway and the API: JWTs checked against a JWKS (Cognito's user pool in
 * AWS, the local issuer's key on a laptop). Cognito access tokens carry `client_id`, `token_use` and `scope`
 * instead of an audience, so those are checked explicitly.
 */
import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';

export interface VerifiedToken {
  subject: string;
  clientId?: string;
  username?: string;
  scopes: string[];
  groups: string[];
  expiresAt: number;
  claims: JWTPayload;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/** Why a token was refused, phrased for a WWW-Authenticate header (never echoes the token). */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
  /** `invalid_token` (bad, expired) or `insufficient_scope`. */
  readonly code: 'invalid_token' | 'insufficient_scope';
  constructor(code: 'invalid_token' | 'insufficient_scope', message: string) {
    super(message);
    this.code = code;
  }
}

export interface JwtVerifierOptions {
  /** A JWKS URL (Cognito: https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json) or a key resolver. */
  jwks: string | JWTVerifyGetKey;
  issuer: string;
  /** Accept only tokens issued to these app clients (Cognito `client_id`, or `aud` for ID-style tokens). */
  allowedClients?: readonly string[];
  /** Every one of these scopes must be granted. */
  requiredScopes?: readonly string[];
  /** Clock skew tolerated on exp/nbf, seconds. */
  clockToleranceSeconds?: number;
}

export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const keys = typeof options.jwks === 'string' ? createRemoteJWKSet(new URL(options.jwks)) : options.jwks;
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          algorithms: ['RS256', 'ES256'],
          clockTolerance: options.clockToleranceSeconds ?? 30,
        }));
      } catch (error) {
        throw new TokenRejected('invalid_token', describeJoseError(error));
      }
      if (payload.token_use !== undefined && payload.token_use !== 'access') {
        throw new TokenRejected('invalid_token', 'an access token is required');
      }
      const clientId = (payload.client_id as string | undefined) ?? (typeof payload.aud === 'string' ? payload.aud : undefined);
      if (options.allowedClients?.length && (!clientId || !options.allowedClients.includes(clientId))) {
        throw new TokenRejected('invalid_token', 'the token was issued to a client that is not allowed here');
      }
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const missing = (options.requiredScopes ?? []).filter((s) => !scopes.includes(s));
      if (missing.length) throw new TokenRejected('insufficient_scope', `missing scope: ${missing.join(' ')}`);
      return {
        subject: payload.sub ?? clientId ?? 'unknown',
        ...(clientId ? { clientId } : {}),
        ...(typeof payload.username === 'string' ? { username: payload.username } : {}),
        scopes,
        groups: Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as string[]) : [],
        expiresAt: (payload.exp ?? 0) * 1000,
        claims: payload,
      };
    },
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is invalid`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token was not signed by a known key';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}

/** `Authorization: Bearer <token>` → token, or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
