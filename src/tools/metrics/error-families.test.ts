import { describe, expect, it } from 'vitest';
import { classifyMetric } from '../../analyzers/metrics/catalog.ts';
import { entityOf } from '../../analyzers/metrics/catalog-service.ts';
import { errorFamilies, familySeries, rateExpression, reportedRateAsFraction } from './error-families.ts';
import type { Fetched } from './inventory.ts';

const T0 = Date.UTC(2026, 2, 10, 12);
const MIN = 60_000;

function fetched(namespace: string, metricName: string, dimensions: Record<string, string>, stat: string, values: Array<number | undefined>): Fetched {
  const timestamps: number[] = [];
  const vs: number[] = [];
  values.forEach((v, i) => {
    if (v !== undefined) {
      timestamps.push(T0 + i * MIN);
      vs.push(v);
    }
  });
  return {
    item: { namespace, metricName, dimensions, stats: [stat], period: 60, profile: classifyMetric(namespace, metricName), entity: entityOf(dimensions) },
    stat,
    series: { timestamps, values: vs },
    period: 60,
    label: metricName,
    statusCode: 'Complete',
  };
}

const TG = { TargetGroup: 'targetgroup/k8s-shop-api-0123456789/abc', LoadBalancer: 'app/k8s-shop-0c8d2f7a1e/def' };

describe('errorFamilies', () => {
  it('divides 5XX by requests within one source, treating missing ALB datapoints as zero errors', () => {
    const [alb] = errorFamilies([
      fetched('AWS/ApplicationELB', 'RequestCount', TG, 'Sum', [100, 100, 50]),
      fetched('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', TG, 'Sum', [undefined, 10, 50]),
      fetched('AWS/ApplicationELB', 'HTTPCode_Target_2XX_Count', TG, 'Sum', [100, 90, 0]),
    ]);
    expect(alb!.errors.map((f) => f.item.metricName)).toEqual(['HTTPCode_Target_5XX_Count']);
    expect(alb!.breakdown.map((f) => f.item.metricName)).toEqual(['HTTPCode_Target_2XX_Count']);
    expect(familySeries(alb!).rate!.values).toEqual([0, 0.1, 1]);
    expect(rateExpression(alb!)).toBe('HTTPCode_Target_5XX_Count / RequestCount');
  });

  it('adds load-balancer and target 5XX, but counts a per-endpoint breakdown of a total only once', () => {
    const [alb] = errorFamilies([
      fetched('AWS/ApplicationELB', 'RequestCount', TG, 'Sum', [100]),
      fetched('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', TG, 'Sum', [4]),
      fetched('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', { LoadBalancer: TG.LoadBalancer }, 'Sum', [6]),
      fetched('AWS/ApplicationELB', 'HTTPCode_ELB_502_Count', { LoadBalancer: TG.LoadBalancer }, 'Sum', [6]),
    ]);
    expect(familySeries(alb!).errors!.values).toEqual([10]);
    expect(rateExpression(alb!)).toBe('(HTTPCode_Target_5XX_Count + HTTPCode_ELB_5XX_Count) / RequestCount');
    expect(alb!.breakdown.map((f) => f.item.metricName)).toEqual(['HTTPCode_ELB_502_Count']);

    const [app] = errorFamilies([
      fetched('Shop/App', 'total_requests', { service: 'web' }, 'Sum', [100]),
      fetched('Shop/App', 'error_count', { service: 'web' }, 'Sum', [20]),
      fetched('Shop/App', 'errors', { service: 'web', endpoint: '/users' }, 'Sum', [15]),
    ]);
    expect(app!.errors.map((f) => f.item.metricName)).toEqual(['error_count']);
    expect(familySeries(app!).rate!.values).toEqual([0.2]);
  });

  it('ignores counts read with a non-additive statistic and keeps what a source says about errors only', () => {
    const families = errorFamilies([
      fetched('Shop/App', 'requests_per_second', { service: 'web' }, 'Average', [10]),
      fetched('Shop/App', 'error_rate', { service: 'web' }, 'Average', [2.5]),
      fetched('Custom/Orders', 'http_requests_total', { service: 'orders' }, 'Sum', [10]),
    ]);
    // A custom request counter alone says nothing about errors; an error-rate gauge does.
    expect(families.map((f) => f.namespace)).toEqual(['Shop/App']);
    expect(families[0]!.requests).toEqual([]);
    expect(familySeries(families[0]!).rate).toBeUndefined();
    expect(reportedRateAsFraction(families[0]!.reportedRates[0]!).values).toEqual([0.025]);
  });
});
