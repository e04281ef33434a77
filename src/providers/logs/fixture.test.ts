import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../tools/errors.ts';
import { createFixtureLogsProvider } from './fixture.ts';
import { logsProviderFromEnv } from './index.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logs-fixture-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLogs(files: Record<string, unknown>): Promise<void> {
  await mkdir(join(dir, 'cloudwatch', 'logs'), { recursive: true });
  for (const [name, doc] of Object.entries(files)) {
    await writeFile(join(dir, 'cloudwatch', 'logs', name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
}

const ev = (timestamp: number, message: string, extra: Record<string, unknown> = {}) => ({ logStreamName: 's', timestamp, message, ...extra });

describe('createFixtureLogsProvider', () => {
  it('merges a group split across files, ascending, with group and window filters', async () => {
    await writeLogs({
      'b-app-part2.json': { logGroupName: '/app', events: [ev(30, 'c'), ev(10, 'a')] },
      'a-app-part1.json': { logGroupName: '/app', events: [ev(20, 'b')] },
      'other.json': { logGroupName: '/other', events: [ev(15, 'x')] },
    });
    const p = createFixtureLogsProvider(dir);
    expect(await p.listLogGroups()).toEqual(['/app', '/other']);
    const all = await p.queryEvents({ start: 0, end: 100, limit: 100 });
    expect(all.events.map((e) => e.message)).toEqual(['a', 'x', 'b', 'c']);
    expect(all.events[1]!.logGroupName).toBe('/other');
    const app = await p.queryEvents({ start: 10, end: 20, logGroupNames: ['/app'], limit: 100 });
    expect(app.events.map((e) => e.message)).toEqual(['a', 'b']);
  });

  it('keeps the newest events when the limit cuts, and says so', async () => {
    await writeLogs({ 'g.json': { logGroupName: '/g', events: [1, 2, 3, 4, 5].map((t) => ev(t, `m${t}`)) } });
    const r = await createFixtureLogsProvider(dir).queryEvents({ start: 0, end: 10, limit: 2 });
    expect(r).toMatchObject({ truncated: true });
    expect(r.events.map((e) => e.message)).toEqual(['m4', 'm5']);
    expect((await createFixtureLogsProvider(dir).queryEvents({ start: 0, end: 10, limit: 5 })).truncated).toBe(false);
  });

  it('applies the anyOf hint case-insensitively', async () => {
    await writeLogs({ 'g.json': { logGroupName: '/g', events: [ev(1, 'Connection REFUSED'), ev(2, 'ok'), ev(3, 'timeout')] } });
    const r = await createFixtureLogsProvider(dir).queryEvents({ start: 0, end: 10, anyOf: ['refused', 'TIMEOUT'], limit: 10 });
    expect(r.events.map((e) => e.message)).toEqual(['Connection REFUSED', 'timeout']);
  });

  it('is liberal in what it reads: object messages, missing streams, duplicate event ids, bad events', async () => {
    await writeLogs({
      '1.json': { logGroupName: '/g', events: [ev(1, 'a', { eventId: 'e1', ingestionTime: 5 }), { timestamp: 2, message: { log: 'obj' } }, { message: 'no time' }, null] },
      '2.json': { logGroupName: '/g', events: [ev(1, 'a', { eventId: 'e1' })] },
    });
    const r = await createFixtureLogsProvider(dir).queryEvents({ start: 0, end: 10, limit: 10 });
    expect(r.events).toEqual([
      { logGroupName: '/g', logStreamName: 's', timestamp: 1, message: 'a', eventId: 'e1', ingestionTime: 5 },
      { logGroupName: '/g', logStreamName: '', timestamp: 2, message: '{"log":"obj"}' },
    ]);
  });

  it('a scenario without logs is empty, not an error', async () => {
    const p = createFixtureLogsProvider(dir);
    expect(await p.listLogGroups()).toEqual([]);
    expect(await p.queryEvents({ start: 0, end: 10, limit: 10 })).toEqual({ events: [], truncated: false });
  });

  it('a malformed file is Unavailable, and a later call reads again', async () => {
    await writeLogs({ 'g.json': '{"logGroupName": "/g", "events": [' });
    const p = createFixtureLogsProvider(dir);
    await expect(p.listLogGroups()).rejects.toBeInstanceOf(ToolError);
    await writeLogs({ 'g.json': { events: [] } });
    await expect(p.listLogGroups()).rejects.toThrow(/no logGroupName/);
    await writeLogs({ 'g.json': { logGroupName: '/g', events: [] } });
    expect(await p.listLogGroups()).toEqual(['/g']);
  });
});

describe('logsProviderFromEnv', () => {
  it('selects the fixture provider for SRE_AGENT_SCENARIO', async () => {
    await writeLogs({ 'g.json': { logGroupName: '/g', events: [] } });
    expect(await logsProviderFromEnv({ SRE_AGENT_SCENARIO: dir }).listLogGroups()).toEqual(['/g']);
  });

  it('names the missing variable otherwise', () => {
    expect(() => logsProviderFromEnv({})).toThrow(/SRE_AGENT_SCENARIO/);
    expect(() => logsProviderFromEnv({ LOGS_PROVIDER: 'elastic' })).toThrow(/LOGS_PROVIDER=elastic is not available/);
  });
});
