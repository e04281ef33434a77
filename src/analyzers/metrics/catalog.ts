/**
 * The metric catalog: what people and models ask for ("latency", "error rate", "cpu") mapped to the CloudWatch
 * metrics that really exist, with the unit, the statistics worth asking for and which way is bad. Built-in AWS
 * metrics are listed by namespace and name; anything else (custom application metrics) is classified from its
 * name. Pure: no I/O, nothing keyed to a particular system's names.
 */

export const METRIC_KINDS = [
  'latency',
  'throughput',
  'errors',
  'client_errors',
  'cpu',
  'memory',
  'restarts',
  'disk',
  'network',
  'availability',
  'saturation',
] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/**
 * What one metric measures within its kind. Summaries pick metrics by role: error rates pair `server_errors`
 * with `requests`, availability reads `healthy_hosts`, `ready_replicas`..., and `capacity` (limits, requests,
 * reservations) is context, never a usage figure.
 */
export type MetricRole =
  | 'latency'
  | 'requests'
  | 'requests_per_target'
  | 'success'
  | 'server_errors'
  | 'server_errors_code'
  | 'error_rate'
  | 'connection_errors'
  | 'client_errors'
  | 'cpu'
  | 'memory'
  | 'memory_free'
  | 'oom_kills'
  | 'restarts'
  | 'crash_loop'
  | 'disk'
  | 'disk_free'
  | 'disk_io'
  | 'network'
  | 'healthy_hosts'
  | 'availability_percent'
  | 'downtime'
  | 'unhealthy_hosts'
  | 'running_pods'
  | 'ready_replicas'
  | 'desired_replicas'
  | 'unavailable_replicas'
  | 'running_containers'
  | 'desired_containers'
  | 'pod_state'
  | 'nodes'
  | 'failed_nodes'
  | 'node_ready'
  | 'node_pressure'
  | 'instance_status'
  | 'connections'
  | 'queue_depth'
  | 'queue_age'
  | 'throttles'
  | 'saturation'
  | 'capacity';

export type MetricUnit =
  | 'Milliseconds'
  | 'Microseconds'
  | 'Seconds'
  | 'Percent'
  | 'Count'
  | 'Bytes'
  | 'Kilobytes'
  | 'Megabytes'
  | 'Gigabytes'
  | 'Bytes/Second'
  | 'Count/Second'
  | 'None';

export interface MetricProfile {
  kind: MetricKind;
  role: MetricRole;
  /** The unit CloudWatch stores the metric in (GetMetricData does not return it). */
  unit: MetricUnit;
  /** Statistics worth requesting, best first: Sum for counts, a high percentile or Average for latency. */
  stats: readonly string[];
  /** Which way is bad: a rising latency, a falling healthy host count; `either` for traffic. */
  worse: 'up' | 'down' | 'either';
  /** Where the figure is measured: an HTTP status seen by the load balancer is not one the target sent. */
  source: MetricSource;
  /** HTTP status class or code of status-code counters ('5XX', '502', '4XX', '2XX'). */
  statusClass?: string;
  /** A dependency of the workloads (database, cache, queue, table) rather than the workload itself. */
  dependency?: boolean;
  /** True when the profile came from the metric's name rather than the built-in table. */
  inferred?: boolean;
}

export type MetricSource =
  | 'load_balancer'
  | 'target'
  | 'api_gateway'
  | 'lambda'
  | 'container_insights'
  | 'database'
  | 'cache'
  | 'queue'
  | 'table'
  | 'search'
  | 'instance'
  | 'volume'
  | 'application';

const COUNT_STATS = ['Sum', 'SampleCount', 'Average', 'Maximum'] as const;
const GAUGE_STATS = ['Average', 'Maximum', 'p99', 'Minimum'] as const;
const PEAK_STATS = ['Maximum', 'Average', 'Sum'] as const;
const LOW_STATS = ['Minimum', 'Average', 'Maximum'] as const;
const LATENCY_STATS = ['p99', 'p95', 'p90', 'Average', 'p50', 'Maximum'] as const;

type Spec = Omit<MetricProfile, 'source' | 'inferred'>;

