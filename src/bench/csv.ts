/**
 * A small RFC 4180 CSV reader for the Loghub files: comma-separated, fields optionally quoted with '"',
 * '""' inside quotes is a literal quote, quoted fields may hold commas and line breaks, records end in
 * LF or CRLF. One pass over the characters, no regular expressions.
 */

export interface CsvTable {
  header: string[];
  rows: string[][];
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/** Parses CSV text into records (arrays of fields). A trailing line break does not make an empty record. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  // A UTF-8 byte-order mark is not part of the first header name.
  if (n > 0 && text.charCodeAt(0) === 0xfeff) i = 1;
  let fieldStart = i;
  let quoted = false;
  let atRecordStart = true;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
          field += text.slice(fieldStart, i + 1);
          i += 2;
          fieldStart = i;
          continue;
        }
        field += text.slice(fieldStart, i);
        quoted = false;
        i++;
        fieldStart = i;
        continue;
      }
      i++;
      continue;
    }
    if (c === QUOTE && i === fieldStart && field === '') {
      quoted = true;
      i++;
      fieldStart = i;
      atRecordStart = false;
      continue;
    }
    if (c === COMMA) {
      record.push(field + text.slice(fieldStart, i));
      field = '';
      i++;
      fieldStart = i;
      atRecordStart = false;
      continue;
    }
    if (c === CR || c === LF) {
      const end = i;
      if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
      i++;
      if (atRecordStart && record.length === 0 && field === '' && end === fieldStart) {
        // A blank line between records carries no record.
        fieldStart = i;
        continue;
      }
      record.push(field + text.slice(fieldStart, end));
      records.push(record);
      record = [];
      field = '';
      fieldStart = i;
      atRecordStart = true;
      continue;
    }
    atRecordStart = false;
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field at end of input');
  if (!atRecordStart || record.length > 0 || fieldStart < n) {
    record.push(field + text.slice(fieldStart, n));
    records.push(record);
  }
  return records;
}

/** Parses CSV text whose first record is the header; every row must have as many fields as the header. */
export function parseCsv(text: string): CsvTable {
  const records = parseCsvRecords(text);
  if (records.length === 0) throw new Error('empty CSV (no header)');
  const header = records[0]!;
  const rows = records.slice(1);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r]!.length !== header.length) {
      throw new Error(`record ${r + 2} has ${rows[r]!.length} fields, the header has ${header.length}`);
    }
  }
  return { header, rows };
}
