/**
 * Contract of the Kubernetes tools over every bundled scenario: each operation with several argument sets
 * (defaults, filters, relative windows, limits) must succeed and match its response schema; then filters,
 * windows and limits must visibly do what they say.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenarioMeta, type ScenarioMeta } from '../../src/providers/fixture/scenario.ts';
import { createFixtureKubernetesProvider } from '../../src/providers/kubernetes/fixture.ts';
import type { KubeObject } from '../../src/providers/kubernetes/port.ts';
import { createToolInvoker } from '../../src/tools/invoke.ts';
import { kubernetesBackend } from '../../src/tools/kubernetes/index.ts';
import { type ArgumentCases, assertEveryOperationCovered, bundledScenarios, runContract } from './harness.ts';

const scenarios = bundledScenarios();

function invokerFor(scenario: ScenarioMeta) {
  return createToolInvoker(kubernetesBackend, {
    provider: () => createFixtureKubernetesProvider(scenario.dir),
    clock: () => scenario.now,
    onInternalError: (error) => {
      throw error;
    },
  });
}

/** Names that exist in the scenario, so that cases exercise real objects rather than NotFound. */
async function pick(scenario: ScenarioMeta) {
  const provider = createFixtureKubernetesProvider(scenario.dir);
  const first = async (kind: Parameters<typeof provider.list>[0]) => (await provider.list(kind))[0] as KubeObject | undefined;
  const pods = await provider.list('pods');
  let logged: { namespace: string; pod_name: string; container: string; previous: boolean } | undefined;
  for (const p of pods) {
    for (const c of (p.spec?.containers ?? []) as Array<{ name: string }>) {
      for (const previous of [false, true]) {
        if (!logged && (await provider.podLogs({ namespace: p.metadata.namespace ?? '', pod: p.metadata.name, container: c.name, previous })) !== null) {
          logged = { namespace: p.metadata.namespace ?? '', pod_name: p.metadata.name, container: c.name, previous };
        }
      }
    }
  }
  return {
    pod: pods[0],
    deployment: await first('deployments'),
    node: await first('nodes'),
    service: await first('services'),
    hpa: await first('hpa'),
    ingress: await first('ingresses'),
    event: await first('events'),
    logged,
  };
}

const ns = (o: KubeObject | undefined) => o?.metadata.namespace ?? '';

