/**
 * The EKS Kubernetes provider against a loopback HTTPS API server (helpers/kube-server.ts) that serves a recorded
 * scenario, verifies every bearer token like aws-iam-authenticator + STS would, and paginates with continue
 * tokens. DescribeCluster is mocked with aws-sdk-client-mock and returns the loopback endpoint and the CA that
 * signed its certificate. The provider must return what the fixture provider returns for the same recording,
 * so every Kubernetes tool answers the same over both; faults must become clear tool errors.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessDeniedException, DescribeClusterCommand, EKSClient, ResourceNotFoundException, ThrottlingException } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { createEksKubernetesProvider } from '../../src/providers/kubernetes/eks.ts';
import { createFixtureKubernetesProvider } from '../../src/providers/kubernetes/fixture.ts';
import { KUBE_KINDS } from '../../src/providers/kubernetes/port.ts';
import type { KubeApiOptions } from '../../src/providers/kubernetes/kube-api.ts';
import { NOW, ingress, ingressNginx, service } from '../../src/kubernetes/test-objects.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { kubernetesBackend } from '../../src/tools/kubernetes/index.ts';
import { SCENARIOS_ROOT } from '../contract/harness.ts';
import { ACCOUNT, REGION, TEST_CREDENTIALS } from './helpers/aws-fakes.ts';
import { kubernetesCases, runEveryOperation } from './helpers/cases.ts';
import { type KubeApiFake, startKubeApiFake } from './helpers/kube-server.ts';
import { type TlsMaterial, makeTls } from './helpers/tls.ts';
import { virtualTime } from './helpers/time.ts';

const scenario = loadScenarioMeta(join(SCENARIOS_ROOT, 'checkout-bad-rollout'));
// A second recording with restarted containers, for previous logs; its own cluster, so its own API server.
const crashing = loadScenarioMeta(join(SCENARIOS_ROOT, 'probe-failure-healthz-timeout'));
const CLUSTER = scenario.cluster;

let tls: TlsMaterial;
let api: KubeApiFake;
let api2: KubeApiFake;

beforeAll(async () => {
  tls = makeTls();
  api = await startKubeApiFake({ scenarioDir: scenario.dir, tls, clusterName: CLUSTER, credentials: TEST_CREDENTIALS, region: REGION });
  api2 = await startKubeApiFake({ scenarioDir: crashing.dir, tls, clusterName: crashing.cluster, credentials: TEST_CREDENTIALS, region: REGION });
});
afterAll(async () => Promise.all([api.close(), api2.close()]));
afterEach(() => {
  for (const server of [api, api2]) {
    server.faults.length = 0;
    server.requests.length = 0;
    server.tokens.length = 0;
    server.issuedContinues.length = 0;
  }
});

/** DescribeCluster as EKS answers it for an active cluster. */
function describeClusterOutput(endpoint: string, caPem: string, CLUSTER = scenario.cluster) {
  return {
    $metadata: { httpStatusCode: 200, requestId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', attempts: 1, totalRetryDelay: 0 },
    cluster: {
      name: CLUSTER,
      arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
      createdAt: new Date('2025-06-02T08:14:55.412Z'),
      version: '1.31',
      endpoint,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
        securityGroupIds: [],
        clusterSecurityGroupId: 'sg-0123456789abcdef0',
        vpcId: 'vpc-0abc1234def567890',
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
        publicAccessCidrs: [],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' as const },
      logging: { clusterLogging: [{ types: ['api' as const, 'audit' as const, 'authenticator' as const], enabled: true }] },
      identity: { oidc: { issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/5C5E1B3F9D2A4E6B8C0D7F1A3E5B9C2D` } },
      status: 'ACTIVE' as const,
      certificateAuthority: { data: Buffer.from(caPem).toString('base64') },
      platformVersion: 'eks.12',
      tags: { team: 'sre' },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' as const },
    },
  };
}

interface SetupOptions {
  kube?: KubeApiOptions;
  endpoint?: string;
  caPem?: string;
  credentials?: () => Promise<typeof TEST_CREDENTIALS>;
  /** Serve the second recording (its own API server and cluster). */
  second?: boolean;
}

function setup(options: SetupOptions = {}) {
  const [meta, server] = options.second ? [crashing, api2] : [scenario, api];
  const eks = new EKSClient({ region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const mock = mockClient(eks);
  mock.on(DescribeClusterCommand, { name: meta.cluster }).resolves(describeClusterOutput(options.endpoint ?? server.url, options.caPem ?? tls.caPem, meta.cluster));
  const time = virtualTime();
  const provider = createEksKubernetesProvider({
    clusterName: meta.cluster,
    eks,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    resilience: { runtime: time.runtime },
    kube: { pageSize: 7, requestTimeoutMs: 2_000, ...options.kube, resilience: { runtime: time.runtime, ...options.kube?.resilience } },
  });
  const invoker = createToolInvoker(kubernetesBackend, {
    provider: () => provider,
    clock: () => meta.now,
    validateResponses: true,
    onInternalError: (error) => {
      throw error;
    },
  });
  return { eks, mock, provider, invoker, time };
}

const fixture = createFixtureKubernetesProvider(scenario.dir);

describe('EKS provider: reading the cluster', () => {
  it('lists every kind, cluster-wide and per namespace, exactly as kubectl recorded it', async () => {
    const { provider, mock } = setup();
    for (const kind of KUBE_KINDS) {
      expect(await provider.list(kind), kind).toEqual(await fixture.list(kind));
      expect(await provider.list(kind, { namespace: 'checkout' }), `${kind} in checkout`).toEqual(await fixture.list(kind, { namespace: 'checkout' }));
    }
    const paths = api.requests.map((r) => r.path.split('?')[0]);
    expect(paths).toContain('/api/v1/pods');
    expect(paths).toContain('/api/v1/namespaces/checkout/pods');
    expect(paths).toContain('/apis/apps/v1/namespaces/checkout/deployments');
    expect(paths).toContain('/apis/autoscaling/v2/horizontalpodautoscalers');
    expect(paths).toContain('/api/v1/namespaces/checkout/persistentvolumeclaims');
    expect(paths).toContain('/apis/batch/v1/namespaces/checkout/jobs');
    expect(paths).toContain('/apis/networking.k8s.io/v1/namespaces/checkout/ingresses');
    expect(paths).toContain('/apis/networking.k8s.io/v1/ingresses');
    // Nodes are cluster-scoped: a namespace does not narrow them.
    expect(paths).not.toContain('/api/v1/namespaces/checkout/nodes');
    expect(mock.commandCalls(DescribeClusterCommand)).toHaveLength(1);
  });

  it('follows continue tokens across pages and stops at the bound on items', async () => {
    const { provider } = setup({ kube: { pageSize: 5 } });
    const pods = await provider.list('pods');
    const pages = api.requests.filter((r) => r.path.startsWith('/api/v1/pods?'));
    expect(pods.length).toBeGreaterThan(10);
    expect(pages.length).toBe(Math.ceil(pods.length / 5));
    expect(pages.every((p) => p.path.includes('limit=5'))).toBe(true);
    expect(pages.slice(1).map((p) => new URL(p.path, 'https://x').searchParams.get('continue'))).toEqual(api.issuedContinues.slice(0, pages.length - 1));

    api.requests.length = 0;
    const bounded = setup({ kube: { pageSize: 5, maxItems: 12 } });
    const some = await bounded.provider.list('pods');
    expect(some.map((p) => p.metadata.name)).toEqual(pods.slice(0, 12).map((p) => p.metadata.name));
    expect(api.requests.filter((r) => r.path.startsWith('/api/v1/pods?'))).toHaveLength(3);
  });

  it('restarts a listing once when its continue token has expired (410 Gone)', async () => {
    const { provider } = setup({ kube: { pageSize: 5 } });
    api.faults.push({ match: /^\/api\/v1\/events\?.*continue=/, times: 1, status: 410, reason: 'Expired', message: 'The provided continue parameter is too old to display a consistent list result.' });
    expect(await provider.list('events')).toEqual(await fixture.list('events'));
    const firstPages = api.requests.filter((r) => r.path.startsWith('/api/v1/events?') && !r.path.includes('continue='));
    expect(firstPages).toHaveLength(2);
  });

  it('treats an API group the cluster does not serve as no objects', async () => {
    const { provider } = setup();
    api.faults.push({ match: /^\/apis\/autoscaling\/v2\//, status: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
    expect(await provider.list('hpa')).toEqual([]);
  });

  it('authenticates every request with one cached EKS token that STS would accept for this cluster', async () => {
    let credentialCalls = 0;
    const { provider } = setup({
      credentials: async () => {
        credentialCalls++;
        return TEST_CREDENTIALS;
      },
    });
    await Promise.all([provider.list('pods'), provider.list('nodes'), provider.list('events')]);
    expect(api.requests.length).toBeGreaterThan(3);
    expect(api.requests.every((r) => /^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/.test(r.authorization ?? ''))).toBe(true);
    expect(new Set(api.tokens).size).toBe(1);
    expect(credentialCalls).toBe(1);
    // Large lists come back gzip-compressed when asked for; the provider asks.
    expect(api.requests.every((r) => r.acceptEncoding === 'gzip')).toBe(true);
  });

  it('reads current and previous container logs with timestamps, a tail and a byte limit', async () => {
    const { provider } = setup({ second: true });
    const recorded = createFixtureKubernetesProvider(crashing.dir);
    const cases = (await kubernetesCases(recorded)).get_pod_logs as Array<{ namespace: string; pod_name: string; container: string; previous: boolean; pattern?: string }>;
    const current = cases.find((c) => !c.previous && !c.pattern);
    const previous = cases.find((c) => c.previous);
    expect(current && previous).toBeTruthy();
    for (const c of [current!, previous!]) {
      for (const tailLines of [undefined, 3]) {
        const request = { namespace: c.namespace, pod: c.pod_name, container: c.container, previous: c.previous, ...(tailLines ? { tailLines } : {}) };
        const text = await provider.podLogs(request);
        expect(text).toBe(await recorded.podLogs(request));
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
      }
    }
    const logRequest = new URL(api2.requests.find((r) => r.path.includes('/log?') && r.path.includes('previous=true'))!.path, 'https://x');
    expect(logRequest.pathname).toBe(`/api/v1/namespaces/${previous!.namespace}/pods/${previous!.pod_name}/log`);
    expect(Object.fromEntries(logRequest.searchParams)).toMatchObject({ container: previous!.container, timestamps: 'true', previous: 'true' });
    expect(Number(logRequest.searchParams.get('limitBytes'))).toBeGreaterThan(0);
  });

  it('answers null when the API has no such log: no previous instance, no pod, an impossible name', async () => {
    const { provider } = setup();
    const pod = (await fixture.list('pods')).find((p) => !(p.status?.containerStatuses ?? []).some((s: { restartCount?: number }) => (s.restartCount ?? 0) > 0))!;
    const container = pod.spec.containers[0].name as string;
    expect(await provider.podLogs({ namespace: pod.metadata.namespace!, pod: pod.metadata.name, container, previous: true })).toBeNull();
    expect(await provider.podLogs({ namespace: 'checkout', pod: 'checkout-api-gone-x1x1x', container: 'app' })).toBeNull();
    const before = api.requests.length;
    expect(await provider.podLogs({ namespace: '../kube-system', pod: 'x', container: 'y' })).toBeNull();
    expect(api.requests.length).toBe(before);
  });
});

describe('EKS provider: every Kubernetes tool', () => {
  it.each([
    ['checkout-bad-rollout', false],
    ['probe-failure-healthz-timeout', true],
  ])('answers every operation over %s, schema-valid, exactly as over the recording', async (_name, second) => {
    const meta = second ? crashing : scenario;
    const recording = createFixtureKubernetesProvider(meta.dir);
    const cases = await kubernetesCases(recording);
    const { invoker } = setup({ second });
    const overFixture = createToolInvoker(kubernetesBackend, { provider: () => recording, clock: () => meta.now, validateResponses: true });
    const live = await runEveryOperation(invoker, cases);
    const recorded = await runEveryOperation(overFixture, cases);
    expect(live.length).toBeGreaterThan(20);
    for (let i = 0; i < live.length; i++) expect(live[i]!.result, live[i]!.label).toEqual(recorded[i]!.result);
  });
});

describe('EKS provider: ingresses', () => {
  // A recording with Ingresses in two namespaces and the controller serving their class in a third.
  const edgeCluster = 'edge-prod';
  let edgeDir: string;
  let edge: KubeApiFake;
  const list = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });

  beforeAll(async () => {
    edgeDir = mkdtempSync(join(tmpdir(), 'eks-ingress-'));
    mkdirSync(join(edgeDir, 'kubernetes'));
    writeFileSync(join(edgeDir, 'scenario.json'), JSON.stringify({ id: 'edge', title: 'edge', now: new Date(NOW).toISOString(), cluster: edgeCluster, region: REGION, trigger: { type: 'question', question: 'Why does shop.example.com answer 502?' } }));
    const controller = ingressNginx('nginx');
    writeFileSync(
      join(edgeDir, 'kubernetes', 'ingresses.json'),
      list([
        ingress('shop', { namespace: 'shop', className: 'nginx', rules: [{ host: 'shop.example.com', paths: [{ service: 'storefront', port: 80 }] }], tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], loadBalancer: ['k8s-edge-0123.elb.us-east-1.amazonaws.com'] }),
        ingress('api', { namespace: 'shop', className: 'nginx', rules: [{ host: '*.api.example.com', paths: [{ service: 'api', port: 'http' }] }] }),
        ingress('docs', { namespace: 'docs', annotationClass: 'nginx', rules: [{ host: 'docs.example.com', paths: [{ service: 'docs', port: 80 }] }] }),
      ]),
    );
    writeFileSync(join(edgeDir, 'kubernetes', 'deployments.json'), list([controller]));
    writeFileSync(join(edgeDir, 'kubernetes', 'services.json'), list([service('storefront', { app: 'storefront' }, { namespace: 'shop' }), service('docs', { app: 'docs' }, { namespace: 'docs' })]));
    edge = await startKubeApiFake({ scenarioDir: edgeDir, tls, clusterName: edgeCluster, credentials: TEST_CREDENTIALS, region: REGION });
  });
  afterAll(async () => edge.close());

  function edgeProvider(pageSize: number) {
    const eks = new EKSClient({ region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    mockClient(eks).on(DescribeClusterCommand, { name: edgeCluster }).resolves(describeClusterOutput(edge.url, tls.caPem, edgeCluster));
    const time = virtualTime();
    return createEksKubernetesProvider({ clusterName: edgeCluster, eks, resilience: { runtime: time.runtime }, kube: { pageSize, requestTimeoutMs: 2_000, resilience: { runtime: time.runtime } } });
  }

  it('lists networking.k8s.io/v1 Ingresses per namespace and across namespaces, paginated, as kubectl recorded them', async () => {
    const provider = edgeProvider(2);
    const recorded = createFixtureKubernetesProvider(edgeDir);
    const all = await provider.list('ingresses');
    expect(all).toEqual(await recorded.list('ingresses'));
    expect(all.map((i) => `${i.apiVersion} ${i.kind} ${i.metadata.namespace}/${i.metadata.name}`)).toEqual([
      'networking.k8s.io/v1 Ingress shop/shop',
      'networking.k8s.io/v1 Ingress shop/api',
      'networking.k8s.io/v1 Ingress docs/docs',
    ]);
    expect(await provider.list('ingresses', { namespace: 'shop' })).toEqual(await recorded.list('ingresses', { namespace: 'shop' }));
    const pages = edge.requests.map((r) => new URL(r.path, 'https://x')).filter((u) => u.pathname.endsWith('/ingresses'));
    expect(pages.filter((u) => u.pathname === '/apis/networking.k8s.io/v1/ingresses').map((u) => [u.searchParams.get('limit'), u.searchParams.has('continue')])).toEqual([
      ['2', false],
      ['2', true],
    ]);
    expect(pages.some((u) => u.pathname === '/apis/networking.k8s.io/v1/namespaces/shop/ingresses')).toBe(true);
  });

  it('answers get_ingress_status and describe_resource exactly as over the recording', async () => {
    const recorded = createFixtureKubernetesProvider(edgeDir);
    const over = (p: typeof recorded) => createToolInvoker(kubernetesBackend, { provider: () => p, clock: () => NOW, validateResponses: true });
    const live = over(edgeProvider(2));
    const fixtureInvoker = over(recorded);
    for (const [op, args] of [
      ['get_ingress_status', {}],
      ['get_ingress_status', { namespace: 'shop' }],
      ['get_ingress_status', { host: 'v2.api.example.com' }],
      ['describe_resource', { kind: 'ingress', name: 'shop', namespace: 'shop' }],
    ] as const) {
      const a = await live.invoke(`kubernetes___${op}`, args);
      expect(a.ok, `${op} ${JSON.stringify(args)}`).toBe(true);
      expect(a).toEqual(await fixtureInvoker.invoke(`kubernetes___${op}`, args));
    }
    const scoped = await live.invoke('kubernetes___get_ingress_status', { namespace: 'shop', host: 'shop.example.com' });
    expect(scoped).toMatchObject({ ok: true, result: { total_count: 1, ingresses: [{ name: 'shop', controller: { workload: 'Deployment/ingress-nginx/ingress-nginx-controller' } }] } });
  });
});

describe('EKS provider: faults become tool errors', () => {
  it('a 403 is AccessDenied naming the verb, the resource and how to grant access', async () => {
    const { invoker } = setup();
    api.faults.push({ match: /^\/api\/v1\/pods\?/, status: 403, reason: 'Forbidden', message: `pods is forbidden: User "arn:aws:sts::${ACCOUNT}:assumed-role/sre-agent-k8s-tools/fn" cannot list resource "pods" in API group "" at the cluster scope` });
    const outcome = await invoker.invoke('kubernetes___get_pod_status', {});
    expect(outcome).toMatchObject({ ok: false, error: { type: 'AccessDenied', retryable: false } });
    const message = (outcome as { error: { message: string } }).error.message;
    expect(message).toContain('list pods in all namespaces');
    expect(message).toContain('cannot list resource "pods"');
    expect(message).toContain('AmazonEKSViewPolicy');
  });

  it('a 429 is retried after Retry-After, then succeeds', async () => {
    const { invoker, time } = setup();
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, times: 2, status: 429, reason: 'TooManyRequests', message: 'Too many requests, please try again later.', headers: { 'retry-after': '1' } });
    const outcome = await invoker.invoke('kubernetes___get_node_status', {});
    expect(outcome.ok).toBe(true);
    expect(api.requests.filter((r) => r.path.startsWith('/api/v1/nodes?'))).toHaveLength(3);
    expect(time.sleeps.filter((ms) => ms >= 1000)).toHaveLength(2);
  });

  it("persistent throttling is a retryable Throttled error after the policy's attempts", async () => {
    const { invoker } = setup({ kube: { resilience: { policy: { maxAttempts: 3 } } } });
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, status: 429, reason: 'TooManyRequests', message: 'Too many requests' });
    const outcome = await invoker.invoke('kubernetes___get_node_status', {});
    expect(outcome).toMatchObject({ ok: false, error: { type: 'Throttled', retryable: true, message: expect.stringContaining('after 3 attempts') } });
    expect(api.requests.filter((r) => r.path.startsWith('/api/v1/nodes?'))).toHaveLength(3);
  });

  it('server errors are retried, and Unavailable when they persist', async () => {
    const flaky = setup();
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, times: 1, status: 503, reason: 'ServiceUnavailable', message: 'etcdserver: leader changed' });
    expect((await flaky.invoker.invoke('kubernetes___get_node_status', {})).ok).toBe(true);
    api.faults.length = 0;
    const down = setup();
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' });
    expect(await down.invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({ ok: false, error: { type: 'Unavailable', message: expect.stringContaining('etcdserver: request timed out') } });
  });

  it('an API server that does not answer is a Timeout', async () => {
    const { invoker } = setup({ kube: { requestTimeoutMs: 300 } });
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, hang: true });
    const started = Date.now();
    const outcome = await invoker.invoke('kubernetes___get_node_status', {});
    expect(outcome).toMatchObject({ ok: false, error: { type: 'Timeout', retryable: true, message: expect.stringContaining('list nodes') } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a rejected token is replaced once; a persistent 401 is AccessDenied', async () => {
    let credentialCalls = 0;
    const refreshed = setup({
      credentials: async () => {
        credentialCalls++;
        return TEST_CREDENTIALS;
      },
    });
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, times: 1, status: 401, reason: 'Unauthorized', message: 'Unauthorized' });
    expect((await refreshed.invoker.invoke('kubernetes___get_node_status', {})).ok).toBe(true);
    expect(credentialCalls).toBe(2);

    api.faults.length = 0;
    const denied = setup();
    api.faults.push({ match: /^\/api\/v1\/nodes\?/, status: 401, reason: 'Unauthorized', message: 'Unauthorized' });
    expect(await denied.invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({
      ok: false,
      error: { type: 'AccessDenied', message: expect.stringMatching(/HTTP 401.*access entry/) },
    });
  });

  it('a missing cluster is NotFound naming it; the next call tries DescribeCluster again', async () => {
    const { invoker, mock } = setup();
    mock.on(DescribeClusterCommand).rejectsOnce(new ResourceNotFoundException({ message: `No cluster found for name: ${CLUSTER}.`, $metadata: { httpStatusCode: 404 } }));
    expect(await invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({
      ok: false,
      error: { type: 'NotFound', message: expect.stringContaining(`EKS cluster '${CLUSTER}' does not exist in ${REGION}`) },
    });
    mock.on(DescribeClusterCommand).resolves(describeClusterOutput(api.url, tls.caPem));
    expect((await invoker.invoke('kubernetes___get_node_status', {})).ok).toBe(true);
  });

  it('DescribeCluster denied is AccessDenied naming eks:DescribeCluster; throttled is retried', async () => {
    const denied = setup();
    denied.mock.on(DescribeClusterCommand).rejects(new AccessDeniedException({ message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/tools/fn is not authorized to perform: eks:DescribeCluster`, $metadata: { httpStatusCode: 403 } }));
    expect(await denied.invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({ ok: false, error: { type: 'AccessDenied', message: expect.stringContaining('eks:DescribeCluster on cluster') } });

    const throttled = setup();
    throttled.mock
      .on(DescribeClusterCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }))
      .resolves(describeClusterOutput(api.url, tls.caPem));
    expect((await throttled.invoker.invoke('kubernetes___get_node_status', {})).ok).toBe(true);
    expect(throttled.mock.commandCalls(DescribeClusterCommand)).toHaveLength(2);
  });

  it('a server certificate not signed by the cluster CA is refused', async () => {
    const other = makeTls('some-other-ca');
    const { invoker } = setup({ caPem: other.caPem });
    expect(await invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({ ok: false, error: { type: 'Unavailable', message: expect.stringContaining('TLS verification') } });
    expect(api.requests).toHaveLength(0);
  });

  it('an unreachable endpoint is Unavailable and says why it may be', async () => {
    const { invoker } = setup({ endpoint: 'https://127.0.0.1:1', kube: { resilience: { policy: { maxAttempts: 2 } } } });
    expect(await invoker.invoke('kubernetes___get_node_status', {})).toMatchObject({
      ok: false,
      error: { type: 'Unavailable', message: expect.stringMatching(/Cannot reach the Kubernetes API server 127\.0\.0\.1:1 .*ECONNREFUSED.*VPC/) },
    });
  });
});
