import { parseArgs } from 'node:util';
import { parseDuration } from '../../domain/time.ts';
import { DEFAULT_LOCAL_SCOPES, openLocalIssuer } from '../../mcp/local-issuer.ts';
import { UsageError, type Command } from '../command.ts';

const usage = `Usage: sre-agent token [--user <id>] [--scope <scope>]... [--group <group>]... [--expires <duration>]

Prints a bearer token from the local issuer, accepted by \`sre-agent gateway\` and \`sre-agent dev\` as a Cognito
token is by AWS. Default scopes: ${DEFAULT_LOCAL_SCOPES.join(' ')}.

  --user <id>          the token's subject/username (default: a machine client)
  --scope <scope>      a scope to grant (repeatable; replaces the defaults)
  --group <group>      a Cognito-style group, e.g. admins (repeatable)
  --expires <duration> lifetime such as 30m or 12h (default 1h)`;

const command: Command = {
  path: ['token'],
  summary: 'Print a bearer token from the local issuer (for the local gateway and dev API)',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        user: { type: 'string' },
        scope: { type: 'string', multiple: true },
        group: { type: 'string', multiple: true },
        expires: { type: 'string', default: '1h' },
      },
    });
    const ms = parseDuration(values.expires!);
    if (ms === null || ms <= 0) throw new UsageError(`--expires must be a duration such as 30m or 12h, not '${values.expires}'`);
    const issuer = await openLocalIssuer();
    io.out(
      await issuer.mint({
        ...(values.user ? { username: values.user, subject: values.user } : {}),
        ...(values.scope ? { scopes: values.scope } : {}),
        ...(values.group ? { groups: values.group } : {}),
        expiresInSeconds: Math.round(ms / 1000),
      }),
    );
    return 0;
  },
};
export default command;
