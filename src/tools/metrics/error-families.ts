/**
 * Error rate = errors / requests, computed within one metric source (a CloudWatch namespace) so numerator and
 * denominator count the same requests: an ALB target group's HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count
 * over its RequestCount, API Gateway 5XXError over Count, an application's error counter over its request
 * counter. Pure over fetched series.
 */
import { aggregationOf } from '../../analyzers/metrics/catalog.ts';
import type { Series } from '../../analyzers/metrics/series.ts';
import { addSeries, ratioSeries } from '../../analyzers/metrics/stats.ts';
import type { Fetched } from './inventory.ts';

/** Sources that publish nothing in a period without errors: requests without an error metric mean zero errors. */
const ZERO_WHEN_ABSENT = new Set(['AWS/ApplicationELB', 'AWS/ELB', 'AWS/ApiGateway', 'AWS/Lambda']);

export interface ErrorFamily {
  namespace: string;
  requests: Fetched[];
  /** The counters that make up the error count: 5XX classes, or the individual codes when no class is published. */
  errors: Fetched[];
  /** Every other status counter, for the breakdown only (individual codes beside their class, 4XX, 2XX). */
  breakdown: Fetched[];
  clientErrors: Fetched[];
  /** Metrics that already are an error rate (custom `error_rate` gauges). */
  reportedRates: Fetched[];
}

export interface FamilySeries {
  errors?: Series;
  requests?: Series;
  /** Errors per request (0..1) per period. */
  rate?: Series;
  clientErrors?: Series;
}

const summable = (f: Fetched) => aggregationOf(f.stat) === 'sum';

/** Groups fetched status/request/error metrics by source; families with nothing to say about errors are dropped. */
export function errorFamilies(fetched: readonly Fetched[]): ErrorFamily[] {
  const byNamespace = new Map<string, Fetched[]>();
  for (const f of fetched) byNamespace.set(f.item.namespace, [...(byNamespace.get(f.item.namespace) ?? []), f]);
  const out: ErrorFamily[] = [];
  for (const [namespace, items] of byNamespace) {
    const role = (f: Fetched) => f.item.profile?.role;
    const counted = (r: string) => totals(items.filter((f) => role(f) === r && summable(f)));
    const requests = counted('requests');
    const classes = counted('server_errors');
    const errors = classes.length ? classes : counted('server_errors_code');
    const clientErrors = counted('client_errors');
    const reportedRates = items.filter((f) => role(f) === 'error_rate');
    const breakdown = items.filter(
      (f) =>
        summable(f) &&
        !errors.includes(f) &&
        !requests.includes(f) &&
        ['server_errors', 'server_errors_code', 'success', 'connection_errors', 'client_errors'].includes(role(f) ?? ''),
    );
    const speaks = errors.length > 0 || reportedRates.length > 0 || (requests.length > 0 && ZERO_WHEN_ABSENT.has(namespace));
    if (speaks) out.push({ namespace, requests, errors, breakdown, clientErrors, reportedRates });
  }
  return out;
}

/**
 * The counters that are totals: a counter whose dimensions include all of another's from the same source, and
 * more (`errors` per `endpoint` beside `error_count` per service), is a breakdown of it and would count twice.
 */
function totals(items: readonly Fetched[]): Fetched[] {
  const dims = (f: Fetched) => Object.entries(f.item.dimensions);
  const refines = (a: Fetched, b: Fetched) =>
    a.item.profile?.source === b.item.profile?.source &&
    dims(a).length > dims(b).length &&
    dims(b).every(([k, v]) => a.item.dimensions[k] === v);
  return items.filter((a) => !items.some((b) => b !== a && refines(a, b)));
}

export function familySeries(family: ErrorFamily): FamilySeries {
  const requests = family.requests.length ? addSeries(family.requests.map((f) => f.series)) : undefined;
  const errors = family.errors.length || (requests && ZERO_WHEN_ABSENT.has(family.namespace)) ? addSeries(family.errors.map((f) => f.series)) : undefined;
  return {
    ...(errors ? { errors } : {}),
    ...(requests ? { requests } : {}),
    ...(errors && requests ? { rate: ratioSeries(errors, requests) } : {}),
    ...(family.clientErrors.length ? { clientErrors: addSeries(family.clientErrors.map((f) => f.series)) } : {}),
  };
}

/** A reported error-rate metric as a fraction: Percent units and values above 1 are percentages. */
export function reportedRateAsFraction(f: Fetched): Series {
  const percent = f.item.profile?.unit === 'Percent' || f.series.values.some((v) => v > 1);
  return percent ? { timestamps: f.series.timestamps, values: f.series.values.map((v) => v / 100) } : f.series;
}

/** How the derived rate was computed, for the metric reference of a derived figure. */
export function rateExpression(family: ErrorFamily): string {
  const sum = (fs: readonly Fetched[]) => (fs.length > 1 ? `(${fs.map((f) => f.item.metricName).join(' + ')})` : (fs[0]?.item.metricName ?? '0'));
  return `${sum(family.errors)} / ${sum(family.requests)}`;
}
