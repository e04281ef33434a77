/**
 * GetMetricData request details that are pure functions: the period CloudWatch can answer for a window, and the
 * SEARCH expression used when a query leaves dimension values open ('' or '*').
 */
import type { MetricQuery } from './port.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A period GetMetricData accepts and has data for: 1, 5, 10, 30 or a multiple of 60 seconds, and no finer than
 * CloudWatch keeps for data that old (1-minute data for 15 days, 5-minute for 63, hourly beyond; anything older
 * than 3 hours is at least per minute). A finer period would return nothing rather than fail.
 */
export function normalizePeriod(period: number | undefined, start: number, wallNow: number): number {
  let p = Math.max(1, Math.round(period ?? 60));
  if (p < 60) p = [1, 5, 10, 30, 60].find((x) => x >= p)!;
  else if (p % 60) p = Math.ceil(p / 60) * 60;
  const age = wallNow - start;
  const floor = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : age > 3 * HOUR ? 60 : 1;
  return p < floor ? floor : p % floor ? Math.ceil(p / floor) * floor : p;
}

/** Whether a query leaves some dimension value open, so only a SEARCH can find its series. */
export function hasOpenDimension(q: Pick<MetricQuery, 'dimensions'>): boolean {
  return Object.values(q.dimensions).some((v) => v === '' || v === '*');
}

/** The metric-math function combining the series a SEARCH finds, consistently with the statistic. */
export function aggregateFunction(stat: string): 'SUM' | 'MAX' | 'MIN' | 'AVG' {
  const s = stat.trim().toLowerCase();
  if (s === 'sum' || s === 'samplecount') return 'SUM';
  // Percentiles do not combine exactly; the highest is the conservative reading for latency.
  if (s === 'maximum' || /^p\d/.test(s) || /^(tm|wm|tc|ts)\d/.test(s)) return 'MAX';
  if (s === 'minimum') return 'MIN';
  return 'AVG';
}

/** A namespace or dimension name in the metric schema `{...}`: quoted unless plain (AWS/EC2, InstanceId). */
function schemaName(name: string): string {
  return /^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/.test(name) ? name : `"${escapeExact(name)}"`;
}

/** An exact-match term's text: `"`, `\`, `(` and `)` are escaped, as the search syntax requires. */
function escapeExact(text: string): string {
  return text.replace(/[\\"()]/g, '\\$&');
}

/**
 * `SEARCH('{Namespace,Dim1,Dim2} MetricName="X" Dim1="v"', 'Stat', period)`: the schema pins the exact dimension
 * set (as a MetricStat would), known values are exact-match terms, open ones are left to the search.
 */
export function searchExpression(q: MetricQuery, period: number): string {
  const names = Object.keys(q.dimensions).sort();
  const schema = `{${[q.namespace, ...names].map(schemaName).join(',')}}`;
  const terms = [`MetricName="${escapeExact(q.metricName)}"`];
  for (const name of names) {
    const value = q.dimensions[name]!;
    if (value === '' || value === '*') continue;
    // A designator must be a plain token; other names are matched by value alone within the schema.
    terms.push(/^[A-Za-z0-9_]+$/.test(name) ? `${name}="${escapeExact(value)}"` : `"${escapeExact(value)}"`);
  }
  // The whole search is one single-quoted string.
  const search = `${schema} ${terms.join(' ')}`.replace(/'/g, "\\'");
  return `SEARCH('${search}', '${q.stat.replace(/'/g, '')}', ${period})`;
}

/** One series from a SEARCH: the matches combined with the statistic's natural aggregate. */
export function aggregatedSearch(q: MetricQuery, period: number): string {
  return `${aggregateFunction(q.stat)}(${searchExpression(q, period)})`;
}
