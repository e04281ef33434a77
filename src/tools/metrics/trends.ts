/**
 * analyze_trends: for each series of one metric (or kind), the trend over the window, robust statistics, the
 * shift against a baseline with its onset, and the datapoints beyond the anomaly threshold.
 */
import { MIN_BASELINE_SAMPLES, MIN_RELATIVE_CHANGE, summarizeChange, type ChangeSummary, type ChangeWindow } from '../../analyzers/metrics/change.ts';
import { median } from '../../analyzers/metrics/baseline.ts';
import { METRIC_KINDS, nameTokens, resolveKind } from '../../analyzers/metrics/catalog.ts';
import { sliceByTime } from '../../analyzers/metrics/series.ts';
import { describeSeries } from '../../analyzers/metrics/stats.ts';
import { classifyTrend, pointAnomalies, theilSenSlope, zForPercentile } from '../../analyzers/metrics/trend.ts';
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import { ToolError } from '../errors.ts';
import type { OperationContext } from '../invoke.ts';
import { cappedScore, changePercent, compact, entityFields, iso, num, round, windowOut } from './format.ts';
import { loadInventory, selectGroups, hasKind, emptyNote, type CatalogedMetric } from './inventory.ts';
import { errorRateTargets, groupEntries, metricTargets, type SeriesTarget } from './targets.ts';

const HOUR = 3_600_000;
const MAX_LISTED_ANOMALIES = 20;

interface Args {
  metric_name: string;
  service?: string;
  time_window?: string;
  anomaly_threshold: number;
  limit: number;
}

export async function analyzeTrends(args: Args, ctx: OperationContext<MetricsProvider>) {
  const window = resolveWindow(args as unknown as Record<string, unknown>, ctx.now, { window: 'time_window' }, HOUR);
  const length = window.end - window.start;
  const fetchStart = window.start - length;
  const inventory = await loadInventory(ctx.provider);
  const { resolvedAs, targets } = await resolveTargets(args, inventory, ctx.provider, fetchStart, window.end);
  const zThreshold = zForPercentile(args.anomaly_threshold);

  const analysed = targets.map((t) => analyseTarget(t, window.start, window.end, zThreshold));
  analysed.sort((a, b) => Number(b.anomalous) - Number(a.anomalous) || Math.abs(b.score) - Math.abs(a.score) || b.row.anomaly_count - a.row.anomaly_count);
  const page = bounded(
    analysed.map((a) => a.row),
    args.limit,
  );
  return compact({
    metric_name: args.metric_name,
    resolved_as: resolvedAs,
    service: args.service,
    window: windowOut(window),
    anomaly_threshold: args.anomaly_threshold,
    z_threshold: Number.isFinite(zThreshold) ? round(zThreshold) : undefined,
    series: page.items,
    total_count: page.total_count,
    truncated: page.truncated,
    note: targets.length === 0 ? emptyNote(inventory, `'${args.metric_name}'`, args.service) : undefined,
  });
}

/** A kind (`response_time`, `error_rate`), an exact metric name, or metrics whose names contain the words asked. */
async function resolveTargets(
  args: Args,
  inventory: readonly CatalogedMetric[],
  provider: MetricsProvider,
  start: number,
  end: number,
): Promise<{ resolvedAs: string; targets: SeriesTarget[] }> {
  const asked = args.metric_name.trim();
  const kind = resolveKind(asked);
  if (kind === 'error_rate') {
    return { resolvedAs: 'error_rate (errors / requests per service and source)', targets: await errorRateTargets(provider, inventory, args.service, start, end) };
  }
  if (kind) {
    const groups = selectGroups(inventory, hasKind(kind), args.service);
    return { resolvedAs: `kind ${kind}`, targets: await metricTargets(provider, groupEntries(groups), start, end) };
  }
  const lower = asked.toLowerCase();
  const exact = inventory.filter((m) => m.metricName.toLowerCase() === lower);
  if (exact.length) {
    const groups = selectGroups(inventory, (m) => m.metricName.toLowerCase() === lower, args.service);
    return { resolvedAs: `metric ${exact[0]!.metricName}`, targets: await metricTargets(provider, groupEntries(groups), start, end) };
  }
  const words = nameTokens(asked);
  const partial = (m: CatalogedMetric) => m.metricName.toLowerCase().includes(lower) || (words.length > 0 && words.every((w) => nameTokens(m.metricName).includes(w)));
  if (inventory.some(partial)) {
    const groups = selectGroups(inventory, partial, args.service);
    return { resolvedAs: `metrics matching ${asked}`, targets: await metricTargets(provider, groupEntries(groups), start, end) };
  }
  const names = [...new Set(inventory.map((m) => m.metricName))].sort();
  throw new ToolError(
    'NotFound',
    `No metric or metric kind named '${asked}'. Kinds: ${[...METRIC_KINDS, 'error_rate'].join(', ')}.` +
      (names.length ? ` Metrics include: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}.` : ' No metrics are available.'),
    'metric_name',
  );
}

