/**
 * AWS SDK clients stubbed with aws-sdk-client-mock that answer from a recorded scenario, in the shapes the SDK
 * hands back for the real APIs (Dates where the SDK deserialises timestamps, opaque pagination tokens, the
 * service's exception classes): CloudWatch Logs (DescribeLogGroups, FilterLogEvents, StartQuery /
 * GetQueryResults / StopQuery), CloudWatch (ListMetrics, GetMetricData with MetricStat and SEARCH expressions,
 * DescribeAlarms, DescribeAlarmHistory) and S3 (ListObjectsV2, GetObject). Each stub is bound to one client
 * instance, so tests stay independent. Pages are small by default so that pagination is always exercised.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import {
  type AlarmHistoryItem,
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  type DescribeAlarmHistoryCommandInput,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
  type ListMetricsCommandInput,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type DescribeLogGroupsCommandInput,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  type FilteredLogEvent,
  GetQueryResultsCommand,
  type GetQueryResultsCommandInput,
  ResourceNotFoundException,
  StartQueryCommand,
  type StartQueryCommandInput,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, type GetObjectCommandInput, ListObjectsV2Command, type ListObjectsV2CommandInput, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT = '482919373350';
export const REGION = 'us-east-1';
/** Static credentials, so no test ever resolves real ones. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//sessiontoken+=' };
const clientConfig = { region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };

type Json = Record<string, unknown>;

function listJsonFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listJsonFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

const metadata = (httpStatusCode = 200) => ({ httpStatusCode, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 });

// ---------------------------------------------------------------------------------------------- CloudWatch Logs

export interface LogsReplayOptions {
  /** Events per FilterLogEvents page (the service: up to 10,000 or 1 MB). */
  pageSize?: number;
  /** GetQueryResults answers `Running` this many times before its final status. */
  runningPolls?: number;
  /** The status a query ends with (default Complete). */
  finalStatus?: 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';
  /** Groups that exist without recorded events. */
  extraGroups?: string[];
  /** More events for a group (a busy group, for volume tests). */
  extraEvents?: Record<string, FilteredLogEvent[]>;
}

/** An injected failure: the next `times` calls of the command (all, when absent) throw `error`. */
export interface InjectedFault {
  command: string;
  error: Error;
  times?: number;
}

function injector(faults: InjectedFault[]) {
  return (command: string) => {
    const fault = faults.find((f) => f.command === command && (f.times === undefined || f.times > 0));
    if (!fault) return;
    if (fault.times !== undefined) fault.times--;
    throw fault.error;
  };
}

