/**
 * The metrics provider over CloudWatch: ListMetrics for the inventory (per configured namespace, Container
 * Insights narrowed to the cluster, recently active metrics only when the investigation is about the present),
 * GetMetricData for series (batched, paginated, ascending, each series' StatusCode kept; SEARCH expressions for
 * queries that leave a dimension value open), DescribeAlarms for alarms, and DescribeAlarmHistory to describe an
 * alarm that no longer exists (deleted or recreated since it fired) from its recorded configuration and state.
 * Results are the API's, reshaped to the port; classification and analysis happen above it.
 */
import {
  type AlarmHistoryItem,
  CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type Dimension,
  type DimensionFilter,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricAlarm,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { ToolError } from '../../tools/errors.ts';
import { investigationClock } from '../clock.ts';
import { createTtlCache } from '../aws/cache.ts';
import { awsClientSettings, envList } from '../aws/config.ts';
import { type Resilience, type ResilienceOptions, callAws, resolveResilience } from '../aws/retry.ts';
import { aggregateFunction, aggregatedSearch, hasOpenDimension, normalizePeriod } from './cloudwatch-search.ts';
import type { AvailableMetric, MetricAlarmInfo, MetricIdentity, MetricQuery, MetricSeries, MetricsProvider } from './port.ts';

const SERVICE = 'CloudWatch';
const HOUR = 3_600_000;

/** Namespaces an EKS workload's incidents usually show in, when METRIC_NAMESPACES is not set. */
export const DEFAULT_METRIC_NAMESPACES = ['ContainerInsights', 'AWS/ApplicationELB', 'AWS/NetworkELB', 'AWS/SQS', 'AWS/RDS', 'AWS/DynamoDB', 'AWS/ElastiCache'];

/**
 * ListMetrics says which metrics exist, not which statistics: CloudWatch computes any of these on request
 * (percentiles for metrics published as values, which is how Container Insights, ALB and custom EMF metrics are).
 */
export const LISTED_STATS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'];

/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES_PER_CALL = 500;
/** SEARCH expressions per call, kept well under the service's per-request search limits. */
const MAX_SEARCHES_PER_CALL = 50;

export interface CloudWatchMetricsOptions {
  client: CloudWatchClient;
  /** Namespaces listMetrics covers (a filter may name any other). */
  namespaces?: readonly string[];
  /** Narrows Container Insights metrics to this cluster. */
  clusterName?: string;
  /** The investigation clock: RecentlyActive is used only while it is close to the wall clock. */
  clock?: () => number;
  resilience?: ResilienceOptions;
  /** How long a metric listing is reused. */
  listTtlMs?: number;
  /** ListMetrics pages per namespace at most (500 metrics each). */
  maxListPages?: number;
  /** GetMetricData pages per batch at most. */
  maxDataPages?: number;
}

type ListFilter = Parameters<MetricsProvider['listMetrics']>[0];

/** The usual period of a metric, for the inventory; the tools choose coarser ones for long windows. */
function defaultPeriod(namespace: string, metricName: string): number {
  if (namespace === 'AWS/S3' && /^(BucketSizeBytes|NumberOfObjects)$/.test(metricName)) return 86_400;
  if (namespace === 'AWS/Billing') return 21_600;
  // Basic monitoring publishes EC2 (and EBS on older volumes) every 5 minutes.
  if (namespace === 'AWS/EC2' || namespace === 'AWS/EBS') return 300;
  return 60;
}

export function createCloudWatchMetricsProvider(options: CloudWatchMetricsOptions): MetricsProvider {
  const { client } = options;
  const resilience = resolveResilience(options.resilience);
  const wallNow = () => resilience.runtime.now();
  const namespaces = options.namespaces?.length ? [...options.namespaces] : DEFAULT_METRIC_NAMESPACES;
  const maxListPages = options.maxListPages ?? 20;
  const maxDataPages = options.maxDataPages ?? 20;
  const listCache = createTtlCache<string, AvailableMetric[]>(options.listTtlMs ?? 5 * 60_000, wallNow);

  const listNamespace = async (namespace: string, filter: NonNullable<ListFilter>): Promise<AvailableMetric[]> => {
    const dimensions: DimensionFilter[] = Object.entries(filter.dimensions ?? {}).map(([Name, v]) => (v === '' || v === '*' ? { Name } : { Name, Value: v }));
    if (namespace === 'ContainerInsights' && options.clusterName && !dimensions.some((d) => d.Name === 'ClusterName')) {
      dimensions.push({ Name: 'ClusterName', Value: options.clusterName });
    }
    // Only metrics with data in the last 3 hours, unless the investigation looks at an older moment: pods come and
    // go, and Container Insights keeps listing every pod's metrics for two weeks after it is gone.
    const recent = Math.abs(wallNow() - (options.clock ?? wallNow)()) < 2 * HOUR;
    const out: AvailableMetric[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await callAws(
        { service: SERVICE, action: 'cloudwatch:ListMetrics', resource: `namespace ${namespace}` },
        (abortSignal) =>
          client.send(
            new ListMetricsCommand({
              Namespace: namespace,
              ...(filter.metricName ? { MetricName: filter.metricName } : {}),
              ...(dimensions.length ? { Dimensions: dimensions.slice(0, 10) } : {}),
              ...(recent ? { RecentlyActive: 'PT3H' as const } : {}),
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
            { abortSignal },
          ),
        resilience,
      );
      for (const m of page.Metrics ?? []) {
        if (!m.Namespace || !m.MetricName) continue;
        out.push({
          namespace: m.Namespace,
          metricName: m.MetricName,
          dimensions: dimensionMap(m.Dimensions),
          stats: [...LISTED_STATS],
          period: defaultPeriod(m.Namespace, m.MetricName),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken && ++pages < maxListPages);
    return out;
  };

  return {
    async listMetrics(filter = {}) {
      const wanted = filter.namespace ? [filter.namespace] : namespaces;
      const key = JSON.stringify({ wanted, metricName: filter.metricName ?? null, dimensions: sortedEntries(filter.dimensions ?? {}) });
      const listed = await listCache.get(key, async () => {
        const seen = new Set<string>();
        const all: AvailableMetric[] = [];
        for (const ns of wanted) {
          for (const m of await listNamespace(ns, filter)) {
            const id = identityKey(m);
            if (seen.has(id)) continue;
            seen.add(id);
            all.push(m);
          }
        }
        return all;
      });
      return listed.map((m) => ({ ...m, dimensions: { ...m.dimensions }, stats: [...m.stats] }));
    },

    async getMetricData(queries, start, end) {
      if (!queries.length) return [];
      const periods = queries.map((q) => normalizePeriod(q.period, start, wallNow()));
      const requests: MetricDataQuery[] = queries.map((q, i) => toDataQuery(q, `q${i}`, periods[i]!));
      const results = new Map<string, Merged>();
      for (const batch of batches(requests)) await fetchBatch(client, resilience, batch, start, end, maxDataPages, results);
      return queries.map((q, i) => toSeries(q, periods[i]!, results.get(`q${i}`)));
    },

    async describeAlarms(filter = {}) {
      const names = filter.alarmNames?.filter(Boolean);
      const alarms: MetricAlarmInfo[] = [];
      for (const chunk of names?.length ? chunks(names, 100) : [undefined]) alarms.push(...(await describeAlarmPages(client, resilience, chunk, filter.stateValue)));
      if (names?.length) {
        const found = new Set(alarms.map((a) => a.alarmName));
        for (const name of names.filter((n) => !found.has(n)).slice(0, 10)) {
          const past = await alarmFromHistory(client, resilience, name);
          if (past && (filter.stateValue === undefined || past.stateValue === filter.stateValue)) alarms.push(past);
        }
      }
      return alarms;
    },
  };
}

function toDataQuery(q: MetricQuery, id: string, period: number): MetricDataQuery {
  if (hasOpenDimension(q)) {
    return {
      Id: id,
      Expression: aggregatedSearch(q, period),
      Label: `${aggregateFunction(q.stat)} of ${q.metricName} over the matching series`,
      Period: period,
      ReturnData: true,
    };
  }
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: period,
      Stat: q.stat,
    },
    ReturnData: true,
  };
}

/** Consecutive batches within the per-call limits on queries and SEARCH expressions. */
function batches(requests: readonly MetricDataQuery[]): MetricDataQuery[][] {
  const out: MetricDataQuery[][] = [];
  let current: MetricDataQuery[] = [];
  let searches = 0;
  for (const r of requests) {
    const search = r.Expression ? 1 : 0;
    if (current.length >= MAX_QUERIES_PER_CALL || searches + search > MAX_SEARCHES_PER_CALL) {
      out.push(current);
      current = [];
      searches = 0;
    }
    current.push(r);
    searches += search;
  }
  if (current.length) out.push(current);
  return out;
}

interface Merged {
  label?: string;
  points: Map<number, number>;
  statusCode?: string;
}

/** All pages of one GetMetricData call; a series spread over pages is joined by Id. */
async function fetchBatch(
  client: CloudWatchClient,
  resilience: Resilience,
  batch: MetricDataQuery[],
  start: number,
  end: number,
  maxPages: number,
  into: Map<string, Merged>,
): Promise<void> {
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await callAws(
      { service: SERVICE, action: 'cloudwatch:GetMetricData', resource: describeBatch(batch) },
      (abortSignal) =>
        client.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch,
            StartTime: new Date(start),
            EndTime: new Date(end),
            ScanBy: 'TimestampAscending',
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal },
        ),
      resilience,
    );
    for (const r of page.MetricDataResults ?? []) merge(into, r);
    nextToken = page.NextToken;
  } while (nextToken && ++pages < maxPages);
}

function merge(into: Map<string, Merged>, r: MetricDataResult): void {
  if (!r.Id) return;
  let m = into.get(r.Id);
  if (!m) into.set(r.Id, (m = { points: new Map() }));
  if (r.Label) m.label = r.Label;
  const timestamps = r.Timestamps ?? [];
  const values = r.Values ?? [];
  for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
    const t = new Date(timestamps[i]!).getTime();
    const v = values[i]!;
    if (Number.isFinite(t) && Number.isFinite(v)) m.points.set(t, v);
  }
  // The last page's status is the series' status: PartialData on a page means "more on the next one".
  if (r.StatusCode) m.statusCode = r.StatusCode;
}