function analyseTarget(target: SeriesTarget, start: number, end: number, zThreshold: number) {
  const length = end - start;
  const inWindow = sliceByTime(target.series, start, end);
  const before = sliceByTime(target.series, start - length, start - 1);
  // The preceding window is the baseline when it holds enough data; else the window's first half.
  const preceding = before.values.length >= Math.max(MIN_BASELINE_SAMPLES, Math.ceil(inWindow.values.length / 4));
  const mid = start + Math.floor(length / 2);
  const changeWindow: ChangeWindow = preceding
    ? { baselineStart: start - length, baselineEnd: start, start, end }
    : { baselineStart: start, baselineEnd: mid, start: mid, end };
  const change: ChangeSummary = summarizeChange(preceding ? target.series : inWindow, changeWindow);
  const b = change.baseline;
  const anomalies = pointAnomalies(inWindow, b, zThreshold, MIN_RELATIVE_CHANGE);
  const stats = describeSeries(inWindow);
  const slope = theilSenSlope(inWindow);
  const f = target.factor;
  const values = inWindow.values;
  const mean = stats?.mean ?? Number.NaN;
  const sd = values.length ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) : Number.NaN;
  const trend = classifyTrend({
    shift: change.anomalous ? change.direction : 'none',
    slopePerMs: slope,
    spanMs: length,
    baseline: b,
    anomalies,
    samples: values.length,
    minRelativeChange: MIN_RELATIVE_CHANGE,
  });
  const listed = [...anomalies].sort((x, y) => Math.abs(y.z) - Math.abs(x.z)).slice(0, MAX_LISTED_ANOMALIES);
  const row = compact({
    metric: target.metric,
    metric_type: target.kind,
    ...entityFields(target.entity),
    unit: target.unit,
    trend,
    datapoints: values.length,
    average_value: num(mean * f),
    standard_deviation: num(sd * f),
    median: num(values.length ? median(values) * f : Number.NaN),
    min: num((stats?.min ?? Number.NaN) * f),
    max: num((stats?.max ?? Number.NaN) * f),
    current: num((stats?.current ?? Number.NaN) * f),
    slope_per_hour: num(slope * HOUR * f),
    change_percent: changePercent(change.recent.median, b.median),
    baseline: compact({
      source: preceding ? 'preceding_window' : 'window_first_half',
      start: iso(changeWindow.baselineStart),
      end: iso(changeWindow.baselineEnd),
      median: num(b.median * f),
      iqr: num(b.iqr * f),
      samples: b.n,
    }),
    change: changeOut(change, f),
    anomalies: listed.map((a) =>
      compact({ timestamp: iso(a.at), value: num(a.value * f)!, z_score: cappedScore(a.z), deviation_percentage: changePercent(a.value, b.median) }),
    ),
    anomaly_count: anomalies.length,
  });
  return { row, anomalous: change.anomalous, score: Number.isFinite(change.score) ? Math.min(Math.abs(change.score), 1e6) : 0 };
}

/** The change summary as output: robust score, direction, onset, peak, daily recurrence. */
export function changeOut(change: ChangeSummary, factor: number) {
  return compact({
    anomalous: change.anomalous,
    direction: change.direction,
    score: cappedScore(change.score),
    onset: change.onset !== undefined ? iso(change.onset) : undefined,
    peak: change.peak ? { timestamp: iso(change.peak.at), value: num(change.peak.value * factor)! } : undefined,
    recurs_daily: change.recursDaily ? { matching_days: change.recursDaily.matchingDays, checked_days: change.recursDaily.checkedDays } : undefined,
    recurs_weekly: change.recursWeekly ? { matching_weeks: change.recursWeekly.matchingWeeks, checked_weeks: change.recursWeekly.checkedWeeks } : undefined,
  });
}
