/**
 * What the logs tools need: log events in a time window, in the shape CloudWatch Logs FilterLogEvents returns.
 * The fixture provider reads recorded events; the CloudWatch provider runs Logs Insights / FilterLogEvents.
 * Parsing (Fluent Bit envelopes, levels, services, stack traces) happens above this port, once, for both.
 */
export interface LogEventRecord {
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms. */
  timestamp: number;
  /** Raw message: a log line, or the serialized Fluent Bit JSON in Container Insights groups. */
  message: string;
  ingestionTime?: number;
  eventId?: string;
}

export interface LogQuery {
  start: number;
  end: number;
  /** Only these groups; every group the provider knows when absent. */
  logGroupNames?: string[];
  /**
   * Case-insensitive substrings any of which a message must contain. A hint to cut transfer: providers may
   * return extra events (callers filter again), never fewer.
   */
  anyOf?: string[];
  /** Stop after this many events (newest kept when the provider must choose). */
  limit: number;
}

export interface LogQueryResult {
  /** Ascending by timestamp. */
  events: LogEventRecord[];
  /** True when the provider stopped at `limit` or at its own bound. */
  truncated: boolean;
}

export interface LogsProvider {
  listLogGroups(): Promise<string[]>;
  queryEvents(query: LogQuery): Promise<LogQueryResult>;
}
