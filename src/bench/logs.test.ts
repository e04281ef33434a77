import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BenchInputError,
  benchSynthetic,
  findLoghubFiles,
  formatReport,
  groupingAccuracy,
  loadLoghubDataset,
  measureThroughput,
  normaliseTemplate,
  parsingAccuracy,
  reportToJson,
  runLogBench,
  syntheticLog,
} from './logs.ts';

describe('groupingAccuracy', () => {
  it('counts no line of a mined group that merges two true groups', () => {
    // Lines 0-1 form a correct group; the group of lines 2-5 mixes B and C, so none of its 4 lines count.
    expect(groupingAccuracy(['A', 'A', 'B', 'B', 'C', 'C'], [1, 1, 2, 2, 2, 2])).toBeCloseTo(2 / 6, 12);
  });

  it('counts no line of a true group split over mined groups', () => {
    // A is split in two, so its 3 lines are wrong even though each part is pure; B is exact.
    expect(groupingAccuracy(['A', 'A', 'A', 'B'], [7, 7, 8, 9])).toBeCloseTo(1 / 4, 12);
  });

  it('ignores how groups are named', () => {
    expect(groupingAccuracy(['x', 'y', 'x'], ['g2', 'g1', 'g2'])).toBe(1);
    expect(groupingAccuracy([], [])).toBe(0);
    expect(() => groupingAccuracy(['A'], [1, 2])).toThrow(/1 true labels but 2 mined/);
  });
});

describe('parsingAccuracy', () => {
  it('normalises whitespace and runs of variables on both sides, nothing else', () => {
    expect(normaliseTemplate('  Took  <*> <*>   seconds ')).toBe('Took <*> seconds');
    expect(normaliseTemplate('<*><*> at <*>:<*>')).toBe('<*> at <*>:<*>');
    expect(normaliseTemplate('a <*>, <*>')).toBe('a <*>, <*>');
  });

  it('is the share of lines whose template matches exactly after normalisation', () => {
    const truth = ['Took <*> seconds', 'Deleting <*>', 'VM Started', 'size <*>, free <*>'];
    const mined = ['Took <*>  <*> seconds', 'Deleting file', 'VM Started', 'size <*> free <*>'];
    expect(parsingAccuracy(truth, mined)).toBe(2 / 4);
  });
});

describe('syntheticLog', () => {
  it('is deterministic for a seed and varies token counts and templates', () => {
    const a = syntheticLog(2000, 50, 3);
    expect(syntheticLog(2000, 50, 3)).toEqual(a);
    expect(syntheticLog(2000, 50, 4).lines).not.toEqual(a.lines);
    expect(a.lines).toHaveLength(2000);
    expect(Math.min(...a.truth)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.truth)).toBeLessThan(50);
    const tokenCounts = new Set(a.lines.map((l) => l.split(' ').length));
    expect(tokenCounts.size).toBeGreaterThan(5);
  });

  it('is mined back into its templates', () => {
    const result = benchSynthetic(5000, 20);
    expect(result).toMatchObject({ templates: 20, lines: 5000, groupsMined: 20, groupingAccuracy: 1 });
    expect(result.linesPerSecond).toBeGreaterThan(0);
  });
});

describe('measureThroughput', () => {
  it('reports lines per second of the miner', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `request ${i} served in ${i % 17} ms`);
    const t = measureThroughput(lines, 2, 1);
    expect(t.linesPerSecond).toBeGreaterThan(1000);
    expect(t.cpuLinesPerSecond).toBeGreaterThan(1000);
    expect(measureThroughput([], 2)).toEqual({ linesPerSecond: 0, cpuLinesPerSecond: 0 });
  });
});