export function replayCloudWatchLogs(scenarioDir: string, options: LogsReplayOptions = {}) {
  const pageSize = options.pageSize ?? 200;
  const byGroup = new Map<string, FilteredLogEvent[]>();
  for (const file of listJsonFiles(join(scenarioDir, 'cloudwatch', 'logs'))) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { logGroupName: string; events?: FilteredLogEvent[] };
    const list = byGroup.get(doc.logGroupName) ?? [];
    list.push(...(doc.events ?? []));
    byGroup.set(doc.logGroupName, list);
  }
  // CloudWatch keeps a group's events in time order; equal timestamps stay in the order they were put.
  for (const list of byGroup.values()) list.sort((a, b) => a.timestamp! - b.timestamp!);
  for (const [g, events] of Object.entries(options.extraEvents ?? {})) byGroup.set(g, [...(byGroup.get(g) ?? []), ...events]);
  for (const g of options.extraGroups ?? []) if (!byGroup.has(g)) byGroup.set(g, []);
  const faults: InjectedFault[] = [];
  const fail = injector(faults);

  const client = new CloudWatchLogsClient(clientConfig);
  const mock = mockClient(client);
  const queries = new Map<string, { input: StartQueryCommandInput; polls: number; rows: Array<Array<{ field: string; value: string }>> }>();
  const groupNames = () => [...byGroup.keys()].sort();
  const missing = () =>
    new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: metadata(400) });

  mock.on(DescribeLogGroupsCommand).callsFake((input: DescribeLogGroupsCommandInput) => {
    fail('DescribeLogGroups');
    const names = groupNames().filter((g) => g.startsWith(input.logGroupNamePrefix ?? ''));
    const offset = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0;
    const limit = input.limit ?? 50;
    const page = names.slice(offset, offset + limit);
    return {
      $metadata: metadata(),
      logGroups: page.map((logGroupName) => ({
        logGroupName,
        creationTime: 1_760_000_000_000,
        retentionInDays: 30,
        metricFilterCount: 0,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}:*`,
        logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}`,
        storedBytes: 1_048_576,
        logGroupClass: 'STANDARD',
      })),
      ...(offset + limit < names.length ? { nextToken: Buffer.from(String(offset + limit)).toString('base64') } : {}),
    };
  });

  mock.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
    fail('FilterLogEvents');
    const events = byGroup.get(input.logGroupName ?? '');
    if (!events) throw missing();
    const inWindow = events.filter((e) => e.timestamp! >= (input.startTime ?? 0) && e.timestamp! <= (input.endTime ?? Infinity));
    const offset = input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString().split(':')[1]) : 0;
    const size = Math.min(pageSize, input.limit ?? 10_000);
    const page = inWindow.slice(offset, offset + size);
    return {
      $metadata: metadata(),
      events: page.map((e) => ({ ...e })),
      searchedLogStreams: [],
      ...(offset + size < inWindow.length ? { nextToken: Buffer.from(`Bxkq6kVGFtq2y_Moigeqscgt:${offset + size}`).toString('base64') } : {}),
    };
  });

  mock.on(StartQueryCommand).callsFake((input: StartQueryCommandInput) => {
    fail('StartQuery');
    const groups = input.logGroupNames ?? [];
    const unknown = groups.find((g) => !byGroup.has(g));
    if (unknown) throw new ResourceNotFoundException({ message: `Log group '${unknown}' does not exist for account ID '${ACCOUNT}' (Service: CloudWatchLogs)`, $metadata: metadata(400) });
    const queryId = randomUUID();
    queries.set(queryId, { input, polls: 0, rows: runInsights(input, groups) });
    return { $metadata: metadata(), queryId };
  });

  const runInsights = (input: StartQueryCommandInput, groups: string[]) => {
    const query = input.queryString ?? '';
    const filter = /^\| filter @message like \/(.*)\/$/m.exec(query);
    let regex: RegExp | undefined;
    if (filter) {
      const source = filter[1]!;
      regex = source.startsWith('(?i)') ? new RegExp(source.slice(4), 'i') : new RegExp(source);
    }
    const limit = Number(/^\| limit (\d+)$/m.exec(query)?.[1] ?? 1000);
    const rows: Array<{ group: string; event: FilteredLogEvent }> = [];
    for (const group of groups) {
      for (const event of byGroup.get(group) ?? []) {
        const second = Math.floor(event.timestamp! / 1000);
        if (second < input.startTime! || second > input.endTime!) continue;
        if (regex && !regex.test(event.message ?? '')) continue;
        rows.push({ group, event });
      }
    }
    rows.sort((a, b) => a.event.timestamp! - b.event.timestamp!);
    // `sort @timestamp desc` walks the scan backwards: equal timestamps come out last-written first.
    if (/^\| sort @timestamp desc$/m.test(query)) rows.reverse();
    return rows.slice(0, limit).map(({ group, event }) => [
      { field: '@timestamp', value: new Date(event.timestamp!).toISOString().replace('T', ' ').replace('Z', '') },
      { field: '@message', value: event.message! },
      { field: '@logStream', value: event.logStreamName! },
      { field: '@log', value: `${ACCOUNT}:${group}` },
      { field: '@ptr', value: createHash('sha1').update(`${group}/${event.eventId ?? ''}/${event.timestamp}/${event.message}`).digest('base64') },
    ]);
  };

  mock.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsCommandInput) => {
    fail('GetQueryResults');
    const q = queries.get(input.queryId ?? '');
    if (!q) throw new ResourceNotFoundException({ message: 'Query does not exist.', $metadata: metadata(400) });
    q.polls++;
    const running = q.polls <= (options.runningPolls ?? 1);
    return {
      $metadata: metadata(),
      status: running ? 'Running' : (options.finalStatus ?? 'Complete'),
      results: running || (options.finalStatus ?? 'Complete') !== 'Complete' ? [] : q.rows,
      statistics: { recordsMatched: q.rows.length, recordsScanned: q.rows.length * 3, bytesScanned: q.rows.length * 900, estimatedRecordsSkipped: 0, estimatedBytesSkipped: 0, logGroupsScanned: q.input.logGroupNames?.length ?? 0 },
      encryptionKey: undefined,
    };
  });

  mock.on(StopQueryCommand).resolves({ $metadata: metadata(), success: true });

  return {
    client,
    mock,
    groups: groupNames,
    queries,
    faults,
    /** The group is deleted (after a provider may have listed it). */
    removeGroup: (name: string) => byGroup.delete(name),
  };
}

// --------------------------------------------------------------------------------------------------- CloudWatch

interface RecordedSeries {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: string;
  period: number;
  label: string;
  points: Map<number, number>;
}

