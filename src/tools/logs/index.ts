/** The logs tool backend: every operation of openapi/logs.yaml over a LogsProvider. */
import type { LogsProvider } from '../../providers/logs/port.ts';
import type { ToolBackend } from '../invoke.ts';
import { analyzeLogPatterns, listLogSources, summarizeErrorSignatures } from './analysis.ts';
import { countLogEvents } from './count.ts';
import { getErrorLogs, getRecentLogs, searchLogs } from './lines.ts';
import { queryLogs } from './query.ts';

export const logsToolBackend: ToolBackend<LogsProvider> = {
  backend: 'logs',
  operations: {
    search_logs: searchLogs,
    get_error_logs: getErrorLogs,
    analyze_log_patterns: analyzeLogPatterns,
    get_recent_logs: getRecentLogs,
    count_log_events: countLogEvents,
    query_logs: queryLogs,
    summarize_error_signatures: summarizeErrorSignatures,
    list_log_sources: listLogSources,
  },
};
