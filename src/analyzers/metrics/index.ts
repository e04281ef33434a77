/** Metric analysis for incidents: robust baselines, change points, daily recurrence, and the one-call summary. */
export { toSeries, sliceByTime, typicalStep, lowerBound, upperBound } from './series.ts';
export type { Series } from './series.ts';
export { robustBaseline, robustZ, median, quantileSorted } from './baseline.ts';
export type { RobustBaseline } from './baseline.ts';
export { findChangePoint, medianFilter, MIN_CHANGE_Z } from './change-point.ts';
export type { ChangePoint } from './change-point.ts';
export { recursDaily, DAY_MS } from './seasonality.ts';
export type { DailyRecurrence } from './seasonality.ts';
export { summarizeChange, ANOMALY_Z, SPIKE_Z, MIN_RELATIVE_CHANGE, MIN_BASELINE_SAMPLES } from './change.ts';
export type { ChangeSummary, ChangeWindow } from './change.ts';
export { createStreamingDetector, DEFAULT_DETECTOR_OPTIONS, RECORD_TIER } from './streaming-detector.ts';
export type { StreamingDetector, StreamingDetectorOptions } from './streaming-detector.ts';
