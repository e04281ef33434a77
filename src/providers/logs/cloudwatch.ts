/**
 * The logs provider over CloudWatch Logs. Log groups: the cluster's Container Insights groups
 * (`/aws/containerinsights/<cluster>/{application,dataplane,host}`) plus LOG_GROUPS (names, or prefixes ending in
 * `*`), of which those that exist (DescribeLogGroups) are served.
 *
 * Events come back raw (FilteredLogEvent-shaped), newest kept when there are more than the limit:
 * - windows up to `filterWindowMs` are read with FilterLogEvents, in time slices from the newest backwards, so
 *   events keep CloudWatch's exact order (lines of one stack trace often share a millisecond) and no Insights
 *   query slot is used; when its page or time budget runs out, Logs Insights takes over;
 * - longer windows run a Logs Insights query (`sort @timestamp desc | limit`), repeated backwards from the
 *   oldest row when a page is full, and fall back to FilterLogEvents when the query itself fails.
 * Faults become tool errors: a missing group is NotFound naming it, denials AccessDenied naming the action,
 * throttling (including too many concurrent Insights queries) is retried and then Throttled, a query that
 * does not finish within the budget is stopped and reported as Timeout.
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  type FilteredLogEvent,
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ToolError } from '../../tools/errors.ts';
import { createTtlCache } from '../aws/cache.ts';
import { awsClientSettings, envList } from '../aws/config.ts';
import type { AwsCallContext } from '../aws/errors.ts';
import { type Resilience, type ResilienceOptions, callAws, resolveResilience } from '../aws/retry.ts';
import { INSIGHTS_MAX_GROUPS, INSIGHTS_MAX_ROWS, buildInsightsQuery, parseInsightsRow } from './cloudwatch-insights.ts';
import type { LogEventRecord, LogQuery, LogQueryResult, LogsProvider } from './port.ts';

const SERVICE = 'CloudWatch Logs';
const MINUTE = 60_000;

export const CONTAINER_INSIGHTS_LOG_KINDS = ['application', 'dataplane', 'host'] as const;

export function containerInsightsLogGroups(cluster: string): string[] {
  return CONTAINER_INSIGHTS_LOG_KINDS.map((kind) => `/aws/containerinsights/${cluster}/${kind}`);
}

export interface CloudWatchLogsOptions {
  client: CloudWatchLogsClient;
  /** The EKS cluster whose Container Insights groups are searched. */
  clusterName?: string;
  /** More groups: full names, or prefixes ending in `*`. */
  logGroups?: readonly string[];
  resilience?: ResilienceOptions;
  /** Windows up to this length use FilterLogEvents first. */
  filterWindowMs?: number;
  /** One queryEvents call's time budget (an Insights query still running then is stopped). */
  queryBudgetMs?: number;
  /** FilterLogEvents pages one call reads at most. */
  maxFilterPages?: number;
  /** Insights queries per group batch one call runs at most (each returns up to 10,000 rows). */
  maxInsightsQueries?: number;
  /** How long the list of existing groups is reused. */
  groupsTtlMs?: number;
}

interface Collected {
  events: LogEventRecord[];
  truncated: boolean;
  /** The budget ran out before the window was covered. */
  exhausted: boolean;
}

class InsightsQueryFailed extends Error {
  override readonly name = 'InsightsQueryFailed';
  constructor(readonly status: string) {
    super(`the Logs Insights query ended with status ${status}`);
  }
}