const cases: Record<string, ArgumentCases> = {
  scan_cluster_problems: async (s) => {
    const { pod } = await pick(s);
    return [{}, { min_severity: 'warning' }, { since: '30m', limit: 1 }, { kinds: ['Pod', 'Node'] }, { group_by_workload: false }, ...(pod ? [{ namespace: ns(pod) }] : [])];
  },
  get_pod_status: async (s) => {
    const { pod } = await pick(s);
    const label = pod && Object.entries(pod.metadata.labels ?? {})[0];
    return [
      {},
      { limit: 1 },
      { status: 'unhealthy' },
      { status: 'Running' },
      ...(pod ? [{ namespace: ns(pod) }, { pod_name: pod.metadata.name, namespace: ns(pod) }] : []),
      ...(label ? [{ label_selector: `${label[0]}=${label[1]}` }] : []),
    ];
  },
  get_pod_logs: async (s) => {
    const { logged } = await pick(s);
    if (!logged) return [];
    return [logged, { ...logged, limit: 3 }, { ...logged, pattern: 'error|exception|fail' }, { ...logged, since: '30m' }, { pod_name: logged.pod_name, previous: logged.previous, container: logged.container }];
  },
  get_deployment_status: async (s) => {
    const { deployment } = await pick(s);
    return [{}, { limit: 1 }, ...(deployment ? [{ namespace: ns(deployment) }, { namespace: ns(deployment), deployment_name: deployment.metadata.name }] : [])];
  },
  get_rollout_history: async (s) => {
    const { deployment } = await pick(s);
    return deployment ? [{ deployment_name: deployment.metadata.name, namespace: ns(deployment) }, { deployment_name: deployment.metadata.name, namespace: ns(deployment), limit: 1 }] : [];
  },
  get_cluster_events: async (s) => {
    const { event, pod } = await pick(s);
    return [
      {},
      { since: '30m' },
      { since: '6h', until: '10m' },
      { severity: 'Warning' },
      { severity: 'Error' },
      { severity: 'Normal', limit: 2 },
      { object_kind: 'pod' },
      { limit: 1 },
      ...(pod ? [{ namespace: ns(pod) }] : []),
      ...(event ? [{ reason: String(event.reason ?? ''), since: '7d' }] : []),
    ];
  },
  describe_resource: async (s) => {
    const { pod, deployment, node, service, hpa, ingress } = await pick(s);
    return [
      ...(pod ? [{ kind: 'pod', name: pod.metadata.name, namespace: ns(pod) }, { kind: 'Pod', name: pod.metadata.name, namespace: ns(pod), limit: 1 }] : []),
      ...(deployment ? [{ kind: 'deploy', name: deployment.metadata.name, namespace: ns(deployment) }] : []),
      ...(node ? [{ kind: 'node', name: node.metadata.name }] : []),
      ...(service ? [{ kind: 'svc', name: service.metadata.name, namespace: ns(service) }] : []),
      ...(hpa ? [{ kind: 'hpa', name: hpa.metadata.name, namespace: ns(hpa) }] : []),
      ...(ingress ? [{ kind: 'ing', name: ingress.metadata.name, namespace: ns(ingress) }] : []),
    ];
  },
  get_service_status: async (s) => {
    const { service } = await pick(s);
    return [{}, { limit: 1 }, ...(service ? [{ namespace: ns(service) }, { namespace: ns(service), service_name: service.metadata.name }] : [])];
  },
  get_ingress_status: async (s) => {
    const { ingress } = await pick(s);
    const host = ingress ? ((ingress.spec?.rules ?? []) as Array<{ host?: string }>).find((r) => r.host)?.host : undefined;
    return [
      {},
      { limit: 1 },
      { host: 'no-such-host.example.invalid' },
      ...(ingress ? [{ namespace: ns(ingress) }, { namespace: ns(ingress), name: ingress.metadata.name }] : []),
      ...(host ? [{ host }, { host: `https://${host}:443/some/path` }] : []),
    ];
  },
  get_autoscaler_status: async (s) => {
    const { hpa } = await pick(s);
    return [{}, { limit: 1 }, ...(hpa ? [{ namespace: ns(hpa), name: hpa.metadata.name }] : [])];
  },
  get_node_status: async (s) => {
    const { node } = await pick(s);
    return [{}, { status: 'unhealthy' }, { limit: 1 }, ...(node ? [{ node_name: node.metadata.name }] : [])];
  },
  get_resource_usage: async (s) => {
    const { pod } = await pick(s);
    return [{}, { resource_type: 'memory' }, { resource_type: 'pods', limit: 1 }, ...(pod ? [{ namespace: ns(pod), resource_type: 'cpu' }] : [])];
  },
};

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(scenario: ScenarioMeta, op: string, args: Record<string, unknown>): Promise<Json> {
  const outcome = await invokerFor(scenario).invoke(`kubernetes___${op}`, args);
  if (!outcome.ok) expect.fail(`${scenario.id}: ${op}(${JSON.stringify(args)}) failed: ${outcome.error.message}`);
  return outcome.result as Json;
}

