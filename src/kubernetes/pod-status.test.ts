import { describe, expect, it } from 'vitest';
import { containerViews, isHealthyPod, podStatusColumns, podView } from './pod-status.ts';
import { at, container, pod, readyConditions, running } from './test-objects.ts';

const crashLoop = (over: Record<string, unknown> = {}) =>
  running('app', {
    ready: false,
    started: false,
    restartCount: 7,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app pod=web-1_checkout(uid)' } },
    lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(6), finishedAt: at(5), containerID: 'containerd://1' } },
    ...over,
  });

describe('podStatusColumns (kubectl get pods)', () => {
  it('shows Running with READY and no restarts for a healthy pod', () => {
    const cols = podStatusColumns(pod({ name: 'web-1' }));
    expect(cols).toEqual({ status: 'Running', readyContainers: 1, totalContainers: 1, restarts: 0 });
  });

  it('shows the waiting reason, counts restarts and remembers when the last one finished', () => {
    const cols = podStatusColumns(pod({ name: 'web-1', containerStatuses: [crashLoop()], conditions: readyConditions(false, 30) }));
    expect(cols.status).toBe('CrashLoopBackOff');
    expect(cols.readyContainers).toBe(0);
    expect(cols.restarts).toBe(7);
    expect(cols.lastRestartAt).toBe(Date.parse(at(5)));
  });

  it('shows the terminated reason (OOMKilled) and ExitCode/Signal when there is no reason', () => {
    const oom = running('app', { ready: false, state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(3), finishedAt: at(2) } } });
    expect(podStatusColumns(pod({ name: 'a', containerStatuses: [oom] })).status).toBe('OOMKilled');
    const exit = running('app', { ready: false, state: { terminated: { exitCode: 3, startedAt: at(3), finishedAt: at(2) } } });
    expect(podStatusColumns(pod({ name: 'b', containerStatuses: [exit] })).status).toBe('ExitCode:3');
    const signal = running('app', { ready: false, state: { terminated: { exitCode: 0, signal: 9, startedAt: at(3), finishedAt: at(2) } } });
    expect(podStatusColumns(pod({ name: 'c', containerStatuses: [signal] })).status).toBe('Signal:9');
  });

  it('lets the first container win, as kubectl walks containers backwards', () => {
    const p = pod({
      name: 'two',
      containers: [container('app'), container('sidecar')],
      containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }), running('sidecar', { ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } })],
    });
    const cols = podStatusColumns(p);
    expect(cols.status).toBe('ImagePullBackOff');
    expect(`${cols.readyContainers}/${cols.totalContainers}`).toBe('0/2');
  });

  it('shows Completed for a finished Job pod and NotReady when one container completed and another still runs unready', () => {
    const done = pod({ name: 'job-x', phase: 'Succeeded', containerStatuses: [running('app', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(10), finishedAt: at(9) } } })] });
    expect(podStatusColumns(done).status).toBe('Completed');
    expect(isHealthyPod(done)).toBe(true);
    const mixed = pod({
      name: 'mixed',
      containers: [container('app'), container('helper')],
      conditions: readyConditions(false),
      containerStatuses: [running('app'), running('helper', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
    });
    expect(podStatusColumns(mixed).status).toBe('NotReady');
  });

  it('shows Init:N/M, Init:<reason> and Init:ExitCode while init containers block the pod', () => {
    const inits = [container('migrate'), container('warmup')];
    const waiting = pod({
      name: 'i1',
      phase: 'Pending',
      initContainers: inits,
      initContainerStatuses: [
        running('migrate', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }),
        running('warmup', { ready: false, state: { running: { startedAt: at(1) } } }),
      ],
      containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'PodInitializing' } } })],
      conditions: [{ type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized' }],
    });
    expect(podStatusColumns(waiting).status).toBe('Init:1/2');
    const crashing = pod({
      name: 'i2',
      phase: 'Pending',
      initContainers: inits,
      initContainerStatuses: [running('migrate', { ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(2) } } })],
      containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'PodInitializing' } } })],
      conditions: [{ type: 'Initialized', status: 'False' }],
    });
    const cols = podStatusColumns(crashing);
    expect(cols.status).toBe('Init:CrashLoopBackOff');
    expect(cols.restarts).toBe(4);
    const failed = pod({
      name: 'i3',
      phase: 'Pending',
      initContainers: inits,
      initContainerStatuses: [running('migrate', { ready: false, state: { terminated: { exitCode: 2 } } })],
      conditions: [{ type: 'Initialized', status: 'False' }],
    });
    expect(podStatusColumns(failed).status).toBe('Init:ExitCode:2');
  });

  it('counts a restartable init container (sidecar) in READY', () => {
    const p = pod({
      name: 's',
      initContainers: [container('proxy', { restartPolicy: 'Always' })],
      initContainerStatuses: [running('proxy', { started: true, ready: true })],
      containerStatuses: [running('app')],
    });
    const cols = podStatusColumns(p);
    expect(cols.status).toBe('Running');
    expect(`${cols.readyContainers}/${cols.totalContainers}`).toBe('2/2');
  });

  it('shows Terminating while a pod is being deleted, Unknown for NodeLost, and keeps terminal phases', () => {
    expect(podStatusColumns(pod({ name: 't', metadata: { deletionTimestamp: at(1) } })).status).toBe('Terminating');
    expect(podStatusColumns(pod({ name: 'l', metadata: { deletionTimestamp: at(1) }, status: { reason: 'NodeLost' } })).status).toBe('Unknown');
    const evicted = pod({
      name: 'e',
      phase: 'Failed',
      status: { reason: 'Evicted', message: 'The node was low on resource: memory.' },
      containerStatuses: [],
      metadata: { deletionTimestamp: at(1) },
    });
    expect(podStatusColumns(evicted).status).toBe('Evicted');
  });

  it('shows Pending with no container statuses, ContainerCreating while waiting, and SchedulingGated', () => {
    expect(podStatusColumns(pod({ name: 'p', phase: 'Pending', node: '', containerStatuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] })).status).toBe('Pending');
    expect(podStatusColumns(pod({ name: 'c', phase: 'Pending', containerStatuses: [running('app', { ready: false, state: { waiting: { reason: 'ContainerCreating' } } })] })).status).toBe('ContainerCreating');
    expect(podStatusColumns(pod({ name: 'g', phase: 'Pending', containerStatuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] })).status).toBe('SchedulingGated');
  });
});

