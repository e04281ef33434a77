/** The operations that return log lines: search_logs, get_error_logs, get_recent_logs. */
import { type LogLevel, compileTextPattern, levelRank, matchesText } from '../../analyzers/logs/index.ts';
import type { LogsProvider } from '../../providers/logs/port.ts';
import { resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import {
  HOUR_MS, type ToolArgs, filterSource, loadRecords, logGroupArgument, newest, partialFlag, resolveLogGroups, toLogLine, windowOutput,
} from './shared.ts';

type Ctx = OperationContext<LogsProvider>;

type SearchArgs = ToolArgs<{
  pattern: string;
  start_time?: string;
  end_time?: string;
  log_level?: LogLevel;
  service?: string;
  log_group?: string;
  limit: number;
}>;

export async function searchLogs(args: SearchArgs, ctx: Ctx) {
  const pattern = compileTextPattern(args.pattern, 'pattern');
  const window = resolveWindow(args, ctx.now, { start: 'start_time', end: 'end_time' }, HOUR_MS);
  const logGroupNames = await resolveLogGroups(ctx.provider, logGroupArgument(args), 'log_group');
  const loaded = await loadRecords(ctx.provider, window, { ...(logGroupNames ? { logGroupNames } : {}) });
  const minRank = args.log_level ? levelRank(args.log_level) : 0;
  const matched = filterSource(loaded.records, args.service, window).filter(
    (r) => levelRank(r.level) >= minRank && matchesText(r, pattern),
  );
  const page = newest(matched, args.limit);
  return {
    window: windowOutput(window),
    logs: page.items.map((r) => toLogLine(r)),
    total_count: page.total_count,
    truncated: page.truncated,
    ...partialFlag(loaded.partial),
  };
}

type ErrorArgs = ToolArgs<{
  since?: string;
  end_time?: string;
  service?: string;
  log_group?: string;
  limit: number;
}>;

export async function getErrorLogs(args: ErrorArgs, ctx: Ctx) {
  const window = resolveWindow(args, ctx.now, { since: 'since', end: 'end_time' }, HOUR_MS);
  const logGroupNames = await resolveLogGroups(ctx.provider, logGroupArgument(args), 'log_group');
  const loaded = await loadRecords(ctx.provider, window, { ...(logGroupNames ? { logGroupNames } : {}) });
  const errorRank = levelRank('ERROR');
  const errors = filterSource(loaded.records, args.service, window).filter((r) => levelRank(r.level) >= errorRank);
  const page = newest(errors, args.limit);
  return {
    window: windowOutput(window),
    errors: page.items.map((r) => toLogLine(r)),
    total_count: page.total_count,
    truncated: page.truncated,
    ...partialFlag(loaded.partial),
  };
}

type RecentArgs = ToolArgs<{
  limit: number;
  service?: string;
  log_level?: LogLevel;
  log_group?: string;
  since?: string;
}>;

export async function getRecentLogs(args: RecentArgs, ctx: Ctx) {
  const window = resolveWindow(args, ctx.now, { since: 'since' }, HOUR_MS);
  const logGroupNames = await resolveLogGroups(ctx.provider, logGroupArgument(args), 'log_group');
  const loaded = await loadRecords(ctx.provider, window, { ...(logGroupNames ? { logGroupNames } : {}) });
  const minRank = args.log_level ? levelRank(args.log_level) : 0;
  const lines = filterSource(loaded.records, args.service, window).filter((r) => levelRank(r.level) >= minRank);
  const page = newest(lines, args.limit);
  return {
    window: windowOutput(window),
    logs: page.items.map((r) => toLogLine(r)),
    total_count: page.total_count,
    truncated: page.truncated,
    ...partialFlag(loaded.partial),
  };
}