function count(kind: MetricKind, role: MetricRole, worse: MetricProfile['worse'], extra: Partial<Spec> = {}): Spec {
  return { kind, role, unit: 'Count', stats: COUNT_STATS, worse, ...extra };
}
function gauge(kind: MetricKind, role: MetricRole, unit: MetricUnit, worse: MetricProfile['worse'], extra: Partial<Spec> = {}): Spec {
  return { kind, role, unit, stats: GAUGE_STATS, worse, ...extra };
}
function latency(unit: MetricUnit): Spec {
  return { kind: 'latency', role: 'latency', unit, stats: LATENCY_STATS, worse: 'up' };
}
const percent = (kind: MetricKind, role: MetricRole, worse: MetricProfile['worse'] = 'up'): Spec => gauge(kind, role, 'Percent', worse);
const serverErrors = (statusClass: string, extra: Partial<Spec> = {}): Spec =>
  count('errors', statusClass.endsWith('XX') ? 'server_errors' : 'server_errors_code', 'up', { statusClass, ...extra });
const clientErrors = (statusClass = '4XX'): Spec => count('client_errors', 'client_errors', 'up', { statusClass });
const peak = (kind: MetricKind, role: MetricRole, worse: MetricProfile['worse'], unit: MetricUnit = 'Count'): Spec => ({
  kind,
  role,
  unit,
  stats: PEAK_STATS,
  worse,
});
const low = (kind: MetricKind, role: MetricRole, unit: MetricUnit = 'Count'): Spec => ({ kind, role, unit, stats: LOW_STATS, worse: 'down' });