function toSeries(q: MetricQuery, period: number, merged: Merged | undefined): MetricSeries {
  const points = [...(merged?.points.entries() ?? [])].sort((a, b) => a[0] - b[0]);
  return {
    metric: { namespace: q.namespace, metricName: q.metricName, dimensions: { ...q.dimensions } },
    stat: q.stat,
    period,
    label: merged?.label || q.metricName,
    timestamps: points.map(([t]) => t),
    values: points.map(([, v]) => v),
    statusCode: merged?.statusCode ?? 'Complete',
  };
}

function describeBatch(batch: readonly MetricDataQuery[]): string {
  const first = batch[0];
  const name = first?.MetricStat?.Metric ? `${first.MetricStat.Metric.Namespace}/${first.MetricStat.Metric.MetricName}` : 'a SEARCH expression';
  return batch.length > 1 ? `${batch.length} metrics (${name}, ...)` : name;
}

async function describeAlarmPages(client: CloudWatchClient, resilience: Resilience, names: string[] | undefined, stateValue: string | undefined): Promise<MetricAlarmInfo[]> {
  const out: MetricAlarmInfo[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await callAws(
      { service: SERVICE, action: 'cloudwatch:DescribeAlarms', resource: names ? `alarms ${names.join(', ')}` : 'the alarms of this account and region' },
      (abortSignal) =>
        client.send(
          new DescribeAlarmsCommand({
            ...(names ? { AlarmNames: names } : {}),
            ...(stateValue ? { StateValue: stateValue as 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' } : {}),
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: 100,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal },
        ),
      resilience,
    );
    for (const a of page.MetricAlarms ?? []) {
      const info = metricAlarmInfo(a);
      if (info) out.push(info);
    }
    for (const a of page.CompositeAlarms ?? []) {
      const info = compositeAlarmInfo(a);
      if (info) out.push(info);
    }
    nextToken = page.NextToken;
  } while (nextToken && ++pages < 20);
  return out;
}

function metricAlarmInfo(a: MetricAlarm): MetricAlarmInfo | null {
  if (!a.AlarmName) return null;
  let metric: MetricAlarmInfo['metric'];
  if (a.Namespace && a.MetricName) {
    metric = compact({
      namespace: a.Namespace,
      metricName: a.MetricName,
      dimensions: dimensionMap(a.Dimensions),
      stat: a.Statistic ?? a.ExtendedStatistic,
      period: a.Period,
    });
  } else {
    // A metric-math alarm: its first MetricStat is the metric it watches.
    const stat = a.Metrics?.find((m) => m.MetricStat?.Metric?.Namespace && m.MetricStat.Metric.MetricName)?.MetricStat;
    if (stat?.Metric) {
      metric = compact({
        namespace: stat.Metric.Namespace!,
        metricName: stat.Metric.MetricName!,
        dimensions: dimensionMap(stat.Metric.Dimensions),
        stat: stat.Stat,
        period: stat.Period,
      });
    }
  }
  return compact({
    alarmName: a.AlarmName,
    alarmArn: a.AlarmArn,
    description: a.AlarmDescription || undefined,
    stateValue: a.StateValue,
    stateReason: a.StateReason,
    stateUpdatedTimestamp: isoOf(a.StateUpdatedTimestamp),
    metric,
    threshold: a.Threshold,
    comparisonOperator: a.ComparisonOperator,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
  });
}

function compositeAlarmInfo(a: CompositeAlarm): MetricAlarmInfo | null {
  if (!a.AlarmName) return null;
  const description = [a.AlarmDescription, a.AlarmRule && `Composite rule: ${a.AlarmRule}`].filter(Boolean).join(' ') || undefined;
  return compact({
    alarmName: a.AlarmName,
    alarmArn: a.AlarmArn,
    description,
    stateValue: a.StateValue,
    stateReason: a.StateReason,
    stateUpdatedTimestamp: isoOf(a.StateUpdatedTimestamp),
  });
}

type Json = Record<string, unknown>;

/**
 * An alarm DescribeAlarms no longer knows, rebuilt from DescribeAlarmHistory: its newest configuration record
 * (created, updated or deleted alarm, camelCase JSON in HistoryData) and its newest state change. Undefined
 * when there is no history (a wrong name) or the history cannot be read: the alarm is then simply not found.
 */
async function alarmFromHistory(client: CloudWatchClient, resilience: Resilience, alarmName: string): Promise<MetricAlarmInfo | undefined> {
  let items: AlarmHistoryItem[];
  try {
    const page = await callAws(
      { service: SERVICE, action: 'cloudwatch:DescribeAlarmHistory', resource: `alarm ${alarmName}` },
      (abortSignal) => client.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName, ScanBy: 'TimestampDescending', MaxRecords: 50 }), { abortSignal }),
      resilience,
    );
    items = page.AlarmHistoryItems ?? [];
  } catch {
    return undefined;
  }
  let config: Json | undefined;
  let deleted = false;
  let state: { value?: string; reason?: string; at?: string } | undefined;
  for (const item of items) {
    const data = parseJson(item.HistoryData);
    if (!config && item.HistoryItemType === 'ConfigurationUpdate' && data) {
      const alarm = [data.deletedAlarm, data.updatedAlarm, data.createdAlarm].find(isObj);
      if (alarm) {
        config = alarm;
        deleted = data.type === 'Delete' || isObj(data.deletedAlarm);
      }
    }
    if (!state && item.HistoryItemType === 'StateUpdate' && data && isObj(data.newState)) {
      state = { value: str(data.newState.stateValue), reason: str(data.newState.stateReason), at: isoOf(item.Timestamp) };
    }
  }
  if (!config && !state) return undefined;
  const c = config ?? {};
  const dims = Array.isArray(c.dimensions) ? c.dimensions.map((d) => (isObj(d) ? { Name: str(d.name), Value: str(d.value) } : {})) : [];
  let metric: MetricAlarmInfo['metric'];
  const namespace = str(c.namespace);
  const metricName = str(c.metricName);
  if (namespace && metricName) {
    metric = compact({ namespace, metricName, dimensions: dimensionMap(dims), stat: str(c.statistic) ?? str(c.extendedStatistic), period: num(c.period) });
  }
  const note = deleted ? 'This alarm has been deleted; its definition and last state come from its history.' : 'This alarm is no longer listed; its definition and last state come from its history.';
  return compact({
    alarmName,
    alarmArn: str(c.alarmArn),
    description: [str(c.alarmDescription), note].filter(Boolean).join(' '),
    stateValue: state?.value,
    stateReason: state?.reason,
    stateUpdatedTimestamp: state?.at,
    metric,
    threshold: num(c.threshold),
    comparisonOperator: str(c.comparisonOperator),
    evaluationPeriods: num(c.evaluationPeriods),
    datapointsToAlarm: num(c.datapointsToAlarm),
  });
}

