import { describe, expect, it } from 'vitest';
import type { SpecialistReport } from '../../domain/findings.ts';
import type { ToolCallResult } from '../../mcp/client.ts';
import { Grounding, checkResource } from './grounding.ts';

function ok(tool: string, result: unknown, text = JSON.stringify(result)): ToolCallResult {
  return { ok: true, tool, result, text, durationMs: 1 };
}

const LOG_LINE = 'HikariPool-1 - Connection is not available, request timed out after 30000ms.';

function grounding(): Grounding {
  const g = new Grounding();
  g.record(ok('logs___search_logs', { events: [{ message: LOG_LINE, pod: 'billing-api-5d8f7-x2x9z', namespace: 'billing' }] }));
  g.record(ok('logs___get_error_logs', { count: 17, message: 'Cannot invoke "Promotion.discountFor()" because "promotion" is null' }));
  g.record({ ok: false, tool: 'logs___query_logs', error: { type: 'Timeout', message: 'Query timed out: orders-db unreachable', retryable: false }, durationMs: 1 });
  return g;
}

const REPORT: SpecialistReport = {
  name: 'logs',
  status: 'ok',
  findings: [{ signal: 'log-signature', resource: 'Workload//billing-api', severity: 'warning', summary: 's', evidence: [{ source: 'logs___search_logs', detail: 'd' }] }],
  healthy: [],
  gaps: [],
  toolCalls: 2,
  durationMs: 1,
  inventory: [{ resource: 'StatefulSet/billing/billing-db', health: 'healthy' }],
};

describe('grounding quotes in the run’s tool results', () => {
  it('finds a verbatim quote whatever its case, spacing, quote marks or ellipses', () => {
    const g = grounding();
    expect(g.findQuote(LOG_LINE)).toBe('logs___search_logs');
    expect(g.findQuote(`“connection is NOT available,   request timed out…”`)).toBe('logs___search_logs');
    expect(g.findQuote('...request timed out after 30000ms...')).toBe('logs___search_logs');
  });

  it('matches text the JSON result escapes, and JSON fragments without their punctuation', () => {
    const g = grounding();
    // The text form holds \"promotion\"; the model quotes the string as it reads it.
    expect(g.findQuote('because "promotion" is null')).toBe('logs___get_error_logs');
    expect(g.findQuote('"count":17,"message"')).toBe('logs___get_error_logs');
    expect(g.findQuote('count: 17 message: Cannot invoke')).toBe('logs___get_error_logs');
  });

  it('attributes a quote to the tool that returned it, whichever tool the model cited', () => {
    expect(grounding().findQuote(LOG_LINE, 'logs___get_error_logs')).toBe('logs___search_logs');
  });

  it('refuses quotes no successful tool returned, and quotes too short to prove anything', () => {
    const g = grounding();
    expect(g.findQuote('Connection refused to orders-db:5432')).toBeNull();
    // A failed call's error text is not tool data.
    expect(g.findQuote('Query timed out: orders-db unreachable')).toBeNull();
    expect(g.findQuote('timed out')).toBeNull();
    expect(g.findQuote('HikariPool-1 - Connection is not available, request timed out after 60000ms.')).toBeNull();
  });

  it('records what a wrapped ToolCaller returns, and passes the results through unchanged', async () => {
    const g = new Grounding();
    const result = ok('metrics___get_error_rates', { series: [{ name: 'HTTPCode_Target_5XX_Count', peak: 412 }] });
    const tools = g.wrap({ calls: [], listTools: async () => [], callTool: async () => result });
    expect(await tools.callTool('metrics___get_error_rates', {})).toBe(result);
    expect(g.size).toBe(1);
    expect(g.findQuote('HTTPCode_Target_5XX_Count')).toBe('metrics___get_error_rates');
  });
});

describe('checking the resource a claim names', () => {
  it('accepts what the report knows, correcting a wrong kind for a known name', () => {
    const g = grounding();
    expect(checkResource('StatefulSet/billing/billing-db', REPORT, g)).toEqual({ ok: true, resource: 'StatefulSet/billing/billing-db' });
    expect(checkResource('Deployment/billing/billing-db', REPORT, g)).toEqual({ ok: true, resource: 'StatefulSet/billing/billing-db' });
    expect(checkResource('Workload//billing-api', REPORT, g)).toEqual({ ok: true, resource: 'Workload//billing-api' });
  });

  it('accepts an object a tool result names (name and namespace)', () => {
    expect(checkResource('Pod/billing/billing-api-5d8f7-x2x9z', REPORT, grounding())).toEqual({ ok: true, resource: 'Pod/billing/billing-api-5d8f7-x2x9z' });
  });

  it('rejects names nothing returned, part-names, and malformed references', () => {
    const g = grounding();
    expect(checkResource('StatefulSet/billing/orders-db', REPORT, g)).toEqual({ ok: false, reason: 'resource StatefulSet/billing/orders-db does not exist in the data this specialist saw' });
    // "billing" appears only inside longer names; it is not itself an object.
    expect(checkResource('Deployment/billing/billing', REPORT, g).ok).toBe(false);
    expect(checkResource('Pod/payments/billing-api-5d8f7-x2x9z', REPORT, g).ok).toBe(false);
    expect(checkResource('billing-api', REPORT, g)).toEqual({ ok: false, reason: 'resource billing-api is not of the form Kind/namespace/name' });
  });
});
