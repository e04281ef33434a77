/** Output helpers of the metrics tools: compact numbers, ISO times, metric references and entity fields. */
import type { Entity } from '../../analyzers/metrics/catalog-service.ts';
import type { WindowStats } from '../../analyzers/metrics/stats.ts';
import type { TimeWindow } from '../../domain/time.ts';

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Few enough digits for a model to read, enough to compare: 3 decimals from 1 up, 4 significant digits below. */
export function round(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const rounded = Math.abs(value) >= 1 ? Math.round(value * 1000) / 1000 : Number(value.toPrecision(4));
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** Rounded, or undefined for NaN and infinities (JSON has no place for them). */
export function num(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? round(value) : undefined;
}

/** Drops undefined fields so optional properties are absent, never null. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function windowOut(w: TimeWindow): { start: string; end: string } {
  return { start: iso(w.start), end: iso(w.end) };
}

export interface MetricRefOut {
  namespace: string;
  metric_name: string;
  dimensions: Record<string, string>;
  stat: string;
  period_seconds?: number;
  expression?: string;
}

export function metricRef(
  m: { namespace: string; metricName: string; dimensions: Record<string, string> },
  stat: string,
  period?: number,
  expression?: string,
): MetricRefOut {
  return compact({
    namespace: m.namespace,
    metric_name: m.metricName,
    dimensions: { ...m.dimensions },
    stat,
    period_seconds: period !== undefined && Number.isFinite(period) ? Math.round(period) : undefined,
    expression,
  });
}

/** The entity as rows show it; a trailing `*` marks a name a load balancer controller may have cut to 8 characters. */
export function entityFields(entity: Entity): { service: string; entity_type: Entity['type']; k8s_namespace?: string } {
  const mark = (text: string | undefined) => (text !== undefined && entity.truncated && text.length === 8 ? `${text}*` : text);
  return compact({ service: mark(entity.name)!, entity_type: entity.type, k8s_namespace: mark(entity.namespace) });
}

/** current/average/min/max/p95 of a window, values multiplied by `factor` (unit conversion). */
export function statsFields(stats: WindowStats | undefined, factor = 1): Record<string, number | string | undefined> & { datapoints: number } {
  if (!stats) return { datapoints: 0 };
  return compact({
    current: num(stats.current * factor),
    current_at: iso(stats.currentAt),
    average: num(stats.mean * factor),
    min: num(stats.min * factor),
    max: num(stats.max * factor),
    max_at: iso(stats.maxAt),
    p95: num(stats.p95 * factor),
    datapoints: stats.n,
  });
}

/** Robust z-scores against all-zero baselines run to millions; past this they all say "far off". */
export const SCORE_CAP = 1000;

export function cappedScore(score: number): number {
  if (!Number.isFinite(score)) return score > 0 ? SCORE_CAP : score < 0 ? -SCORE_CAP : 0;
  return round(Math.max(-SCORE_CAP, Math.min(SCORE_CAP, score)));
}

/** 100 x (recent - base) / |base|; undefined when the base is 0 or either is missing. */
export function changePercent(recent: number, base: number): number | undefined {
  if (!Number.isFinite(recent) || !Number.isFinite(base) || base === 0) return undefined;
  return round((100 * (recent - base)) / Math.abs(base));
}
