import { describe, expect, it } from 'vitest';
import {
  entityOf,
  groupByEntity,
  matchService,
  nameScore,
  parseControllerName,
  reconcileEntities,
  selectForService,
  workloadName,
} from './catalog-service.ts';

const TG = 'targetgroup/k8s-checkout-checkout-2b8e4f61a9/5e7d2c9b1f0a3d84';
const LB = 'app/k8s-shop-0c8d2f7a1e/6e1b9f0c3d2a4b57';
const ci = (podName: string, namespace = 'checkout') => ({ ClusterName: 'prod', Namespace: namespace, PodName: podName });

describe('workloadName', () => {
  it('strips the generated suffixes Kubernetes adds to pod names', () => {
    expect(workloadName('checkout-api-7f9c6d5b4-x2k8p')).toBe('checkout-api');
    expect(workloadName('kafka-2')).toBe('kafka');
    expect(workloadName('fluent-bit-4xk2z')).toBe('fluent-bit');
  });

  it('leaves names that merely end in a word alone', () => {
    expect(workloadName('web-store')).toBe('web-store');
    expect(workloadName('checkout-api')).toBe('checkout-api');
  });
});

describe('parseControllerName', () => {
  it('reads the namespace and name segments of controller-made target groups and load balancers', () => {
    expect(parseControllerName(TG)).toEqual({ first: 'checkout', second: 'checkout' });
    expect(parseControllerName('app/k8s-feed-feedpubl-5e1c9d7a3b/7c1e5a9f3d2b8046')).toEqual({ first: 'feed', second: 'feedpubl' });
    expect(parseControllerName('targetgroup/my-own-tg/0123')).toBeNull();
    expect(parseControllerName(LB)).toBeNull();
  });
});

describe('entityOf', () => {
  it('names the workload of Container Insights pod metrics with its namespace', () => {
    expect(entityOf(ci('checkout-api'))).toEqual({ type: 'service', name: 'checkout-api', namespace: 'checkout', dimension: 'PodName' });
    expect(entityOf({ ...ci('checkout-api-7f9c6d5b4-x2k8p') })).toMatchObject({ name: 'checkout-api' });
  });

  it('reads target groups, databases, nodes, queues, volumes and clusters', () => {
    expect(entityOf({ TargetGroup: TG, LoadBalancer: LB })).toEqual({ type: 'service', name: 'checkout', namespace: 'checkout', dimension: 'TargetGroup', truncated: true });
    expect(entityOf({ LoadBalancer: LB })).toMatchObject({ type: 'load_balancer', name: 'k8s-shop-0c8d2f7a1e' });
    expect(entityOf({ DBInstanceIdentifier: 'orders-db' })).toMatchObject({ type: 'database', name: 'orders-db' });
    expect(entityOf({ ClusterName: 'prod', NodeName: 'ip-10-0-1-12', InstanceId: 'i-1' })).toMatchObject({ type: 'node', name: 'ip-10-0-1-12' });
    expect(entityOf({ QueueName: 'events' })).toMatchObject({ type: 'queue' });
    expect(entityOf({ ClusterName: 'prod', Namespace: 'orders', persistentvolumeclaim: 'data-db-0' })).toMatchObject({ type: 'volume', name: 'data-db-0', namespace: 'orders' });
    expect(entityOf({ ClusterName: 'prod' })).toMatchObject({ type: 'cluster', name: 'prod' });
    expect(entityOf({ Service: 'payment-gateway', Environment: 'prod' })).toMatchObject({ type: 'service', name: 'payment-gateway' });
  });
});

describe('reconcileEntities', () => {
  it('completes a cut target-group name from the one workload it can be', () => {
    const out = reconcileEntities([entityOf({ TargetGroup: TG, LoadBalancer: LB }), entityOf(ci('checkout-api'))]);
    expect(out[0]).toMatchObject({ type: 'service', name: 'checkout-api', namespace: 'checkout' });
    expect(out[0]!.truncated).toBeUndefined();
  });

  it('leaves it cut when two workloads share the first 8 characters', () => {
    const out = reconcileEntities([entityOf({ TargetGroup: TG }), entityOf(ci('checkout-api')), entityOf(ci('checkout-worker'))]);
    expect(out[0]).toMatchObject({ name: 'checkout', truncated: true });
  });

  it('gives a custom ServiceName the namespace of the one workload of that name', () => {
    const out = reconcileEntities([entityOf({ service: 'web-service' }), entityOf(ci('web-service', 'production'))]);
    expect(out[0]).toMatchObject({ name: 'web-service', namespace: 'production' });
  });
});

