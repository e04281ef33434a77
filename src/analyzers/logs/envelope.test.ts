import { describe, expect, it } from 'vitest';
import { unwrapEnvelope } from './envelope.ts';

// A Container Insights (Fluent Bit) event message, as FilterLogEvents returns it.
const FLUENT_BIT = JSON.stringify({
  time: '2026-03-24T08:18:12.374393317Z',
  stream: 'stderr',
  _p: 'F',
  log: '{"level":"error","msg":"x"}\n',
  kubernetes: {
    pod_name: 'payment-gateway-7zmvpkt46-8swdv',
    namespace_name: 'payments',
    pod_id: 'ddd8b540-ebe7-4738-8301-e31a82bc8940',
    host: 'ip-10-12-86-71.us-east-2.compute.internal',
    container_name: 'payment-gateway',
    docker_id: '5353f2d6',
    container_image: '111122223333.dkr.ecr.us-east-2.amazonaws.com/payment-gateway:3.4.1',
    labels: { app: 'payment-gateway', 'pod-template-hash': '7zmvpkt46' },
  },
});

describe('unwrapEnvelope', () => {
  it('unwraps the Fluent Bit envelope: line without its newline, stream, Kubernetes metadata', () => {
    const e = unwrapEnvelope(FLUENT_BIT);
    expect(e.line).toBe('{"level":"error","msg":"x"}');
    expect(e.stream).toBe('stderr');
    expect(e.partial).toBe(false);
    expect(e.time).toBe('2026-03-24T08:18:12.374393317Z');
    expect(e.kubernetes).toEqual({
      podName: 'payment-gateway-7zmvpkt46-8swdv',
      namespace: 'payments',
      containerName: 'payment-gateway',
      labels: { app: 'payment-gateway', 'pod-template-hash': '7zmvpkt46' },
      containerImage: '111122223333.dkr.ecr.us-east-2.amazonaws.com/payment-gateway:3.4.1',
      host: 'ip-10-12-86-71.us-east-2.compute.internal',
    });
  });

  it('marks CRI partial lines', () => {
    expect(unwrapEnvelope(JSON.stringify({ log: 'part one ', stream: 'stdout', _p: 'P', kubernetes: { pod_name: 'a' } })).partial).toBe(true);
  });

  it('reads FireLens (ECS) envelopes', () => {
    const e = unwrapEnvelope(JSON.stringify({ container_name: 'api', source: 'stdout', log: 'hello', ecs_cluster: 'c' }));
    expect(e).toMatchObject({ line: 'hello', stream: 'stdout', kubernetes: { containerName: 'api', labels: {} } });
  });

  it('takes the parsed line of Merge_Log from log_processed or from the top level', () => {
    const processed = unwrapEnvelope(JSON.stringify({ stream: 'stdout', log_processed: { level: 'warn', msg: 'slow' }, kubernetes: { pod_name: 'p' } }));
    expect(processed.fields).toEqual({ level: 'warn', msg: 'slow' });
    const merged = unwrapEnvelope(JSON.stringify({ stream: 'stdout', level: 'warn', msg: 'slow', kubernetes: { pod_name: 'p' } }));
    expect(merged.fields).toEqual({ level: 'warn', msg: 'slow' });
    expect(JSON.parse(merged.line)).toEqual({ level: 'warn', msg: 'slow' });
  });

  it('leaves raw lines and applications\' own JSON alone', () => {
    expect(unwrapEnvelope('2026-03-14T10:31:52Z INFO started\r\n')).toEqual({ line: '2026-03-14T10:31:52Z INFO started', partial: false });
    const app = '{"level":"info","log":"not an envelope","time":"2026-03-14T10:31:52Z"}';
    expect(unwrapEnvelope(app)).toEqual({ line: app, partial: false });
    expect(unwrapEnvelope('{not json').line).toBe('{not json');
  });
});
