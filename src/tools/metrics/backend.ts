/** The metrics tool backend: every operation of openapi/metrics.yaml over a MetricsProvider. */
import type { MetricsProvider } from '../../providers/metrics/port.ts';
import type { ToolBackend } from '../invoke.ts';
import { describeAlarms } from './alarms.ts';
import { detectMetricAnomalies } from './anomalies.ts';
import { getAvailabilityMetrics } from './availability.ts';
import { getErrorRates } from './errors.ts';
import { listMetrics } from './list-metrics.ts';
import { getMetricData } from './metric-data.ts';
import { getPerformanceMetrics } from './performance.ts';
import { getResourceMetrics } from './resources.ts';
import { analyzeTrends } from './trends.ts';

export const metricsBackend: ToolBackend<MetricsProvider> = {
  backend: 'metrics',
  operations: {
    get_performance_metrics: getPerformanceMetrics,
    get_error_rates: getErrorRates,
    get_resource_metrics: getResourceMetrics,
    get_availability_metrics: getAvailabilityMetrics,
    analyze_trends: analyzeTrends,
    get_metric_data: getMetricData,
    list_metrics: listMetrics,
    detect_metric_anomalies: detectMetricAnomalies,
    describe_alarms: describeAlarms,
  },
};