/** Per source: the metrics an AWS service publishes, by name. Sources tell a load balancer's 5XX from a target's. */
const BUILT_IN: ReadonlyArray<{ namespace: string; source: MetricSource; dependency?: boolean; metrics: Record<string, Spec & { source?: MetricSource }> }> = [
  {
    namespace: 'AWS/ApplicationELB',
    source: 'load_balancer',
    metrics: {
      TargetResponseTime: { ...latency('Seconds'), source: 'target' },
      RequestCount: count('throughput', 'requests', 'either'),
      RequestCountPerTarget: count('throughput', 'requests_per_target', 'either'),
      HTTPCode_Target_5XX_Count: { ...serverErrors('5XX'), source: 'target' },
      HTTPCode_ELB_5XX_Count: serverErrors('5XX'),
      HTTPCode_ELB_500_Count: serverErrors('500'),
      HTTPCode_ELB_502_Count: serverErrors('502'),
      HTTPCode_ELB_503_Count: serverErrors('503'),
      HTTPCode_ELB_504_Count: serverErrors('504'),
      HTTPCode_Target_4XX_Count: { ...clientErrors(), source: 'target' },
      HTTPCode_ELB_4XX_Count: clientErrors(),
      HTTPCode_Target_2XX_Count: { ...count('throughput', 'success', 'either', { statusClass: '2XX' }), source: 'target' },
      HTTPCode_Target_3XX_Count: { ...count('throughput', 'success', 'either', { statusClass: '3XX' }), source: 'target' },
      HTTPCode_ELB_3XX_Count: count('throughput', 'success', 'either', { statusClass: '3XX' }),
      HealthyHostCount: low('availability', 'healthy_hosts'),
      UnHealthyHostCount: peak('availability', 'unhealthy_hosts', 'up'),
      TargetConnectionErrorCount: count('errors', 'connection_errors', 'up'),
      TargetTLSNegotiationErrorCount: count('errors', 'connection_errors', 'up'),
      ClientTLSNegotiationErrorCount: count('client_errors', 'client_errors', 'up'),
      RejectedConnectionCount: count('saturation', 'saturation', 'up'),
      ActiveConnectionCount: count('saturation', 'connections', 'either'),
      NewConnectionCount: count('throughput', 'requests_per_target', 'either'),
      ProcessedBytes: count('network', 'network', 'either', { unit: 'Bytes' }),
    },
  },
  {
    namespace: 'AWS/NetworkELB',
    source: 'load_balancer',
    metrics: {
      HealthyHostCount: low('availability', 'healthy_hosts'),
      UnHealthyHostCount: peak('availability', 'unhealthy_hosts', 'up'),
      TCP_Target_Reset_Count: { ...count('errors', 'connection_errors', 'up'), source: 'target' },
      TCP_ELB_Reset_Count: count('errors', 'connection_errors', 'up'),
      TCP_Client_Reset_Count: count('client_errors', 'client_errors', 'up'),
      ActiveFlowCount: peak('saturation', 'connections', 'either'),
      NewFlowCount: count('throughput', 'requests', 'either'),
      ProcessedBytes: count('network', 'network', 'either', { unit: 'Bytes' }),
    },
  },
  {
    namespace: 'AWS/ELB',
    source: 'load_balancer',
    metrics: {
      Latency: { ...latency('Seconds'), source: 'target' },
      RequestCount: count('throughput', 'requests', 'either'),
      HTTPCode_Backend_5XX: { ...serverErrors('5XX'), source: 'target' },
      HTTPCode_ELB_5XX: serverErrors('5XX'),
      HTTPCode_Backend_4XX: { ...clientErrors(), source: 'target' },
      HTTPCode_ELB_4XX: clientErrors(),
      HTTPCode_Backend_2XX: { ...count('throughput', 'success', 'either', { statusClass: '2XX' }), source: 'target' },
      HealthyHostCount: low('availability', 'healthy_hosts'),
      UnHealthyHostCount: peak('availability', 'unhealthy_hosts', 'up'),
      BackendConnectionErrors: { ...count('errors', 'connection_errors', 'up'), source: 'target' },
      SurgeQueueLength: peak('saturation', 'queue_depth', 'up'),
      SpilloverCount: count('saturation', 'saturation', 'up'),
    },
  },
  {
    namespace: 'AWS/ApiGateway',
    source: 'api_gateway',
    metrics: {
      Latency: latency('Milliseconds'),
      IntegrationLatency: { ...latency('Milliseconds'), source: 'target' },
      Count: count('throughput', 'requests', 'either'),
      '5XXError': serverErrors('5XX'),
      '4XXError': clientErrors(),
      '5xx': serverErrors('5XX'),
      '4xx': clientErrors(),
    },
  },
  {
    namespace: 'AWS/Lambda',
    source: 'lambda',
    metrics: {
      Duration: latency('Milliseconds'),
      Invocations: count('throughput', 'requests', 'either'),
      Errors: serverErrors('5XX', { statusClass: 'error' }),
      Throttles: count('saturation', 'throttles', 'up'),
      ConcurrentExecutions: peak('saturation', 'saturation', 'up'),
    },
  },
  {
    namespace: 'ContainerInsights',
    source: 'container_insights',
    metrics: {
      pod_cpu_utilization: percent('cpu', 'cpu'),
      pod_cpu_utilization_over_pod_limit: percent('cpu', 'cpu'),
      pod_cpu_utilization_over_pod_request: percent('cpu', 'cpu'),
      container_cpu_utilization: percent('cpu', 'cpu'),
      container_cpu_utilization_over_container_limit: percent('cpu', 'cpu'),
      node_cpu_utilization: percent('cpu', 'cpu'),
      pod_memory_utilization: percent('memory', 'memory'),
      pod_memory_utilization_over_pod_limit: percent('memory', 'memory'),
      container_memory_utilization: percent('memory', 'memory'),
      container_memory_utilization_over_container_limit: percent('memory', 'memory'),
      node_memory_utilization: percent('memory', 'memory'),
      pod_memory_working_set: gauge('memory', 'memory', 'Bytes', 'up'),
      node_memory_working_set: gauge('memory', 'memory', 'Bytes', 'up'),
      container_memory_failures_total: count('memory', 'oom_kills', 'up'),
      pod_container_status_terminated_reason_oom_killed: peak('memory', 'oom_kills', 'up'),
      node_filesystem_utilization: percent('disk', 'disk'),
      container_filesystem_utilization: percent('disk', 'disk'),
      node_filesystem_inodes_free: low('disk', 'disk_free'),
      node_network_total_bytes: gauge('network', 'network', 'Bytes/Second', 'either'),
      pod_network_rx_bytes: gauge('network', 'network', 'Bytes/Second', 'either'),
      pod_network_tx_bytes: gauge('network', 'network', 'Bytes/Second', 'either'),
      pod_interface_network_rx_dropped: count('network', 'network', 'up'),
      pod_interface_network_tx_dropped: count('network', 'network', 'up'),
      pod_number_of_container_restarts: peak('restarts', 'restarts', 'up'),
      pod_container_status_waiting_reason_crash_loop_back_off: peak('restarts', 'crash_loop', 'up'),
      pod_container_status_waiting_reason_image_pull_error: peak('availability', 'pod_state', 'up'),
      pod_container_status_waiting_reason_create_container_config_error: peak('availability', 'pod_state', 'up'),
      pod_container_status_waiting_reason_create_container_error: peak('availability', 'pod_state', 'up'),
      pod_container_status_waiting_reason_start_error: peak('availability', 'pod_state', 'up'),
      pod_container_status_waiting: peak('availability', 'pod_state', 'up'),
      pod_container_status_terminated: peak('availability', 'pod_state', 'up'),
      pod_status_pending: peak('availability', 'pod_state', 'up'),
      pod_status_failed: peak('availability', 'pod_state', 'up'),
      pod_status_unknown: peak('availability', 'pod_state', 'up'),
      pod_status_running: low('availability', 'running_pods'),
      pod_status_ready: low('availability', 'running_pods'),
      pod_container_status_running: low('availability', 'running_containers'),
      pod_number_of_running_containers: low('availability', 'running_containers'),
      pod_number_of_containers: gauge('availability', 'desired_containers', 'Count', 'either'),
      service_number_of_running_pods: low('availability', 'running_pods'),
      namespace_number_of_running_pods: low('availability', 'running_pods'),
      node_number_of_running_pods: gauge('availability', 'running_pods', 'Count', 'either'),
      cluster_number_of_running_pods: low('availability', 'running_pods'),
      replicas_ready: low('availability', 'ready_replicas'),
      status_replicas_available: low('availability', 'ready_replicas'),
      replicas_desired: gauge('availability', 'desired_replicas', 'Count', 'either'),
      status_replicas_unavailable: peak('availability', 'unavailable_replicas', 'up'),
      daemonset_status_number_available: low('availability', 'ready_replicas'),
      daemonset_status_number_unavailable: peak('availability', 'unavailable_replicas', 'up'),
      cluster_node_count: low('availability', 'nodes'),
      cluster_failed_node_count: peak('availability', 'failed_nodes', 'up'),
      node_status_condition_ready: low('availability', 'node_ready'),
      node_status_condition_memory_pressure: peak('availability', 'node_pressure', 'up'),
      node_status_condition_disk_pressure: peak('availability', 'node_pressure', 'up'),
      node_status_condition_pid_pressure: peak('availability', 'node_pressure', 'up'),
      node_status_condition_network_unavailable: peak('availability', 'node_pressure', 'up'),
      node_status_condition_unknown: peak('availability', 'node_pressure', 'up'),
    },
  },
  {
    namespace: 'AWS/RDS',
    source: 'database',
    dependency: true,
    metrics: {
      CPUUtilization: percent('cpu', 'cpu'),
      DatabaseConnections: gauge('saturation', 'connections', 'Count', 'up'),
      FreeStorageSpace: low('disk', 'disk_free', 'Bytes'),
      FreeableMemory: low('memory', 'memory_free', 'Bytes'),
      ReadLatency: latency('Seconds'),
      WriteLatency: latency('Seconds'),
      DiskQueueDepth: gauge('saturation', 'queue_depth', 'Count', 'up'),
      DBLoad: gauge('saturation', 'saturation', 'Count', 'up'),
      Deadlocks: count('errors', 'server_errors', 'up', { statusClass: 'error' }),
      ReadIOPS: gauge('throughput', 'requests', 'Count/Second', 'either'),
      WriteIOPS: gauge('throughput', 'requests', 'Count/Second', 'either'),
      ReplicaLag: gauge('saturation', 'queue_age', 'Seconds', 'up'),
      NetworkReceiveThroughput: gauge('network', 'network', 'Bytes/Second', 'either'),
      NetworkTransmitThroughput: gauge('network', 'network', 'Bytes/Second', 'either'),
    },
  },
  {
    namespace: 'AWS/ElastiCache',
    source: 'cache',
    dependency: true,
    metrics: {
      CPUUtilization: percent('cpu', 'cpu'),
      EngineCPUUtilization: percent('cpu', 'cpu'),
      DatabaseMemoryUsagePercentage: percent('memory', 'memory'),
      FreeableMemory: low('memory', 'memory_free', 'Bytes'),
      CurrConnections: gauge('saturation', 'connections', 'Count', 'up'),
      Evictions: count('saturation', 'saturation', 'up'),
      CacheHits: count('throughput', 'requests', 'either'),
      CacheMisses: count('saturation', 'saturation', 'up'),
      ReplicationLag: gauge('saturation', 'queue_age', 'Seconds', 'up'),
      NetworkBytesIn: count('network', 'network', 'either', { unit: 'Bytes' }),
      NetworkBytesOut: count('network', 'network', 'either', { unit: 'Bytes' }),
    },
  },
  {
    namespace: 'AWS/SQS',
    source: 'queue',
    dependency: true,
    metrics: {
      ApproximateNumberOfMessagesVisible: peak('saturation', 'queue_depth', 'up'),
      ApproximateNumberOfMessagesNotVisible: peak('saturation', 'queue_depth', 'up'),
      ApproximateAgeOfOldestMessage: peak('saturation', 'queue_age', 'up', 'Seconds'),
      NumberOfMessagesSent: count('throughput', 'requests', 'either'),
      NumberOfMessagesReceived: count('throughput', 'requests', 'either'),
      NumberOfMessagesDeleted: count('throughput', 'requests', 'either'),
    },
  },
  {
    namespace: 'AWS/DynamoDB',
    source: 'table',
    dependency: true,
    metrics: {
      ThrottledRequests: count('saturation', 'throttles', 'up'),
      ReadThrottleEvents: count('saturation', 'throttles', 'up'),
      WriteThrottleEvents: count('saturation', 'throttles', 'up'),
      SuccessfulRequestLatency: { ...latency('Milliseconds'), stats: ['Average', 'Maximum'] },
      SystemErrors: serverErrors('5XX'),
      UserErrors: clientErrors(),
      ConsumedReadCapacityUnits: count('throughput', 'requests', 'either'),
      ConsumedWriteCapacityUnits: count('throughput', 'requests', 'either'),
      ProvisionedReadCapacityUnits: gauge('throughput', 'capacity', 'Count', 'either'),
      ProvisionedWriteCapacityUnits: gauge('throughput', 'capacity', 'Count', 'either'),
    },
  },
  {
    namespace: 'AWS/ES',
    source: 'search',
    dependency: true,
    metrics: {
      SearchLatency: latency('Milliseconds'),
      IndexingLatency: latency('Milliseconds'),
      SearchRate: gauge('throughput', 'requests', 'Count', 'either'),
      IndexingRate: gauge('throughput', 'requests', 'Count', 'either'),
      CPUUtilization: percent('cpu', 'cpu'),
      JVMMemoryPressure: percent('memory', 'memory'),
      FreeStorageSpace: low('disk', 'disk_free', 'Megabytes'),
      ThreadpoolSearchRejected: count('saturation', 'throttles', 'up'),
      ThreadpoolWriteRejected: count('saturation', 'throttles', 'up'),
      ThreadpoolSearchQueue: peak('saturation', 'queue_depth', 'up'),
      ThreadpoolWriteQueue: peak('saturation', 'queue_depth', 'up'),
      'ClusterStatus.red': peak('availability', 'pod_state', 'up'),
      'ClusterStatus.yellow': peak('availability', 'pod_state', 'up'),
      '5xx': serverErrors('5XX'),
    },
  },
  {
    namespace: 'AWS/EC2',
    source: 'instance',
    metrics: {
      CPUUtilization: percent('cpu', 'cpu'),
      NetworkIn: count('network', 'network', 'either', { unit: 'Bytes' }),
      NetworkOut: count('network', 'network', 'either', { unit: 'Bytes' }),
      StatusCheckFailed: peak('availability', 'instance_status', 'up'),
      StatusCheckFailed_Instance: peak('availability', 'instance_status', 'up'),
      StatusCheckFailed_System: peak('availability', 'instance_status', 'up'),
      CPUCreditBalance: low('saturation', 'saturation'),
    },
  },
  {
    namespace: 'AWS/EBS',
    source: 'volume',
    metrics: {
      VolumeQueueLength: gauge('saturation', 'queue_depth', 'Count', 'up'),
      BurstBalance: low('disk', 'disk_free', 'Percent'),
    },
  },
  {
    namespace: 'CWAgent',
    source: 'instance',
    metrics: {
      mem_used_percent: percent('memory', 'memory'),
      disk_used_percent: percent('disk', 'disk'),
      swap_used_percent: percent('memory', 'memory'),
      cpu_usage_active: percent('cpu', 'cpu'),
      cpu_usage_user: percent('cpu', 'cpu'),
    },
  },
];

