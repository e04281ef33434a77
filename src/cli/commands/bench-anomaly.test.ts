import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import command from './bench-anomaly.ts';

/** `count` 5-minute rows from 2014-04-01, formatted as NAB does. */
function csv(values: number[]): string {
  const rows = values.map((v, i) => `${new Date(Date.UTC(2014, 3, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ')},${v}`);
  return `timestamp,value\n${rows.join('\n')}\n`;
}
const stamp = (i: number): string => `${new Date(Date.UTC(2014, 3, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ')}.000000`;

describe('sre-agent bench anomaly', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-anomaly-'));
    out = [];
    err = [];
    // One file with a spike far above its range at the first row of the only window, one quiet file without windows.
    const wobble = (i: number): number => 10 + Math.sin(i / 7) + ((i * 7919) % 13) / 13;
    mkdirSync(join(dir, 'data', 'spiky'), { recursive: true });
    mkdirSync(join(dir, 'data', 'quiet'), { recursive: true });
    mkdirSync(join(dir, 'labels'));
    writeFileSync(join(dir, 'data', 'spiky', 's.csv'), csv(Array.from({ length: 1200 }, (_, i) => (i === 1000 ? 60 : wobble(i)))));
    writeFileSync(join(dir, 'data', 'quiet', 'q.csv'), csv(Array.from({ length: 1200 }, (_, i) => wobble(i))));
    writeFileSync(join(dir, 'labels', 'combined_windows.json'), JSON.stringify({ 'spiky/s.csv': [[stamp(1000), stamp(1100)]], 'quiet/q.csv': [] }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a table per category and profile, and writes the JSON report', async () => {
    const json = join(dir, 'report.json');
    expect(await command.run(['--data', dir, '--json', json], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/2 files, 2400 rows, 1 windows/);
    expect(text).toMatch(/profiles from NAB defaults/);
    expect(text).toMatch(/^spiky\s+100\.0\s+1\/1\s+0/m);
    expect(text).toMatch(/^quiet\s+raw 0\.00/m);
    expect(text).toMatch(/^thresholds: standard /m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.profiles).toEqual({ standard: 100, reward_low_FP: 100, reward_low_FN: 100 });
    expect(report.categories).toEqual({
      quiet: { standard: null, reward_low_FP: null, reward_low_FN: null },
      spiky: { standard: 100, reward_low_FP: 100, reward_low_FN: 100 },
    });
    expect(Object.keys(report.thresholds)).toEqual(['standard', 'reward_low_FP', 'reward_low_FN']);
    expect(report.details.standard.total).toMatchObject({ windows: 1, detected: 1, falsePositives: 0 });
  });

  it('takes the windows from --windows', async () => {
    const windows = join(dir, 'other-windows.json');
    writeFileSync(windows, JSON.stringify({ 'spiky/s.csv': [], 'quiet/q.csv': [] }));
    expect(await command.run(['--data', dir, '--windows', windows], io)).toBe(0);
    expect(out.join('\n')).toMatch(/0 windows/);
  });

  it('names a missing data folder or windows file, without a stack trace', async () => {
    expect(await main(['bench', 'anomaly', '--data', join(dir, 'nope')], io)).toBe(1);
    expect(err.join('\n')).toBe(`Error: NAB folder not found: ${join(dir, 'nope')}`);
    err = [];
    expect(await main(['bench', 'anomaly', '--data', dir, '--windows', join(dir, 'missing.json')], io)).toBe(1);
    expect(err.join('\n')).toBe(`Error: NAB windows file not found: ${join(dir, 'missing.json')}`);
  });

  it('rejects unknown options with the usage', async () => {
    expect(await main(['bench', 'anomaly', '--bogus'], io)).toBe(2);
    expect(err[0]).toMatch(/Unknown option '--bogus'/);
    expect(err.join('\n')).toContain('Usage: sre-agent bench anomaly');
  });
});
