import type { Command, CommandIO } from './command.ts';
import { UsageError } from './command.ts';

/**
 * Every sub-command, loaded on demand so `sre-agent token` does not pay for loading the CDK.
 * Add a command by adding a module under ./commands that default-exports a Command.
 */
const COMMANDS: ReadonlyArray<{ path: readonly string[]; summary: string; load: () => Promise<{ default: Command }> }> = [
  { path: ['investigate'], summary: 'Investigate an incident: locally on a scenario, or through a deployed stack', load: () => import('./commands/investigate.ts') },
  { path: ['eval'], summary: 'Run and grade the investigation on every scenario of a folder', load: () => import('./commands/eval.ts') },
  { path: ['gateway'], summary: 'Serve a scenario\'s tools over MCP on loopback (local stand-in for AgentCore Gateway)', load: () => import('./commands/gateway.ts') },
  { path: ['token'], summary: 'Print a bearer token from the local issuer (for the local gateway and dev API)', load: () => import('./commands/token.ts') },
  { path: ['dev'], summary: 'Serve the REST API on loopback (local API Gateway + Cognito authorizer, dynalite, local workflow)', load: () => import('./commands/dev.ts') },
  { path: ['login'], summary: 'Sign in to a deployed stack (Cognito) and cache the tokens for the API', load: () => import('./commands/login.ts') },
  { path: ['users', 'add'], summary: 'Create a user of a deployed stack (Cognito AdminCreateUser), optionally an admin', load: () => import('./commands/users.ts') },
  { path: ['bench', 'logs'], summary: 'Log template mining on Loghub-2k: grouping/parsing accuracy and throughput', load: () => import('./commands/bench-logs.ts') },
  { path: ['bench', 'perf'], summary: 'Lambda bundle sizes and cold-load times, local investigation time and peak memory per scenario', load: () => import('./commands/bench-perf.ts') },
  { path: ['bench', 'anomaly'], summary: 'Metric anomaly detection scored with the NAB rules', load: () => import('./commands/bench-anomaly.ts') },
];

const consoleIO: CommandIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function help(io: CommandIO, commands = COMMANDS): number {
  io.out('Usage: sre-agent <command> [options]\n\nCommands:');
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  for (const c of commands) io.out(`  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  io.out('\nRun `sre-agent <command> --help` for the options of one command.');
  return 0;
}

export async function main(argv: string[], io: CommandIO = consoleIO): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') return help(io);
  // The longest command path that prefixes argv wins ('bench logs' over 'bench').
  const match = [...COMMANDS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => argv[i] === word));
  if (!match) {
    // A command group without its sub-command (`sre-agent bench`, `sre-agent bench --help`): list the group.
    const group = COMMANDS.filter((c) => c.path.length > 1 && c.path[0] === argv[0]);
    const asksHelp = argv.length === 1 || ['--help', '-h', 'help'].includes(argv[1] ?? '');
    if (group.length > 0 && asksHelp) {
      help(argv.length === 1 ? { out: io.err, err: io.err } : io, group);
      return argv.length === 1 ? 2 : 0;
    }
    io.err(`Unknown command: ${argv.join(' ')}`);
    help(io);
    return 2;
  }
  const command = (await match.load()).default;
  const args = argv.slice(match.path.length);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}`);
      io.err(command.usage);
      return 2;
    }
    // Never dump a stack at the user; SRE_AGENT_DEBUG=1 shows it for maintainers.
    io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.SRE_AGENT_DEBUG) io.err(error instanceof Error ? (error.stack ?? '') : '');
    return 1;
  }
}
