/**
 * The metrics specialist. Round one: the alarm itself (condition, when the breach began), the alarm's metric
 * against its baseline and whether the same deviation recurs daily, and a scan of every metric for deviations
 * from the pre-incident baseline (golden signals and saturation of everything, so suspects need not be known yet).
 * Round two: the golden signals of the suspects the supervisor names.
 */
import type { Finding, MetricKind } from '../../domain/findings.ts';
import type { AlarmMetric } from '../../domain/trigger.ts';
import type { SpecialistContext } from './index.ts';
import { SpecialistSession, clip } from './session.ts';
import { shortName } from '../names.ts';

interface AnomalyResult {
  metric: { namespace: string; metric_name: string; dimensions: Record<string, string>; stat?: string; period_seconds?: number; expression?: string };
  metric_type?: string;
  service?: string;
  entity_type?: string;
  k8s_namespace?: string;
  unit?: string;
  anomalous: boolean;
  concerning?: boolean;
  direction: 'up' | 'down' | 'none';
  score: number;
  baseline?: { median?: number; samples: number };
  recent?: { median?: number; max?: number; min?: number; last?: number; samples?: number };
  change_percent?: number;
  onset?: string;
  peak?: { timestamp: string; value: number };
  recurs_daily?: { matching_days: number; checked_days: number };
  recurs_weekly?: { matching_weeks: number; checked_weeks: number };
}

interface AlarmView {
  alarm_name: string;
  condition?: string;
  state?: string;
  state_reason?: string;
  breach_started_at?: string;
}

const DETECT = 'metrics___detect_metric_anomalies';
const ALARMS = 'metrics___describe_alarms';

const KIND: Readonly<Record<string, MetricKind>> = {
  latency: 'latency',
  throughput: 'traffic',
  errors: 'errors',
  client_errors: 'other',
  cpu: 'cpu',
  memory: 'memory',
  restarts: 'restarts',
  disk: 'disk',
  network: 'network',
  availability: 'availability',
  saturation: 'saturation',
};

export async function metricsSpecialist({ input, plan, tools }: SpecialistContext): Promise<ReturnType<SpecialistSession['report']>> {
  const s = new SpecialistSession('metrics', tools);
  const windowArgs = {
    start_time: plan.window.incidentStart,
    end_time: plan.window.end,
    baseline_start: plan.window.start,
    baseline_end: plan.window.incidentStart,
  };
  const alarm = plan.focus.alarmMetric;
  const trigger = input.trigger;
  const seen = new Set<string>();

  if (plan.round === 1) {
    const [alarmInfo, alarmMetric, scan, disks] = await Promise.all([
      trigger.type === 'alarm' ? s.call<{ alarms: AlarmView[] }>(ALARMS, { alarm_name: trigger.alarmName, limit: 1 }) : undefined,
      alarm ? s.call<{ results: AnomalyResult[] }>(DETECT, { ...windowArgs, metrics: [selector(alarm)], limit: 5 }) : undefined,
      s.call<{ results: AnomalyResult[] }>(DETECT, { ...windowArgs, anomalous_only: true, limit: 200 }),
      // Capacity is judged by level, not deviation: a volume that filled slowly looks normal against its own past.
      s.call<{ results: AnomalyResult[] }>(DETECT, { ...windowArgs, metric_type: 'disk', limit: 100 }),
    ]);
    const view = alarmInfo?.alarms?.[0];
    for (const r of alarmMetric?.results ?? []) addResult(s, r, seen, true, view);
    if (alarm && !(alarmMetric?.results ?? []).length) s.gaps.push(`the alarm's metric ${alarm.namespace} ${alarm.metricName} has no data in the window`);
    for (const r of scan?.results ?? []) addResult(s, r, seen, alarm ? matchesAlarm(r, alarm) : false, view);
    for (const r of disks?.results ?? []) if (saturated(r)) addResult(s, { ...r, anomalous: true, concerning: true, direction: 'up' }, seen, false, view);
    // Golden signals of what the question names, to say what is normal as well as what is not.
    if (trigger.type === 'question') {
      for (const term of plan.focus.terms.slice(0, 3)) {
        const res = await s.call<{ results: AnomalyResult[] }>(DETECT, { ...windowArgs, service: term, limit: 20 });
        for (const r of res?.results ?? []) addResult(s, r, seen, false, undefined);
      }
    }
  } else {
    for (const target of plan.specialists.metrics.targets.slice(0, 6)) {
      const res = await s.call<{ results: AnomalyResult[] }>(DETECT, { ...windowArgs, service: serviceArg(target), limit: 20 });
      for (const r of res?.results ?? []) addResult(s, r, seen, false, undefined);
    }
  }
  return s.report();
}

/** At capacity whatever the baseline: nothing left available, or a utilisation at (or over) its ceiling. */
export function saturated(r: AnomalyResult): boolean {
  const last = r.recent?.last;
  if (last === undefined || !Number.isFinite(last)) return false;
  const name = r.metric.metric_name.toLowerCase();
  if (/(avail|free)/.test(name)) return last <= 0 || (r.baseline?.median !== undefined && r.baseline.median > 0 && last / r.baseline.median < 0.01 && !/percent/.test(name));
  if (r.unit === 'Percent' && /(util|used|usage)/.test(name)) return last >= 95;
  return false;
}

function weekday(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(t) : 'same weekday';
}

function selector(m: AlarmMetric): Record<string, unknown> {
  return { namespace: m.namespace, metric_name: m.metricName, dimensions: m.dimensions, ...(m.stat ? { stat: m.stat } : {}) };
}

function matchesAlarm(r: AnomalyResult, alarm: AlarmMetric): boolean {
  if (r.metric.namespace !== alarm.namespace || r.metric.metric_name !== alarm.metricName) return false;
  return Object.entries(alarm.dimensions).every(([k, v]) => r.metric.dimensions[k] === v);
}

