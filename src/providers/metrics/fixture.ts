/**
 * The metrics provider over a recorded scenario: `cloudwatch/metrics/*.json` hold GetMetricData requests and
 * responses (`MetricDataQueries` + `MetricDataResults`, matched by `Id`), `cloudwatch/alarms.json` a DescribeAlarms
 * response. Parsed the way the API and its CLIs write them: dimensions as Name/Value lists or maps, timestamps in
 * any ISO form (or epoch numbers) and either order, one metric's pages split across results or files. No
 * derivation here: queries are answered by namespace, metric name, exact dimension set and statistic.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseInstant } from '../../domain/time.ts';
import { readScenarioJson } from '../fixture/scenario.ts';
import type { AvailableMetric, MetricAlarmInfo, MetricIdentity, MetricQuery, MetricSeries, MetricsProvider } from './port.ts';

type Json = Record<string, unknown>;

interface RecordedSeries {
  metric: MetricIdentity;
  stat: string;
  period: number;
  label: string;
  points: Map<number, number>;
  statusCodes: string[];
}

interface Recording {
  series: RecordedSeries[];
  alarms: MetricAlarmInfo[];
}

export function createFixtureMetricsProvider(scenarioDir: string): MetricsProvider {
  let loading: Promise<Recording> | undefined;
  const recording = () => (loading ??= loadRecording(scenarioDir));

  return {
    async listMetrics(filter = {}) {
      const byIdentity = new Map<string, AvailableMetric>();
      for (const s of (await recording()).series) {
        if (filter.namespace !== undefined && s.metric.namespace !== filter.namespace) continue;
        if (filter.metricName !== undefined && s.metric.metricName !== filter.metricName) continue;
        if (filter.dimensions && !dimensionsMatch(s.metric.dimensions, filter.dimensions)) continue;
        const key = identityKey(s.metric);
        const existing = byIdentity.get(key);
        if (!existing) byIdentity.set(key, { ...cloneIdentity(s.metric), stats: [s.stat], period: s.period });
        else {
          if (!existing.stats.includes(s.stat)) existing.stats.push(s.stat);
          existing.period = Math.min(existing.period, s.period);
        }
      }
      return [...byIdentity.values()];
    },

    async getMetricData(queries, start, end) {
      const { series } = await recording();
      return queries.map((q) => answer(series, q, start, end));
    },

    async describeAlarms(filter = {}) {
      const { alarms } = await recording();
      return alarms.filter(
        (a) =>
          (!filter.alarmNames?.length || filter.alarmNames.includes(a.alarmName)) &&
          (filter.stateValue === undefined || a.stateValue === filter.stateValue),
      );
    },
  };
}

function answer(recorded: readonly RecordedSeries[], q: MetricQuery, start: number, end: number): MetricSeries {
  const stat = normalizeStat(q.stat);
  const candidates = recorded.filter(
    (s) =>
      s.metric.namespace === q.namespace &&
      s.metric.metricName === q.metricName &&
      normalizeStat(s.stat) === stat &&
      sameDimensions(s.metric.dimensions, q.dimensions),
  );
  // Several recordings at different periods: the one asked for, else the finest.
  const hit = candidates.find((s) => s.period === q.period) ?? [...candidates].sort((a, b) => a.period - b.period)[0];
  const metric = { namespace: q.namespace, metricName: q.metricName, dimensions: { ...q.dimensions } };
  if (!hit) return { metric, stat: q.stat, period: q.period ?? 60, label: q.metricName, timestamps: [], values: [], statusCode: 'Complete' };
  const points = [...hit.points.entries()].filter(([t]) => t >= start && t <= end).sort((a, b) => a[0] - b[0]);
  return {
    metric,
    stat: hit.stat,
    period: hit.period,
    label: hit.label,
    timestamps: points.map(([t]) => t),
    values: points.map(([, v]) => v),
    // A later page's Complete supersedes an earlier PartialData.
    statusCode: hit.statusCodes.includes('Complete') ? 'Complete' : (hit.statusCodes[0] ?? 'Complete'),
  };
}

async function loadRecording(dir: string): Promise<Recording> {
  const cw = join(dir, 'cloudwatch');
  const files = await jsonFiles(join(cw, 'metrics'));
  const docs: Array<{ file: string; doc: Json }> = [];
  for (const file of files) {
    const parsed = await readScenarioJson<unknown>(file);
    for (const doc of Array.isArray(parsed) ? parsed : [parsed]) if (isObj(doc)) docs.push({ file: relative(dir, file), doc });
  }
  const series = collectSeries(docs);
  const alarmsDoc = await readScenarioJson<unknown>(join(cw, 'alarms.json'));
  const alarms = parseAlarms(alarmsDoc);
  const trigger = await readScenarioJson<unknown>(join(dir, 'scenario.json'));
  const fromTrigger = alarmFromTrigger(trigger);
  if (fromTrigger && !alarms.some((a) => a.alarmName === fromTrigger.alarmName)) alarms.push(fromTrigger);
  return { series, alarms };
}

async function jsonFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsonFiles(path)));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(path);
  }
  return out;
}

interface ParsedQuery {
  metric: MetricIdentity;
  stat: string;
  period?: number;
  label?: string;
}

/** Joins results to their queries by Id (within the file first, then across files when the Id is unique). */
function collectSeries(docs: ReadonlyArray<{ file: string; doc: Json }>): RecordedSeries[] {
  const global = new Map<string, ParsedQuery | null>();
  const perDoc = docs.map(({ doc }) => {
    const queries = new Map<string, ParsedQuery>();
    for (const q of arrayField(doc, 'MetricDataQueries')) {
      const parsed = parseQuery(q);
      const id = str(field(q, 'Id'));
      if (!parsed || id === undefined) continue;
      queries.set(id, parsed);
      global.set(id, global.has(id) && !sameQuery(global.get(id), parsed) ? null : parsed);
    }
    return queries;
  });
  const store = new Map<string, RecordedSeries>();
  docs.forEach(({ doc }, i) => {
    for (const r of arrayField(doc, 'MetricDataResults')) {
      const id = str(field(r, 'Id'));
      if (id === undefined) continue;
      const query = perDoc[i]!.get(id) ?? global.get(id) ?? undefined;
      if (!query) continue;
      const timestamps = arrayField(r, 'Timestamps');
      const values = arrayField(r, 'Values');
      const points: Array<[number, number]> = [];
      for (let j = 0; j < Math.min(timestamps.length, values.length); j++) {
        const t = toEpochMs(timestamps[j]);
        const v = typeof values[j] === 'number' ? (values[j] as number) : Number(values[j]);
        if (t !== null && Number.isFinite(v)) points.push([t, v]);
      }
      const period = query.period ?? inferPeriod(points.map(([t]) => t));
      const key = `${identityKey(query.metric)}\u0000${normalizeStat(query.stat)}\u0000${period}`;
      let s = store.get(key);
      if (!s) {
        s = { metric: query.metric, stat: query.stat, period, label: str(field(r, 'Label')) ?? query.label ?? query.metric.metricName, points: new Map(), statusCodes: [] };
        store.set(key, s);
      }
      for (const [t, v] of points) if (!s.points.has(t)) s.points.set(t, v);
      const code = str(field(r, 'StatusCode'));
      if (code) s.statusCodes.push(code);
    }
  });
  return [...store.values()];
}