export function createCloudWatchLogsProvider(options: CloudWatchLogsOptions): LogsProvider {
  const { client } = options;
  const resilience = resolveResilience(options.resilience);
  const now = () => resilience.runtime.now();
  const filterWindowMs = options.filterWindowMs ?? 15 * MINUTE;
  const queryBudgetMs = options.queryBudgetMs ?? 30_000;
  const maxFilterPages = options.maxFilterPages ?? 25;
  const maxInsightsQueries = options.maxInsightsQueries ?? 6;

  const ciGroups = options.clusterName ? containerInsightsLogGroups(options.clusterName) : [];
  const extra = (options.logGroups ?? []).map((g) => g.trim()).filter(Boolean);
  const prefixes = extra.filter((g) => g.endsWith('*')).map((g) => g.replace(/\*+$/, '')).filter(Boolean);
  const exactNames = [...new Set([...ciGroups, ...extra.filter((g) => !g.endsWith('*'))])];
  if (!exactNames.length && !prefixes.length) {
    throw new ToolError('Internal', 'The CloudWatch Logs provider has no log groups: set EKS_CLUSTER_NAME (Container Insights groups) or LOG_GROUPS');
  }
  const configuredText = [...exactNames, ...prefixes.map((p) => `${p}*`)].join(', ');
  const groupsCache = createTtlCache<string, string[]>(options.groupsTtlMs ?? 5 * MINUTE, now);

  const describe = async (prefix: string, firstPageOnly: boolean): Promise<string[]> => {
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await callAws(
        { service: SERVICE, action: 'logs:DescribeLogGroups', resource: `log groups named ${prefix}*` },
        (abortSignal) => client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, limit: 50, ...(nextToken ? { nextToken } : {}) }), { abortSignal }),
        resilience,
      );
      for (const g of page.logGroups ?? []) if (g.logGroupName) names.push(g.logGroupName);
      nextToken = page.nextToken;
      // Groups come sorted by name, so an exact name is on the first page of its own prefix.
    } while (nextToken && !firstPageOnly && ++pages < 20);
    return names;
  };

  const existingGroups = (): Promise<string[]> =>
    groupsCache.get('groups', async () => {
      const found = new Set<string>();
      try {
        if (options.clusterName) {
          const existing = await describe(`/aws/containerinsights/${options.clusterName}/`, false);
          for (const g of existing) if (ciGroups.includes(g)) found.add(g);
        }
        for (const name of exactNames.filter((n) => !ciGroups.includes(n))) if ((await describe(name, true)).includes(name)) found.add(name);
        for (const prefix of prefixes) for (const g of await describe(prefix, false)) found.add(g);
      } catch (error) {
        // A role allowed to read its groups but not to list them (DescribeLogGroups is authorized per account)
        // can still search the configured names; prefixes cannot be expanded then.
        if (error instanceof ToolError && error.type === 'AccessDenied') return [...exactNames].sort();
        throw error;
      }
      return [...found].sort();
    });

  /** The groups of `candidates` that do not exist, for a NotFound that names them. */
  const missingOf = async (candidates: readonly string[]): Promise<string[]> => {
    if (candidates.length === 1) return [...candidates];
    const missing: string[] = [];
    for (const g of candidates) {
      try {
        if (!(await describe(g, true)).includes(g)) missing.push(g);
      } catch {
        return [...candidates];
      }
    }
    return missing.length ? missing : [...candidates];
  };

  const notFound = async (error: unknown, groups: readonly string[]): Promise<unknown> => {
    if (!(error instanceof ToolError) || error.type !== 'NotFound') return error;
    groupsCache.clear();
    const missing = await missingOf(groups);
    return new ToolError('NotFound', `CloudWatch Logs has no log group ${missing.map((g) => `'${g}'`).join(', ')} in this account and region`);
  };

  const filterPath = (groups: readonly string[], query: LogQuery, limit: number, deadline: number) =>
    readWithFilterLogEvents({ client, resilience, groups, query, limit, deadline, maxPages: maxFilterPages, notFound });

  const insightsPath = (groups: readonly string[], query: LogQuery, limit: number, deadline: number) =>
    readWithInsights({ client, resilience, groups, query, limit, deadline, maxQueries: maxInsightsQueries, notFound });

  return {
    async listLogGroups() {
      return [...(await existingGroups())];
    },

    async queryEvents(query: LogQuery): Promise<LogQueryResult> {
      const limit = Math.max(0, Math.floor(query.limit));
      const groups = query.logGroupNames?.length ? [...new Set(query.logGroupNames)] : await existingGroups();
      if (!groups.length) {
        throw new ToolError(
          'NotFound',
          `None of the configured log groups exist (${configuredText})${options.clusterName ? `: enable Container Insights on cluster ${options.clusterName} or set LOG_GROUPS` : ''}`,
        );
      }
      if (limit === 0 || query.end < query.start) return { events: [], truncated: false };
      const deadline = now() + queryBudgetMs;
      let collected: Collected;
      if (query.end - query.start <= filterWindowMs) {
        collected = await filterPath(groups, query, limit, deadline);
        // Too much for the page budget: Insights selects the newest events server-side.
        if (collected.exhausted && deadline - now() > 5_000) {
          try {
            collected = await insightsPath(groups, query, limit, deadline);
          } catch (error) {
            // The newest part of the window is already in hand: a failed or busy Insights keeps it (truncated).
            const passing = error instanceof ToolError && error.retryable;
            if (!(error instanceof InsightsQueryFailed) && !passing) throw error;
          }
        }
      } else {
        try {
          collected = await insightsPath(groups, query, limit, deadline);
        } catch (error) {
          if (!(error instanceof InsightsQueryFailed)) throw error;
          collected = await filterPath(groups, query, limit, Math.max(deadline, now() + 10_000));
        }
      }
      return finish(collected, query, limit);
    },
  };
}

