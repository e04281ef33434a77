import { describe, expect, it } from 'vitest';
import { ClusterSnapshot, type KubeLists } from '../snapshot.ts';
import { NOW, at, container, event, pod, readyConditions, running } from '../test-objects.ts';
import { analyzePod } from './pod.ts';
import type { AnalyzerContext } from './types.ts';

const ctx = (lists: KubeLists): AnalyzerContext => ({ snapshot: new ClusterSnapshot(lists, NOW), now: NOW, since: NOW - 2 * 3_600_000 });
const owned = { owner: { kind: 'ReplicaSet', name: 'web-7f9c6d' }, labels: { app: 'web', 'pod-template-hash': '7f9c6d' } };

describe('pod analyzer', () => {
  it('is quiet on a healthy pod, a completed Job pod and restarts long before the window', () => {
    expect(analyzePod(ctx({}), pod({ name: 'web-1' }))).toEqual([]);
    const done = pod({ name: 'job-1', phase: 'Succeeded', owner: { kind: 'Job', name: 'job' }, containerStatuses: [running('app', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: at(30) } } })], conditions: readyConditions(false) });
    expect(analyzePod(ctx({}), done)).toEqual([]);
    const oldRestart = pod({ name: 'web-2', containerStatuses: [running('app', { restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-03-10T00:00:00Z', finishedAt: '2026-03-10T01:00:00Z' } } })] });
    const p = pod({ name: 'web-3' });
    const stale = event({ kind: 'Pod', name: 'web-3', reason: 'BackOff', message: 'Back-off restarting failed container', first: 600, last: 500 });
    expect(analyzePod(ctx({}), oldRestart)).toEqual([]);
    expect(analyzePod(ctx({ events: [stale] }), p)).toEqual([]);
  });

  it('reports Unschedulable with the scheduler message and counts FailedScheduling events', () => {
    const p = pod({
      name: 'web-9',
      ...owned,
      phase: 'Pending',
      node: '',
      containerStatuses: [],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.', lastTransitionTime: at(15) }],
    });
    const ev = event({ kind: 'Pod', name: 'web-9', reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Insufficient memory.', count: 7, first: 15, last: 1, component: 'default-scheduler' });
    const [problem] = analyzePod(ctx({ events: [ev] }), p);
    expect(problem).toMatchObject({
      reason: 'Unschedulable',
      severity: 'critical',
      message: expect.stringContaining('3 Insufficient memory'),
      count: 7,
      since: Date.parse(at(15)),
      // No ReplicaSet or Deployment recorded: the pod-template-hash naming rule still finds the Deployment.
      workload: 'Deployment/checkout/web',
    });
    expect(problem!.evidence.join('\n')).toContain('requests app: cpu 250m, memory 256Mi');
  });

  it('reports CrashLoopBackOff as OOMKilled when the last termination was an OOM kill, with the memory limit', () => {
    const p = pod({
      name: 'pay-1',
      containerStatuses: [
        running('app', {
          ready: false,
          restartCount: 6,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=app pod=pay-1_checkout(uid)' } },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(4), finishedAt: at(3) } },
        }),
      ],
      conditions: readyConditions(false, 20),
    });
    const problems = analyzePod(ctx({ events: [event({ kind: 'Pod', name: 'pay-1', reason: 'BackOff', message: 'Back-off restarting failed container app in pod pay-1', count: 20, first: 25, last: 1, fieldPath: 'spec.containers{app}' })] }), p);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ reason: 'OOMKilled', severity: 'critical', count: 6, container: 'app', since: Date.parse(at(25)) });
    expect(problems[0]!.evidence.join('\n')).toMatch(/last terminated: OOMKilled, exit code 137 \(signal 9, SIGKILL\)/);
    expect(problems[0]!.evidence.join('\n')).toContain('memory limit 512Mi');
  });

  it('reports a plain crash loop with its exit code and the termination message', () => {
    const p = pod({
      name: 'inv-1',
      containerStatuses: [
        running('app', {
          ready: false,
          restartCount: 9,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', message: 'missing required environment variable DATABASE_URL', startedAt: at(6), finishedAt: at(6) } },
        }),
      ],
      conditions: readyConditions(false, 30),
    });
    const [problem] = analyzePod(ctx({}), p);
    expect(problem).toMatchObject({ reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app' });
    expect(problem!.evidence.join('\n')).toContain('message: missing required environment variable DATABASE_URL');
  });

  it('reports image pulls with the registry error from the Failed event, and config errors verbatim', () => {
    const pull = pod({ name: 'thumb-1', phase: 'Pending', containerStatuses: [running('app', { ready: false, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "shop/thumb:v3.8.0"' } } })], conditions: readyConditions(false, 10) });
    const events = [
      event({ kind: 'Pod', name: 'thumb-1', reason: 'Failed', message: 'Error: ImagePullBackOff', count: 30, first: 10, last: 1 }),
      event({ kind: 'Pod', name: 'thumb-1', reason: 'Failed', message: 'Failed to pull image "shop/thumb:v3.8.0": rpc error: code = NotFound desc = failed to resolve reference "shop/thumb:v3.8.0": not found', count: 5, first: 10, last: 2 }),
      event({ kind: 'Pod', name: 'thumb-1', reason: 'BackOff', message: 'Back-off pulling image "shop/thumb:v3.8.0"', count: 40, first: 10, last: 1 }),
    ];
    const problems = analyzePod(ctx({ events }), pull);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ reason: 'ImagePullBackOff', message: expect.stringMatching(/^Failed to pull image .*not found$/), count: 75 });

    const config = pod({ name: 'cfg-1', phase: 'Pending', containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'CreateContainerConfigError', message: "couldn't find key DB_HOST in ConfigMap checkout/app-config" } } })] });
    const [c] = analyzePod(ctx({ events: [event({ kind: 'Pod', name: 'cfg-1', reason: 'Failed', message: "Error: couldn't find key DB_HOST in ConfigMap checkout/app-config", count: 12, first: 8, last: 1 })] }), config);
    expect(c).toMatchObject({ reason: 'CreateContainerConfigError', message: "couldn't find key DB_HOST in ConfigMap checkout/app-config", severity: 'critical', count: 12 });
  });

  it('reports FailedMount on a pod stuck in ContainerCreating as critical', () => {
    const p = pod({ name: 'db-0', phase: 'Pending', containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'ContainerCreating' } } })] });
    const ev = event({ kind: 'Pod', name: 'db-0', reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "creds" : secret "db-creds" not found', count: 8, first: 14, last: 2 });
    expect(analyzePod(ctx({ events: [ev] }), p)).toEqual([expect.objectContaining({ reason: 'FailedMount', severity: 'critical', count: 8, message: expect.stringContaining('secret "db-creds" not found') })]);
  });

  it('separates liveness from readiness failures, shows the probe against the container ports, and ignores startup noise', () => {
    const probeContainer = container('app', { livenessProbe: { httpGet: { path: '/healthz', port: 8081 }, periodSeconds: 10, failureThreshold: 3 } });
    const p = pod({
      name: 'pages-1',
      containers: [probeContainer],
      containerStatuses: [running('app', { ready: false, restartCount: 4, lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: at(12), finishedAt: at(11) } } })],
      conditions: readyConditions(false, 11),
    });
    const events = [
      event({ kind: 'Pod', name: 'pages-1', reason: 'Unhealthy', message: 'Liveness probe failed: Get "http://10.0.1.57:8081/healthz": dial tcp 10.0.1.57:8081: connect: connection refused', count: 12, first: 40, last: 1, fieldPath: 'spec.containers{app}' }),
      event({ kind: 'Pod', name: 'pages-1', reason: 'Killing', message: 'Container app failed liveness probe, will be restarted', type: 'Normal', count: 4, first: 39, last: 11 }),
      event({ kind: 'Pod', name: 'pages-1', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 30, first: 40, last: 1, fieldPath: 'spec.containers{app}' }),
    ];
    const problems = analyzePod(ctx({ events }), p).filter((x) => x.reason === 'ProbeFailure');
    expect(problems.map((x) => [x.evidence[0], x.severity])).toEqual([
      ['liveness probe failing', 'critical'],
      ['readiness probe failing', 'critical'],
    ]);
    expect(problems[0]!.message).toMatch(/^Liveness probe failed/);
    expect(problems[0]!.evidence.join('\n')).toContain('probe port 8081 is not one of the container\'s ports (8080 (http))');

    const oomed = pod({
      name: 'pages-3',
      containerStatuses: [running('app', { ready: false, restartCount: 2, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(6), finishedAt: at(5) } } })],
      conditions: readyConditions(false, 5),
    });
    const startupAfterOom = event({ kind: 'Pod', name: 'pages-3', reason: 'Unhealthy', message: 'Startup probe failed: connection refused', count: 9, first: 5, last: 1 });
    expect(analyzePod(ctx({ events: [startupAfterOom] }), oomed).map((x) => [x.reason, x.severity])).toEqual([
      ['OOMKilled', 'critical'],
      ['ProbeFailure', 'warning'],
    ]);

    const booted = pod({ name: 'pages-2', conditions: readyConditions(true, 20) });
    const startup = event({ kind: 'Pod', name: 'pages-2', reason: 'Unhealthy', message: 'Readiness probe failed: connection refused', count: 5, first: 21, last: 20 });
    expect(analyzePod(ctx({ events: [startup] }), booted)).toEqual([expect.objectContaining({ reason: 'ProbeFailure', severity: 'info' })]);
  });

  it('reports evictions once at the pod level, init container failures, and recent OOM kills of running containers', () => {
    const evicted = pod({
      name: 'scorer-1',
      phase: 'Failed',
      status: { reason: 'Evicted', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi.' },
      containerStatuses: [running('app', { ready: false, state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } } })],
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'The node was low on resource: memory.', lastTransitionTime: at(10) }],
    });
    expect(analyzePod(ctx({}), evicted)).toEqual([expect.objectContaining({ reason: 'Evicted', severity: 'warning', since: Date.parse(at(10)) })]);

    const init = pod({
      name: 'mig-1',
      phase: 'Pending',
      initContainers: [container('migrate')],
      initContainerStatuses: [running('migrate', { ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error', finishedAt: at(3) } } })],
      containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'PodInitializing' } } })],
    });
    expect(analyzePod(ctx({}), init)).toEqual([expect.objectContaining({ reason: 'InitContainerFailed', severity: 'critical', container: 'migrate' })]);

    const periodic = pod({ name: 'worker-1', containerStatuses: [running('app', { restartCount: 3, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(20), finishedAt: at(5) } } })] });
    expect(analyzePod(ctx({}), periodic)).toEqual([expect.objectContaining({ reason: 'OOMKilled', severity: 'critical', count: 3, message: expect.stringContaining('last terminated OOMKilled (exit code 137)') })]);
  });
});