function parseQuery(q: unknown): ParsedQuery | null {
  const ms = field(q, 'MetricStat');
  const metric = field(ms, 'Metric');
  const namespace = str(field(metric, 'Namespace'));
  const metricName = str(field(metric, 'MetricName'));
  const stat = str(field(ms, 'Stat'));
  if (!namespace || !metricName || !stat) return null;
  const period = num(field(ms, 'Period'));
  const label = str(field(q, 'Label'));
  return {
    metric: { namespace, metricName, dimensions: parseDimensions(field(metric, 'Dimensions')) },
    stat,
    ...(period !== undefined && period > 0 ? { period } : {}),
    ...(label ? { label } : {}),
  };
}

function sameQuery(a: ParsedQuery | null | undefined, b: ParsedQuery): boolean {
  return !!a && identityKey(a.metric) === identityKey(b.metric) && normalizeStat(a.stat) === normalizeStat(b.stat) && a.period === b.period;
}

/** Dimensions as `[{Name, Value}]` (the API) or `{Name: Value}` (EventBridge, hand-written files). */
export function parseDimensions(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const d of value) {
      const name = str(field(d, 'Name'));
      const v = field(d, 'Value');
      if (name && (typeof v === 'string' || typeof v === 'number')) out[name] = String(v);
    }
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  return out;
}

/** ISO instants in any production form; epoch seconds or milliseconds as numbers. */
function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const t = parseInstant(value);
    if (t !== null) return t;
    return /^\d{9,14}(\.\d+)?$/.test(value) ? toEpochMs(Number(value)) : null;
  }
  return null;
}

function inferPeriod(timestamps: number[]): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!).filter((g) => g > 0).sort((a, b) => a - b);
  return gaps.length ? Math.max(1, Math.round(gaps[gaps.length >> 1]! / 1000)) : 60;
}

