import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../providers/kubernetes/port.ts';
import { eventView, normalizeEvent, normalizeEvents, probeKind } from './events.ts';
import { at, event } from './test-objects.ts';

describe('normalizeEvent', () => {
  it('reads old-style events: count, firstTimestamp, lastTimestamp, involvedObject as Kind/namespace/name', () => {
    const e = normalizeEvent(event({ kind: 'Pod', name: 'web-1', reason: 'BackOff', message: 'Back-off restarting failed container app in pod web-1', count: 12, first: 20, last: 1, fieldPath: 'spec.containers{app}' }))!;
    expect(e).toMatchObject({ type: 'Warning', reason: 'BackOff', object: 'Pod/checkout/web-1', count: 12, fieldPath: 'spec.containers{app}' });
    expect(e.firstSeen).toBe(Date.parse(at(20)));
    expect(e.lastSeen).toBe(Date.parse(at(1)));
    expect(eventView(e)).toMatchObject({ first_seen: new Date(at(20)).toISOString(), last_seen: new Date(at(1)).toISOString(), source: 'kubelet, ip-10-0-1-12.ec2.internal' });
  });

  it('reads new-style events: eventTime with a series, and singletons without a count', () => {
    const series: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'x', namespace: 'checkout', creationTimestamp: at(30) },
      involvedObject: { kind: 'Pod', namespace: 'checkout', name: 'web-1' },
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      type: 'Warning',
      eventTime: '2026-03-14T10:02:00.123456Z',
      series: { count: 40, lastObservedTime: '2026-03-14T10:31:00.000001Z' },
      reportingController: 'kubelet',
      reportingInstance: 'ip-10-0-1-12',
      firstTimestamp: null,
      lastTimestamp: null,
      count: null,
    };
    const e = normalizeEvent(series)!;
    expect(e.count).toBe(40);
    expect(e.firstSeen).toBe(Date.parse('2026-03-14T10:02:00.123Z'));
    expect(e.lastSeen).toBe(Date.parse('2026-03-14T10:31:00.000Z'));
    const single = normalizeEvent({ ...series, series: undefined })!;
    expect(single.count).toBe(1);
    expect(single.lastSeen).toBe(single.firstSeen);
  });

  it('gives cluster-scoped objects an empty namespace and reads events.k8s.io/v1 field names', () => {
    expect(normalizeEvent(event({ kind: 'Node', name: 'ip-10-0-1-12', reason: 'NodeNotReady', message: 'Node is not ready', first: 5 }))!.object).toBe('Node//ip-10-0-1-12');
    const v1: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'y', namespace: 'checkout' },
      regarding: { kind: 'Deployment', namespace: 'checkout', name: 'web' },
      note: 'Scaled up replica set web-7f9c to 3',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      deprecatedCount: 2,
      deprecatedFirstTimestamp: at(10),
      deprecatedLastTimestamp: at(9),
    };
    expect(normalizeEvent(v1)).toMatchObject({ object: 'Deployment/checkout/web', message: 'Scaled up replica set web-7f9c to 3', count: 2 });
  });

  it('drops events that name no object or carry no time, and sorts newest first', () => {
    expect(normalizeEvent({ metadata: { name: 'z' }, reason: 'X' } as KubeObject)).toBeNull();
    const list = normalizeEvents([
      event({ kind: 'Pod', name: 'a', reason: 'Pulled', message: 'ok', type: 'Normal', first: 30 }),
      event({ kind: 'Pod', name: 'b', reason: 'BackOff', message: 'x', first: 20, last: 2 }),
    ]);
    expect(list.map((e) => e.object)).toEqual(['Pod/checkout/b', 'Pod/checkout/a']);
  });

  it('tells liveness from readiness probe failures', () => {
    expect(probeKind('Liveness probe failed: Get "http://10.0.1.5:8080/healthz": dial tcp 10.0.1.5:8080: connect: connection refused')).toBe('liveness');
    expect(probeKind('Readiness probe failed: HTTP probe failed with statuscode: 503')).toBe('readiness');
    expect(probeKind('Startup probe failed: timeout')).toBe('startup');
    expect(probeKind('Back-off restarting failed container')).toBeUndefined();
  });
});