const BUILT_IN_INDEX: ReadonlyMap<string, MetricProfile> = new Map(
  BUILT_IN.flatMap(({ namespace, source, dependency, metrics }) =>
    Object.entries(metrics).map(([name, spec]) => [
      `${namespace}\u0000${name}`,
      { source, ...(dependency ? { dependency } : {}), ...spec } as MetricProfile,
    ]),
  ),
);

/** Lower-case words of a metric or dimension name: `HTTPCode_Target_5XX_Count` -> http code target 5xx count. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Unit from a custom metric's name suffix (`latency_ms`, `duration_seconds`, `heap_bytes`, `cpu_percent`). */
export function unitFromName(tokens: readonly string[], fallback: MetricUnit): MetricUnit {
  const has = (...words: string[]) => words.some((w) => tokens.includes(w));
  if (has('bytes', 'byte')) return has('per', 'rate', 'second', 'sec', 'ps') ? 'Bytes/Second' : 'Bytes';
  if ((has('per') && has('second', 'sec', 's')) || has('rps', 'qps', 'tps')) return 'Count/Second';
  if (has('ms', 'millis', 'milliseconds', 'millisecond', 'msec')) return 'Milliseconds';
  if (has('us', 'micros', 'microseconds')) return 'Microseconds';
  if (has('seconds', 'second', 'secs', 'sec')) return 'Seconds';
  if (has('percent', 'pct', 'percentage', 'utilization', 'utilisation')) return 'Percent';
  if (has('kb', 'kib', 'kilobytes')) return 'Kilobytes';
  if (has('mb', 'mib', 'megabytes')) return 'Megabytes';
  if (has('gb', 'gib', 'gigabytes')) return 'Gigabytes';
  return fallback;
}