/** `Deployment/ns/name` → `ns/name`, which the metrics tools accept as a service. */
function serviceArg(resource: string): string {
  const parts = resource.split('/');
  return parts.length === 3 && parts[1] ? `${parts[1]}/${parts[2]}` : shortName(resource);
}

/** The object a metric is about, as precisely as the metric says: the supervisor resolves `Workload/...` to its kind. */
function entityResource(r: AnomalyResult): string {
  const name = r.service ?? r.metric.dimensions.PodName ?? r.metric.metric_name;
  switch (r.entity_type) {
    case 'node':
      return `Node//${name}`;
    case 'service':
    case 'function':
    case 'api':
      return `Workload/${r.k8s_namespace ?? ''}/${name}`;
    case 'volume':
      return `PersistentVolumeClaim/${r.k8s_namespace ?? ''}/${name}`;
    case undefined:
      return `Workload/${r.k8s_namespace ?? ''}/${name}`;
    default:
      return `${titleCase(r.entity_type)}//${name}`;
  }
}

function titleCase(s: string): string {
  return s.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function fmt(v: number | undefined, unit?: string): string {
  if (v === undefined || !Number.isFinite(v)) return '?';
  const n = Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
  return `${n}${unit === 'Percent' ? '%' : unit && unit !== 'Count' && unit !== 'None' ? ` ${unit}` : ''}`;
}

function addResult(s: SpecialistSession, r: AnomalyResult, seen: Set<string>, isAlarmMetric: boolean, alarm: AlarmView | undefined): void {
  const id = `${r.metric.namespace}|${r.metric.metric_name}|${JSON.stringify(r.metric.dimensions)}|${r.metric.expression ?? ''}`;
  if (seen.has(id)) return;
  seen.add(id);
  const resource = entityResource(r);
  const metricName = `${r.metric.namespace} ${r.metric.metric_name}`;
  const daily = r.recurs_daily && r.recurs_daily.matching_days >= Math.max(1, Math.ceil(r.recurs_daily.checked_days / 2)) ? r.recurs_daily : undefined;
  const weekly = !daily && r.recurs_weekly && r.recurs_weekly.matching_weeks >= Math.max(1, Math.ceil(r.recurs_weekly.checked_weeks / 2)) ? r.recurs_weekly : undefined;
  const recurs = daily ?? weekly;
  const recurrence = daily
    ? `; the same deviation occurred at this time on ${daily.matching_days} of the ${daily.checked_days} previous days`
    : weekly
      ? `; the same deviation occurred at this time on the same weekday (${weekday(r.peak?.timestamp ?? r.onset)}) in ${weekly.matching_weeks} of the ${weekly.checked_weeks} previous weeks`
      : '';
  if (!r.anomalous) {
    if (!isAlarmMetric) s.ok(`${metricName} for ${r.service ?? resource} is within its baseline (median ${fmt(r.baseline?.median, r.unit)})`, DETECT, resource);
    else s.ok(`the alarm's metric ${metricName} is within its baseline in the incident window`, DETECT, resource);
    return;
  }
  const harmful = r.concerning !== false;
  const peak = r.peak ? `, peak ${fmt(r.peak.value, r.unit)} at ${r.peak.timestamp}` : '';
  const summary = clip(
    `${metricName} for ${r.service ?? resource} went ${r.direction} from a baseline median of ${fmt(r.baseline?.median, r.unit)} to ${fmt(r.recent?.last ?? r.recent?.median, r.unit)} now (max ${fmt(r.recent?.max, r.unit)}${peak})${r.onset ? ` starting ${r.onset}` : ''}${recurrence}`,
    500,
  );
  const finding: Finding = {
    signal: 'metric-anomaly',
    resource,
    severity: !harmful ? 'info' : Math.abs(r.score) >= 10 || isAlarmMetric ? 'critical' : 'warning',
    summary,
    ...(r.onset ? { since: r.onset } : {}),
    ...(r.peak ? { until: r.peak.timestamp } : {}),
    evidence: [
      { source: DETECT, detail: summary, ...(r.onset ? { at: r.onset } : {}) },
      ...(isAlarmMetric && alarm?.condition ? [{ source: ALARMS, detail: clip(`alarm ${alarm.alarm_name}: ${alarm.condition}${alarm.state_reason ? ` — ${alarm.state_reason}` : ''}`, 500) }] : []),
    ],
    facts: {
      metric: clip(`${metricName}${Object.keys(r.metric.dimensions).length ? ` {${Object.entries(r.metric.dimensions).map(([k, v]) => `${k}=${v}`).join(', ')}}` : ''}`, 300),
      metricKind: KIND[r.metric_type ?? ''] ?? 'other',
      ...(r.direction !== 'none' ? { direction: r.direction } : {}),
      score: r.score,
      ...(r.baseline?.median !== undefined ? { baseline: r.baseline.median } : {}),
      // The current level (the window still holds samples from before the onset, so its median lags).
      ...(r.recent?.last !== undefined ? { value: r.recent.last } : r.recent?.median !== undefined ? { value: r.recent.median } : {}),
      ...(recurs ? { recurs: true, recursEvery: daily ? ('day' as const) : ('week' as const) } : {}),
      ...(isAlarmMetric ? { isAlarmMetric: true } : {}),
      ...(r.unit ? { unit: r.unit } : {}),
    },
  };
  s.add(finding);
  if (isAlarmMetric && recurs) {
    s.add({ ...finding, signal: 'metric-recurring', severity: 'info', summary: clip(`the alarm's metric deviates at this time of day regularly: ${summary}`, 500) });
  }
}
