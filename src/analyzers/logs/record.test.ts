import { describe, expect, it } from 'vitest';
import type { LogEventRecord } from '../../providers/logs/port.ts';
import { parseLogEvent, serviceFromGroup, workloadResource } from './record.ts';

const GROUP = '/aws/containerinsights/fin-core-prod-use2/application';
const STREAM =
  'ip-10-12-86-71.us-east-2.compute.internal-application.var.log.containers.settlement-worker-66qkrlkcm-9dn7c_payments_settlement-worker-6ff24138c91f61fba14d45cde2dc9574d2be0ded42a1c875257ee9f4bc0f0576.log';

function ciEvent(log: string, timestamp: number, extra: Record<string, unknown> = {}): LogEventRecord {
  return {
    logGroupName: GROUP,
    logStreamName: STREAM,
    timestamp,
    message: JSON.stringify({
      time: new Date(timestamp).toISOString(),
      stream: 'stdout',
      _p: 'F',
      log,
      kubernetes: {
        pod_name: 'settlement-worker-66qkrlkcm-9dn7c',
        namespace_name: 'payments',
        host: 'ip-10-12-86-71.us-east-2.compute.internal',
        container_name: 'settlement-worker',
        container_image: 'registry/settlement-worker:2.1.0',
        labels: { 'app.kubernetes.io/name': 'settlement', 'pod-template-hash': '66qkrlkcm' },
      },
      ...extra,
    }),
  };
}

describe('parseLogEvent', () => {
  it('a Container Insights event: line parsed, attributed to service, pod, workload, node and image', () => {
    const r = parseLogEvent(ciEvent('2026-03-24T08:15:07.664Z ERROR 1 --- [worker] [main] c.l.Settlement : ledger call failed', 1774340107700));
    expect(r).toMatchObject({
      timestamp: Date.parse('2026-03-24T08:15:07.664Z'),
      eventTimestamp: 1774340107700,
      level: 'ERROR',
      message: 'ledger call failed',
      service: 'settlement',
      namespace: 'payments',
      pod: 'settlement-worker-66qkrlkcm-9dn7c',
      container: 'settlement-worker',
      node: 'ip-10-12-86-71.us-east-2.compute.internal',
      image: 'registry/settlement-worker:2.1.0',
      stream: 'stdout',
      workload: { kind: 'Deployment', name: 'settlement-worker', replicaSet: 'settlement-worker-66qkrlkcm' },
      logGroup: GROUP,
    });
    expect(workloadResource(r)).toBe('Deployment/payments/settlement-worker');
  });

  it('a JSON line names its own service; the shipper time stands in for a line without a stamp', () => {
    const r = parseLogEvent(ciEvent('{"level":"warn","service":"settle-svc","msg":"slow"}', 1774340107700, { time: '2026-03-24T08:15:07.123456789Z' }));
    expect(r.service).toBe('settle-svc');
    expect(r.timestamp).toBe(Date.parse('2026-03-24T08:15:07.123Z'));
  });

  it('a stamp far from the event time (wrong zone, misread) falls back to the event time', () => {
    const r = parseLogEvent({ logGroupName: '/ecs/api', logStreamName: 's', timestamp: 1774340107700, message: '2019-01-01T00:00:00Z INFO old' });
    expect(r.timestamp).toBe(1774340107700);
  });

  it('a raw line: pod from the stream name, service from the workload; no namespace, so no workload resource', () => {
    const r = parseLogEvent({
      logGroupName: '/eks/shop-prod-use1/checkout',
      logStreamName: 'checkout-api/checkout-api-6b9f4d7c85-nlpks',
      timestamp: 1773166750785,
      message: '2026-03-10T18:19:10.785Z  WARN 1 --- [checkout-api] [exec-3] c.n.c.InventoryClient   : inventory reservation slow',
    });
    expect(r).toMatchObject({ pod: 'checkout-api-6b9f4d7c85-nlpks', service: 'checkout-api', level: 'WARN', message: 'inventory reservation slow' });
    expect(r.namespace).toBeUndefined();
    expect(workloadResource(r)).toBeUndefined();
  });
});

describe('serviceFromGroup', () => {
  it('takes the last segment of the group, or the stream name for generic groups', () => {
    expect(serviceFromGroup('/aws/lambda/orders-fn', '2026/03/14/[$LATEST]abc')).toBe('orders-fn');
    expect(serviceFromGroup('/ecs/checkout-api', 'ecs/checkout-api/0123')).toBe('checkout-api');
    expect(serviceFromGroup('/production/web-service/access', 'web-service')).toBe('web-service');
    expect(serviceFromGroup('/aws/eks/prod/cluster', 'kube-apiserver-326d533d0c21f8e2f0e74e8ef95dc14a')).toBe('kube-apiserver');
  });
});