describe('podView', () => {
  it('joins container specs and statuses, with the last termination and resources', () => {
    const p = pod({ name: 'web-1', containerStatuses: [crashLoop()], conditions: readyConditions(false, 30) });
    const [c] = containerViews(p);
    expect(c).toMatchObject({
      name: 'app',
      init: false,
      ready: false,
      restart_count: 7,
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      last_termination: { reason: 'OOMKilled', exit_code: 137, finished_at: new Date(at(5)).toISOString() },
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    });
    const view = podView(p, ['Pod/checkout/web-1', 'ReplicaSet/checkout/web-7f', 'Deployment/checkout/web']);
    expect(view.workload).toBe('Deployment/checkout/web');
    expect(view.ready).toBe('0/1');
    expect(view.last_restart_at).toBe(new Date(at(5)).toISOString());
    expect(view.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  });

  it('takes the workload it is given and keeps the whole owner chain', () => {
    const p = pod({ name: 'rabbitmq-server-0', namespace: 'messaging', owner: { kind: 'StatefulSet', name: 'rabbitmq-server' } });
    const chain = ['Pod/messaging/rabbitmq-server-0', 'StatefulSet/messaging/rabbitmq-server', 'RabbitmqCluster/messaging/rabbitmq'];
    const view = podView(p, chain, 'StatefulSet/messaging/rabbitmq-server');
    expect(view.workload).toBe('StatefulSet/messaging/rabbitmq-server');
    expect(view.owner_chain).toEqual(chain);
  });
});