const CPU_WORDS = ['cpu', 'processor'];
const MEMORY_WORDS = ['memory', 'mem', 'heap', 'rss', 'oom'];
const DISK_WORDS = ['disk', 'volume', 'filesystem', 'fs', 'storage', 'inode', 'inodes', 'pvc'];

/**
 * Name rules for metrics outside the built-in table (custom application metrics, unknown AWS metrics), tried in
 * order: errors before requests (`request_errors` counts errors), throttling before errors (`ThrottlingErrors`
 * is rate limiting), capacity settings before usage (`memory_limit` is not memory use).
 */
const NAME_RULES: ReadonlyArray<{ test: (t: readonly string[], joined: string) => boolean; spec: (t: readonly string[]) => Spec }> = [
  {
    test: (t) => t.some((w) => ['limit', 'limits', 'request', 'reserved', 'capacity', 'allocatable', 'quota', 'provisioned'].includes(w)) &&
      t.some((w) => [...CPU_WORDS, ...MEMORY_WORDS, ...DISK_WORDS, 'gpu', 'pods'].includes(w)),
    spec: (t) => gauge(t.includes('cpu') ? 'cpu' : t.some((w) => DISK_WORDS.includes(w)) ? 'disk' : 'memory', 'capacity', unitFromName(t, 'None'), 'either'),
  },
  {
    test: (t, j) => /throttl|ratelimit|toomanyrequests/.test(j) || t.includes('429'),
    spec: () => count('saturation', 'throttles', 'up'),
  },
  {
    test: (t, j) => /(error|fail|fault|exception)(rate|ratio|percent|pct|percentage)/.test(j) || (/error|fail/.test(j) && t.some((w) => ['rate', 'ratio', 'percent', 'pct'].includes(w))),
    spec: (t) => ({ ...gauge('errors', 'error_rate', unitFromName(t, 'None'), 'up') }),
  },
  {
    test: (t) => t.some((w) => /^4(\d\d|xx)$/.test(w)) || (t.includes('client') && t.some((w) => w.startsWith('error'))),
    spec: () => clientErrors(),
  },
  {
    test: (t, j) => t.some((w) => /^5(\d\d|xx)$/.test(w)) || /error|fail|fault|exception|panic|timeout|refused|reset/.test(j),
    spec: () => count('errors', 'server_errors', 'up', { statusClass: 'error' }),
  },
  {
    test: (t) => t.includes('downtime'),
    spec: (t) => ({ ...peak('availability', 'downtime', 'up', unitFromName(t, 'Seconds')) }),
  },
  {
    // Prometheus-style histogram counters (`request_duration_seconds_count`) count requests, not time.
    test: (t, j) => /latency|duration|responsetime|elapsed|rtt/.test(j) && (t.at(-1) === 'count' || t.at(-1) === 'total'),
    spec: () => count('throughput', 'requests', 'either'),
  },
  {
    // Percentile series of an application (`percentile_99`, `p95`) are latency distributions.
    test: (t, j) => /latency|duration|responsetime|elapsed|rtt|waittime|processingtime/.test(j) || t.includes('percentile') || t.some((w) => /^p\d{2}$/.test(w)),
    spec: (t) => latency(unitFromName(t, 'Milliseconds')),
  },
  {
    test: (t) => t.some((w) => ['restart', 'restarts', 'crashloop', 'crashes', 'crash'].includes(w)),
    spec: () => peak('restarts', 'restarts', 'up'),
  },
  {
    test: (t) => t.some((w) => ['pool', 'connections', 'connection', 'conns', 'queue', 'backlog', 'lag', 'pending', 'inflight', 'waiting', 'saturation', 'thread', 'threads', 'goroutines', 'concurrency', 'rejected', 'rejections'].includes(w)),
    spec: (t) => gauge('saturation', t.includes('queue') || t.includes('backlog') ? 'queue_depth' : t.some((w) => w.startsWith('conn') || w === 'pool') ? 'connections' : 'saturation', 'Count', 'up'),
  },
  {
    test: (t, j) => /request|call|transaction/.test(j) && t.some((w) => ['successful', 'success', 'succeeded', 'ok', '2xx'].includes(w)),
    spec: () => count('throughput', 'success', 'either'),
  },
  {
    test: (t, j) =>
      (/request|invocation|throughput|hits|calls|transactions|messages/.test(j) || t.some((w) => ['rps', 'qps', 'tps', 'rpm'].includes(w))) &&
      !t.includes('size'),
    spec: (t) => ({ ...count('throughput', 'requests', 'either'), unit: unitFromName(t, 'Count') }),
  },
  {
    test: (t) => t.some((w) => CPU_WORDS.includes(w)),
    spec: (t) => gauge('cpu', 'cpu', unitFromName(t, 'Percent'), 'up'),
  },
  {
    test: (t) => t.some((w) => MEMORY_WORDS.includes(w)),
    spec: (t) =>
      t.some((w) => ['free', 'available', 'avail'].includes(w))
        ? low('memory', 'memory_free', unitFromName(t, 'Bytes'))
        : gauge('memory', t.includes('oom') ? 'oom_kills' : 'memory', unitFromName(t, 'Percent'), 'up'),
  },
  {
    test: (t) => t.some((w) => DISK_WORDS.includes(w)),
    spec: (t) =>
      t.some((w) => ['free', 'available', 'avail', 'remaining'].includes(w))
        ? low('disk', 'disk_free', unitFromName(t, 'Bytes'))
        : t.some((w) => ['io', 'iops', 'read', 'write', 'reads', 'writes'].includes(w))
          ? gauge('disk', 'disk_io', unitFromName(t, 'Count'), 'either')
          : gauge('disk', 'disk', unitFromName(t, 'Percent'), 'up'),
  },
  {
    test: (t) => t.some((w) => ['network', 'net', 'rx', 'tx', 'bandwidth', 'ingress', 'egress'].includes(w)) || (t.includes('bytes') && (t.includes('in') || t.includes('out'))),
    spec: (t) => gauge('network', 'network', unitFromName(t, 'Bytes'), 'either'),
  },
  {
    test: (t) => t.some((w) => ['unhealthy', 'unavailable', 'down'].includes(w)),
    spec: () => peak('availability', 'unhealthy_hosts', 'up'),
  },
  {
    test: (t) => t.some((w) => ['healthy', 'health', 'available', 'availability', 'ready', 'up', 'uptime', 'replicas'].includes(w)),
    spec: (t) => {
      const unit = unitFromName(t, 'Count');
      if (unit === 'Percent') return low('availability', 'availability_percent', unit);
      return low('availability', t.includes('replicas') || t.includes('ready') ? 'ready_replicas' : 'healthy_hosts', unit);
    },
  },
];

