import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from './csv.ts';

describe('parseCsvRecords', () => {
  it('splits on commas and LF or CRLF line ends', () => {
    expect(parseCsvRecords('a,b\r\n1,2\n3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('keeps commas, CRLF and doubled quotes inside quoted fields', () => {
    const text = 'id,msg\r\n1,"Changing view acls to: yarn,curi"\r\n2,"line one\r\nline two"\r\n3,"say ""hi"", ok"\r\n';
    expect(parseCsvRecords(text)).toEqual([
      ['id', 'msg'],
      ['1', 'Changing view acls to: yarn,curi'],
      ['2', 'line one\r\nline two'],
      ['3', 'say "hi", ok'],
    ]);
  });

  it('keeps empty fields, drops a trailing line end, blank lines and a byte-order mark', () => {
    expect(parseCsvRecords('\ufeffa,,c\n\n,"",\n')).toEqual([['a', '', 'c'], ['', '', '']]);
  });

  it('rejects an unterminated quoted field', () => {
    expect(() => parseCsvRecords('a,"open\n')).toThrow(/unterminated/);
  });
});

describe('parseCsv', () => {
  it('separates the header from the rows', () => {
    expect(parseCsv('LineId,Content\r\n1,"a, b"\r\n')).toEqual({ header: ['LineId', 'Content'], rows: [['1', 'a, b']] });
  });

  it('reports a row whose field count differs from the header, with its record number', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/record 3 has 1 fields, the header has 2/);
    expect(() => parseCsv('')).toThrow(/empty/);
  });
});