/** In the window, matching the hints, ascending (stable: equal timestamps keep their order), newest `limit` kept. */
function finish(collected: Collected, query: LogQuery, limit: number): LogQueryResult {
  const needles = query.anyOf?.map((s) => s.toLowerCase()).filter(Boolean);
  const events = collected.events.filter(
    (e) => e.timestamp >= query.start && e.timestamp <= query.end && (!needles?.length || needles.some((n) => e.message.toLowerCase().includes(n))),
  );
  events.sort((a, b) => a.timestamp - b.timestamp);
  if (events.length > limit) return { events: events.slice(events.length - limit), truncated: true };
  return { events, truncated: collected.truncated };
}

interface ReadInput {
  client: CloudWatchLogsClient;
  resilience: Resilience;
  groups: readonly string[];
  query: LogQuery;
  limit: number;
  deadline: number;
  notFound: (error: unknown, groups: readonly string[]) => Promise<unknown>;
}

function toRecord(logGroupName: string, e: FilteredLogEvent): LogEventRecord | null {
  if (typeof e.timestamp !== 'number' || typeof e.message !== 'string') return null;
  const record: LogEventRecord = { logGroupName, logStreamName: e.logStreamName ?? '', timestamp: e.timestamp, message: e.message };
  if (typeof e.ingestionTime === 'number') record.ingestionTime = e.ingestionTime;
  if (e.eventId) record.eventId = e.eventId;
  return record;
}

/** Slices of [start, end] (inclusive ms bounds, as FilterLogEvents takes them), newest first. */
export function timeSlices(start: number, end: number, sliceMs = 5 * MINUTE, maxSlices = 12): Array<{ start: number; end: number }> {
  const span = end - start + 1;
  const count = Math.max(1, Math.min(maxSlices, Math.ceil(span / sliceMs)));
  const size = Math.ceil(span / count);
  const slices: Array<{ start: number; end: number }> = [];
  for (let hi = end; hi >= start; hi -= size) slices.push({ start: Math.max(start, hi - size + 1), end: hi });
  return slices;
}

/**
 * FilterLogEvents over the window, newest slice first, each slice read completely (every group, every page)
 * before the next, so that what is kept is always the newest part of the window. Local filtering applies the
 * hints: filter patterns are case-sensitive, the hints are not.
 */