/**
 * The profile of a CloudWatch metric: from the built-in table for AWS metrics, else from its name. Undefined when
 * the name says nothing the catalog understands (the metric is still listed, just not summarised).
 */
export function classifyMetric(namespace: string, metricName: string): MetricProfile | undefined {
  const builtIn = BUILT_IN_INDEX.get(`${namespace}\u0000${metricName}`);
  if (builtIn) return builtIn;
  const tokens = nameTokens(metricName);
  const joined = tokens.join('');
  for (const rule of NAME_RULES) {
    if (rule.test(tokens, joined)) return { ...rule.spec(tokens), source: sourceOfNamespace(namespace), inferred: true };
  }
  return undefined;
}

function sourceOfNamespace(namespace: string): MetricSource {
  switch (namespace) {
    case 'AWS/ApplicationELB':
    case 'AWS/NetworkELB':
    case 'AWS/ELB':
      return 'load_balancer';
    case 'AWS/ApiGateway':
      return 'api_gateway';
    case 'AWS/Lambda':
      return 'lambda';
    case 'ContainerInsights':
      return 'container_insights';
    case 'AWS/RDS':
      return 'database';
    case 'AWS/ElastiCache':
      return 'cache';
    case 'AWS/SQS':
      return 'queue';
    case 'AWS/DynamoDB':
      return 'table';
    case 'AWS/ES':
      return 'search';
    case 'AWS/EC2':
    case 'CWAgent':
      return 'instance';
    default:
      return 'application';
  }
}