export interface MetricsReplayOptions {
  /** Metrics per ListMetrics page (the service: 500). */
  listPageSize?: number;
  /** Datapoints per GetMetricData page (the service: 100,800). */
  dataPageSize?: number;
  history?: AlarmHistoryItem[];
}

const normStat = (s: string) => s.trim().toLowerCase().replace(/^(p\d+)\.0+$/, '$1');
const dimsKey = (d: Record<string, string>) =>
  Object.entries(d)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

function loadSeries(scenarioDir: string): RecordedSeries[] {
  const series = new Map<string, RecordedSeries>();
  for (const file of listJsonFiles(join(scenarioDir, 'cloudwatch', 'metrics'))) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    for (const doc of (Array.isArray(parsed) ? parsed : [parsed]) as Json[]) {
      const queries = new Map<string, MetricDataQuery>();
      for (const q of (doc.MetricDataQueries as MetricDataQuery[] | undefined) ?? []) if (q.Id && q.MetricStat) queries.set(q.Id, q);
      for (const r of (doc.MetricDataResults as Array<Json> | undefined) ?? []) {
        const q = queries.get(r.Id as string);
        const m = q?.MetricStat?.Metric;
        if (!q?.MetricStat || !m?.Namespace || !m.MetricName) continue;
        const dimensions = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
        const key = `${m.Namespace}|${m.MetricName}|${dimsKey(dimensions)}|${normStat(q.MetricStat.Stat!)}|${q.MetricStat.Period}`;
        let s = series.get(key);
        if (!s) {
          s = { namespace: m.Namespace, metricName: m.MetricName, dimensions, stat: q.MetricStat.Stat!, period: q.MetricStat.Period ?? 60, label: String(r.Label ?? m.MetricName), points: new Map() };
          series.set(key, s);
        }
        const ts = (r.Timestamps as string[]) ?? [];
        const vs = (r.Values as number[]) ?? [];
        ts.forEach((t, i) => s!.points.set(Date.parse(t), vs[i]!));
      }
    }
  }
  return [...series.values()];
}