describe('kubernetes tools contract', () => {
  it('covers every operation of openapi/kubernetes.yaml and has scenarios to run on', () => {
    assertEveryOperationCovered('kubernetes', cases);
    expect(scenarios.length).toBeGreaterThan(0);
  });

  describe.each(scenarios.map((s) => [s.id, s] as const))('%s', (_id, scenario) => {
    it('answers every case within its response schema', async () => {
      const results = await runContract(invokerFor(scenario), scenario, cases);
      expect(results.scan_cluster_problems?.length).toBeGreaterThan(0);
    });

    it('measures relative windows from the scenario clock and keeps narrower windows a subset', async () => {
      const wide = await call(scenario, 'get_cluster_events', { since: '7d', limit: 500 });
      const narrow = await call(scenario, 'get_cluster_events', { since: '30m', limit: 500 });
      expect(narrow.window).toEqual({ start: new Date(scenario.now - 30 * 60_000).toISOString(), end: new Date(scenario.now).toISOString() });
      const key = (e: Json) => `${e.object}|${e.reason}|${e.first_seen}|${e.message}`;
      const wideKeys = new Set(wide.events.map(key));
      expect(narrow.events.every((e: Json) => wideKeys.has(key(e)))).toBe(true);
      expect(narrow.total_count).toBeLessThanOrEqual(wide.total_count);
      for (const e of narrow.events) expect(Date.parse(e.last_seen)).toBeGreaterThanOrEqual(scenario.now - 30 * 60_000);
      const times = wide.events.map((e: Json) => Date.parse(e.last_seen));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const warnings = await call(scenario, 'get_cluster_events', { since: '7d', severity: 'Warning', limit: 500 });
      expect(warnings.events.every((e: Json) => e.type === 'Warning')).toBe(true);
      expect(warnings.total_count).toBe(wide.warning_count);
    });

    it('bounds every list: a limit of 1 sets truncated when more exist', async () => {
      for (const [op, list] of [
        ['get_pod_status', 'pods'],
        ['get_cluster_events', 'events'],
        ['get_node_status', 'nodes'],
        ['get_deployment_status', 'deployments'],
        ['scan_cluster_problems', 'problems'],
      ] as const) {
        const all = await call(scenario, op, op === 'get_cluster_events' ? { since: '7d' } : {});
        const one = await call(scenario, op, op === 'get_cluster_events' ? { since: '7d', limit: 1 } : { limit: 1 });
        expect(one[list].length).toBeLessThanOrEqual(1);
        expect(one.total_count).toBe(all.total_count);
        expect(one.truncated).toBe(all.total_count > 1);
      }
    });

    it('honours pod filters: namespace, status, label selector', async () => {
      const all = await call(scenario, 'get_pod_status', { limit: 500 });
      if (!all.pods.length) return;
      const namespace = all.pods[0].namespace;
      const inNs = await call(scenario, 'get_pod_status', { namespace, limit: 500 });
      expect(inNs.pods.every((p: Json) => p.namespace === namespace)).toBe(true);
      expect(inNs.total_count).toBe(all.pods.filter((p: Json) => p.namespace === namespace).length);
      const status = all.pods[0].status;
      const byStatus = await call(scenario, 'get_pod_status', { status: status.toLowerCase(), limit: 500 });
      expect(byStatus.pods.every((p: Json) => p.status === status || p.phase === status)).toBe(true);
      expect(byStatus.summary.reduce((n: number, s: Json) => n + s.count, 0)).toBe(byStatus.total_count);
      const unhealthy = await call(scenario, 'get_pod_status', { status: 'unhealthy', limit: 500 });
      const healthy = await call(scenario, 'get_pod_status', { status: 'healthy', limit: 500 });
      expect(unhealthy.total_count + healthy.total_count).toBe(all.total_count);
    });

    it('honours scan filters: minimum severity, kinds, namespace', async () => {
      const warnings = await call(scenario, 'scan_cluster_problems', { min_severity: 'warning', limit: 200 });
      expect(warnings.problems.every((p: Json) => p.severity !== 'info')).toBe(true);
      const nodes = await call(scenario, 'scan_cluster_problems', { kinds: ['Node'], limit: 200 });
      expect(nodes.problems.every((p: Json) => p.kind === 'Node')).toBe(true);
      const all = await call(scenario, 'scan_cluster_problems', { limit: 200, group_by_workload: false });
      const namespace = all.problems.find((p: Json) => p.namespace)?.namespace;
      if (namespace) {
        const scoped = await call(scenario, 'scan_cluster_problems', { namespace, limit: 200, group_by_workload: false });
        expect(scoped.problems.every((p: Json) => p.namespace === namespace || p.kind === 'Node')).toBe(true);
      }
    });

    it('filters logs by pattern and limit, oldest first', async () => {
      const { logged } = await pick(scenario);
      if (!logged) return;
      const all = await call(scenario, 'get_pod_logs', { ...logged, limit: 2000 });
      const few = await call(scenario, 'get_pod_logs', { ...logged, limit: 2 });
      expect(few.lines).toEqual(all.lines.slice(-2));
      expect(few.truncated).toBe(all.total_count > 2);
      const word = /[A-Za-z]{4,}/.exec(all.lines.map((l: Json) => l.message).join(' '))?.[0];
      if (word) {
        const matched = await call(scenario, 'get_pod_logs', { ...logged, pattern: word.toUpperCase(), limit: 2000 });
        expect(matched.total_count).toBeGreaterThan(0);
        expect(matched.lines.every((l: Json) => l.message.toLowerCase().includes(word.toLowerCase()))).toBe(true);
      }
    });
  });
});

/** Every scenario folder (bundled or validation) that recorded Ingresses: the ingress operations run on real recordings. */
function scenariosWithIngresses(): ScenarioMeta[] {
  const roots = ['scenarios', 'validation'].map((r) => resolve(import.meta.dirname, '../../fixtures', r)).filter((r) => existsSync(r));
  return roots
    .flatMap((root) => readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name)))
    .filter((dir) => existsSync(join(dir, 'scenario.json')) && existsSync(join(dir, 'kubernetes', 'ingresses.json')))
    .map((dir) => loadScenarioMeta(dir));
}

const withIngresses = scenariosWithIngresses();

