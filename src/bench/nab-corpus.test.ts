import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NAB_PROFILES } from './nab.ts';
import { loadNabCorpus, parseNabCsv, parseNabTimestamp, parseProfiles, parseWindows } from './nab-corpus.ts';

describe('parseNabTimestamp', () => {
  it('reads data and label timestamps as UTC', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15, 0));
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15, 0));
    expect(parseNabTimestamp('2011-07-01 00:00:01')).toBe(Date.UTC(2011, 6, 1, 0, 0, 1));
    expect(Number.isNaN(parseNabTimestamp('yesterday'))).toBe(true);
  });
});

describe('parseNabCsv', () => {
  it('reads timestamp,value rows with CRLF or LF endings', () => {
    expect(parseNabCsv('timestamp,value\r\n2014-04-01 00:00:00,1.5\r\n2014-04-01 00:05:00,-2\r\n', 'x.csv')).toEqual({
      timestamps: [Date.UTC(2014, 3, 1), Date.UTC(2014, 3, 1, 0, 5)],
      values: [1.5, -2],
    });
  });

  it('names the file and line of a bad row or header', () => {
    expect(() => parseNabCsv('timestamp,value\n2014-04-01 00:00:00,abc\n', 'x.csv')).toThrow('x.csv:2');
    expect(() => parseNabCsv('time,v\n', 'x.csv')).toThrow(/x.csv: expected a 'timestamp,value' header/);
  });
});

describe('label and profile files', () => {
  it('reads windows per file', () => {
    const w = parseWindows({ 'a/b.csv': [['2014-04-10 07:15:00.000000', '2014-04-11 16:45:00.000000']], 'a/c.csv': [] }, 'w.json');
    expect(w.get('a/b.csv')).toEqual([[Date.UTC(2014, 3, 10, 7, 15), Date.UTC(2014, 3, 11, 16, 45)]]);
    expect(w.get('a/c.csv')).toEqual([]);
    expect(() => parseWindows({ 'a/b.csv': [['nope', 'x']] }, 'w.json')).toThrow(/bad window/);
    expect(() => parseWindows([], 'w.json')).toThrow(/expected an object/);
  });

  it('reads cost matrices', () => {
    const p = parseProfiles({ standard: { CostMatrix: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 } } }, 'p.json');
    expect(p).toEqual({ standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 } });
    expect(() => parseProfiles({ standard: { CostMatrix: { tpWeight: 1 } } }, 'p.json')).toThrow(/CostMatrix.fpWeight/);
  });
});

describe('loadNabCorpus', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function corpusDir(windows: Record<string, string[][]>, profiles?: unknown): string {
    dir = mkdtempSync(join(tmpdir(), 'nab-corpus-'));
    mkdirSync(join(dir, 'data', 'catA'), { recursive: true });
    mkdirSync(join(dir, 'labels'));
    writeFileSync(join(dir, 'data', 'catA', 'one.csv'), 'timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2\n');
    writeFileSync(join(dir, 'data', 'catA', 'notes.txt'), 'not data');
    writeFileSync(join(dir, 'labels', 'combined_windows.json'), JSON.stringify(windows));
    if (profiles) {
      mkdirSync(join(dir, 'config'));
      writeFileSync(join(dir, 'config', 'profiles.json'), JSON.stringify(profiles));
    }
    return dir;
  }

  it('loads CSVs by category with their windows, and NAB profiles when the corpus has none', () => {
    const root = corpusDir({ 'catA/one.csv': [['2014-04-01 00:05:00', '2014-04-01 00:05:00']], 'catB/held-out.csv': [] });
    const corpus = loadNabCorpus(root);
    expect(corpus.files).toHaveLength(1);
    expect(corpus.files[0]).toMatchObject({ name: 'catA/one.csv', values: [1, 2], windows: [[Date.UTC(2014, 3, 1, 0, 5), Date.UTC(2014, 3, 1, 0, 5)]] });
    expect(corpus.profiles).toEqual(NAB_PROFILES);
    expect(corpus.profilesSource).toBe('NAB defaults');
  });

  it('uses config/profiles.json when present', () => {
    const root = corpusDir({ 'catA/one.csv': [] }, { mine: { CostMatrix: { tpWeight: 2, fnWeight: 1, fpWeight: 0.5 } } });
    expect(loadNabCorpus(root).profiles).toEqual({ mine: { tpWeight: 2, fnWeight: 1, fpWeight: 0.5 } });
  });

  it('names what is missing', () => {
    expect(() => loadNabCorpus('/nonexistent/nab')).toThrow('NAB folder not found: /nonexistent/nab');
    const root = corpusDir({});
    expect(() => loadNabCorpus(root)).toThrow(`has no entry for catA/one.csv`);
    expect(() => loadNabCorpus(root, join(root, 'nope.json'))).toThrow(`NAB windows file not found: ${join(root, 'nope.json')}`);
    rmSync(join(root, 'data'), { recursive: true });
    expect(() => loadNabCorpus(root)).toThrow(`NAB data folder not found: ${join(root, 'data')}`);
  });
});
