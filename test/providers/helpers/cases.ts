/**
 * Arguments for every operation of each backend, built from names that exist in the scenario (read through the
 * fixture provider), so that calls exercise real objects, series and documents rather than NotFound paths.
 * `runEveryOperation` calls them all through an invoker and fails on any error or schema violation.
 */
import { expect } from 'vitest';
import type { KubeObject, KubernetesProvider } from '../../../src/providers/kubernetes/port.ts';
import type { LogsProvider } from '../../../src/providers/logs/port.ts';
import type { MetricsProvider } from '../../../src/providers/metrics/port.ts';
import type { RunbooksProvider } from '../../../src/providers/runbooks/port.ts';
import type { ToolInvoker } from '../../../src/tools/invoke.ts';
import { responseProblems } from '../../../src/tools/validation.ts';

export type Cases = Record<string, Array<Record<string, unknown>>>;

const ns = (o: KubeObject | undefined) => o?.metadata.namespace ?? '';

export async function kubernetesCases(fixture: KubernetesProvider): Promise<Cases> {
  const pods = await fixture.list('pods');
  const first = async (kind: Parameters<KubernetesProvider['list']>[0]) => (await fixture.list(kind))[0];
  const [deployment, node, service, hpa, ingress] = await Promise.all([first('deployments'), first('nodes'), first('services'), first('hpa'), first('ingresses')]);
  const host = ingress ? ((ingress.spec?.rules ?? []) as Array<{ host?: string }>).find((r) => r.host)?.host : undefined;
  let logged: { namespace: string; pod_name: string; container: string; previous: boolean } | undefined;
  let previous: typeof logged;
  for (const p of pods) {
    for (const c of (p.spec?.containers ?? []) as Array<{ name: string }>) {
      const at = { namespace: ns(p), pod_name: p.metadata.name, container: c.name };
      if (!logged && (await fixture.podLogs({ namespace: at.namespace, pod: at.pod_name, container: c.name }))) logged = { ...at, previous: false };
      if (!previous && (await fixture.podLogs({ namespace: at.namespace, pod: at.pod_name, container: c.name, previous: true }))) previous = { ...at, previous: true };
    }
  }
  const pod = pods[0];
  return {
    scan_cluster_problems: [{}, { min_severity: 'warning' }, ...(pod ? [{ namespace: ns(pod) }] : [])],
    get_pod_status: [{}, { status: 'unhealthy' }, ...(pod ? [{ namespace: ns(pod), pod_name: pod.metadata.name }] : [])],
    get_pod_logs: [logged, previous, logged && { ...logged, pattern: 'error|exception', limit: 5 }].filter(Boolean) as Array<Record<string, unknown>>,
    get_deployment_status: [{}, ...(deployment ? [{ namespace: ns(deployment), deployment_name: deployment.metadata.name }] : [])],
    get_rollout_history: deployment ? [{ deployment_name: deployment.metadata.name, namespace: ns(deployment) }] : [],
    get_cluster_events: [{}, { since: '6h' }, { severity: 'Warning' }, ...(pod ? [{ namespace: ns(pod) }] : [])],
    describe_resource: [
      ...(pod ? [{ kind: 'pod', name: pod.metadata.name, namespace: ns(pod) }] : []),
      ...(deployment ? [{ kind: 'deployment', name: deployment.metadata.name, namespace: ns(deployment) }] : []),
      ...(node ? [{ kind: 'node', name: node.metadata.name }] : []),
      ...(service ? [{ kind: 'service', name: service.metadata.name, namespace: ns(service) }] : []),
      ...(ingress ? [{ kind: 'ingress', name: ingress.metadata.name, namespace: ns(ingress) }] : []),
    ],
    get_service_status: [{}, ...(service ? [{ namespace: ns(service), service_name: service.metadata.name }] : [])],
    get_autoscaler_status: [{}, ...(hpa ? [{ namespace: ns(hpa), name: hpa.metadata.name }] : [])],
    get_ingress_status: [{}, ...(ingress ? [{ namespace: ns(ingress), name: ingress.metadata.name }] : []), ...(host ? [{ host }] : [])],
    get_node_status: [{}, ...(node ? [{ node_name: node.metadata.name }] : [])],
    get_resource_usage: [{}, { resource_type: 'memory' }],
  };
}

