import { describe, expect, it } from 'vitest';
import { abnormalConditions, nodeStatusColumn, nodeView } from './node.ts';
import { at, container, node, pod } from './test-objects.ts';

const conditions = (ready: string, memoryPressure = 'False') => [
  { type: 'MemoryPressure', status: memoryPressure, reason: memoryPressure === 'True' ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory', message: memoryPressure === 'True' ? 'kubelet has insufficient memory available' : 'kubelet has sufficient memory available', lastTransitionTime: at(10) },
  { type: 'Ready', status: ready, reason: ready === 'Unknown' ? 'NodeStatusUnknown' : 'KubeletReady', message: ready === 'Unknown' ? 'Kubelet stopped posting node status.' : 'kubelet is posting ready status', lastTransitionTime: at(8), lastHeartbeatTime: at(9) },
];

describe('node status', () => {
  it('prints STATUS as kubectl: Ready, NotReady (also for Unknown), SchedulingDisabled when cordoned', () => {
    expect(nodeStatusColumn(node('a'))).toBe('Ready');
    expect(nodeStatusColumn(node('b', { status: { conditions: conditions('Unknown') } }))).toBe('NotReady');
    expect(nodeStatusColumn(node('c', { spec: { unschedulable: true } }))).toBe('Ready,SchedulingDisabled');
    expect(abnormalConditions(node('d', { status: { conditions: conditions('True', 'True') } })).map((c) => c.type)).toEqual(['MemoryPressure']);
  });

  it('reports pressure, taints and what the pods on it request against allocatable', () => {
    const n = node('ip-10-0-1-12.ec2.internal', {
      spec: { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] },
      status: { conditions: conditions('True', 'True') },
    });
    const pods = [
      pod({ name: 'a', containers: [container('app', { resources: { requests: { cpu: '1960m', memory: '1Gi' }, limits: { memory: '2Gi' } } })] }),
      pod({ name: 'b', node: 'elsewhere' }),
      pod({ name: 'done', phase: 'Succeeded' }),
    ];
    const v = nodeView(n, pods);
    expect(v).toMatchObject({
      status: 'Ready',
      ready: 'True',
      pressure: ['MemoryPressure'],
      taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
      allocatable: { cpu: '3920m', pods: 58 },
      instance_type: 'm5.xlarge',
      zone: 'us-east-1a',
      internal_ip: '10.0.1.12',
      kubelet_version: 'v1.31.4-eks-aeac579',
    });
    expect(v.allocated).toMatchObject({ cpu_requests: '1960m', cpu_requests_percent: 50, memory_limits: '2Gi', pods: 1 });
  });
});