function combine(stat: string, values: number[]): number {
  const s = normStat(stat);
  if (s === 'sum' || s === 'samplecount') return values.reduce((a, b) => a + b, 0);
  if (s === 'maximum' || /^p\d/.test(s)) return Math.max(...values);
  if (s === 'minimum') return Math.min(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Points of a recorded series at the requested period, as CloudWatch aggregates to coarser periods. */
function pointsAt(s: RecordedSeries, period: number, start: number, end: number): Array<[number, number]> {
  const buckets = new Map<number, number[]>();
  for (const [t, v] of s.points) {
    if (t < start || t >= end) continue;
    const b = Math.floor(t / (period * 1000)) * period * 1000;
    buckets.set(b, [...(buckets.get(b) ?? []), v]);
  }
  return [...buckets.entries()].map(([t, vs]) => [t, period === s.period ? vs[0]! : combine(s.stat, vs)] as [number, number]).sort((a, b) => a[0] - b[0]);
}

/** The recording best answering a period: the same, else the coarsest finer one, else the finest. */
function pickPeriod(candidates: RecordedSeries[], period: number): RecordedSeries | undefined {
  const finer = candidates.filter((c) => c.period <= period).sort((a, b) => b.period - a.period);
  return finer[0] ?? [...candidates].sort((a, b) => a.period - b.period)[0];
}

/** `FN(SEARCH('{ns,Dim} MetricName="x" Dim="v"', 'Stat', 60))` as the provider writes it. */
function parseSearch(expression: string) {
  const m = /^(SUM|AVG|MAX|MIN)\(SEARCH\('(.*)', '(.*)', (\d+)\)\)$/.exec(expression);
  if (!m) return null;
  const [, fn, search, stat, period] = m;
  const schema = /^\{([^}]*)\}\s*(.*)$/.exec(search!.replace(/\\'/g, "'"));
  if (!schema) return null;
  const names = schema[1]!.split(',').map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
  const terms = [...schema[2]!.matchAll(/(?:(\w+)=)?"((?:\\.|[^"\\])*)"/g)].map((t) => ({ name: t[1], value: t[2]!.replace(/\\(.)/g, '$1') }));
  return { fn: fn!, namespace: names[0]!, dimensionNames: names.slice(1), terms, stat: stat!, period: Number(period) };
}

export function replayCloudWatch(scenarioDir: string, options: MetricsReplayOptions = {}) {
  const recorded = loadSeries(scenarioDir);
  const alarmsDoc = (() => {
    try {
      return JSON.parse(readFileSync(join(scenarioDir, 'cloudwatch', 'alarms.json'), 'utf8')) as { MetricAlarms?: Json[]; CompositeAlarms?: Json[] };
    } catch {
      return {};
    }
  })();
  const client = new CloudWatchClient(clientConfig);
  const mock = mockClient(client);
  const faults: InjectedFault[] = [];
  const fail = injector(faults);

  const identities = (() => {
    const seen = new Map<string, { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }>();
    for (const s of recorded) {
      const key = `${s.namespace}|${s.metricName}|${dimsKey(s.dimensions)}`;
      if (!seen.has(key)) seen.set(key, { Namespace: s.namespace, MetricName: s.metricName, Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) });
    }
    return [...seen.values()];
  })();

  mock.on(ListMetricsCommand).callsFake((input: ListMetricsCommandInput) => {
    fail('ListMetrics');
    const matching = identities.filter(
      (m) =>
        (!input.Namespace || m.Namespace === input.Namespace) &&
        (!input.MetricName || m.MetricName === input.MetricName) &&
        (input.Dimensions ?? []).every((f) => m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))),
    );
    const offset = input.NextToken ? Number(input.NextToken.split('.')[1]) : 0;
    const size = options.listPageSize ?? 25;
    return {
      $metadata: metadata(),
      Metrics: matching.slice(offset, offset + size).map((m) => ({ ...m, Dimensions: m.Dimensions.map((d) => ({ ...d })) })),
      ...(offset + size < matching.length ? { NextToken: `lm.${offset + size}` } : {}),
    };
  });

  mock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    fail('GetMetricData');
    const start = new Date(input.StartTime!).getTime();
    const end = new Date(input.EndTime!).getTime();
    const full: Array<{ id: string; label: string; points: Array<[number, number]> }> = [];
    for (const q of input.MetricDataQueries ?? []) {
      if (q.MetricStat) {
        const m = q.MetricStat.Metric!;
        const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
        const same = recorded.filter((s) => s.namespace === m.Namespace && s.metricName === m.MetricName && dimsKey(s.dimensions) === dimsKey(dims));
        // CloudWatch computes any statistic from the raw data; a recording holds only some, so a statistic that
        // was not recorded is answered from one that was (the values are then approximate, the shape is not).
        const exact = same.filter((s) => normStat(s.stat) === normStat(q.MetricStat!.Stat!));
        const requested = q.MetricStat.Period!;
        const s = pickPeriod(exact.length ? exact : same, requested);
        full.push({ id: q.Id!, label: s?.label ?? m.MetricName!, points: s ? pointsAt(s, q.MetricStat.Period!, start, end) : [] });
      } else if (q.Expression) {
        const search = parseSearch(q.Expression);
        if (!search) throw Object.assign(new Error(`Unsupported expression: ${q.Expression}`), { name: 'ValidationError', $fault: 'client', $metadata: metadata(400) });
        const metricName = search.terms.find((t) => t.name === 'MetricName')?.value;
        const matches = recorded.filter(
          (s) =>
            s.namespace === search.namespace &&
            s.metricName === metricName &&
            normStat(s.stat) === normStat(search.stat) &&
            Object.keys(s.dimensions).sort().join(',') === [...search.dimensionNames].sort().join(',') &&
            search.terms.every((t) => t.name === 'MetricName' || (t.name ? s.dimensions[t.name] === t.value : Object.values(s.dimensions).includes(t.value))),
        );
        const byTime = new Map<number, number[]>();
        for (const s of matches) for (const [t, v] of pointsAt(s, search.period, start, end)) byTime.set(t, [...(byTime.get(t) ?? []), v]);
        const fn = { SUM: 'Sum', MAX: 'Maximum', MIN: 'Minimum', AVG: 'Average' }[search.fn]!;
        full.push({ id: q.Id!, label: q.Label ?? '', points: [...byTime.entries()].map(([t, vs]) => [t, combine(fn, vs)] as [number, number]) });
      }
    }
    // MaxDatapoints per call: a series cut at the page's budget is PartialData, continued on the next page.
    const descending = input.ScanBy !== 'TimestampAscending';
    for (const s of full) s.points.sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
    let skip = input.NextToken ? Number(input.NextToken.split('.')[1]) : 0;
    let budget = options.dataPageSize ?? 150;
    let consumed = skip;
    const results: MetricDataResult[] = [];
    for (const s of full) {
      const from = Math.min(skip, s.points.length);
      skip -= from;
      const take = Math.min(budget, s.points.length - from);
      const slice = s.points.slice(from, from + take);
      budget -= take;
      consumed += take;
      results.push({ Id: s.id, Label: s.label, Timestamps: slice.map(([t]) => new Date(t)), Values: slice.map(([, v]) => v), StatusCode: from + take < s.points.length ? 'PartialData' : 'Complete' });
    }
    const total = full.reduce((n, s) => n + s.points.length, 0);
    return { $metadata: metadata(), MetricDataResults: results, Messages: [], ...(consumed < total ? { NextToken: `gmd.${consumed}` } : {}) };
  });

  const asDates = (a: Json): Json => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, /Timestamp$/.test(k) && typeof v === 'string' ? new Date(v) : v]));
  mock.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
    fail('DescribeAlarms');
    const keep = (a: Json) => (!input.AlarmNames?.length || input.AlarmNames.includes(a.AlarmName as string)) && (!input.StateValue || a.StateValue === input.StateValue);
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    return {
      $metadata: metadata(),
      MetricAlarms: types.includes('MetricAlarm') ? (alarmsDoc.MetricAlarms ?? []).filter(keep).map(asDates) : [],
      CompositeAlarms: types.includes('CompositeAlarm') ? (alarmsDoc.CompositeAlarms ?? []).filter(keep).map(asDates) : [],
    };
  });

  mock.on(DescribeAlarmHistoryCommand).callsFake((input: DescribeAlarmHistoryCommandInput) => {
    fail('DescribeAlarmHistory');
    return { $metadata: metadata(), AlarmHistoryItems: (options.history ?? []).filter((h) => !input.AlarmName || h.AlarmName === input.AlarmName) };
  });

  return { client, mock, recorded, faults };
}

