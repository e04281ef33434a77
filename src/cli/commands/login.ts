import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  type AuthenticationResultType,
  type ChallengeNameType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { UsageError, type Command, type CommandIO } from '../command.ts';
import { type Deployment, credentialsPath, fromAuthenticationResult, resolveDeployment, saveCredentials } from '../credentials.ts';

const usage = `Usage: sre-agent login [--username <name>] [--profile <name>] [--region <r>] [--client-id <id>] [--api-url <url>] [--outputs <file>] [--password-stdin]

Signs in to a deployed stack's Cognito user pool (USER_PASSWORD_AUTH) and caches the tokens in
${credentialsPath()} (mode 0600). Asks for a new password on first sign-in and for the authenticator
code when MFA is on. Tokens are refreshed automatically until the refresh token expires.

  --username <name>    the user (default: asked)
  --profile <name>     a name for this stack's credentials (default: default)
  --region, --client-id, --api-url
                       the stack's Region, UserClientId and ApiUrl outputs (default: SRE_AGENT_REGION,
                       SRE_AGENT_CLIENT_ID, SRE_AGENT_API_URL, else cdk-outputs.json)
  --outputs <file>     the file of \`cdk deploy --outputs-file\` (default: ./cdk-outputs.json)
  --password-stdin     read the password from standard input (scripts); challenges then fail`;

/** Asks the user for input; secrets are not echoed. */
export interface Prompter {
  ask(question: string): Promise<string>;
  secret(question: string): Promise<string>;
}

export interface LoginOptions {
  deployment: Deployment;
  username: string;
  password: string;
  prompter: Prompter;
  cognito: CognitoIdentityProviderClient;
  profile?: string;
  credentialsFile?: string;
  clock?: () => number;
  io?: CommandIO;
}

const MAX_CHALLENGES = 6;

/** USER_PASSWORD_AUTH with the challenges a CLI can answer, then the tokens saved under the profile. */
export async function login(options: LoginOptions): Promise<{ username: string; expiresAt: number }> {
  const { deployment, prompter, cognito } = options;
  const clock = options.clock ?? Date.now;
  let out: { AuthenticationResult?: AuthenticationResultType; ChallengeName?: ChallengeNameType | string; Session?: string; ChallengeParameters?: Record<string, string> };
  try {
    out = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: deployment.clientId,
        AuthParameters: { USERNAME: options.username, PASSWORD: options.password },
      }),
    );
  } catch (error) {
    throw friendly(error);
  }
  for (let i = 0; !out.AuthenticationResult; i++) {
    if (i >= MAX_CHALLENGES || !out.ChallengeName) throw new Error('Cognito did not complete the sign-in');
    const params = out.ChallengeParameters ?? {};
    // Cognito wants the user's canonical name in challenge responses (an email alias signs in as its sub).
    const user = params.USER_ID_FOR_SRP ?? params.USERNAME ?? options.username;
    const responses: Record<string, string> = { USERNAME: user };
    switch (out.ChallengeName) {
      case 'NEW_PASSWORD_REQUIRED': {
        options.io?.out('A new password is required.');
        for (;;) {
          const first = await prompter.secret('New password: ');
          const again = await prompter.secret('Repeat the new password: ');
          if (first && first === again) {
            responses.NEW_PASSWORD = first;
            break;
          }
          options.io?.err('The passwords differ or are empty; try again.');
        }
        const required = JSON.parse(params.requiredAttributes ?? '[]') as string[];
        for (const attribute of required) {
          responses[attribute] = await prompter.ask(`${attribute.replace(/^userAttributes\./, '')}: `);
        }
        break;
      }
      case 'SOFTWARE_TOKEN_MFA':
        responses.SOFTWARE_TOKEN_MFA_CODE = (await prompter.ask('Authenticator code: ')).trim();
        break;
      case 'SMS_MFA':
        responses.SMS_MFA_CODE = (await prompter.ask(`Code sent by SMS${params.CODE_DELIVERY_DESTINATION ? ` to ${params.CODE_DELIVERY_DESTINATION}` : ''}: `)).trim();
        break;
      case 'EMAIL_OTP':
        responses.EMAIL_OTP_CODE = (await prompter.ask(`Code sent by email${params.CODE_DELIVERY_DESTINATION ? ` to ${params.CODE_DELIVERY_DESTINATION}` : ''}: `)).trim();
        break;
      case 'SELECT_MFA_TYPE':
        responses.ANSWER = 'SOFTWARE_TOKEN_MFA';
        break;
      case 'MFA_SETUP':
        throw new Error('this user must set up MFA first (an authenticator app); the CLI cannot enrol it, use the hosted UI');
      default:
        throw new Error(`the sign-in asks for a ${out.ChallengeName} challenge, which the CLI does not support`);
    }
    try {
      out = await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: deployment.clientId,
          ChallengeName: out.ChallengeName as ChallengeNameType,
          Session: out.Session,
          ChallengeResponses: responses,
        }),
      );
    } catch (error) {
      throw friendly(error);
    }
  }
  const credentials = fromAuthenticationResult(
    out.AuthenticationResult,
    {
      region: deployment.region,
      clientId: deployment.clientId,
      ...(deployment.userPoolId ? { userPoolId: deployment.userPoolId } : {}),
      ...(deployment.apiUrl ? { apiUrl: deployment.apiUrl } : {}),
      username: options.username,
    },
    clock(),
  );
  saveCredentials(options.profile ?? 'default', credentials, options.credentialsFile);
  return { username: options.username, expiresAt: credentials.expiresAt };
}

