/**
 * The slowest requests in access-log lines: grouped by method and path (query strings dropped), with counts and
 * durations. What holds threads, connections or CPU is usually the slowest route, so both the logs specialist
 * (log groups) and the Kubernetes specialist (container logs) report it for latency-bound hypotheses.
 */
import type { Finding } from '../../domain/findings.ts';
import { clip } from './session.ts';

const REQUEST_RE = /\b(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(\/[^\s?"']*)/;
const DURATION_RE = /(\d+(?:\.\d+)?)\s?(ms|s)\b/g;

export interface RouteTiming {
  route: string;
  count: number;
  maxMs: number;
  medianMs: number;
  /** The slowest line, verbatim. */
  example: { text: string; at?: string };
}

export function slowestRoutes(lines: ReadonlyArray<{ text: string; at?: string }>, options: { minMs?: number; top?: number } = {}): RouteTiming[] {
  const byRoute = new Map<string, { durations: number[]; slowest: { text: string; at?: string; ms: number } }>();
  for (const line of lines) {
    const req = REQUEST_RE.exec(line.text);
    if (!req) continue;
    // The last duration on an access line is the request's (earlier numbers are timestamps or sizes).
    const ms = [...line.text.matchAll(DURATION_RE)].map((m) => Number(m[1]) * (m[2] === 's' ? 1000 : 1)).pop();
    if (ms === undefined) continue;
    const route = `${req[1]} ${req[2]}`;
    const entry = byRoute.get(route) ?? byRoute.set(route, { durations: [], slowest: { ...line, ms } }).get(route)!;
    entry.durations.push(ms);
    if (ms >= entry.slowest.ms) entry.slowest = { ...line, ms };
  }
  return [...byRoute.entries()]
    .map(([route, e]) => {
      const sorted = [...e.durations].sort((a, b) => a - b);
      return { route, count: sorted.length, maxMs: sorted[sorted.length - 1]!, medianMs: sorted[Math.floor(sorted.length / 2)]!, example: { text: e.slowest.text, ...(e.slowest.at ? { at: e.slowest.at } : {}) } };
    })
    .filter((r) => r.maxMs >= (options.minMs ?? 1000))
    .sort((a, b) => b.maxMs - a.maxMs)
    .slice(0, options.top ?? 3);
}

/** A context finding for one slow route, citing its slowest line. */
export function routeFinding(workload: string, r: RouteTiming, source: string): Finding {
  return {
    signal: 'log-context',
    resource: workload,
    workload,
    severity: 'info',
    summary: clip(`${workload}: slowest requests ${r.route} — ${r.count} seen, up to ${(r.maxMs / 1000).toFixed(1)} s (median ${(r.medianMs / 1000).toFixed(1)} s)`, 500),
    ...(r.example.at ? { since: r.example.at } : {}),
    evidence: [{ source, detail: clip(r.example.text, 600), ...(r.example.at ? { at: r.example.at } : {}) }],
    facts: { message: clip(r.example.text, 600), count: r.count, categories: ['connection-pool-exhaustion'] },
  };
}