// ------------------------------------------------------------------------------------------------------------ S3

export interface S3ReplayOptions {
  bucket: string;
  /** Key prefix the files are stored under. */
  prefix: string;
  /** Keys per ListObjectsV2 page at most (the service: MaxKeys, up to 1,000). */
  pageSize?: number;
}

/** A GetObject Body as the SDK gives it on Node: a Readable with the stream mixin's transformToString. */
function body(text: string) {
  return Object.assign(Readable.from([Buffer.from(text, 'utf8')]), {
    transformToString: async (encoding = 'utf-8') => Buffer.from(text, 'utf8').toString(encoding as BufferEncoding),
    transformToByteArray: async () => new Uint8Array(Buffer.from(text, 'utf8')),
  });
}

export function replayS3(dir: string, options: S3ReplayOptions) {
  const objects = new Map<string, { text: string; lastModified: Date }>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else objects.set(`${options.prefix}${relative(dir, path)}`, { text: readFileSync(path, 'utf8'), lastModified: new Date('2026-02-01T09:00:00Z') });
    }
  };
  walk(dir);
  const etag = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;
  const client = new S3Client(clientConfig);
  const mock = mockClient(client);
  const faults: InjectedFault[] = [];
  const fail = injector(faults);

  mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    fail('ListObjectsV2');
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix ?? '')).sort();
    const offset = input.ContinuationToken ? Number(Buffer.from(input.ContinuationToken, 'base64').toString()) : 0;
    const size = Math.min(input.MaxKeys ?? 1000, options.pageSize ?? 1000);
    const page = keys.slice(offset, offset + size);
    const truncated = offset + size < keys.length;
    return {
      $metadata: metadata(),
      Name: input.Bucket,
      Prefix: input.Prefix,
      MaxKeys: input.MaxKeys ?? 1000,
      KeyCount: page.length,
      IsTruncated: truncated,
      Contents: page.map((Key) => {
        const o = objects.get(Key)!;
        return { Key, LastModified: o.lastModified, ETag: etag(o.text), Size: Buffer.byteLength(o.text), StorageClass: 'STANDARD' as const };
      }),
      ...(truncated ? { NextContinuationToken: Buffer.from(String(offset + size)).toString('base64') } : {}),
      ...(input.ContinuationToken ? { ContinuationToken: input.ContinuationToken } : {}),
    };
  });

  mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    fail(`GetObject ${input.Key}`);
    fail('GetObject');
    const o = objects.get(input.Key ?? '');
    if (!o) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: metadata(404) });
    return {
      $metadata: metadata(),
      Body: body(o.text),
      ContentLength: Buffer.byteLength(o.text),
      ContentType: 'text/markdown',
      ETag: etag(o.text),
      LastModified: o.lastModified,
      AcceptRanges: 'bytes',
    };
  });

  return {
    client,
    mock,
    objects,
    faults,
    put(key: string, text: string) {
      objects.set(key, { text, lastModified: new Date() });
    },
  };
}