async function readWithFilterLogEvents(input: ReadInput & { maxPages: number }): Promise<Collected> {
  const { client, resilience, groups, query, deadline } = input;
  const needles = query.anyOf?.map((s) => s.toLowerCase()).filter(Boolean);
  const kept: LogEventRecord[] = [];
  let pages = 0;
  const slices = timeSlices(query.start, query.end);
  for (let i = 0; i < slices.length; i++) {
    const slice = slices[i]!;
    const sliceEvents: LogEventRecord[] = [];
    for (const group of groups) {
      let nextToken: string | undefined;
      do {
        if (pages >= input.maxPages || resilience.runtime.now() >= deadline) {
          // A partly read slice would leave a hole below the newer ones; keep it only if nothing else was read.
          if (!kept.length) kept.push(...sliceEvents);
          return { events: kept, truncated: true, exhausted: true };
        }
        const ctx: AwsCallContext = { service: SERVICE, action: 'logs:FilterLogEvents', resource: `log group ${group}` };
        let page;
        try {
          page = await callAws(
            ctx,
            (abortSignal) =>
              client.send(
                new FilterLogEventsCommand({ logGroupName: group, startTime: slice.start, endTime: slice.end, limit: 10_000, ...(nextToken ? { nextToken } : {}) }),
                { abortSignal },
              ),
            resilience,
            { deadline },
          );
        } catch (error) {
          throw await input.notFound(error, [group]);
        }
        pages++;
        for (const e of page.events ?? []) {
          const record = toRecord(group, e);
          if (record && (!needles?.length || needles.some((n) => record.message.toLowerCase().includes(n)))) sliceEvents.push(record);
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
    kept.push(...sliceEvents);
    if (kept.length >= input.limit && i < slices.length - 1) return { events: kept, truncated: true, exhausted: false };
  }
  return { events: kept, truncated: false, exhausted: false };
}

/**
 * Logs Insights over the window for each batch of up to 50 groups: newest rows first, and when a page comes
 * back full, the next query ends at the oldest row's second (rows already seen are recognised by `@ptr`).
 */
async function readWithInsights(input: ReadInput & { maxQueries: number }): Promise<Collected> {
  const { groups, query, limit } = input;
  const events: LogEventRecord[] = [];
  let truncated = false;
  for (let i = 0; i < groups.length; i += INSIGHTS_MAX_GROUPS) {
    const batch = groups.slice(i, i + INSIGHTS_MAX_GROUPS);
    const startSec = Math.floor(query.start / 1000);
    let endSec = Math.ceil(query.end / 1000);
    const seen = new Set<string>();
    const rows: LogEventRecord[] = [];
    for (let q = 0; ; q++) {
      const want = Math.max(1, Math.min(INSIGHTS_MAX_ROWS, limit - rows.length));
      const results = await runInsightsQuery(input, batch, startSec, endSec, buildInsightsQuery(query.anyOf, want));
      let fresh = 0;
      let oldest = Infinity;
      for (const row of results) {
        const parsed = parseInsightsRow(row, batch[0]!);
        if (!parsed) continue;
        if (parsed.ptr) {
          if (seen.has(parsed.ptr)) continue;
          seen.add(parsed.ptr);
        }
        rows.push(parsed.event);
        fresh++;
        oldest = Math.min(oldest, parsed.event.timestamp);
      }
      if (results.length < want) break;
      if (rows.length >= limit || fresh === 0 || q + 1 >= input.maxQueries) {
        truncated = true;
        break;
      }
      // Inclusive of the oldest row's second: events sharing it but older were cut by the limit.
      endSec = Math.floor(oldest / 1000) + 1;
    }
    // Rows arrive newest first; reversed, equal timestamps come out in the opposite of the order Insights listed
    // them, which for one stream is the order they were written (Insights has no sequence field to sort by).
    events.push(...rows.reverse());
  }
  return { events, truncated, exhausted: false };
}

const TERMINAL_FAILURES = new Set(['Failed', 'Cancelled', 'Timeout', 'Unknown']);

async function runInsightsQuery(input: ReadInput, batch: readonly string[], startSec: number, endSec: number, queryString: string): Promise<ResultField[][]> {
  const { client, resilience, deadline } = input;
  const resource = batch.length === 1 ? `log group ${batch[0]}` : `log groups ${batch.join(', ')}`;
  let queryId: string | undefined;
  try {
    const started = await callAws(
      { service: SERVICE, action: 'logs:StartQuery', resource },
      (abortSignal) => client.send(new StartQueryCommand({ logGroupNames: [...batch], startTime: startSec, endTime: endSec, queryString }), { abortSignal }),
      resilience,
      { deadline },
    );
    queryId = started.queryId;
  } catch (error) {
    throw await input.notFound(error, batch);
  }
  if (!queryId) throw new ToolError('Unavailable', `CloudWatch Logs started no Insights query over ${resource}`);

  const startedAt = resilience.runtime.now();
  let delay = 250;
  for (;;) {
    if (resilience.runtime.now() + delay >= deadline) {
      // Stopped rather than left running: an abandoned query keeps one of the account's concurrent slots busy.
      await client.send(new StopQueryCommand({ queryId }), { abortSignal: AbortSignal.timeout(3_000) }).catch(() => undefined);
      const seconds = Math.max(1, Math.round((resilience.runtime.now() - startedAt) / 1000));
      throw new ToolError(
        'Timeout',
        `CloudWatch Logs Insights had not finished the query over ${resource} after ${seconds} s, so it was stopped; narrow the time window or the log groups`,
      );
    }
    await resilience.runtime.sleep(delay);
    delay = Math.min(2_000, Math.round(delay * 1.6));
    const result = await callAws(
      { service: SERVICE, action: 'logs:GetQueryResults', resource },
      (abortSignal) => client.send(new GetQueryResultsCommand({ queryId }), { abortSignal }),
      resilience,
      { deadline },
    );
    const status = result.status ?? 'Unknown';
    if (status === 'Complete') return result.results ?? [];
    if (TERMINAL_FAILURES.has(status)) throw new InsightsQueryFailed(status);
  }
}

/**
 * `LOGS_PROVIDER=cloudwatch`: EKS_CLUSTER_NAME (its Container Insights groups) and/or LOG_GROUPS (comma list;
 * a trailing `*` makes an entry a prefix). At least one of the two is needed.
 */
export function cloudWatchLogsProviderFromEnv(env: NodeJS.ProcessEnv = process.env): LogsProvider {
  const clusterName = env.EKS_CLUSTER_NAME?.trim();
  const logGroups = envList(env.LOG_GROUPS);
  if (!clusterName && !logGroups.length) {
    throw new ToolError('Internal', 'LOGS_PROVIDER=cloudwatch needs EKS_CLUSTER_NAME (for its Container Insights log groups) or LOG_GROUPS (comma-separated log group names)');
  }
  return createCloudWatchLogsProvider({
    client: new CloudWatchLogsClient(awsClientSettings(env)),
    ...(clusterName ? { clusterName } : {}),
    logGroups,
  });
}