describe('Loghub data sets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const header = 'LineId,Level,Content,EventId,EventTemplate';
  const rows = [
    '1,INFO,Took 1.5 seconds to build instance.,E1,Took <*>.<*> seconds to build instance.',
    '2,INFO,"Changing view acls to: yarn,curi",E2,Changing view acls to: <*>',
    '3,INFO,Took 0.25 seconds to build instance.,E1,Took <*>.<*> seconds to build instance.',
    '4,WARN,VM Started (Lifecycle Event),E3,VM Started (Lifecycle Event)',
    '5,INFO,"Changing view acls to: yarn,curi",E2,Changing view acls to: <*>',
    '6,WARN,VM Stopped (Lifecycle Event),E4,VM Stopped (Lifecycle Event)',
  ];
  const write = (name: string, lines: string[]): void => writeFileSync(join(dir, name), `${lines.join('\r\n')}\r\n`);

  it('loads Content and EventId, and aligns the corrected templates on LineId', () => {
    write('Tiny_2k.log_structured.csv', [header, ...rows]);
    const corrected = ['Took <*> seconds to build instance.', 'Changing view acls to: <*>', 'Took <*> seconds to build instance.', 'VM Started (Lifecycle Event)', 'Changing view acls to: <*>', 'VM Stopped (Lifecycle Event)'];
    write('Tiny_2k.log_structured_corrected.csv', ['LineId,EventTemplate', ...corrected.map((t, i) => `${i + 1},${t}`).reverse()]);
    const d = loadLoghubDataset(join(dir, 'Tiny_2k.log_structured.csv'));
    expect(d.name).toBe('Tiny');
    expect(d.contents[1]).toBe('Changing view acls to: yarn,curi');
    expect(d.eventIds).toEqual(['E1', 'E2', 'E1', 'E3', 'E2', 'E4']);
    expect(d.correctedTemplates).toEqual(corrected);
  });

  it('runs every structured file and reports GA, PA (null without corrected file) and throughput', () => {
    write('Tiny_2k.log_structured.csv', [header, ...rows]);
    write('Tiny_2k.log_structured_corrected.csv', ['LineId,EventTemplate', '1,Took <*> seconds to build instance.', '2,Changing view acls to: <*>', '3,Took <*> seconds to build instance.', '4,VM Started (Lifecycle Event)', '5,Changing view acls to: <*>', '6,VM Stopped (Lifecycle Event)']);
    // A second set whose mined groups merge E1 and E2: "a <*>" holds lines 1-2 (E1) and line 3 (E2).
    write('Other_2k.log_structured.csv', ['LineId,Content,EventId', '1,a 1,E1', '2,a 2,E1', '3,a 3,E2', '4,b,E3']);
    const report = runLogBench(dir, { repetitions: 1, syntheticLines: 0 });
    expect(report.datasets.map((d) => d.name)).toEqual(['Other', 'Tiny']);
    const [other, tiny] = report.datasets;
    expect(tiny).toMatchObject({ lines: 6, groupsMined: 4, groupsTrue: 4, groupingAccuracy: 1 });
    // Mined "Changing view acls to: yarn,curi" keeps its words; the corrected template has <*>.
    expect(tiny!.parsingAccuracy).toBeCloseTo(4 / 6, 12);
    expect(other).toMatchObject({ groupsMined: 2, groupsTrue: 3, groupingAccuracy: 0.25, parsingAccuracy: null });
    expect(report.meanGroupingAccuracy).toBeCloseTo(0.625, 12);
    expect(report.meanParsingAccuracy).toBeCloseTo(4 / 6, 12);
    expect(report.linesPerSecond).toBeGreaterThan(0);
    expect(report.synthetic).toEqual([]);

    const json = reportToJson(report) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['datasets', 'mean', 'linesPerSecond', 'synthetic']);
    expect((json.datasets as object[]).map((d) => Object.keys(d))).toEqual([
      ['name', 'groupingAccuracy', 'parsingAccuracy', 'linesPerSecond'],
      ['name', 'groupingAccuracy', 'parsingAccuracy', 'linesPerSecond'],
    ]);
    expect(json.mean).toEqual({ groupingAccuracy: report.meanGroupingAccuracy, parsingAccuracy: report.meanParsingAccuracy });

    const table = formatReport(report).join('\n');
    expect(table).toMatch(/^Other\s+4\s+2\/3\s+0\.250\s+-\s+[\d,]+$/m);
    expect(table).toMatch(/^Tiny\s+6\s+4\/4\s+1\.000\s+0\.667\s+[\d,]+$/m);
    expect(table).toMatch(/^mean\s+0\.625\s+0\.667\s+[\d,]+$/m);
    expect(table).toMatch(/best of 1 runs after warm-up \([\d,]+ lines per CPU second overall\)/);
  });

  it('names the directory or file when the input is unusable', () => {
    expect(() => findLoghubFiles(join(dir, 'missing'))).toThrow(new BenchInputError(`data directory not found: ${join(dir, 'missing')}`));
    expect(() => findLoghubFiles(dir)).toThrow(/no \*_2k\.log_structured\.csv files in/);
    write('Bad_2k.log_structured.csv', ['LineId,Content', '1,hello']);
    expect(() => loadLoghubDataset(join(dir, 'Bad_2k.log_structured.csv'))).toThrow(/Bad_2k\.log_structured\.csv has no EventId column/);
    write('Short_2k.log_structured.csv', [header, rows[0]!]);
    write('Short_2k.log_structured_corrected.csv', ['LineId,EventTemplate']);
    expect(() => loadLoghubDataset(join(dir, 'Short_2k.log_structured.csv'))).toThrow(/Short_2k\.log_structured_corrected\.csv has 0 rows but/);
    write('Broken_2k.log_structured.csv', [header, '1,INFO,"unterminated,E1,x']);
    expect(() => loadLoghubDataset(join(dir, 'Broken_2k.log_structured.csv'))).toThrow(/Broken_2k\.log_structured\.csv: unterminated/);
  });
});
