import { describe, expect, it } from 'vitest';
import { slowestRoutes } from './requests.ts';

describe('slowestRoutes', () => {
  it('groups access lines by method and path and ranks the slowest', () => {
    const lines = [
      '2026-03-31 11:40:02 INFO AccessLogFilter : GET /v1/invoices/export?period=2026-03&entity=DK01 200 61488ms',
      '2026-03-31 11:41:07 INFO AccessLogFilter : GET /v1/invoices/export?period=2026-03&entity=SI01 200 87073ms',
      '2026-03-31 11:41:09 INFO AccessLogFilter : POST /v1/payments 200 35ms',
      '2026-03-31 11:41:10 INFO AccessLogFilter : POST /v1/payments 500 30024ms',
      '10.0.0.1 - - "GET /healthz HTTP/1.1" 200 2 0.001s',
      'no request here 5000ms',
    ].map((text) => ({ text }));
    const routes = slowestRoutes(lines);
    expect(routes.map((r) => r.route)).toEqual(['GET /v1/invoices/export', 'POST /v1/payments']);
    expect(routes[0]).toMatchObject({ count: 2, maxMs: 87073 });
    expect(routes[0]!.example.text).toContain('entity=SI01');
    expect(routes[1]).toMatchObject({ count: 2, maxMs: 30024, medianMs: 30024 });
  });

  it('reads seconds and ignores routes that are never slow', () => {
    const routes = slowestRoutes([{ text: 'GET /report took 2.5s' }, { text: 'GET /fast 12ms' }]);
    expect(routes).toEqual([{ route: 'GET /report', count: 1, maxMs: 2500, medianMs: 2500, example: { text: 'GET /report took 2.5s' } }]);
  });
});