/** Words people and models use for a kind of metric, including the sample API's metric types. */
const KIND_ALIASES: Readonly<Record<string, MetricKind | 'error_rate'>> = {
  latency: 'latency',
  response_time: 'latency',
  responsetime: 'latency',
  duration: 'latency',
  slow: 'latency',
  throughput: 'throughput',
  requests: 'throughput',
  request_count: 'throughput',
  request_rate: 'throughput',
  traffic: 'throughput',
  rps: 'throughput',
  errors: 'errors',
  error: 'errors',
  error_count: 'errors',
  server_errors: 'errors',
  '5xx': 'errors',
  failures: 'errors',
  error_rate: 'error_rate',
  error_rates: 'error_rate',
  error_percentage: 'error_rate',
  failure_rate: 'error_rate',
  client_errors: 'client_errors',
  '4xx': 'client_errors',
  cpu: 'cpu',
  cpu_usage: 'cpu',
  cpu_utilization: 'cpu',
  memory: 'memory',
  memory_usage: 'memory',
  memory_utilization: 'memory',
  mem: 'memory',
  restarts: 'restarts',
  restart: 'restarts',
  crashes: 'restarts',
  disk: 'disk',
  disk_usage: 'disk',
  storage: 'disk',
  filesystem: 'disk',
  network: 'network',
  network_io: 'network',
  bandwidth: 'network',
  availability: 'availability',
  health: 'availability',
  uptime: 'availability',
  saturation: 'saturation',
  connections: 'saturation',
  queue: 'saturation',
  throttling: 'saturation',
};