function parseAlarms(doc: unknown): MetricAlarmInfo[] {
  const out: MetricAlarmInfo[] = [];
  for (const a of arrayField(doc, 'MetricAlarms')) {
    const alarmName = str(field(a, 'AlarmName'));
    if (!alarmName) continue;
    out.push(compact({
      alarmName,
      alarmArn: str(field(a, 'AlarmArn')),
      description: str(field(a, 'AlarmDescription')),
      stateValue: str(field(a, 'StateValue')),
      stateReason: str(field(a, 'StateReason')),
      stateUpdatedTimestamp: instantText(field(a, 'StateUpdatedTimestamp')),
      metric: alarmMetric(a),
      threshold: num(field(a, 'Threshold')),
      comparisonOperator: str(field(a, 'ComparisonOperator')),
      evaluationPeriods: num(field(a, 'EvaluationPeriods')),
      datapointsToAlarm: num(field(a, 'DatapointsToAlarm')),
    }));
  }
  for (const a of arrayField(doc, 'CompositeAlarms')) {
    const alarmName = str(field(a, 'AlarmName'));
    if (!alarmName) continue;
    out.push(compact({
      alarmName,
      alarmArn: str(field(a, 'AlarmArn')),
      description: [str(field(a, 'AlarmDescription')), str(field(a, 'AlarmRule')) && `Composite rule: ${str(field(a, 'AlarmRule'))}`].filter(Boolean).join(' ') || undefined,
      stateValue: str(field(a, 'StateValue')),
      stateReason: str(field(a, 'StateReason')),
      stateUpdatedTimestamp: instantText(field(a, 'StateUpdatedTimestamp')),
    }));
  }
  return out;
}

/** A single-metric alarm's metric, or the first MetricStat of a metric-math alarm. */
function alarmMetric(a: unknown): MetricAlarmInfo['metric'] {
  const namespace = str(field(a, 'Namespace'));
  const metricName = str(field(a, 'MetricName'));
  if (namespace && metricName) {
    return compact({
      namespace,
      metricName,
      dimensions: parseDimensions(field(a, 'Dimensions')),
      stat: str(field(a, 'Statistic')) ?? str(field(a, 'ExtendedStatistic')),
      period: num(field(a, 'Period')),
    });
  }
  for (const m of arrayField(a, 'Metrics')) {
    const parsed = parseQuery(m);
    if (parsed) return compact({ ...parsed.metric, stat: parsed.stat, period: parsed.period });
  }
  return undefined;
}

/**
 * The triggering alarm as its EventBridge event describes it, for scenarios without an alarms.json entry: the
 * event carries the alarm's name, state, description and metric (not its threshold).
 */
function alarmFromTrigger(scenario: unknown): MetricAlarmInfo | undefined {
  const trigger = field(scenario, 'trigger');
  const detail = field(field(trigger, 'event'), 'detail');
  const alarmName = str(field(detail, 'alarmName'));
  if (!alarmName) return undefined;
  const state = field(detail, 'state');
  const configuration = field(detail, 'configuration');
  let metric: MetricAlarmInfo['metric'];
  for (const m of arrayField(configuration, 'metrics')) {
    const stat = field(m, 'metricStat');
    const id = field(stat, 'metric');
    const namespace = str(field(id, 'namespace'));
    const metricName = str(field(id, 'name'));
    if (namespace && metricName) {
      metric = compact({ namespace, metricName, dimensions: parseDimensions(field(id, 'dimensions')), stat: str(field(stat, 'stat')), period: num(field(stat, 'period')) });
      break;
    }
  }
  return compact({
    alarmName,
    alarmArn: (field(field(trigger, 'event'), 'resources') as unknown[] | undefined)?.find((r): r is string => typeof r === 'string' && r.includes(':alarm:')),
    description: str(field(configuration, 'description')),
    stateValue: str(field(state, 'value')),
    stateReason: str(field(state, 'reason')),
    stateUpdatedTimestamp: instantText(field(state, 'timestamp')),
    metric,
  });
}

function instantText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const t = toEpochMs(value);
  return t === null ? undefined : new Date(t).toISOString();
}

function dimensionsMatch(actual: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([k, v]) => k in actual && (v === '' || v === '*' || actual[k] === v));
}

function sameDimensions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

function identityKey(m: MetricIdentity): string {
  const dims = Object.entries(m.dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${m.namespace}\u0000${m.metricName}\u0000${dims}`;
}

function cloneIdentity(m: MetricIdentity): MetricIdentity {
  return { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions } };
}

/** `p99`, `P99` and `p99.0` are one statistic; `Avg`-style spellings are left alone (the API rejects them). */
function normalizeStat(stat: string): string {
  return stat.trim().toLowerCase().replace(/^(p\d+)\.0+$/, '$1');
}

function isObj(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A field by its API (PascalCase) name, also accepting camelCase as some SDK serialisations write it. */
function field(obj: unknown, name: string): unknown {
  if (!isObj(obj)) return undefined;
  if (name in obj) return obj[name];
  const camel = name[0]!.toLowerCase() + name.slice(1);
  return obj[camel];
}

function arrayField(obj: unknown, name: string): unknown[] {
  const v = field(obj, name);
  return Array.isArray(v) ? v : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Drops undefined fields, so optional port fields are absent rather than present-and-undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
