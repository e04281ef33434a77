/**
 * Tokens of a deployed stack's Cognito user pool, cached for the CLI in `~/.config/sre-agent/credentials.json`
 * (mode 0600, folder 0700; SRE_AGENT_CREDENTIALS overrides the path), one profile per stack, and refreshed with
 * REFRESH_TOKEN_AUTH when they expire. Also: where a deployment is (region, app client, API URL), from flags,
 * environment or `cdk deploy --outputs-file cdk-outputs.json`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type CognitoIdentityProviderClient, InitiateAuthCommand, NotAuthorizedException } from '@aws-sdk/client-cognito-identity-provider';

export interface StoredCredentials {
  region: string;
  /** The user pool app client the tokens were issued to (no secret: the CLI is a public client). */
  clientId: string;
  userPoolId?: string;
  apiUrl?: string;
  username: string;
  /** Sent to the API (API Gateway checks its scopes). */
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  /** When the access token expires, epoch ms. */
  expiresAt: number;
}

interface CredentialsFile {
  version: 1;
  profiles: Record<string, StoredCredentials>;
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SRE_AGENT_CREDENTIALS) return resolve(env.SRE_AGENT_CREDENTIALS);
  const config = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config');
  return join(config, 'sre-agent', 'credentials.json');
}

function readFile(path: string): CredentialsFile {
  if (!existsSync(path)) return { version: 1, profiles: {} };
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<CredentialsFile>;
  return { version: 1, profiles: parsed.profiles ?? {} };
}

export function loadCredentials(profile = 'default', path = credentialsPath()): StoredCredentials | undefined {
  return readFile(path).profiles[profile];
}

/** Writes the profile (others kept) atomically, readable by the owner only. */
export function saveCredentials(profile: string, credentials: StoredCredentials, path = credentialsPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const file = readFile(path);
  file.profiles[profile] = credentials;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  // A file created earlier with looser permissions is tightened too.
  chmodSync(path, 0o600);
}

export function removeCredentials(profile = 'default', path = credentialsPath()): boolean {
  const file = readFile(path);
  if (!file.profiles[profile]) return false;
  delete file.profiles[profile];
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return true;
}

/** Cognito's AuthenticationResult as the CLI keeps it. */
export function fromAuthenticationResult(
  result: { AccessToken?: string; IdToken?: string; RefreshToken?: string; ExpiresIn?: number },
  base: Omit<StoredCredentials, 'accessToken' | 'idToken' | 'refreshToken' | 'expiresAt'> & { refreshToken?: string },
  now: number,
): StoredCredentials {
  if (!result.AccessToken) throw new Error('Cognito returned no access token');
  const refreshToken = result.RefreshToken ?? base.refreshToken;
  return {
    ...base,
    accessToken: result.AccessToken,
    ...(result.IdToken ? { idToken: result.IdToken } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: now + (result.ExpiresIn ?? 3600) * 1000,
  };
}

export class NotLoggedIn extends Error {
  override readonly name = 'NotLoggedIn';
}

export interface TokenOptions {
  profile?: string;
  path?: string;
  /** Builds the Cognito client for a region (tests pass a mocked one). */
  cognito: (region: string) => CognitoIdentityProviderClient;
  clock?: () => number;
  /** Refresh this long before expiry, ms (default 60 s). */
  skewMs?: number;
}

/** A valid access token for the profile, refreshed (and saved) when it is about to expire. */
export async function accessToken(options: TokenOptions): Promise<string> {
  const profile = options.profile ?? 'default';
  const path = options.path ?? credentialsPath();
  const clock = options.clock ?? Date.now;
  const stored = loadCredentials(profile, path);
  if (!stored) throw new NotLoggedIn(`not logged in${profile === 'default' ? '' : ` (profile ${profile})`}: run \`sre-agent login\``);
  if (stored.expiresAt - (options.skewMs ?? 60_000) > clock()) return stored.accessToken;
  if (!stored.refreshToken) throw new NotLoggedIn('the session has expired: run `sre-agent login` again');
  let out;
  try {
    out = await options.cognito(stored.region).send(
      new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: stored.clientId, AuthParameters: { REFRESH_TOKEN: stored.refreshToken } }),
    );
  } catch (error) {
    if (error instanceof NotAuthorizedException || (error instanceof Error && error.name === 'NotAuthorizedException')) {
      throw new NotLoggedIn('the session has expired or was revoked: run `sre-agent login` again');
    }
    throw error;
  }
  if (!out.AuthenticationResult) throw new NotLoggedIn('Cognito did not refresh the session: run `sre-agent login` again');
  const { accessToken: _a, idToken: _i, expiresAt: _e, ...base } = stored;
  const refreshed = fromAuthenticationResult(out.AuthenticationResult, base, clock());
  saveCredentials(profile, refreshed, path);
  return refreshed.accessToken;
}

export interface Deployment {
  region: string;
  clientId: string;
  userPoolId?: string;
  apiUrl?: string;
}

/**
 * Where the stack is: flags first, then SRE_AGENT_* variables, then `cdk-outputs.json` (ApiUrl, UserPoolId,
 * UserClientId, Region outputs; a stack's output keys may carry a construct path prefix or hash suffix).
 */
export function resolveDeployment(
  flags: { region?: string; clientId?: string; userPoolId?: string; apiUrl?: string; outputs?: string },
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Partial<Deployment> & { outputsFile?: string } {
  const outputsFile = flags.outputs ? resolve(cwd, flags.outputs) : existsSync(join(cwd, 'cdk-outputs.json')) ? join(cwd, 'cdk-outputs.json') : undefined;
  const outputs = outputsFile ? readOutputs(outputsFile) : {};
  const userPoolId = flags.userPoolId ?? env.SRE_AGENT_USER_POOL_ID ?? outputs.UserPoolId;
  const region =
    flags.region ?? env.SRE_AGENT_REGION ?? outputs.Region ?? (userPoolId?.includes('_') ? userPoolId.split('_')[0] : undefined) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const clientId = flags.clientId ?? env.SRE_AGENT_CLIENT_ID ?? outputs.UserClientId;
  const apiUrl = flags.apiUrl ?? env.SRE_AGENT_API_URL ?? outputs.ApiUrl;
  return {
    ...(region ? { region } : {}),
    ...(clientId ? { clientId } : {}),
    ...(userPoolId ? { userPoolId } : {}),
    ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
    ...(outputsFile ? { outputsFile } : {}),
  };
}

const OUTPUT_NAMES = ['ApiUrl', 'UserPoolId', 'UserClientId', 'Region'] as const;

/** The outputs of the first stack in the file that has them, by exact key or `<Name><hash>` / `<Path><Name>…`. */
export function readOutputs(file: string): Partial<Record<(typeof OUTPUT_NAMES)[number], string>> {
  const stacks = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const outputs of Object.values(stacks)) {
    if (!outputs || typeof outputs !== 'object') continue;
    const found: Partial<Record<(typeof OUTPUT_NAMES)[number], string>> = {};
    for (const name of OUTPUT_NAMES) {
      const key =
        Object.keys(outputs).find((k) => k === name) ??
        Object.keys(outputs).find((k) => new RegExp(`^${name}[0-9A-F]{8}$`).test(k)) ??
        Object.keys(outputs).find((k) => new RegExp(`${name}([0-9A-F]{8})?$`).test(k));
      if (key && typeof outputs[key] === 'string') found[name] = outputs[key] as string;
    }
    if (found.UserClientId || found.ApiUrl) return found;
  }
  return {};
}
