/** The root-cause taxonomy of ../shared/SCENARIOS.md: one place, used by the engine, the LLM validator and the grader. */
export const CATEGORIES = [
  'oom-killed',
  'crash-loop',
  'config-error',
  'image-pull',
  'unschedulable',
  'node-failure',
  'probe-failure',
  'bad-deployment',
  'dependency-failure',
  'connection-pool-exhaustion',
  'cpu-saturation',
  'traffic-surge',
  'certificate-expired',
  'dns-failure',
  'disk-full',
  'rate-limited',
  'none',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  'oom-killed': 'containers killed for exceeding their memory limit (exit 137, OOMKilled)',
  'crash-loop': 'containers start and exit again and again for a reason other than memory: a startup exception, a missing environment variable, a bad command',
  'config-error': 'the kubelet cannot create or start a container: a missing or invalid ConfigMap, Secret or key (CreateContainerConfigError, FailedMount)',
  'image-pull': 'an image cannot be pulled: bad tag, missing repository, registry auth',
  unschedulable: 'pods stay Pending: insufficient CPU or memory, selector, affinity or taint mismatch, unbound PVC, quota',
  'node-failure': 'a node is NotReady or under memory, disk or PID pressure, and its pods are evicted or unavailable',
  'probe-failure': 'a liveness or readiness probe fails or is misconfigured (wrong port or path) while the app itself is healthy',
  'bad-deployment': 'a new rollout or config change made a healthy workload fail or slow down',
  'dependency-failure': 'a dependency (database, cache, another service, an external API) is down or failing; the alerting workload is a victim',
  'connection-pool-exhaustion': 'a client-side connection pool is exhausted while the dependency itself is healthy',
  'cpu-saturation': 'CPU throttling or saturation slows a workload down',
  'traffic-surge': 'demand beyond capacity: a request spike, autoscaling at its maximum',
  'certificate-expired': 'an expired or invalid TLS certificate breaks connections',
  'dns-failure': 'name resolution fails: a wrong host name, DNS unavailable',
  'disk-full': 'a volume or filesystem is full (No space left on device)',
  'rate-limited': 'an API or service throttles the workload (HTTP 429, ThrottlingException, quota)',
  none: 'nothing is wrong: the alarm is expected behaviour or noise',
};

const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && CATEGORY_SET.has(value);
}
