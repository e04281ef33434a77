/**
 * describe_alarms: alarm definitions and states (DescribeAlarms), with the watched metric's recent datapoints
 * marked breaching or not, so the supervisor can read an alarm trigger before investigating.
 */
import { classifyMetric } from '../../analyzers/metrics/catalog.ts';
import { entityOf } from '../../analyzers/metrics/catalog-service.ts';
import { toSeries } from '../../analyzers/metrics/series.ts';
import { parseInstant } from '../../domain/time.ts';
import type { MetricAlarmInfo, MetricsProvider } from '../../providers/metrics/port.ts';
import { bounded } from '../common.ts';
import { ToolError } from '../errors.ts';
import type { OperationContext } from '../invoke.ts';
import { compact, entityFields, iso, metricRef, num, windowOut } from './format.ts';
import { loadInventory, statOf } from './inventory.ts';

const HOUR = 3_600_000;
const MAX_DATAPOINTS = 30;
const STATE_ORDER: Readonly<Record<string, number>> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };

const OPERATORS: Readonly<Record<string, { symbol: string; breaches: (value: number, threshold: number) => boolean }>> = {
  GreaterThanOrEqualToThreshold: { symbol: '>=', breaches: (v, t) => v >= t },
  GreaterThanThreshold: { symbol: '>', breaches: (v, t) => v > t },
  LessThanThreshold: { symbol: '<', breaches: (v, t) => v < t },
  LessThanOrEqualToThreshold: { symbol: '<=', breaches: (v, t) => v <= t },
};

interface Args {
  alarm_name?: string;
  alarm_name_prefix?: string;
  state?: string;
  include_metric_data: boolean;
  limit: number;
}

export async function describeAlarms(args: Args, ctx: OperationContext<MetricsProvider>) {
  const found = await ctx.provider.describeAlarms({
    ...(args.alarm_name ? { alarmNames: [args.alarm_name] } : {}),
    ...(args.state ? { stateValue: args.state } : {}),
  });
  const alarms = found
    .filter((a) => !args.alarm_name_prefix || a.alarmName.startsWith(args.alarm_name_prefix))
    .sort((a, b) => (STATE_ORDER[a.stateValue ?? ''] ?? 3) - (STATE_ORDER[b.stateValue ?? ''] ?? 3) || updatedAt(b) - updatedAt(a) || a.alarmName.localeCompare(b.alarmName));
  if (args.alarm_name && alarms.length === 0) {
    const all = (await ctx.provider.describeAlarms()).map((a) => a.alarmName).sort();
    throw new ToolError(
      'NotFound',
      `No alarm named '${args.alarm_name}'${args.state ? ` in state ${args.state}` : ''}.${all.length ? ` Alarms: ${all.slice(0, 20).join(', ')}${all.length > 20 ? ', ...' : ''}.` : ' There are no alarms.'}`,
      'alarm_name',
    );
  }
  const page = bounded(alarms, args.limit);
  // The inventory names services consistently with the other tools (full names for cut target-group names).
  const inventory = page.items.some((a) => a.metric) ? await loadInventory(ctx.provider) : [];
  const out = [];
  for (const alarm of page.items) out.push(await alarmOut(alarm, args.include_metric_data, inventory, ctx));
  return { alarms: out, total_count: page.total_count, truncated: page.truncated };
}

function updatedAt(a: MetricAlarmInfo): number {
  return (a.stateUpdatedTimestamp && parseInstant(a.stateUpdatedTimestamp)) || 0;
}

async function alarmOut(
  alarm: MetricAlarmInfo,
  includeData: boolean,
  inventory: Awaited<ReturnType<typeof loadInventory>>,
  ctx: OperationContext<MetricsProvider>,
) {
  const m = alarm.metric;
  const known = m
    ? inventory.find((i) => i.namespace === m.namespace && i.metricName === m.metricName && sameDimensions(i.dimensions, m.dimensions))
    : undefined;
  const stat = m?.stat ?? (known ? statOf(known) : 'Average');
  const period = m?.period ?? known?.period ?? 60;
  const updated = alarm.stateUpdatedTimestamp ? parseInstant(alarm.stateUpdatedTimestamp) : null;
  const op = alarm.comparisonOperator ? OPERATORS[alarm.comparisonOperator] : undefined;
  const evaluation = alarm.evaluationPeriods ?? 1;
  const condition =
    m && alarm.threshold !== undefined && alarm.comparisonOperator
      ? `${stat} of ${m.metricName} ${op?.symbol ?? alarm.comparisonOperator} ${alarm.threshold} for ${alarm.datapointsToAlarm ?? evaluation} of ${evaluation} period(s) of ${period} s`
      : undefined;
  return compact({
    alarm_name: alarm.alarmName,
    alarm_arn: alarm.alarmArn,
    description: alarm.description,
    state: alarm.stateValue,
    state_reason: alarm.stateReason,
    state_updated_at: updated !== null ? iso(updated) : undefined,
    metric: m ? metricRef(m, stat, period) : undefined,
    metric_type: m ? classifyMetric(m.namespace, m.metricName)?.kind : undefined,
    ...(m ? entityFields(known?.entity ?? entityOf(m.dimensions)) : {}),
    threshold: alarm.threshold,
    comparison_operator: alarm.comparisonOperator,
    evaluation_periods: alarm.evaluationPeriods !== undefined ? Math.round(alarm.evaluationPeriods) : undefined,
    datapoints_to_alarm: alarm.datapointsToAlarm !== undefined ? Math.round(alarm.datapointsToAlarm) : undefined,
    condition,
    metric_data: m && includeData ? await metricData(alarm, stat, period, op, ctx) : undefined,
  });
}

async function metricData(
  alarm: MetricAlarmInfo,
  stat: string,
  period: number,
  op: (typeof OPERATORS)[string] | undefined,
  ctx: OperationContext<MetricsProvider>,
) {
  const m = alarm.metric!;
  const end = ctx.now;
  const start = end - Math.max(HOUR, 5 * (alarm.evaluationPeriods ?? 1) * period * 1000);
  const [result] = await ctx.provider.getMetricData([{ namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat, period }], start, end);
  const series = result ? toSeries(result.timestamps, result.values) : { timestamps: [], values: [] };
  const threshold = alarm.threshold;
  const breaching = series.values.map((v) => (op && threshold !== undefined ? op.breaches(v, threshold) : undefined));
  let firstBreach: number | undefined;
  const last = breaching.lastIndexOf(true);
  if (last >= 0) {
    let i = last;
    while (i > 0 && breaching[i - 1] === true) i--;
    firstBreach = series.timestamps[i];
  }
  const from = Math.max(0, series.timestamps.length - MAX_DATAPOINTS);
  return compact({
    window: windowOut({ start, end }),
    datapoints: series.timestamps.slice(from).map((t, j) => compact({ timestamp: iso(t), value: num(series.values[from + j]!)!, breaching: breaching[from + j] })),
    total_count: series.timestamps.length,
    truncated: series.timestamps.length > MAX_DATAPOINTS,
    current_value: num(series.values.at(-1)),
    breaching_count: breaching.filter((b) => b === true).length,
    first_breach_at: firstBreach !== undefined ? iso(firstBreach) : undefined,
  });
}

function sameDimensions(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
