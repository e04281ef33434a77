/**
 * The specialists' MCP client as deployed: the gateway URL and Cognito machine credentials from the environment,
 * the client secret read once from Secrets Manager (never from plain env).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Backend } from '../tools/tool-names.ts';
import { type ToolCaller, createMcpToolClient } from './client.ts';
import { type TokenProvider, clientCredentialsTokens, noTokens } from './tokens.ts';

export function toolCallerFromEnv(env: NodeJS.ProcessEnv, backends: readonly Backend[]): ToolCaller {
  const url = env.GATEWAY_URL;
  if (!url) throw new Error('GATEWAY_URL is not set: the specialists need the MCP gateway endpoint');
  return createMcpToolClient({
    url,
    tokens: tokensFromEnv(env),
    backends,
    timeoutMs: Number(env.TOOL_TIMEOUT_MS ?? 30_000),
    clientName: `sre-agent-${backends.join('-')}-specialist`,
  });
}

function tokensFromEnv(env: NodeJS.ProcessEnv): TokenProvider {
  const { TOKEN_URL: tokenUrl, MACHINE_CLIENT_ID: clientId, MACHINE_CLIENT_SECRET_ARN: secretArn } = env;
  if (!tokenUrl && !clientId) return noTokens;
  if (!tokenUrl || !clientId || !secretArn) {
    throw new Error('TOKEN_URL, MACHINE_CLIENT_ID and MACHINE_CLIENT_SECRET_ARN must be set together');
  }
  let provider: TokenProvider | undefined;
  return async () => {
    if (!provider) {
      const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!secret.SecretString) throw new Error('the machine client secret is empty');
      provider = clientCredentialsTokens({ tokenUrl, clientId, clientSecret: secret.SecretString, scopes: [env.TOOLS_SCOPE ?? 'sre-agent/tools.invoke'] });
    }
    return provider();
  };
}