function dimensionMap(dimensions: ReadonlyArray<Partial<Dimension>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of dimensions ?? []) if (d.Name && d.Value !== undefined) out[d.Name] = d.Value;
  return out;
}

function identityKey(m: MetricIdentity): string {
  return `${m.namespace}\u0000${m.metricName}\u0000${sortedEntries(m.dimensions)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

function sortedEntries(record: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function isoOf(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = new Date(value).getTime();
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function parseJson(text: string | undefined): Json | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function isObj(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Drops undefined fields, so optional port fields are absent rather than present-and-undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * `METRICS_PROVIDER=cloudwatch`: METRIC_NAMESPACES (comma list; DEFAULT_METRIC_NAMESPACES when unset), and
 * EKS_CLUSTER_NAME when set to keep other clusters' Container Insights metrics out of the inventory.
 */
export function cloudWatchMetricsProviderFromEnv(env: NodeJS.ProcessEnv = process.env, clock?: () => number): MetricsProvider {
  const namespaces = envList(env.METRIC_NAMESPACES);
  if (env.METRIC_NAMESPACES !== undefined && !namespaces.length) {
    throw new ToolError('Internal', 'METRIC_NAMESPACES is set but lists no namespace (expected e.g. ContainerInsights,AWS/ApplicationELB)');
  }
  const clusterName = env.EKS_CLUSTER_NAME?.trim();
  return createCloudWatchMetricsProvider({
    client: new CloudWatchClient(awsClientSettings(env)),
    ...(namespaces.length ? { namespaces } : {}),
    ...(clusterName ? { clusterName } : {}),
    clock: clock ?? investigationClock(env),
  });
}