export async function logsCases(fixture: LogsProvider, service: string): Promise<Cases> {
  const groups = await fixture.listLogGroups();
  const group = groups.find((g) => g.includes('containerinsights')) ?? groups[0]!;
  return {
    search_logs: [{ pattern: 'error' }, { pattern: 'timeout', start_time: '6h' }, { pattern: 'exception', service }],
    // Windows of 10 minutes (FilterLogEvents) and of hours (Logs Insights) both.
    get_error_logs: [{}, { since: '10m' }, { since: '6h', service }, { log_group: group }],
    analyze_log_patterns: [{}, { time_window: '6h' }],
    get_recent_logs: [{}, { limit: 5 }, { since: '10m', service }],
    count_log_events: [{ event_type: 'error' }, { event_type: 'timeout', group_by: 'service', time_window: '6h' }],
    query_logs: [{}, { filter: { text: 'error' }, start_time: '6h' }, { stats: { by: ['service'] }, start_time: '3h' }],
    summarize_error_signatures: [{}, { time_window: '6h' }],
    list_log_sources: [{}, { time_window: '6h' }],
  };
}

export async function metricsCases(fixture: MetricsProvider): Promise<Cases> {
  const metrics = await fixture.listMetrics();
  const alarms = await fixture.describeAlarms();
  const some = metrics.find((m) => Object.keys(m.dimensions).length >= 2) ?? metrics[0]!;
  const dims = Object.keys(some.dimensions);
  const open = { ...some.dimensions, [dims[0]!]: '*' };
  return {
    get_performance_metrics: [{}, { metric_type: 'response_time' }],
    get_error_rates: [{}, { time_window: '3h' }],
    get_resource_metrics: [{}, { resource_type: 'memory' }],
    get_availability_metrics: [{}],
    analyze_trends: [{ metric_name: some.metricName }],
    get_metric_data: [
      { namespace: some.namespace, metric_name: some.metricName, dimensions: some.dimensions },
      { namespace: some.namespace, metric_name: some.metricName, dimensions: open, stat: 'Sum' },
    ],
    list_metrics: [{}, { namespace: some.namespace }],
    detect_metric_anomalies: [{}, { metrics: [{ namespace: some.namespace, metric_name: some.metricName, dimensions: some.dimensions }] }],
    describe_alarms: [{}, { state: 'ALARM' }, ...(alarms[0] ? [{ alarm_name: alarms[0].alarmName, include_metric_data: true }] : [])],
  };
}

export async function runbooksCases(fixture: RunbooksProvider): Promise<Cases> {
  const runbooks = await fixture.list();
  const id = runbooks[0]!.id;
  return {
    search_runbooks: [{}, { keyword: 'memory' }, { symptoms: 'pods OOMKilled with exit code 137 after the rollout' }, { category: 'oom-killed' }],
    get_incident_playbook: [{ playbook_id: id }],
    get_troubleshooting_guide: [{}, { category: 'oom-killed' }],
    get_escalation_procedures: [{}, { severity: 'critical' }],
    get_common_resolutions: [{ issue: 'OOMKilled' }],
    get_runbook: [{ runbook_id: id }],
  };
}

/**
 * Every case of every operation through the invoker: each must succeed and match its response schema. Returns
 * the results in call order, labelled, for comparisons between providers.
 */
export async function runEveryOperation(invoker: ToolInvoker, cases: Cases): Promise<Array<{ label: string; result: unknown }>> {
  const operations = invoker.definitions.map((d) => d.operationId).sort();
  expect(Object.keys(cases).sort()).toEqual(operations);
  const out: Array<{ label: string; result: unknown }> = [];
  for (const def of invoker.definitions) {
    const argSets = cases[def.operationId]!;
    expect(argSets.length, `${def.operationId} has cases`).toBeGreaterThan(0);
    for (const args of argSets) {
      const label = `${def.name}(${JSON.stringify(args)})`;
      const outcome = await invoker.invoke(def.name, args);
      if (!outcome.ok) expect.fail(`${label} failed: ${outcome.error.type}: ${outcome.error.message}`);
      const problems = responseProblems(def, outcome.result);
      if (problems.length) expect.fail(`${label} violates its response schema: ${problems.slice(0, 5).join('; ')}`);
      out.push({ label, result: outcome.result });
    }
  }
  return out;
}