/** Cognito's refusals in words; never the password, never a stack. */
function friendly(error: unknown): Error {
  if (error instanceof NotAuthorizedException || (error instanceof Error && error.name === 'NotAuthorizedException')) {
    return new Error(`sign-in refused: ${(error as Error).message}`);
  }
  if (error instanceof UserNotFoundException || (error instanceof Error && error.name === 'UserNotFoundException')) {
    return new Error('sign-in refused: incorrect username or password.');
  }
  if (error instanceof Error && error.name === 'CodeMismatchException') return new Error('the code is wrong or expired; run `sre-agent login` again');
  if (error instanceof Error && error.name === 'InvalidPasswordException') return new Error(`the new password was refused: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Prompts on the terminal; secrets are read without echo. */
export function terminalPrompter(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Prompter {
  const read = (question: string, hidden: boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      let muted = false;
      const sink = new Writable({
        write(chunk, encoding, callback) {
          if (!muted) output.write(chunk, encoding as BufferEncoding);
          callback();
        },
      });
      const rl = createInterface({ input, output: sink, terminal: (input as { isTTY?: boolean }).isTTY === true });
      rl.on('SIGINT', () => {
        rl.close();
        reject(new Error('cancelled'));
      });
      rl.question(question, (answer) => {
        if (hidden) output.write('\n');
        rl.close();
        resolve(answer);
      });
      muted = hidden;
    });
  return { ask: (q) => read(q, false), secret: (q) => read(q, true) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const command: Command = {
  path: ['login'],
  summary: 'Sign in to a deployed stack (Cognito) and cache the tokens for the API',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        username: { type: 'string' },
        profile: { type: 'string', default: 'default' },
        region: { type: 'string' },
        'client-id': { type: 'string' },
        'api-url': { type: 'string' },
        outputs: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
    });
    const found = resolveDeployment({
      ...(values.region ? { region: values.region } : {}),
      ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
      ...(values['api-url'] ? { apiUrl: values['api-url'] } : {}),
      ...(values.outputs ? { outputs: values.outputs } : {}),
    });
    if (!found.region || !found.clientId) {
      throw new UsageError(`the stack's ${!found.clientId ? 'user pool client id (--client-id)' : 'region (--region)'} is unknown: pass it, or run from the folder holding cdk-outputs.json`);
    }
    const prompter = terminalPrompter();
    const username = values.username ?? (await prompter.ask('Username: ')).trim();
    if (!username) throw new UsageError('a username is required');
    const password = values['password-stdin'] ? await readStdin() : await prompter.secret('Password: ');
    const cognito = new CognitoIdentityProviderClient({ region: found.region });
    const done = await login({
      deployment: { region: found.region, clientId: found.clientId, ...(found.userPoolId ? { userPoolId: found.userPoolId } : {}), ...(found.apiUrl ? { apiUrl: found.apiUrl } : {}) },
      username,
      password,
      prompter,
      cognito,
      profile: values.profile!,
      io,
    });
    io.out(`Signed in as ${done.username}${found.apiUrl ? ` to ${found.apiUrl}` : ''}; credentials saved in ${credentialsPath()}.`);
    return 0;
  },
};
export default command;
