import { describe, expect, it } from 'vitest';
import type { Finding, InventoryEntry, SpecialistReport } from '../../domain/findings.ts';
import { parseTrigger } from '../../domain/trigger.ts';
import { planInvestigation } from '../plan.ts';
import { analyze, followUpFor } from './decide.ts';

const NOW = '2026-03-14T10:32:00Z';
const t = (minutesBeforeNow: number) => new Date(Date.parse(NOW) - minutesBeforeNow * 60_000).toISOString();

function alarmPlan(metric: { namespace: string; name: string; dimensions: Record<string, string> }, alarmName = 'alarm') {
  const trigger = parseTrigger({
    type: 'alarm',
    event: {
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      detail: {
        alarmName,
        state: { value: 'ALARM', timestamp: t(1) },
        configuration: { metrics: [{ id: 'm1', metricStat: { metric: metric, period: 60, stat: 'Sum' } }] },
      },
    },
  });
  return planInvestigation({ investigationId: 'inv-1', trigger, now: NOW });
}

function questionPlan(question: string) {
  return planInvestigation({ investigationId: 'inv-1', trigger: parseTrigger({ type: 'question', question }), now: NOW });
}

function finding(partial: Partial<Finding> & Pick<Finding, 'signal' | 'resource'>, tool = 'kubernetes___find_problems'): Finding {
  return { severity: 'critical', summary: `${partial.signal} on ${partial.resource}`, evidence: [{ source: tool, detail: `${partial.signal}` }], ...partial };
}

function report(name: SpecialistReport['name'], findings: Finding[], inventory: InventoryEntry[] = []): SpecialistReport {
  return { name, status: 'ok', findings, healthy: [], gaps: [], toolCalls: 1, durationMs: 1, inventory };
}

const inventory = (...resources: Array<string | InventoryEntry>): InventoryEntry[] => resources.map((r) => (typeof r === 'string' ? { resource: r, health: 'healthy' } : r));

