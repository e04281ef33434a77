/**
 * The CLI side of the API client: the deployed API's URL and tokens from `sre-agent login`'s credentials, progress
 * printed line by line. `sre-agent investigate --api <url> "question"` calls `remoteInvestigation`.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type InvestigationView, type StartBody, createApiClient, investigateRemotely } from '../../api/client.ts';
import { UsageError, type CommandIO } from '../command.ts';
import { accessToken, loadCredentials } from '../credentials.ts';

export interface RemoteInvestigationOptions {
  question?: string;
  alarmEvent?: unknown;
  /** The API URL; the one saved at login when absent. */
  apiUrl?: string;
  profile?: string;
  /** A bearer token provider instead of the saved credentials (the dev server's local tokens). */
  token?: () => Promise<string>;
  io: CommandIO;
  /** Print progress on stderr (default) so stdout holds only the report or JSON. */
  quiet?: boolean;
  intervalMs?: number;
  timeoutMs?: number;
  credentialsFile?: string;
}

export async function remoteInvestigation(options: RemoteInvestigationOptions): Promise<{ investigation: InvestigationView; report: string | undefined }> {
  const profile = options.profile ?? 'default';
  const stored = options.token ? undefined : loadCredentials(profile, options.credentialsFile);
  const apiUrl = options.apiUrl ?? stored?.apiUrl;
  if (!apiUrl) throw new UsageError('the API URL is unknown: pass --api <url> or run `sre-agent login` with the stack outputs');
  if ((options.question === undefined) === (options.alarmEvent === undefined)) throw new UsageError('give either a question or an alarm event');
  const cognito = new Map<string, CognitoIdentityProviderClient>();
  const token =
    options.token ??
    (() =>
      accessToken({
        profile,
        ...(options.credentialsFile ? { path: options.credentialsFile } : {}),
        cognito: (region) => cognito.get(region) ?? cognito.set(region, new CognitoIdentityProviderClient({ region })).get(region)!,
      }));
  const client = createApiClient({ baseUrl: apiUrl, token });
  const body: StartBody = options.question !== undefined ? { question: options.question } : { alarmEvent: options.alarmEvent };
  try {
    return await investigateRemotely(client, body, {
      onLine: (line) => (options.quiet ? undefined : options.io.err(line)),
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  } finally {
    for (const c of cognito.values()) c.destroy();
  }
}
