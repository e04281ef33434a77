import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE_MINER_OPTIONS, globMatch, TemplateMiner } from './template-miner.ts';

/** Adds the lines and returns each line's final group id. */
function mine(lines: string[], miner = new TemplateMiner()): number[] {
  const ids = lines.map((l) => miner.add(l));
  return ids.map((id) => miner.resolve(id));
}

/** The partition of line indexes that the group ids induce, in a canonical form. */
function partition(groups: number[]): number[][] {
  const byGroup = new Map<number, number[]>();
  groups.forEach((g, i) => {
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  });
  return [...byGroup.values()].sort((a, b) => a[0]! - b[0]!);
}

describe('TemplateMiner', () => {
  it('groups lines of one template and masks their variables', () => {
    const miner = new TemplateMiner();
    const ids = mine(
      [
        'Received block blk_123 of size 67108864 from /10.250.19.102',
        'Received block blk_-99 of size 3 from /10.251.73.220',
        'Received block blk_7 of size 512 from /10.0.0.1',
      ],
      miner,
    );
    expect(new Set(ids).size).toBe(1);
    expect(miner.template(ids[0]!)).toEqual({ id: ids[0], template: 'Received block <*> of size <*> from <*>', count: 3 });
  });

  it('keeps templates apart that differ in a constant word', () => {
    const miner = new TemplateMiner();
    const ids = mine(
      [
        '10.0.0.1 "GET /v2/servers HTTP/1.1" status: 200 len: 1893 time: 0.24',
        '10.0.0.2 "POST /v2/servers HTTP/1.1" status: 202 len: 733 time: 0.51',
        '10.0.0.3 "GET /v2/flavors HTTP/1.1" status: 200 len: 120 time: 0.02',
        '[instance: 7a9e] VM Started (Lifecycle Event)',
        '[instance: 1bc2] VM Stopped (Lifecycle Event)',
        '[instance: 3d44] VM Started (Lifecycle Event)',
      ],
      miner,
    );
    expect(partition(ids)).toEqual([[0, 2], [1], [3, 5], [4]]);
    expect(miner.template(ids[0]!).template).toBe('<*> "GET <*>" status: <*> len: <*> time: <*>');
    expect(miner.template(ids[4]!).template).toBe('[instance: <*>] VM Stopped (Lifecycle Event)');
  });

  it('does not join messages of different token counts', () => {
    const ids = mine(['Starting executor ID 1 on host node-1', 'Starting executor on host node-2']);
    expect(new Set(ids).size).toBe(2);
  });

  it('turns a position into a variable after enough distinct words, and not before', () => {
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
    const line = (u: string, i: number): string => `Invalid login ${u} from 10.0.0.${i} port ${4000 + i}`;
    const fewer = new TemplateMiner();
    const fewerIds = mine(users.slice(0, DEFAULT_TEMPLATE_MINER_OPTIONS.minDistinctValues - 1).map(line), fewer);
    expect(new Set(fewerIds).size).toBe(DEFAULT_TEMPLATE_MINER_OPTIONS.minDistinctValues - 1);

    const miner = new TemplateMiner();
    const ids = mine(users.map(line), miner);
    expect(new Set(ids).size).toBe(1);
    expect(miner.template(ids[0]!).template).toBe('Invalid login <*> from <*> port <*>');
    expect(miner.template(ids[0]!).count).toBe(users.length);
  });

  it('needs fewer distinct words after a noun naming an entity', () => {
    const after = DEFAULT_TEMPLATE_MINER_OPTIONS.minDistinctAfterNoun;
    const users = ['root', 'news', 'cyrus', 'test'].slice(0, after);
    const miner = new TemplateMiner();
    const ids = mine(users.map((u) => `session opened for user ${u} by (uid=0)`), miner);
    expect(new Set(ids).size).toBe(1);
    expect(miner.template(ids[0]!).template).toBe('session opened for user <*> by (uid=<*>)');
    // The same number of words after a verb stays apart (VM Started / Stopped / Paused are events).
    const states = ['Started', 'Stopped', 'Paused', 'Resumed'].slice(0, after);
    expect(new Set(mine(states.map((w, i) => `[instance: ${i}a] VM ${w} (Lifecycle Event)`))).size).toBe(after);
  });

  it('treats a word where other lines had a number as a value, whatever the order', () => {
    const lines = [
      'Registering class org.apache.EventType for class org.apache.Handler',
      'Registering class org.apache.v2.Job for class org.apache.v2.JobHandler',
      'Registering class org.apache.v2.Task for class org.apache.v2.TaskHandler',
    ];
    for (const order of [lines, [...lines].reverse()]) {
      const miner = new TemplateMiner();
      const ids = mine(order, miner);
      expect(new Set(ids).size).toBe(1);
      expect(miner.template(ids[0]!).template).toBe('Registering class <*> for class <*>');
    }
  });

  it('keeps ids stable across merges: earlier ids resolve to the survivor', () => {
    const miner = new TemplateMiner();
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    const early = users.map((u) => miner.add(`session opened for login ${u} by uid=0`));
    // Apart until the sixth distinct user; that line joins the merged group, whose id was issued before.
    expect(new Set(early.slice(0, -1)).size).toBe(users.length - 1);
    const survivor = miner.resolve(early[0]!);
    expect(early.slice(0, -1)).toContain(survivor);
    expect(early.at(-1)).toBe(survivor);
    for (const id of early) {
      expect(miner.resolve(id)).toBe(survivor);
      expect(miner.template(id)).toEqual(miner.template(survivor));
    }
    expect(miner.templates()).toEqual([{ id: survivor, template: 'session opened for login <*> by uid=<*>', count: users.length }]);
    // A later line of the same template joins the survivor directly.
    expect(miner.add('session opened for login zoe by uid=0')).toBe(survivor);
    expect(miner.template(survivor).count).toBe(users.length + 1);
  });

  it('counts every line once across templates()', () => {
    const miner = new TemplateMiner();
    const lines = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `job ${i} done in ${i * 7} ms` : i % 3 === 1 ? `worker w${i} idle` : `cache miss for key=${i}`));
    mine(lines, miner);
    const templates = miner.templates();
    expect(templates.reduce((s, t) => s + t.count, 0)).toBe(lines.length);
    expect(templates.map((t) => t.template).sort()).toEqual(['cache miss for key=<*>', 'job <*> done in <*> ms', 'worker <*> idle']);
  });

  it('gives the same partition whatever the cache size (evictions only cost re-matching)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => [`GET /a/${i} 200`, `user u${i % 7} logged in`, `disk ${i % 5} at ${i}% full`, `Started job-${i}`][i % 4]!);
    const reference = partition(mine(lines));
    expect(partition(mine(lines, new TemplateMiner({ maxCachedKeys: 2 })))).toEqual(reference);
  });

  it('handles empty messages, JSON payloads, stack frames and very long lines', () => {
    const miner = new TemplateMiner();
    const empty = [miner.add(''), miner.add('   ')];
    expect(empty[0]).toBe(empty[1]);
    expect(miner.template(empty[0]!).template).toBe('');

    const json = mine(['request failed {"status":503,"error":"upstream timeout","retry":true}', 'request failed {"status":500,"error":"bad gateway","retry":false}'], miner);
    expect(json[0]).toBe(json[1]);
    expect(miner.template(json[0]!).template).toBe('request failed {"status":<*>,"error":"<*>","retry":<*>}');

    const frames = mine(['at com.example.Db.query(Db.java:120)', 'at com.example.Db.query(Db.java:98)', 'at com.example.Http.get(Http.java:7)'], miner);
    expect(frames[0]).toBe(frames[1]);
    expect(frames[2]).not.toBe(frames[0]);

    const words = Array.from({ length: 5000 }, (_, i) => `w${'abcdefgh'[i % 8]}`).join(' ');
    const long = miner.add(`dump ${words}`);
    expect(miner.template(long).template.split(' ')).toHaveLength(DEFAULT_TEMPLATE_MINER_OPTIONS.maxTokens);
  });

  it('rejects unknown ids and bad options', () => {
    const miner = new TemplateMiner();
    miner.add('hello world');
    expect(() => miner.resolve(5)).toThrow(RangeError);
    expect(() => miner.template(-1)).toThrow(RangeError);
    expect(() => new TemplateMiner({ maxTokens: 1 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ minSharedFraction: 2 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ minDistinctValues: 1 })).toThrow(RangeError);
  });
});

describe('globMatch', () => {
  it('lets each "<*>" take one or more characters', () => {
    expect(globMatch('mask=<*>', 'mask=ffffffff')).toBe(true);
    expect(globMatch('mask=<*>', 'mask=')).toBe(false);
    expect(globMatch('<*>()', 'jk2_init()')).toBe(true);
    expect(globMatch('a<*>b<*>c', 'axxbyyc')).toBe(true);
    expect(globMatch('a<*>b<*>c', 'abc')).toBe(false);
    expect(globMatch('a<*>bc', 'axbcbc')).toBe(true);
    expect(globMatch('size=<*>,', 'size=4')).toBe(false);
  });
});
