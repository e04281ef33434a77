/**
 * Log analysis for incidents: parsing FilteredLogEvents once (envelopes, levels, services, workloads), re-joining
 * stack traces, error signatures, filters and Insights-style stats, and the before/after pattern comparison.
 */
export { LOG_LEVELS, levelRank, maxLevel, normalizeLevel } from './level.ts';
export type { LogLevel } from './level.ts';
export { unwrapEnvelope } from './envelope.ts';
export type { Envelope, KubernetesMeta } from './envelope.ts';
export { parseLine, inferLevel } from './line.ts';
export type { ParsedLine } from './line.ts';
export { parseLogEvent, serviceFromGroup, workloadResource } from './record.ts';
export type { LogRecord } from './record.ts';
export { joinMultiline, CONTINUATION_GAP_MS } from './multiline.ts';
export { workloadOfPod, podFromStreamName } from './workload.ts';
export type { Workload, WorkloadKind } from './workload.ts';
export {
  extractSignature, signatureText, signatureKeys, mergeSignature, isEmptySignature, SIGNATURE_KINDS, SIGNATURE_KIND_NAMES,
} from './signatures.ts';
export type { ErrorSignature, SignatureKind } from './signatures.ts';
export { recordSignature } from './record-facts.ts';
export { compileTextPattern, matchesFilter, matchesSource, matchesText, fieldValues, BUILTIN_FIELDS } from './filter.ts';
export type { RecordFilter, TextPattern } from './filter.ts';
export { computeStats, AGGREGATES } from './stats.ts';
export type { Aggregate, StatsRow, StatsSpec } from './stats.ts';
export { analyzePatterns, rankPatterns, SPIKE_RATIO, MIN_SPIKE_COUNT } from './patterns.ts';
export type { PatternAnalysis, PatternOptions, PatternStat } from './patterns.ts';
export { summarizeSignatures, summarizeSources } from './summaries.ts';
export type { SignatureStat, SourceStat } from './summaries.ts';
export { timestampValue, leadingTimestamp } from './timestamp.ts';
