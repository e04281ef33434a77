/**
 * What the metrics tools need: CloudWatch metric identities, GetMetricData results and alarm definitions. The
 * fixture provider answers from recorded GetMetricData requests/responses; the CloudWatch provider calls the API.
 */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  /** Dimension name → value, whatever form (map or Name/Value list) the source used. */
  dimensions: Record<string, string>;
}

export interface MetricQuery extends MetricIdentity {
  /** Average, Sum, Maximum, Minimum, SampleCount, p99, ... */
  stat: string;
  /** Seconds; the provider may answer at the period it has. */
  period?: number;
}

export interface MetricSeries {
  metric: MetricIdentity;
  stat: string;
  period: number;
  label: string;
  /** Epoch ms ascending, with `values` of equal length. */
  timestamps: number[];
  values: number[];
  /** Complete | PartialData | InternalError | Forbidden, as GetMetricData reports. */
  statusCode: string;
}

export interface AvailableMetric extends MetricIdentity {
  stats: string[];
  period: number;
}

export interface MetricAlarmInfo {
  alarmName: string;
  alarmArn?: string;
  description?: string;
  stateValue?: string;
  stateReason?: string;
  stateUpdatedTimestamp?: string;
  metric?: MetricIdentity & { stat?: string; period?: number };
  threshold?: number;
  comparisonOperator?: string;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
}

export interface MetricsProvider {
  /** Metrics that exist, narrowed by namespace, name and dimension values (a dimension given as '' or '*' only needs to exist). */
  listMetrics(filter?: { namespace?: string; metricName?: string; dimensions?: Record<string, string> }): Promise<AvailableMetric[]>;
  /** One series per query (same order); a query the backend has no data for gives an empty series. */
  getMetricData(queries: MetricQuery[], start: number, end: number): Promise<MetricSeries[]>;
  describeAlarms(filter?: { alarmNames?: string[]; stateValue?: string }): Promise<MetricAlarmInfo[]>;
}