describe('nameScore and matchService', () => {
  it('ranks exact names over prefixes over substrings', () => {
    expect(nameScore('checkout-api', 'checkout-api')).toBe(1);
    expect(nameScore('checkout-api', 'checkout_api')).toBe(1);
    expect(nameScore('CheckoutApi', 'checkout-api')).toBe(1);
    expect(nameScore('checkoutapi', 'checkout-api')).toBe(0.95);
    expect(nameScore('checkout', 'checkout-api')).toBe(0.75);
    expect(nameScore('checkout-api', 'checkout')).toBe(0.6);
    expect(nameScore('payments', 'prod-payments-db')).toBe(0.5);
    expect(nameScore('payments', 'orders')).toBe(0);
  });

  it('matches Container Insights pods, custom dimensions and controller target groups', () => {
    expect(matchService('checkout-api', ci('checkout-api'))).toEqual({ score: 1, dimension: 'PodName', value: 'checkout-api' });
    expect(matchService('checkout-api', ci('checkout-api-7f9c6d5b4-x2k8p'))!.score).toBe(1);
    expect(matchService('checkout-api', { TargetGroup: TG, LoadBalancer: LB })).toMatchObject({ score: 0.8, dimension: 'TargetGroup' });
    expect(matchService('checkout', { TargetGroup: TG, LoadBalancer: LB })).toMatchObject({ score: 0.95 });
    expect(matchService('search', { TargetGroup: 'targetgroup/k8s-discover-searchap-a8c3e1f07b/2b7d' })).toMatchObject({ score: 0.7 });
    expect(matchService('payment-gateway', { Service: 'payment-gateway', Environment: 'prod' })!.score).toBe(1);
    expect(matchService('orders-db', { DBInstanceIdentifier: 'orders-db' })!.score).toBe(1);
  });

  it('asked for a pod, matches its workload', () => {
    expect(matchService('checkout-api-7f9c6d5b4-x2k8p', ci('checkout-api'))!.score).toBeCloseTo(0.9);
  });

  it('honours a namespace/name query', () => {
    expect(matchService('checkout/checkout-api', ci('checkout-api'))!.score).toBe(1);
    expect(matchService('other/checkout-api', ci('checkout-api'))).toBeNull();
    expect(matchService('checkout/checkout-api', { TargetGroup: TG })!.score).toBe(0.8);
    expect(matchService('shop/checkout-api', { TargetGroup: TG })).toBeNull();
  });

  it('discounts shared load balancers and falls back to a namespace only weakly', () => {
    const lb = matchService('shop', { LoadBalancer: 'app/shop/50dc6c495c0c9188' })!;
    expect(lb.score).toBeCloseTo(0.6);
    expect(matchService('checkout', { ClusterName: 'prod', Namespace: 'checkout' })!.score).toBe(0.55);
    expect(matchService('checkout', { ClusterName: 'checkout' })).toBeNull();
    expect(matchService('inventory', ci('checkout-api'))).toBeNull();
  });
});

describe('selectForService', () => {
  const m = (metricName: string, dimensions: Record<string, string>, namespace = 'ContainerInsights') => ({ namespace, metricName, dimensions });

  it('keeps the coarsest dimension set per metric: the target group, not its AZ split', () => {
    const items = [
      m('RequestCount', { TargetGroup: TG, LoadBalancer: LB }, 'AWS/ApplicationELB'),
      m('RequestCount', { TargetGroup: TG, LoadBalancer: LB, AvailabilityZone: 'eu-west-1a' }, 'AWS/ApplicationELB'),
      m('RequestCount', { LoadBalancer: LB }, 'AWS/ApplicationELB'),
    ];
    const out = selectForService(items, 'checkout-api');
    expect(out.map((i) => i.dimensions)).toEqual([{ TargetGroup: TG, LoadBalancer: LB }]);
  });

  it('prefers the exact workload over ones that merely start with the name', () => {
    const out = selectForService([m('pod_cpu_utilization', ci('api')), m('pod_cpu_utilization', ci('api-gateway'))], 'api');
    expect(out.map((i) => i.dimensions.PodName)).toEqual(['api']);
  });

  it('keeps every workload of a service name prefix, per pod aggregate not per pod', () => {
    const out = selectForService(
      [
        m('pod_cpu_utilization', ci('checkout-api')),
        m('pod_cpu_utilization', ci('checkout-worker')),
        m('pod_cpu_utilization', { ...ci('checkout-api'), FullPodName: 'checkout-api-7f9c6d5b4-x2k8p' }),
      ],
      'checkout',
    );
    expect(out.map((i) => i.dimensions.PodName).sort()).toEqual(['checkout-api', 'checkout-worker']);
  });

  it('collapses the PodName and Service views of one workload', () => {
    const out = selectForService(
      [m('pod_cpu_utilization', { ClusterName: 'prod', Namespace: 'shop', Service: 'web' }), m('pod_cpu_utilization', { ClusterName: 'prod', Namespace: 'shop', PodName: 'web' })],
      'web',
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.match.dimension).toBe('Service');
  });
});

describe('groupByEntity', () => {
  it('groups metrics by what they describe and completes cut target-group names', () => {
    const groups = groupByEntity([
      { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { TargetGroup: TG, LoadBalancer: LB } },
      { namespace: 'ContainerInsights', metricName: 'pod_cpu_utilization', dimensions: ci('checkout-api') },
      { namespace: 'ContainerInsights', metricName: 'node_cpu_utilization', dimensions: { ClusterName: 'prod', NodeName: 'n1', InstanceId: 'i-1' } },
      { namespace: 'ContainerInsights', metricName: 'node_cpu_utilization', dimensions: { ClusterName: 'prod' } },
    ]);
    expect(groups.map((g) => [g.entity.type, g.entity.name, g.items.length])).toEqual([
      ['service', 'checkout-api', 2],
      ['node', 'n1', 1],
      ['cluster', 'prod', 1],
    ]);
  });
});
