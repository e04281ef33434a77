/** query_logs: a Logs Insights-style filter, then either the lines or `stats <fn> by <fields>, bin(<period>)`. */
import {
  type Aggregate, type LogLevel, type LogRecord, type RecordFilter, type StatsRow, compileTextPattern, computeStats, matchesFilter, matchesSource,
} from '../../analyzers/logs/index.ts';
import { InputError } from '../../domain/errors.ts';
import { parseDuration, toIso } from '../../domain/time.ts';
import type { LogsProvider } from '../../providers/logs/port.ts';
import { resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import { HOUR_MS, type ToolArgs, loadRecords, partialFlag, resolveLogGroups, sourceNotFound, toLogLine, windowOutput } from './shared.ts';

type Sort = 'time_desc' | 'time_asc' | 'count_desc' | 'count_asc' | 'value_desc' | 'value_asc';

type QueryArgs = ToolArgs<{
  start_time?: string;
  end_time?: string;
  log_groups?: string[];
  filter?: {
    text?: string;
    exclude_text?: string;
    log_level?: LogLevel;
    service?: string;
    namespace?: string;
    workload?: string;
    pod?: string;
    container?: string;
    field_equals?: Array<{ field: string; value: string }>;
  };
  fields?: string[];
  stats?: { by?: string[]; bin?: string; function: Aggregate; field?: string };
  sort?: Sort;
  limit: number;
}>;

// A bin shorter than this over a long range would produce more rows than anyone reads.
const MIN_BIN_MS = 1_000;

export async function queryLogs(args: QueryArgs, ctx: OperationContext<LogsProvider>) {
  const window = resolveWindow(args, ctx.now, { start: 'start_time', end: 'end_time' }, HOUR_MS);
  const f = args.filter ?? {};
  const filter: RecordFilter = {
    ...(f.text ? { text: compileTextPattern(f.text, 'filter.text') } : {}),
    ...(f.exclude_text ? { exclude: compileTextPattern(f.exclude_text, 'filter.exclude_text') } : {}),
    ...(f.log_level ? { minLevel: f.log_level } : {}),
    ...(f.service ? { source: f.service } : {}),
    ...(f.namespace ? { namespace: f.namespace } : {}),
    ...(f.workload ? { workload: f.workload } : {}),
    ...(f.pod ? { pod: f.pod } : {}),
    ...(f.container ? { container: f.container } : {}),
    ...(f.field_equals?.length ? { fieldEquals: f.field_equals } : {}),
  };
  const stats = args.stats;
  const binMs = stats?.bin !== undefined ? binArgument(stats.bin) : undefined;
  if (stats && stats.function !== 'count' && !stats.field) {
    throw new InputError(`argument 'stats.field' is required for stats.function '${stats.function}'`, 'stats.field');
  }
  const logGroupNames = await resolveLogGroups(ctx.provider, args.log_groups, 'log_groups');
  const loaded = await loadRecords(ctx.provider, window, logGroupNames ? { logGroupNames } : {});
  if (f.service && !loaded.records.some((r) => matchesSource(r, f.service!))) throw sourceNotFound(loaded.records, f.service, window, 'filter.service');
  const matched = loaded.records.filter((r) => matchesFilter(r, filter));

  if (!stats) {
    const sort = args.sort ?? 'time_desc';
    if (sort !== 'time_desc' && sort !== 'time_asc') {
      throw new InputError(`argument 'sort' must be time_desc or time_asc when listing lines (got ${sort})`, 'sort');
    }
    const ordered: LogRecord[] = sort === 'time_desc' ? matched.slice().reverse() : matched;
    const items = ordered.slice(0, args.limit);
    return {
      window: windowOutput(window),
      logs: items.map((r) => toLogLine(r, args.fields)),
      matched_count: matched.length,
      total_count: matched.length,
      truncated: matched.length > args.limit,
      ...partialFlag(loaded.partial),
    };
  }

  const by = stats.by ?? [];
  const { rows, groupsCapped } = computeStats(matched, {
    by,
    ...(binMs !== undefined ? { binMs } : {}),
    aggregate: stats.function,
    ...(stats.field ? { field: stats.field } : {}),
    window,
  });
  const sort = args.sort ?? (binMs !== undefined ? 'time_asc' : stats.function === 'count' ? 'count_desc' : 'value_desc');
  rows.sort(rowComparator(sort));
  const items = rows.slice(0, args.limit);
  return {
    window: windowOutput(window),
    by,
    aggregate: stats.function === 'count' ? 'count' : `${stats.function}(${stats.field})`,
    rows: items.map((row) => ({
      values: row.values,
      ...(row.bin !== undefined ? { bin: toIso(row.bin) } : {}),
      count: row.count,
      ...(row.value !== undefined ? { value: row.value } : {}),
    })),
    matched_count: matched.length,
    total_count: rows.length,
    truncated: rows.length > args.limit,
    ...partialFlag(loaded.partial || groupsCapped),
  };
}

function binArgument(bin: string): number {
  const ms = parseDuration(bin);
  if (ms === null || ms < MIN_BIN_MS) {
    throw new InputError(`argument 'stats.bin' must be a duration of at least 1s such as 1m, 5m or 1h (got '${bin}')`, 'stats.bin');
  }
  return ms;
}

function rowComparator(sort: Sort): (a: StatsRow, b: StatsRow) => number {
  const byValues = (a: StatsRow, b: StatsRow) => {
    const x = a.values.join('\u0000');
    const y = b.values.join('\u0000');
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const time = (a: StatsRow, b: StatsRow) => (a.bin ?? 0) - (b.bin ?? 0);
  // Rows without a value sort last either way.
  const value = (a: StatsRow, b: StatsRow, dir: number) =>
    a.value === undefined ? (b.value === undefined ? 0 : 1) : b.value === undefined ? -1 : dir * (a.value - b.value);
  switch (sort) {
    case 'time_asc':
      return (a, b) => time(a, b) || byValues(a, b);
    case 'time_desc':
      return (a, b) => time(b, a) || byValues(a, b);
    case 'count_asc':
      return (a, b) => a.count - b.count || time(a, b) || byValues(a, b);
    case 'value_desc':
      return (a, b) => value(a, b, -1) || time(a, b) || byValues(a, b);
    case 'value_asc':
      return (a, b) => value(a, b, 1) || time(a, b) || byValues(a, b);
    default:
      return (a, b) => b.count - a.count || time(a, b) || byValues(a, b);
  }
}
