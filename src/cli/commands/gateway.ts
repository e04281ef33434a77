import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { startLocalGateway } from '../../local/gateway.ts';
import { defaultScenarioDir } from '../scenarios.ts';

const usage = `Usage: sre-agent gateway [--scenario <dir>] [--host <address>] [--port <n>] [--insecure-no-auth]

Serves the four tool backends of a scenario as MCP tools (Streamable HTTP) on this machine, as AgentCore
Gateway does in AWS. Clients authenticate with a bearer token from \`sre-agent token\`.

  --scenario <dir>      scenario folder (default: the bundled reference incident)
  --host <address>      bind address (default 127.0.0.1)
  --port <n>            port (default: 7411; 0 picks a free one)
  --insecure-no-auth    no authentication; only allowed on a loopback address`;

const command: Command = {
  path: ['gateway'],
  summary: 'Serve a scenario\'s tools over MCP on loopback (local stand-in for AgentCore Gateway)',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        scenario: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '7411' },
        'insecure-no-auth': { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not '${values.port}'`);
    const gateway = await startLocalGateway({
      scenarioDir: values.scenario ?? defaultScenarioDir(),
      host: values.host!,
      port,
      insecureNoAuth: values['insecure-no-auth']!,
    });
    io.out(`MCP gateway for scenario '${gateway.scenario.id}' listening at ${gateway.mcpUrl}`);
    io.out(values['insecure-no-auth'] ? 'Authentication is OFF (loopback only).' : 'Authenticate with: Authorization: Bearer $(sre-agent token)');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await gateway.close();
    return 0;
  },
};
export default command;