describe('supervisor reasoning', () => {
  it('ignores a red herring: an old OOMKill elsewhere loses to the current crash loop of the alarmed service', () => {
    const plan = alarmPlan({ namespace: 'ContainerInsights', name: 'pod_number_of_container_restarts', dimensions: { ClusterName: 'prod', Namespace: 'orders', PodName: 'orders-api' } });
    const reports = [
      report(
        'kubernetes',
        [
          finding({ signal: 'pod-oom-killed', resource: 'Pod/batch/report-gen-28391-abcde', workload: 'Job/batch/report-gen', since: t(60 * 20), until: t(60 * 19), facts: { reason: 'OOMKilled', exitCode: 137 } }),
          finding({ signal: 'pod-crash-loop', resource: 'Pod/orders/orders-api-7f9c6d-x1', workload: 'Deployment/orders/orders-api', since: t(12), until: t(1), facts: { reason: 'Error', exitCode: 1 } }),
        ],
        inventory('Deployment/orders/orders-api', 'Job/batch/report-gen'),
      ),
      report('logs', [
        finding(
          { signal: 'log-signature', resource: 'Deployment/orders/orders-api', workload: 'Deployment/orders/orders-api', since: t(12), facts: { signatureKind: 'config', signature: 'KeyError', isNew: true } },
          'logs___analyze_log_patterns',
        ),
      ]),
    ];
    const a = analyze(plan, reports);
    expect(a.verdict).toBe('root-cause');
    expect(a.rootCause).toMatchObject({ category: 'crash-loop', resource: 'Deployment/orders/orders-api' });
    const herring = a.hypotheses.find((h) => h.resource === 'Job/batch/report-gen');
    expect(herring?.confidence ?? 0).toBeLessThan(a.rootCause!.confidence / 2);
  });

  it('blames the dependency, not the victim, in a cascading failure', () => {
    const plan = alarmPlan({ namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count', dimensions: { TargetGroup: 'targetgroup/k8s-shop-storefro-8c1d2e3f4a/0a1b2c3d4e5f6a7b' } }, 'storefront-5xx');
    const reports = [
      report(
        'kubernetes',
        [finding({ signal: 'pod-oom-killed', resource: 'Pod/shop/cart-redis-0', workload: 'StatefulSet/shop/cart-redis', since: t(20), until: t(2), facts: { reason: 'OOMKilled', exitCode: 137 } })],
        inventory(
          { resource: 'Deployment/shop/storefront', health: 'degraded' },
          { resource: 'StatefulSet/shop/cart-redis', health: 'down' },
          { resource: 'Service/shop/cart-redis', workload: 'StatefulSet/shop/cart-redis' },
        ),
      ),
      report('logs', [
        finding(
          { signal: 'log-signature', resource: 'Deployment/shop/storefront', workload: 'Deployment/shop/storefront', since: t(19), facts: { signatureKind: 'connection', signature: 'ECONNREFUSED', targets: ['cart-redis.shop.svc.cluster.local:6379'], isNew: true, count: 420 } },
          'logs___analyze_log_patterns',
        ),
        finding(
          { signal: 'log-signature', resource: 'Deployment/shop/storefront', workload: 'Deployment/shop/storefront', since: t(19), facts: { signatureKind: 'http-5xx', signature: '503', isNew: true } },
          'logs___analyze_log_patterns',
        ),
      ]),
      report('metrics', [
        finding(
          { signal: 'metric-anomaly', resource: 'Deployment/shop/storefront', workload: 'Deployment/shop/storefront', since: t(18), facts: { metricKind: 'errors', direction: 'up', score: 12, isAlarmMetric: true } },
          'metrics___detect_metric_anomalies',
        ),
      ]),
    ];
    const a = analyze(plan, reports);
    expect(a.rootCause).toMatchObject({ category: 'oom-killed', resource: 'StatefulSet/shop/cart-redis' });
    expect(a.hypotheses.every((h) => h.resource !== 'Deployment/shop/storefront' || h.confidence < a.rootCause!.confidence)).toBe(true);
  });

  it('blames a rollout when errors start right after it', () => {
    const plan = questionPlan('Why are checkout requests failing?');
    const reports = [
      report(
        'kubernetes',
        [finding({ signal: 'workload-rollout', resource: 'Deployment/checkout/checkout-api', workload: 'Deployment/checkout/checkout-api', severity: 'info', since: t(25), facts: { revision: '14', image: 'checkout-api:v1.42.0', previousImage: 'checkout-api:v1.41.3' } })],
        inventory('Deployment/checkout/checkout-api', 'Deployment/checkout/payments'),
      ),
      report('logs', [
        finding(
          { signal: 'log-signature', resource: 'Deployment/checkout/checkout-api', workload: 'Deployment/checkout/checkout-api', since: t(23), facts: { signatureKind: 'exception', signature: 'NullPointerException', isNew: true } },
          'logs___analyze_log_patterns',
        ),
      ]),
      report('metrics', [
        finding(
          { signal: 'metric-anomaly', resource: 'Deployment/checkout/checkout-api', workload: 'Deployment/checkout/checkout-api', since: t(23), facts: { metricKind: 'errors', direction: 'up', score: 9 } },
          'metrics___detect_metric_anomalies',
        ),
      ]),
    ];
    const a = analyze(plan, reports);
    expect(a.rootCause).toMatchObject({ category: 'bad-deployment', resource: 'Deployment/checkout/checkout-api' });
    expect(a.rootCause!.summary).toContain('Deployment/checkout/checkout-api');
    expect(a.explanation).toMatch(/within \d+ min of the rollout/);
  });

  it('reports no root cause on a healthy system, and no root cause for a daily pattern', () => {
    const plan = questionPlan('Is something wrong with search? Users say it is slow');
    const healthy = analyze(plan, [
      report('kubernetes', [finding({ signal: 'pod-oom-killed', resource: 'Pod/search/indexer-1', workload: 'Deployment/search/indexer', since: t(60 * 30), until: t(60 * 29) })], inventory('Deployment/search/search-api', 'Deployment/search/indexer')),
      report('logs', []),
      report('metrics', []),
    ]);
    expect(healthy.verdict).toBe('nothing-found');
    expect(healthy.rootCause).toBeNull();

    const nightly = alarmPlan({ namespace: 'ContainerInsights', name: 'node_cpu_utilization', dimensions: { ClusterName: 'prod' } }, 'node-cpu-high');
    const recurring = analyze(nightly, [
      report('metrics', [
        finding(
          { signal: 'metric-anomaly', resource: 'Node//ip-10-0-1-12', severity: 'warning', since: t(20), summary: 'node_cpu_utilization 91% vs 35% baseline; same at 02:00 on 6 of 6 previous days', facts: { metricKind: 'cpu', direction: 'up', score: 8, isAlarmMetric: true, recurs: true, recursEvery: 'day', metric: 'ContainerInsights/node_cpu_utilization' } },
          'metrics___detect_metric_anomalies',
        ),
      ]),
    ]);
    expect(recurring.verdict).toBe('expected-behaviour');
    expect(recurring.rootCause).toBeNull();
    expect(recurring.explanation).toContain('previous days');
  });

  it('prefers a probe misconfiguration over a crash loop when the app logs no errors', () => {
    const plan = questionPlan('inventory keeps restarting');
    const a = analyze(plan, [
      report(
        'kubernetes',
        [
          finding({ signal: 'pod-probe-failure', resource: 'Pod/stock/inventory-5d-abc', workload: 'Deployment/stock/inventory', since: t(30), facts: { reason: 'Unhealthy', message: 'Liveness probe failed: HTTP probe failed with statuscode: 404' } }),
          finding({ signal: 'pod-crash-loop', resource: 'Pod/stock/inventory-5d-abc', workload: 'Deployment/stock/inventory', since: t(29), facts: { reason: 'Error', exitCode: 137 } }),
        ],
        inventory('Deployment/stock/inventory'),
      ),
      report('logs', []),
    ]);
    expect(a.rootCause).toMatchObject({ category: 'probe-failure', resource: 'Deployment/stock/inventory' });
  });

  it('keeps a pool exhaustion on the client when the database is healthy, and plans a follow-up when weak', () => {
    const plan = questionPlan('orders service is timing out');
    const reports = [
      report('kubernetes', [], inventory('Deployment/orders/orders-service', { resource: 'Service/orders/orders-db', workload: 'StatefulSet/orders/orders-db' }, 'StatefulSet/orders/orders-db')),
      report('logs', [
        finding(
          { signal: 'log-signature', resource: 'Deployment/orders/orders-service', workload: 'Deployment/orders/orders-service', since: t(15), facts: { signatureKind: 'pool', signature: 'HikariPool-1 - Connection is not available', targets: ['orders-db:5432'], isNew: true } },
          'logs___analyze_log_patterns',
        ),
      ]),
    ];
    const a = analyze(plan, reports);
    expect(a.rootCause).toMatchObject({ category: 'connection-pool-exhaustion', resource: 'Deployment/orders/orders-service' });
    const follow = followUpFor(plan, a, reports);
    expect(follow?.categories.runbooks).toContain('connection-pool-exhaustion');
    expect(follow?.categories.logs).toContain('connection-pool-exhaustion');
  });
});
