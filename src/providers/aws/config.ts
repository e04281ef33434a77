/**
 * Configuration shared by the AWS providers: environment variables (validated with errors that name what is
 * missing) and the SDK client settings every provider uses.
 */
import { ToolError } from '../../tools/errors.ts';

/** A comma (or whitespace) separated list, trimmed, empty entries and duplicates dropped. */
export function envList(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean))];
}

/**
 * The named variables, or one error listing every missing one. Thrown as a tool error (not retryable) so the
 * message reaches whoever reads the failed tool call, not only the Lambda's log.
 */
export function requireEnv<const K extends string>(env: NodeJS.ProcessEnv, names: readonly K[], selectedBy: string): Record<K, string> {
  const missing = names.filter((n) => !env[n]?.trim());
  if (missing.length) {
    throw new ToolError('Internal', `${selectedBy} needs ${missing.join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} in the tool Lambda's environment`);
  }
  return Object.fromEntries(names.map((n) => [n, env[n]!.trim()])) as Record<K, string>;
}

/** The region from the environment when set; otherwise the SDK resolves it (profile, IMDS) itself. */
export function envRegion(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
}

export interface AwsClientSettings {
  region?: string;
  maxAttempts: number;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
  customUserAgent: string;
}

/**
 * SDK client settings: one attempt per `send` (retries belong to the provider's policy, see retry.ts), socket
 * timeouts below the per-call timeout so a dead connection fails as an error that can be retried. The Node
 * handler only logs a warning on requestTimeout unless told to throw.
 */
export function awsClientSettings(env: NodeJS.ProcessEnv): AwsClientSettings {
  const region = envRegion(env);
  return {
    ...(region ? { region } : {}),
    maxAttempts: 1,
    requestHandler: { requestTimeout: 12_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
    customUserAgent: 'sre-agent',
  };
}
