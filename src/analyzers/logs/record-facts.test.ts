import { describe, expect, it } from 'vitest';
import { parseLine } from './line.ts';
import type { LogRecord } from './record.ts';
import { sampleText } from './record-facts.ts';

function record(line: string): LogRecord {
  const parsed = parseLine(line, Date.parse('2026-03-10T14:00:00Z'));
  return { ...parsed, timestamp: parsed.timestamp ?? 0, eventTimestamp: 0, line, logGroup: 'g', logStream: 's', service: 'svc', partial: false } as LogRecord;
}

describe('sampleText', () => {
  it('keeps the facts a structured logger writes beside its message, not its envelope', () => {
    const line = '{"level":30,"time":1773152070574,"pid":1,"hostname":"invoice-gql-7f4d96b5c8-8h6pk","reqId":"r-1","module":"db/pool","totalCount":5,"idleCount":0,"waitingCount":9,"max":5,"msg":"pg pool stats"}';
    expect(sampleText(record(line))).toBe('pg pool stats (module=db/pool totalCount=5 idleCount=0 waitingCount=9 max=5)');
  });

  it('quotes values with spaces, skips long and nested ones, and stops at eight fields', () => {
    const line = JSON.stringify({ level: 'warn', msg: 'slow query', table: 'invoice lines', sql: 'x'.repeat(200), ctx: { a: 1 }, a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 });
    expect(sampleText(record(line))).toBe('slow query (table="invoice lines" a=1 b=2 c=3 d=4 e=5 f=6 g=7)');
  });

  it('is the message of a plain-text line, and of a structured line with nothing beside it', () => {
    expect(sampleText(record('2026-03-10T14:00:01Z ERROR connection refused'))).toBe('connection refused');
    expect(sampleText(record('{"level":"error","msg":"boom","time":"2026-03-10T14:00:01Z"}'))).toBe('boom');
  });

  it('does not repeat a field the message already states as key=value', () => {
    expect(sampleText(record('time=2026-03-10T14:00:01Z level=warn msg="retrying status=503" status=503 attempt=2'))).toBe('retrying status=503 (attempt=2)');
  });
});
