import { describe, expect, it } from 'vitest';
import { NOW, at, deployment, pod, readyConditions, running } from '../../kubernetes/test-objects.ts';
import type { KubeKind, KubeObject, KubernetesProvider, PodLogRequest } from '../../providers/kubernetes/port.ts';
import { createToolInvoker } from '../invoke.ts';
import { kubernetesBackend } from './index.ts';

/** An in-memory provider over raw objects, recording which logs were asked for. */
function provider(lists: Partial<Record<KubeKind, KubeObject[]>>, logs: Record<string, string>) {
  const asked: PodLogRequest[] = [];
  const p: KubernetesProvider = {
    async list(kind, options) {
      return (lists[kind] ?? []).filter((o) => !options?.namespace || kind === 'nodes' || o.metadata.namespace === options.namespace);
    },
    async podLogs(request) {
      asked.push(request);
      return logs[`${request.namespace}/${request.pod}/${request.container}${request.previous ? '.previous' : ''}`] ?? null;
    },
  };
  return { p, asked };
}

const crashing = (name: string) =>
  pod({
    name,
    labels: { app: 'sync', 'pod-template-hash': '7b6f' },
    owner: { kind: 'ReplicaSet', name: 'sync-7b6f' },
    containerStatuses: [
      running('app', {
        ready: false,
        restartCount: 8,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at(3), finishedAt: at(3) } },
      }),
    ],
    conditions: readyConditions(false, 20),
  });

describe('scan_cluster_problems', () => {
  it('quotes the error a crashing container printed last, reading one pod per workload', async () => {
    const { p, asked } = provider(
      { pods: [crashing('sync-7b6f-a'), crashing('sync-7b6f-b')], deployments: [deployment('sync')] },
      { 'checkout/sync-7b6f-a/app.previous': "2026-03-14T10:29:00Z Traceback (most recent call last):\n2026-03-14T10:29:00Z KeyError: 'UPSTREAM_API_URL'\n" },
    );
    const invoker = createToolInvoker(kubernetesBackend, { provider: () => p, clock: () => NOW, validateResponses: true });
    const outcome = await invoker.invoke('kubernetes___scan_cluster_problems', { min_severity: 'critical' });
    expect(outcome.ok).toBe(true);
    const problems = (outcome as { result: { problems: Array<{ reason: string; resource: string; evidence: string[]; affected?: string[] }> } }).result.problems;
    const crash = problems.find((x) => x.reason === 'CrashLoopBackOff')!;
    expect(crash.resource).toBe('Deployment/checkout/sync');
    expect(crash.affected).toEqual(['Pod/checkout/sync-7b6f-a', 'Pod/checkout/sync-7b6f-b']);
    expect(crash.evidence.some((e) => e.includes("previous log of sync-7b6f-a/app at 2026-03-14T10:29:00.000Z: KeyError: 'UPSTREAM_API_URL'"))).toBe(true);
    expect(asked.filter((r) => r.previous).map((r) => r.pod)).toEqual(['sync-7b6f-a']);
  });

  it('describes an object with its problems and reports unknown kinds and names precisely', async () => {
    const { p } = provider({ pods: [crashing('sync-7b6f-a')], deployments: [deployment('sync')] }, {});
    const invoker = createToolInvoker(kubernetesBackend, { provider: () => p, clock: () => NOW, validateResponses: true });
    const described = await invoker.invoke('kubernetes___describe_resource', { kind: 'po', name: 'sync-7b6f-a' });
    expect(described).toMatchObject({ ok: true, result: { resource: 'Pod/checkout/sync-7b6f-a', workload: 'Deployment/checkout/sync', problems: [expect.objectContaining({ reason: 'CrashLoopBackOff' })] } });
    expect(await invoker.invoke('kubernetes___describe_resource', { kind: 'deploy', name: 'sink' })).toMatchObject({ ok: false, error: { type: 'NotFound', field: 'name' } });
    expect(await invoker.invoke('kubernetes___describe_resource', { kind: 'configmap', name: 'x' })).toMatchObject({ ok: false, error: { type: 'InvalidArgument', field: 'kind' } });
  });
});
