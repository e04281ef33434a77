import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { UsageError, type Command } from '../command.ts';
import { resolveDeployment } from '../credentials.ts';

const usage = `Usage: sre-agent users add <email> [--admin] [--user-pool-id <id>] [--region <r>] [--outputs <file>]

Creates a user in the stack's Cognito user pool (with your AWS credentials: cognito-idp:AdminCreateUser, and
AdminAddUserToGroup for --admin). Cognito emails a temporary password; the user replaces it at the first
\`sre-agent login\`.

  --admin               add the user to the admins group (sees everyone's investigations)
  --user-pool-id <id>   the stack's UserPoolId output (default: SRE_AGENT_USER_POOL_ID, else cdk-outputs.json)
  --region <r>          default: from the user pool id
  --outputs <file>      the file of \`cdk deploy --outputs-file\` (default: ./cdk-outputs.json)`;

export const ADMINS_GROUP = 'admins';

export async function addUser(
  cognito: CognitoIdentityProviderClient,
  options: { userPoolId: string; email: string; admin: boolean },
): Promise<{ username: string; created: boolean }> {
  let username = options.email;
  let created = true;
  try {
    const out = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: options.userPoolId,
        Username: options.email,
        UserAttributes: [
          { Name: 'email', Value: options.email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    username = out.User?.Username ?? username;
  } catch (error) {
    // Re-running with --admin for an existing user only adds the group.
    if (!(error instanceof UsernameExistsException || (error instanceof Error && error.name === 'UsernameExistsException')) || !options.admin) throw error;
    created = false;
  }
  if (options.admin) {
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: options.userPoolId, Username: username, GroupName: ADMINS_GROUP }));
  }
  return { username, created };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const command: Command = {
  path: ['users', 'add'],
  summary: 'Create a user of a deployed stack (Cognito AdminCreateUser), optionally an admin',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        admin: { type: 'boolean', default: false },
        'user-pool-id': { type: 'string' },
        region: { type: 'string' },
        outputs: { type: 'string' },
      },
      allowPositionals: true,
    });
    const email = positionals[0];
    if (!email || positionals.length > 1) throw new UsageError('give exactly one email address');
    if (!EMAIL.test(email)) throw new UsageError(`'${email}' is not an email address`);
    const found = resolveDeployment({
      ...(values['user-pool-id'] ? { userPoolId: values['user-pool-id'] } : {}),
      ...(values.region ? { region: values.region } : {}),
      ...(values.outputs ? { outputs: values.outputs } : {}),
    });
    if (!found.userPoolId || !found.region) throw new UsageError('the user pool is unknown: pass --user-pool-id, or run from the folder holding cdk-outputs.json');
    const cognito = new CognitoIdentityProviderClient({ region: found.region });
    try {
      const { username, created } = await addUser(cognito, { userPoolId: found.userPoolId, email, admin: values.admin! });
      io.out(
        created
          ? `Created ${email}${values.admin ? ' (admin)' : ''}. Cognito has emailed a temporary password; sign in with \`sre-agent login --username ${email}\`.`
          : `${email} already exists; added to the ${ADMINS_GROUP} group.`,
      );
      if (username !== email) io.out(`Cognito username: ${username}`);
    } catch (error) {
      if (error instanceof Error && error.name === 'UsernameExistsException') throw new Error(`${email} already exists in the user pool`);
      throw error;
    } finally {
      cognito.destroy();
    }
    return 0;
  },
};
export default command;