/**
 * The kind a word names (`response_time`, `CPU usage`, `5xx`), `error_rate` for the derived errors/requests
 * ratio, or undefined when the text is not a kind (it may then be a concrete metric name).
 */
export function resolveKind(text: string): MetricKind | 'error_rate' | undefined {
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return KIND_ALIASES[key] ?? ((METRIC_KINDS as readonly string[]).includes(key) ? (key as MetricKind) : undefined);
}

/** The statistic to request: the profile's first preference that the metric has, else what it has. */
export function chooseStat(profile: MetricProfile | undefined, available: readonly string[]): string {
  const preferred = profile?.stats ?? GAUGE_STATS;
  for (const stat of preferred) {
    const hit = available.find((s) => s.toLowerCase() === stat.toLowerCase());
    if (hit) return hit;
  }
  return available[0] ?? preferred[0]!;
}

/** Percentile statistics (`p99`, `p99.9`) among `stats`, ascending. */
export function percentileStats(stats: readonly string[]): string[] {
  return stats
    .filter((s) => /^p\d+(\.\d+)?$/i.test(s))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** How values of one statistic combine across periods: counts add up, extremes keep the extreme, the rest average. */
export function aggregationOf(stat: string): 'sum' | 'mean' | 'max' | 'min' {
  const s = stat.toLowerCase();
  if (s === 'sum' || s === 'samplecount') return 'sum';
  if (s === 'maximum' || /^p\d/.test(s)) return 'max';
  if (s === 'minimum') return 'min';
  return 'mean';
}

/** Latency is reported in milliseconds whatever the source stores (ALB: seconds); other units are kept. */
export function canonicalUnit(profile: Pick<MetricProfile, 'kind' | 'unit'>): { unit: MetricUnit; factor: number } {
  if (profile.kind === 'latency' && profile.unit === 'Seconds') return { unit: 'Milliseconds', factor: 1000 };
  if (profile.unit === 'Microseconds') return { unit: 'Milliseconds', factor: 0.001 };
  return { unit: profile.unit, factor: 1 };
}