describe.skipIf(!withIngresses.length).each(withIngresses.map((s) => [s.id, s] as const))('ingresses of %s', (_id, scenario) => {
  it('answers every ingress case within its schema, and describes every Ingress', async () => {
    const ingressCases = { get_ingress_status: cases.get_ingress_status!, describe_resource: cases.describe_resource! };
    await runContract(invokerFor(scenario), scenario, ingressCases);
    const all = await call(scenario, 'get_ingress_status', { limit: 500 });
    expect(all.total_count).toBeGreaterThan(0);
    for (const ing of all.ingresses) {
      const described = await call(scenario, 'describe_resource', { kind: 'ing', name: ing.name, namespace: ing.namespace });
      expect(described.resource).toBe(`Ingress/${ing.namespace}/${ing.name}`);
      expect(described.details.some((d: Json) => d.field === 'ingress class')).toBe(true);
    }
  });

  it('says what serves each class and each backend, with a problem for what is missing', async () => {
    const { ingresses } = await call(scenario, 'get_ingress_status', { limit: 500 });
    const deployments = await createFixtureKubernetesProvider(scenario.dir).list('deployments');
    for (const ing of ingresses) {
      const reasons = ing.problems.map((p: Json) => p.reason);
      if (ing.ingress_class && deployments.length) expect(!!ing.controller || !!ing.controller_candidates?.length || reasons.includes('IngressControllerNotFound'), ing.resource).toBe(true);
      if (!ing.ingress_class) expect(reasons.includes('IngressClassMissing') || !!ing.controller, ing.resource).toBe(true);
      for (const rule of ing.rules) {
        for (const p of rule.paths) {
          if (p.backend.service_exists === false) expect(reasons, ing.resource).toContain('IngressBackendServiceMissing');
          if (p.backend.service_exists) expect(p.backend.service_status, ing.resource).toBeTruthy();
        }
      }
    }
  });

  it('filters by host with wildcards, namespace and name, and bounds the list', async () => {
    const all = await call(scenario, 'get_ingress_status', { limit: 500 });
    for (const ing of all.ingresses) {
      for (const host of ing.hosts.filter((h: string) => !h.startsWith('*.'))) {
        const byHost = await call(scenario, 'get_ingress_status', { host: host.toUpperCase(), limit: 500 });
        expect(byHost.ingresses.map((i: Json) => i.resource)).toContain(ing.resource);
        expect(byHost.ingresses.every((i: Json) => i.matched_host === '(any host)' || i.hosts.includes(i.matched_host))).toBe(true);
        const wildcard = `*.${host.split('.').slice(1).join('.')}`;
        if (host.split('.').length > 2) expect((await call(scenario, 'get_ingress_status', { host: wildcard, limit: 500 })).ingresses.map((i: Json) => i.resource)).toContain(ing.resource);
      }
      const inNs = await call(scenario, 'get_ingress_status', { namespace: ing.namespace, limit: 500 });
      expect(inNs.ingresses.every((i: Json) => i.namespace === ing.namespace)).toBe(true);
      // A controller in another namespace is still found for a namespaced call.
      if (ing.controller) expect(inNs.ingresses.find((i: Json) => i.name === ing.name).controller).toEqual(ing.controller);
      expect((await call(scenario, 'get_ingress_status', { namespace: ing.namespace, name: ing.name })).ingresses).toHaveLength(1);
    }
    const one = await call(scenario, 'get_ingress_status', { limit: 1 });
    expect(one.ingresses.length).toBe(1);
    expect(one.truncated).toBe(all.total_count > 1);
    const scan = await call(scenario, 'scan_cluster_problems', { kinds: ['Ingress'], limit: 200 });
    expect(scan.problems.every((p: Json) => p.kind === 'Ingress')).toBe(true);
    expect(scan.scanned).toEqual([{ kind: 'Ingress', count: all.total_count }]);
  });
});

describe('kubernetes tools argument errors', () => {
  const scenario = scenarios[0]!;
  const invoker = () => invokerFor(scenario);
  it.each([
    ['get_pod_status', { limit: 0 }, 'limit'],
    ['get_pod_status', { label_selector: 'app=(x' }, 'label_selector'],
    ['get_cluster_events', { since: 'last tuesday' }, 'since'],
    ['get_cluster_events', { severity: 'Fatal' }, 'severity'],
    ['get_pod_logs', {}, 'pod_name'],
    ['describe_resource', { kind: 'Widget', name: 'x' }, 'kind'],
    ['scan_cluster_problems', { kinds: ['Widget'] }, 'kinds[0]'],
    ['get_resource_usage', { resource_type: 'gpu' }, 'resource_type'],
  ] as const)('%s(%j) names the field %s', async (op, args, field) => {
    const outcome = await invoker().invoke(`kubernetes___${op}`, args);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatchObject({ type: 'InvalidArgument', field });
  });

  it('reports unknown objects as NotFound naming the argument, and unknown tools as UnknownTool', async () => {
    const missing = await invoker().invoke('kubernetes___get_deployment_status', { deployment_name: 'no-such-deployment-xyz' });
    expect(missing).toMatchObject({ ok: false, error: { type: 'NotFound', field: 'deployment_name' } });
    const logs = await invoker().invoke('kubernetes___get_pod_logs', { pod_name: 'no-such-pod-xyz' });
    expect(logs).toMatchObject({ ok: false, error: { type: 'NotFound', field: 'pod_name' } });
    expect(await invoker().invoke('kubernetes___delete_pod', {})).toMatchObject({ ok: false, error: { type: 'UnknownTool' } });
  });
});
