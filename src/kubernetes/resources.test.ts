import { describe, expect, it } from 'vitest';
import { holdsResources, podAllocation } from './resources.ts';
import { container, pod } from './test-objects.ts';

describe('pod allocation', () => {
  it('sums containers, takes the largest init container when larger, and adds overhead', () => {
    const p = pod({
      name: 'a',
      containers: [container('app', { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } }), container('sidecar', { resources: { requests: { cpu: '100m', memory: '64Mi' } } })],
      initContainers: [container('migrate', { resources: { requests: { cpu: '2', memory: '128Mi' } } })],
      spec: { overhead: { cpu: '10m' } },
    });
    const a = podAllocation(p);
    expect(a.requests.cpu).toBe(2010);
    expect(a.requests.memory).toBe(2 ** 30 + 64 * 2 ** 20);
    expect(a.limits).toEqual({ cpu: 1010, memory: 2 * 2 ** 30 });
  });

  it('adds restartable init containers (sidecars) to the running total', () => {
    const p = pod({
      name: 'b',
      containers: [container('app', { resources: { requests: { cpu: '500m' } } })],
      initContainers: [container('proxy', { restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } })],
    });
    expect(podAllocation(p).requests.cpu).toBe(700);
  });

  it('frees the resources of finished pods', () => {
    expect(holdsResources(pod({ name: 'c', phase: 'Succeeded' }))).toBe(false);
    expect(holdsResources(pod({ name: 'd', phase: 'Pending' }))).toBe(true);
  });
});
