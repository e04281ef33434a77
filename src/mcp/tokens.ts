/**
 * Where the MCP client's bearer tokens come from: Cognito's client-credentials grant in AWS (cached until shortly
 * before expiry), the local issuer on a laptop, or nothing when auth is off.
 */
export type TokenProvider = () => Promise<string | undefined>;

export interface ClientCredentialsOptions {
  /** The Cognito domain's token endpoint, e.g. https://<domain>.auth.<region>.amazoncognito.com/oauth2/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  /** Refresh this long before expiry. */
  refreshMarginMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export function clientCredentialsTokens(options: ClientCredentialsOptions): TokenProvider {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 60_000;
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope: options.scopes.join(' ') });
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
    const res = await doFetch(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body,
    });
    if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
    const json = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw new Error('token endpoint returned no access_token');
    cached = { token: json.access_token, expiresAt: now() + (json.expires_in ?? 3600) * 1000 };
    return json.access_token;
  }
  return async () => {
    if (cached && now() < cached.expiresAt - margin) return cached.token;
    inflight ??= fetchToken().finally(() => (inflight = undefined));
    return inflight;
  };
}

export const noTokens: TokenProvider = async () => undefined;
