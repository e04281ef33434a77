/** Test helper: records as the tools see them, from Container Insights events of a few pods. */
import type { LogEventRecord } from '../../providers/logs/port.ts';
import { joinMultiline } from './multiline.ts';
import { type LogRecord, parseLogEvent } from './record.ts';

export const GROUP = '/aws/containerinsights/prod/application';

export interface LineSpec {
  /** Offset from T0 in seconds. */
  at: number;
  /** The application's line. */
  log: string;
  pod?: string;
  namespace?: string;
  container?: string;
  labels?: Record<string, string>;
  image?: string;
}

export const T0 = Date.parse('2026-03-14T10:00:00Z');

export function ciEvent(spec: LineSpec): LogEventRecord {
  const pod = spec.pod ?? 'checkout-api-7f9c6d5b4-x2k4p';
  const namespace = spec.namespace ?? 'checkout';
  const container = spec.container ?? pod.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '');
  const timestamp = T0 + spec.at * 1000;
  return {
    logGroupName: GROUP,
    logStreamName: `ip-10-0-1-12.ec2.internal-application.var.log.containers.${pod}_${namespace}_${container}-${'0'.repeat(64)}.log`,
    timestamp,
    message: JSON.stringify({
      time: new Date(timestamp).toISOString(),
      stream: 'stdout',
      _p: 'F',
      log: spec.log,
      kubernetes: {
        pod_name: pod,
        namespace_name: namespace,
        container_name: container,
        host: 'ip-10-0-1-12.ec2.internal',
        ...(spec.image ? { container_image: spec.image } : {}),
        labels: spec.labels ?? {},
      },
    }),
  };
}

/** Parsed and joined records, ascending. */
export function records(specs: readonly LineSpec[]): LogRecord[] {
  return joinMultiline(specs.map(ciEvent).sort((a, b) => a.timestamp - b.timestamp).map(parseLogEvent));
}
