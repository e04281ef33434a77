/** count_log_events: how many lines contain a text, split by a field or a time bucket. */
import {
  type LogLevel, type RecordFilter, type TextPattern, compileTextPattern, computeStats, matchesFilter, matchesSource,
} from '../../analyzers/logs/index.ts';
import { toIso } from '../../domain/time.ts';
import type { LogsProvider } from '../../providers/logs/port.ts';
import { resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import {
  HOUR_MS, type ToolArgs, loadRecords, logGroupArgument, partialFlag, resolveLogGroups, sourceNotFound, windowOutput,
} from './shared.ts';

const TIME_BUCKETS: Readonly<Record<string, number>> = { hour: 3_600_000, '5m': 300_000, minute: 60_000 };

type CountArgs = ToolArgs<{
  event_type: string;
  time_window: string;
  end_time?: string;
  group_by?: string;
  service?: string;
  pod?: string;
  workload?: string;
  log_level?: LogLevel;
  log_group?: string;
  limit: number;
}>;

export async function countLogEvents(args: CountArgs, ctx: OperationContext<LogsProvider>) {
  const window = resolveWindow(args, ctx.now, { window: 'time_window', end: 'end_time' }, HOUR_MS);
  const every = args.event_type.trim() === '*';
  const text: TextPattern | undefined = every ? undefined : compileTextPattern(args.event_type, 'event_type');
  const logGroupNames = await resolveLogGroups(ctx.provider, logGroupArgument(args), 'log_group');
  // A plain text is also a provider hint, so a live provider transfers only candidate events.
  const anyOf = text?.kind === 'substring' ? [text.source] : undefined;
  const loaded = await loadRecords(ctx.provider, window, { ...(logGroupNames ? { logGroupNames } : {}), ...(anyOf ? { anyOf } : {}) });
  const filter: RecordFilter = {
    ...(text ? { text } : {}),
    ...(args.log_level ? { minLevel: args.log_level } : {}),
    ...(args.service ? { source: args.service } : {}),
    ...(args.pod ? { pod: args.pod } : {}),
    ...(args.workload ? { workload: args.workload } : {}),
  };
  const matched = loaded.records.filter((r) => matchesFilter(r, filter));
  if (matched.length === 0 && args.service) {
    // Zero may mean a wrong service name: check against every line of the window, not only the hinted ones.
    const all = anyOf ? (await loadRecords(ctx.provider, window, logGroupNames ? { logGroupNames } : {})).records : loaded.records;
    if (!all.some((r) => matchesSource(r, args.service!))) throw sourceNotFound(all, args.service, window);
  }

  const total = matched.length;
  let counts: Array<{ group: string; count: number; percentage: number }> = [];
  let groupCount = 0;
  let truncated = false;
  if (args.group_by) {
    const binMs = TIME_BUCKETS[args.group_by];
    const { rows } = computeStats(matched, {
      by: binMs ? [] : [args.group_by],
      ...(binMs ? { binMs } : {}),
      aggregate: 'count',
      window,
    });
    const percentage = (n: number) => (total ? Math.round((n / total) * 1000) / 10 : 0);
    let groups = rows.map((row) => ({ group: row.bin !== undefined ? toIso(row.bin) : row.values[0]!, count: row.count, percentage: percentage(row.count) }));
    groupCount = groups.length;
    if (binMs) {
      // Time buckets in time order; the latest are kept (nearest the incident).
      groups.sort((a, b) => (a.group < b.group ? -1 : 1));
      truncated = groups.length > args.limit;
      groups = groups.slice(Math.max(0, groups.length - args.limit));
    } else {
      groups.sort((a, b) => b.count - a.count || (a.group < b.group ? -1 : 1));
      truncated = groups.length > args.limit;
      groups = groups.slice(0, args.limit);
    }
    counts = groups;
  }
  return {
    event_type: args.event_type,
    ...(args.group_by ? { group_by: args.group_by } : {}),
    window: windowOutput(window),
    total_count: total,
    ...(total ? { first_seen: toIso(matched[0]!.timestamp), last_seen: toIso(matched[total - 1]!.timestamp) } : {}),
    counts,
    group_count: groupCount,
    truncated,
    ...partialFlag(loaded.partial),
  };
}
