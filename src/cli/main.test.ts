import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('the sre-agent command dispatcher', () => {
  it('lists every command on --help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    const text = c.out.join('\n');
    for (const name of ['investigate', 'eval', 'gateway', 'token', 'dev', 'bench logs', 'bench anomaly', 'bench perf']) expect(text).toContain(`  ${name}`);
  });

  it('lists a group\'s sub-commands for `bench --help` (exit 0) and for a bare `bench` (exit 2, on stderr)', async () => {
    const asked = capture();
    expect(await main(['bench', '--help'], asked.io)).toBe(0);
    expect(asked.out.join('\n')).toMatch(/bench logs[\s\S]*bench perf[\s\S]*bench anomaly/);
    expect(asked.out.join('\n')).not.toContain('investigate');

    const bare = capture();
    expect(await main(['bench'], bare.io)).toBe(2);
    expect(bare.out).toEqual([]);
    expect(bare.err.join('\n')).toContain('bench logs');
  });

  it('names an unknown command and exits 2', async () => {
    const c = capture();
    expect(await main(['bench', 'everything'], c.io)).toBe(2);
    expect(c.err[0]).toBe('Unknown command: bench everything');
    expect(await main(['frobnicate'], capture().io)).toBe(2);
  });

  it('prints a command\'s usage on --help without running it', async () => {
    const c = capture();
    expect(await main(['eval', '--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/--scenarios/);
  });
});
