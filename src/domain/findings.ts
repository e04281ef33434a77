/**
 * What specialists report to the supervisor. A finding is one observation, tied to a resource, with the tool
 * data that shows it; the supervisor turns findings into ranked hypotheses. Signals are a closed vocabulary so
 * the reasoning can key on them; the wording of tools and logs never matters beyond this point.
 */
import * as z from 'zod';
import { SPECIALISTS, evidenceSchema } from './result.ts';

export const SIGNALS = [
  // Kubernetes: pods and containers
  'pod-oom-killed',
  'pod-crash-loop',
  'pod-error-exit',
  'pod-config-error',
  'pod-image-pull',
  'pod-unschedulable',
  'pod-evicted',
  'pod-probe-failure',
  'pod-not-ready',
  // Kubernetes: workloads, nodes, services, storage, autoscaling
  'workload-unavailable',
  'workload-rollout',
  'workload-rollout-stuck',
  'node-not-ready',
  'node-pressure',
  'service-no-endpoints',
  'pvc-problem',
  'hpa-at-max',
  'warning-event',
  /** What `kubectl describe` shows of a workload involved: images, requests/limits, probes, events. */
  'workload-details',
  // Logs (container logs and log groups)
  'log-signature',
  'log-new-pattern',
  'log-spike',
  /** A change the logs record near the incident: a config reload, a ruleset or feature flag, a migration. */
  'change-event',
  /** A line found by a targeted search for one hypothesis (the autoscaler's view of a pending pod, cert renewals). */
  'log-context',
  // Metrics
  'metric-anomaly',
  'metric-recurring',
  // Runbooks
  'runbook-match',
  // LLM mode: a specialist model's claim that passed validation (category in the taxonomy, resource seen, every
  // quote returned by a tool in this run). `facts.categories` holds the proposed category (absent for an
  // observation) and `evidence` the verified quotes.
  'model-hypothesis',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** What kind of error a log signature is; the supervisor maps these onto taxonomy categories. */
export const SIGNATURE_KINDS = [
  'connection', // refused / reset / unreachable, naming a target
  'timeout', // timeouts naming a target
  'pool', // client-side pool exhausted / cannot acquire a connection
  'dns', // name resolution failures
  'tls', // certificate expired / invalid
  'disk', // no space left on device
  'throttle', // 429, ThrottlingException, rate exceeded, quota
  'oom', // out of memory inside the process
  'config', // missing environment variable / config key / file at startup
  'http-5xx', // server errors returned or received
  'exception', // any other exception or error type
] as const;
export type SignatureKind = (typeof SIGNATURE_KINDS)[number];

export const METRIC_KINDS = ['latency', 'errors', 'traffic', 'cpu', 'memory', 'restarts', 'disk', 'network', 'availability', 'saturation', 'other'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export const factsSchema = z.object({
  /** Kubernetes reason code (OOMKilled, CrashLoopBackOff, Unschedulable, ProgressDeadlineExceeded, ...). */
  reason: z.string().optional(),
  /** The API's or the log's own text, verbatim (bounded). */
  message: z.string().optional(),
  exitCode: z.number().optional(),
  count: z.number().optional(),
  /** Rollouts: the new and previous images and revisions. */
  image: z.string().optional(),
  previousImage: z.string().optional(),
  revision: z.string().optional(),
  /** Log signatures. */
  signatureKind: z.enum(SIGNATURE_KINDS).optional(),
  signature: z.string().optional(),
  /** Hosts, host:port pairs or URLs the evidence names: candidate dependencies. */
  targets: z.array(z.string()).optional(),
  countBefore: z.number().optional(),
  countAfter: z.number().optional(),
  isNew: z.boolean().optional(),
  /** Metrics. */
  metric: z.string().optional(),
  metricKind: z.enum(METRIC_KINDS).optional(),
  direction: z.enum(['up', 'down']).optional(),
  score: z.number().optional(),
  baseline: z.number().optional(),
  value: z.number().optional(),
  /** The same deviation recurs at this time regularly (see `recursEvery`): a pattern, not an incident. */
  recurs: z.boolean().optional(),
  recursEvery: z.enum(['day', 'week']).optional(),
  /** The metric's unit (Percent, Count, Seconds...), to judge levels such as CPU against a limit. */
  unit: z.string().optional(),
  /** The alarm's own metric. */
  isAlarmMetric: z.boolean().optional(),
  /** Runbooks. */
  runbookId: z.string().optional(),
  categories: z.array(z.string()).optional(),
  /** Nodes the affected pods run on. */
  node: z.string().optional(),
});
export type FindingFacts = z.infer<typeof factsSchema>;

export const findingSchema = z.object({
  signal: z.enum(SIGNALS),
  /** The object observed, `Kind/namespace/name` (Pod, Deployment, Node, Service, PVC...). */
  resource: z.string(),
  /** Its owning workload (`Deployment/ns/name`) when `resource` is a pod, ReplicaSet, log source or metric. */
  workload: z.string().optional(),
  severity: z.enum(['critical', 'warning', 'info']),
  /** One line for humans, quoting the datum. */
  summary: z.string(),
  /** When it started and was last seen, ISO. */
  since: z.string().optional(),
  until: z.string().optional(),
  evidence: z.array(evidenceSchema),
  facts: factsSchema.optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const healthyCheckSchema = z.object({
  /** What was checked, e.g. "Deployment/shop/cart: 3/3 available" or "no new error patterns in 1h". */
  what: z.string(),
  source: z.string(),
  resource: z.string().optional(),
});
export type HealthyCheck = z.infer<typeof healthyCheckSchema>;

export const inventoryEntrySchema = z.object({
  /** `Kind/namespace/name`: a workload, Service, Node, PVC... */
  resource: z.string(),
  /** For Services and pods: the workload behind them; for an Ingress: the controller that serves (and terminates TLS for) its hosts. */
  workload: z.string().optional(),
  /** For an Ingress: the workloads its rules route to. */
  backends: z.array(z.string()).optional(),
  /** Other names it answers to: DNS names (`orders-db.shop.svc.cluster.local`), ports, app labels. */
  aliases: z.array(z.string()).optional(),
  /** Nodes its pods run on (workloads). */
  nodes: z.array(z.string()).optional(),
  /** Healthy, degraded or down, as far as the specialist saw. */
  health: z.enum(['healthy', 'degraded', 'down', 'unknown']).optional(),
});
export type InventoryEntry = z.infer<typeof inventoryEntrySchema>;

/** One specialist's contribution to one round; crosses the state machine, so it is validated on arrival. */
export const specialistReportSchema = z.object({
  name: z.enum(SPECIALISTS),
  status: z.enum(['ok', 'partial', 'failed', 'skipped']),
  findings: z.array(findingSchema),
  healthy: z.array(healthyCheckSchema),
  /** Tools that failed and data that was missing, phrased for the report. */
  gaps: z.array(z.string()),
  toolCalls: z.number().int().min(0),
  durationMs: z.number().min(0),
  /** Objects seen, for matching a question's words, alarm dimensions and log hosts to cluster objects. */
  inventory: z.array(inventoryEntrySchema).optional(),
  error: z.string().optional(),
});
export type SpecialistReport = z.infer<typeof specialistReportSchema>;
