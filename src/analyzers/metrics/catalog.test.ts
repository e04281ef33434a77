import { describe, expect, it } from 'vitest';
import { aggregationOf, canonicalUnit, chooseStat, classifyMetric, nameTokens, percentileStats, resolveKind, unitFromName } from './catalog.ts';

describe('classifyMetric: AWS metrics by namespace and name', () => {
  it('tells load-balancer 5XX from target 5XX and pairs them with RequestCount', () => {
    const target = classifyMetric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count')!;
    const elb = classifyMetric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count')!;
    expect(target).toMatchObject({ kind: 'errors', role: 'server_errors', source: 'target', statusClass: '5XX', unit: 'Count', worse: 'up' });
    expect(elb).toMatchObject({ kind: 'errors', role: 'server_errors', source: 'load_balancer' });
    expect(classifyMetric('AWS/ApplicationELB', 'HTTPCode_ELB_502_Count')).toMatchObject({ role: 'server_errors_code', statusClass: '502' });
    expect(classifyMetric('AWS/ApplicationELB', 'RequestCount')).toMatchObject({ kind: 'throughput', role: 'requests', stats: expect.arrayContaining(['Sum']) });
    expect(classifyMetric('AWS/ApplicationELB', 'HTTPCode_Target_4XX_Count')).toMatchObject({ kind: 'client_errors' });
  });

  it('knows ALB latency is stored in seconds and prefers a high percentile', () => {
    const p = classifyMetric('AWS/ApplicationELB', 'TargetResponseTime')!;
    expect(p).toMatchObject({ kind: 'latency', unit: 'Seconds', worse: 'up' });
    expect(p.stats[0]).toBe('p99');
    expect(classifyMetric('AWS/ApiGateway', 'Latency')).toMatchObject({ kind: 'latency', unit: 'Milliseconds' });
  });

  it('classifies Container Insights utilisation, restarts and pod states', () => {
    expect(classifyMetric('ContainerInsights', 'pod_memory_utilization_over_pod_limit')).toMatchObject({ kind: 'memory', role: 'memory', unit: 'Percent' });
    expect(classifyMetric('ContainerInsights', 'pod_cpu_utilization')).toMatchObject({ kind: 'cpu', unit: 'Percent' });
    expect(classifyMetric('ContainerInsights', 'node_filesystem_utilization')).toMatchObject({ kind: 'disk', role: 'disk' });
    expect(classifyMetric('ContainerInsights', 'pod_number_of_container_restarts')).toMatchObject({ kind: 'restarts', worse: 'up' });
    expect(classifyMetric('ContainerInsights', 'service_number_of_running_pods')).toMatchObject({ kind: 'availability', role: 'running_pods', worse: 'down' });
    expect(classifyMetric('ContainerInsights', 'pod_status_pending')).toMatchObject({ kind: 'availability', role: 'pod_state', worse: 'up' });
    expect(classifyMetric('ContainerInsights', 'pod_network_rx_bytes')).toMatchObject({ kind: 'network', unit: 'Bytes/Second' });
  });

  it('marks dependencies and which way their figures hurt', () => {
    expect(classifyMetric('AWS/RDS', 'FreeStorageSpace')).toMatchObject({ kind: 'disk', role: 'disk_free', worse: 'down', dependency: true, unit: 'Bytes' });
    expect(classifyMetric('AWS/RDS', 'DatabaseConnections')).toMatchObject({ kind: 'saturation', role: 'connections', dependency: true });
    expect(classifyMetric('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toMatchObject({ kind: 'saturation', role: 'queue_depth' });
    expect(classifyMetric('AWS/DynamoDB', 'ThrottledRequests')).toMatchObject({ kind: 'saturation', role: 'throttles', worse: 'up' });
    expect(classifyMetric('AWS/ElastiCache', 'EngineCPUUtilization')).toMatchObject({ kind: 'cpu', dependency: true });
    expect(classifyMetric('AWS/ApplicationELB', 'HealthyHostCount')).toMatchObject({ role: 'healthy_hosts', worse: 'down', stats: ['Minimum', 'Average', 'Maximum'] });
  });
});

describe('classifyMetric: custom metrics by name', () => {
  const c = (name: string) => classifyMetric('MyApp/Prod', name);

  it('reads latency and its unit from the name', () => {
    expect(c('checkout_latency_ms')).toMatchObject({ kind: 'latency', unit: 'Milliseconds', inferred: true, source: 'application' });
    expect(c('http_server_request_duration_seconds')).toMatchObject({ kind: 'latency', unit: 'Seconds' });
    expect(c('LedgerCallLatency')).toMatchObject({ kind: 'latency' });
    expect(c('percentile_99')).toMatchObject({ kind: 'latency' });
  });

  it('counts histogram _count series and request counters as throughput', () => {
    expect(c('http_request_duration_seconds_count')).toMatchObject({ kind: 'throughput', role: 'requests' });
    expect(c('http_requests_total')).toMatchObject({ kind: 'throughput', role: 'requests' });
    expect(c('Requests')).toMatchObject({ kind: 'throughput', role: 'requests', unit: 'Count' });
    expect(c('requests_per_second')).toMatchObject({ kind: 'throughput', unit: 'Count/Second' });
    expect(c('successful_requests')).toMatchObject({ role: 'success' });
    expect(c('average_request_size_bytes')).toBeUndefined();
  });

  it('separates errors, error rates, client errors and throttling', () => {
    expect(c('PaymentFailures')).toMatchObject({ kind: 'errors', role: 'server_errors', worse: 'up' });
    expect(c('request_errors')).toMatchObject({ role: 'server_errors' });
    expect(c('http_5xx')).toMatchObject({ role: 'server_errors' });
    expect(c('error_rate')).toMatchObject({ kind: 'errors', role: 'error_rate' });
    expect(c('errorRatePercent')).toMatchObject({ role: 'error_rate', unit: 'Percent' });
    expect(c('http_4xx')).toMatchObject({ kind: 'client_errors' });
    expect(c('ThrottlingErrors')).toMatchObject({ kind: 'saturation', role: 'throttles' });
  });

  it('keeps limits and requests apart from usage', () => {
    expect(c('container_memory_limit_bytes')).toMatchObject({ role: 'capacity', kind: 'memory' });
    expect(c('pod_cpu_request')).toMatchObject({ role: 'capacity', kind: 'cpu' });
    expect(c('kubelet_volume_stats_capacity_bytes')).toMatchObject({ role: 'capacity', kind: 'disk' });
    expect(c('kubelet_volume_stats_available_bytes')).toMatchObject({ kind: 'disk', role: 'disk_free', unit: 'Bytes', worse: 'down' });
    expect(c('kubelet_volume_stats_used_bytes')).toMatchObject({ kind: 'disk', role: 'disk', unit: 'Bytes' });
  });

  it('recognises saturation, memory, availability and leaves the unknown alone', () => {
    expect(c('hikaricp_connections_pending')).toMatchObject({ kind: 'saturation', role: 'connections' });
    expect(c('jvm_memory_used_bytes')).toMatchObject({ kind: 'memory', unit: 'Bytes' });
    expect(c('memory_usage_mb')).toMatchObject({ kind: 'memory', unit: 'Megabytes' });
    expect(c('availability_percentage')).toMatchObject({ kind: 'availability', role: 'availability_percent', unit: 'Percent' });
    expect(c('downtime_duration_seconds')).toMatchObject({ kind: 'availability', role: 'downtime', unit: 'Seconds' });
    expect(c('PaymentsAuthorized')).toBeUndefined();
    expect(c('widgets')).toBeUndefined();
  });
});

describe('catalog helpers', () => {
  it('splits names into words the way they are written', () => {
    expect(nameTokens('HTTPCode_Target_5XX_Count')).toEqual(['http', 'code', 'target', '5xx', 'count']);
    expect(nameTokens('JVMMemoryPressure')).toEqual(['jvm', 'memory', 'pressure']);
    expect(nameTokens('pod_cpu_utilization')).toEqual(['pod', 'cpu', 'utilization']);
  });

  it('resolves the words people use for a kind, and nothing else', () => {
    expect(resolveKind('response_time')).toBe('latency');
    expect(resolveKind('Response Time')).toBe('latency');
    expect(resolveKind('cpu_usage')).toBe('cpu');
    expect(resolveKind('CPU')).toBe('cpu');
    expect(resolveKind('error rate')).toBe('error_rate');
    expect(resolveKind('5xx')).toBe('errors');
    expect(resolveKind('saturation')).toBe('saturation');
    expect(resolveKind('TargetResponseTime')).toBeUndefined();
  });

  it('chooses the preferred statistic among those the metric has', () => {
    const latency = classifyMetric('AWS/ApplicationELB', 'TargetResponseTime');
    const requests = classifyMetric('AWS/ApplicationELB', 'RequestCount');
    expect(chooseStat(latency, ['Average', 'p99'])).toBe('p99');
    expect(chooseStat(latency, ['Average', 'Minimum'])).toBe('Average');
    expect(chooseStat(requests, ['Average', 'sum'])).toBe('sum');
    expect(chooseStat(requests, ['IQM'])).toBe('IQM');
    expect(chooseStat(requests, [])).toBe('Sum');
    expect(chooseStat(undefined, [])).toBe('Average');
  });

  it('converts latency to milliseconds and leaves other units', () => {
    expect(canonicalUnit(classifyMetric('AWS/ApplicationELB', 'TargetResponseTime')!)).toEqual({ unit: 'Milliseconds', factor: 1000 });
    expect(canonicalUnit(classifyMetric('AWS/ApiGateway', 'Latency')!)).toEqual({ unit: 'Milliseconds', factor: 1 });
    expect(canonicalUnit({ kind: 'latency', unit: 'Microseconds' })).toEqual({ unit: 'Milliseconds', factor: 0.001 });
    expect(canonicalUnit(classifyMetric('AWS/SQS', 'ApproximateAgeOfOldestMessage')!)).toEqual({ unit: 'Seconds', factor: 1 });
    expect(canonicalUnit(classifyMetric('ContainerInsights', 'pod_cpu_utilization')!)).toEqual({ unit: 'Percent', factor: 1 });
  });

  it('knows how each statistic combines across periods', () => {
    expect(aggregationOf('Sum')).toBe('sum');
    expect(aggregationOf('SampleCount')).toBe('sum');
    expect(aggregationOf('Maximum')).toBe('max');
    expect(aggregationOf('p99.9')).toBe('max');
    expect(aggregationOf('Minimum')).toBe('min');
    expect(aggregationOf('Average')).toBe('mean');
  });

  it('lists percentile statistics in ascending order', () => {
    expect(percentileStats(['Average', 'p99', 'p50', 'p99.9', 'Maximum'])).toEqual(['p50', 'p99', 'p99.9']);
  });

  it('reads units from name suffixes', () => {
    expect(unitFromName(['latency', 'ms'], 'None')).toBe('Milliseconds');
    expect(unitFromName(['bytes', 'per', 'second'], 'None')).toBe('Bytes/Second');
    expect(unitFromName(['disk', 'used', 'percent'], 'None')).toBe('Percent');
    expect(unitFromName(['queue', 'depth'], 'Count')).toBe('Count');
  });
});
