import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../command.ts';
import { main } from '../main.ts';
import command from './bench-logs.ts';

describe('sre-agent bench logs', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-logs-cmd-'));
    out = [];
    err = [];
    const lines = ['LineId,Content,EventId,EventTemplate'];
    for (let i = 1; i <= 40; i++) {
      lines.push(i % 2 ? `${i},Received block blk_${i * 7} of size ${i * 512},E1,Received block <*> of size <*>` : `${i},"Verification succeeded for blk_${i}, ok",E2,"Verification succeeded for <*>, ok"`);
    }
    writeFileSync(join(dir, 'Mini_2k.log_structured.csv'), `${lines.join('\r\n')}\r\n`);
    writeFileSync(join(dir, 'Mini_2k.log_structured_corrected.csv'), `${lines.join('\r\n')}\r\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table, the synthetic scaling runs and writes the JSON report', async () => {
    const json = join(dir, 'out.json');
    expect(await command.run(['--data', dir, '--json', json, '--synthetic-lines', '2000', '--repetitions', '1'], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^dataset\s+lines\s+groups mined\/true\s+GA\s+PA\s+lines\/s$/m);
    expect(text).toMatch(/^Mini\s+40\s+2\/2\s+1\.000\s+1\.000\s+[\d,]+$/m);
    expect(text).toMatch(/^mean\s+1\.000\s+1\.000\s+[\d,]+$/m);
    expect(text).toMatch(/^\s+10,000\s+2,000\s+/m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report)).toEqual(['datasets', 'mean', 'linesPerSecond', 'synthetic']);
    expect(report.datasets).toEqual([{ name: 'Mini', groupingAccuracy: 1, parsingAccuracy: 1, linesPerSecond: expect.any(Number) }]);
    expect(report.mean).toEqual({ groupingAccuracy: 1, parsingAccuracy: 1 });
    expect(report.synthetic.map((s: { templates: number }) => s.templates)).toEqual([10, 100, 1000, 10000]);
  });

  it('rejects a missing directory, a CSV without the needed columns and bad flags as usage errors', async () => {
    await expect(command.run(['--data', join(dir, 'nope'), '--synthetic-lines', '0'], io)).rejects.toThrow(new UsageError(`data directory not found: ${join(dir, 'nope')}`));
    writeFileSync(join(dir, 'Mini_2k.log_structured.csv'), 'LineId,EventId\r\n1,E1\r\n');
    await expect(command.run(['--data', dir, '--synthetic-lines', '0'], io)).rejects.toThrow(/Mini_2k\.log_structured\.csv has no Content column/);
    await expect(command.run(['--synthetic-lines', '-3'], io)).rejects.toThrow(UsageError);
    await expect(command.run(['--frobnicate'], io)).rejects.toThrow(UsageError);
  });

  it('reports bad input through the CLI without a stack trace', async () => {
    const code = await main(['bench', 'logs', '--data', join(dir, 'nope')], io);
    expect(code).toBe(2);
    expect(err[0]).toBe(`Error: data directory not found: ${join(dir, 'nope')}`);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });
});
