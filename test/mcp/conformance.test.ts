/**
 * External conformance: the official MCP conformance suite (server mode) against the local gateway, through
 * scripts/mcp-conformance.sh (which installs Node 22 and the suite into .sre-agent/tools on first use).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('MCP conformance suite', () => {
  it('passes server-initialize, ping, tools-list and dns-rebinding-protection', () => {
    const run = spawnSync('bash', [join(import.meta.dirname, '../../scripts/mcp-conformance.sh')], { encoding: 'utf8', timeout: 600_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    for (const scenario of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection']) {
      expect(output).toContain(`Running client scenario '${scenario}'`);
    }
    expect((output.match(/Passed: (\d+)\/\1, 0 failed/g) ?? []).length).toBe(4);
  }, 600_000);
});
