/**
 * Who is calling, from the claims API Gateway's Cognito authorizer puts in `requestContext.authorizer.claims`
 * (every value a string there; lists such as `cognito:groups` arrive as `a,b`, `[a b]` or a JSON array
 * depending on the integration, so all are accepted).
 */
export const SCOPES = {
  read: 'sre-agent/investigations.read',
  write: 'sre-agent/investigations.write',
  admin: 'sre-agent/admin',
} as const;
export const ADMIN_GROUP = 'admins';

export interface Caller {
  /** The Cognito subject (`sub`): the requester id of investigations and the owner of preferences. */
  subject: string;
  username?: string;
  clientId?: string;
  scopes: string[];
  groups: string[];
  /** `sre-agent/admin` scope or the `admins` group: sees everyone's investigations. */
  isAdmin: boolean;
}

export function callerFromClaims(claims: Record<string, unknown> | null | undefined): Caller | undefined {
  if (!claims) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
  const clientId = str(claims.client_id) ?? str(claims.aud);
  const subject = str(claims.sub) ?? clientId;
  if (!subject) return undefined;
  const scopes = listClaim(claims.scope, /\s+/);
  const groups = listClaim(claims['cognito:groups'], /[\s,]+/);
  const username = str(claims.username) ?? str(claims['cognito:username']);
  return {
    subject,
    ...(username ? { username } : {}),
    ...(clientId ? { clientId } : {}),
    scopes,
    groups,
    isAdmin: scopes.includes(SCOPES.admin) || groups.includes(ADMIN_GROUP),
  };
}

function listClaim(value: unknown, separator: RegExp): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value !== 'string') return [];
  const s = value.trim();
  if (s.startsWith('[') && s.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String).filter(Boolean);
    } catch {
      // `[a b]`: API Gateway's rendering of a list claim.
    }
    return s.slice(1, -1).split(separator).filter(Boolean);
  }
  return s.split(separator).filter(Boolean);
}

/** API Gateway's rule for `authorizationScopes`: any one of the method's scopes grants access. */
export function hasAnyScope(caller: Pick<Caller, 'scopes'>, scopes: readonly string[]): boolean {
  return scopes.length === 0 || scopes.some((s) => caller.scopes.includes(s));
}
