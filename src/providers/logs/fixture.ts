/**
 * The logs provider over a recorded scenario: `cloudwatch/logs/*.json`, each `{"logGroupName", "events":
 * [FilteredLogEvent...]}` (a group may span several files). It answers queries as FilterLogEvents would: events
 * in [start, end], of the named groups, ascending; when more match than `limit`, the newest are kept.
 * Raw shapes only: parsing happens above the port.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '../../tools/errors.ts';
import { readScenarioJson } from '../fixture/scenario.ts';
import type { LogEventRecord, LogQuery, LogQueryResult, LogsProvider } from './port.ts';

interface Recording {
  groups: string[];
  /** All events of all groups, ascending by timestamp (file order among equal timestamps). */
  events: LogEventRecord[];
}

export function createFixtureLogsProvider(scenarioDir: string): LogsProvider {
  let loading: Promise<Recording> | undefined;
  const recording = () => {
    loading ??= loadRecording(join(scenarioDir, 'cloudwatch', 'logs'));
    // A failed read (a file being rewritten) must not poison later calls.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  return {
    async listLogGroups() {
      return [...(await recording()).groups];
    },
    async queryEvents(query: LogQuery): Promise<LogQueryResult> {
      return queryRecording(await recording(), query);
    },
  };
}

async function loadRecording(dir: string): Promise<Recording> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { groups: [], events: [] };
    throw error;
  }
  const groups = new Set<string>();
  const events: LogEventRecord[] = [];
  const seenIds = new Set<string>();
  for (const file of files) {
    const doc = await readScenarioJson<unknown>(join(dir, file));
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ToolError('Unavailable', `Recorded log file ${file} is not a {"logGroupName", "events"} object`);
    }
    const { logGroupName, events: raw } = doc as { logGroupName?: unknown; events?: unknown };
    if (typeof logGroupName !== 'string' || !logGroupName) {
      throw new ToolError('Unavailable', `Recorded log file ${file} has no logGroupName`);
    }
    groups.add(logGroupName);
    if (!Array.isArray(raw)) continue;
    for (const e of raw) {
      const event = toEvent(logGroupName, e);
      if (!event) continue;
      // A group split across files may repeat events at the seams.
      if (event.eventId) {
        const key = `${logGroupName}\u0000${event.eventId}`;
        if (seenIds.has(key)) continue;
        seenIds.add(key);
      }
      events.push(event);
    }
  }
  // Stable: equal timestamps keep file order, which is the order the lines were written.
  events.sort((a, b) => a.timestamp - b.timestamp);
  return { groups: [...groups].sort(), events };
}

/** One FilteredLogEvent; liberal in what it accepts (a message recorded as an object is serialized back). */
function toEvent(logGroupName: string, e: unknown): LogEventRecord | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const raw = e as Record<string, unknown>;
  const timestamp = typeof raw.timestamp === 'number' ? raw.timestamp : typeof raw.timestamp === 'string' && /^\d+$/.test(raw.timestamp) ? Number(raw.timestamp) : NaN;
  if (!Number.isFinite(timestamp)) return undefined;
  const message = typeof raw.message === 'string' ? raw.message : raw.message && typeof raw.message === 'object' ? JSON.stringify(raw.message) : undefined;
  if (message === undefined) return undefined;
  const event: LogEventRecord = {
    logGroupName,
    logStreamName: typeof raw.logStreamName === 'string' ? raw.logStreamName : '',
    timestamp,
    message,
  };
  if (typeof raw.ingestionTime === 'number') event.ingestionTime = raw.ingestionTime;
  if (typeof raw.eventId === 'string') event.eventId = raw.eventId;
  return event;
}

function lowerBound(events: readonly LogEventRecord[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.timestamp < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function queryRecording(recording: Recording, query: LogQuery): LogQueryResult {
  const groups = query.logGroupNames ? new Set(query.logGroupNames) : undefined;
  const needles = query.anyOf?.filter(Boolean).map((s) => s.toLowerCase());
  const matched: LogEventRecord[] = [];
  const { events } = recording;
  for (let i = lowerBound(events, query.start); i < events.length; i++) {
    const e = events[i]!;
    if (e.timestamp > query.end) break;
    if (groups && !groups.has(e.logGroupName)) continue;
    if (needles?.length) {
      const text = e.message.toLowerCase();
      if (!needles.some((n) => text.includes(n))) continue;
    }
    matched.push(e);
  }
  const limit = Math.max(0, query.limit);
  if (matched.length <= limit) return { events: matched, truncated: false };
  return { events: matched.slice(matched.length - limit), truncated: true };
}
