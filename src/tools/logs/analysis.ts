/** The window analyses: analyze_log_patterns, summarize_error_signatures, list_log_sources. */
import {
  type LogLevel, SIGNATURE_KIND_NAMES, SIGNATURE_KINDS, type SignatureKind, analyzePatterns, levelRank, summarizeSignatures,
  summarizeSources,
} from '../../analyzers/logs/index.ts';
import { toIso } from '../../domain/time.ts';
import type { LogsProvider } from '../../providers/logs/port.ts';
import { bounded, resolveWindow } from '../common.ts';
import type { OperationContext } from '../invoke.ts';
import {
  HOUR_MS, type ToolArgs, clipSample, filterSource, loadRecords, logGroupArgument, partialFlag, pivotArgument, resolveLogGroups, windowOutput,
} from './shared.ts';

type Ctx = OperationContext<LogsProvider>;

type PatternArgs = ToolArgs<{
  time_window: string;
  end_time?: string;
  pivot_time?: string;
  min_occurrences: number;
  service?: string;
  log_group?: string;
  log_level?: LogLevel;
  limit: number;
}>;

export async function analyzeLogPatterns(args: PatternArgs, ctx: Ctx) {
  const window = resolveWindow(args, ctx.now, { window: 'time_window', end: 'end_time' }, HOUR_MS);
  const pivot = pivotArgument(args, ctx.now, window);
  const logGroupNames = await resolveLogGroups(ctx.provider, logGroupArgument(args), 'log_group');
  const loaded = await loadRecords(ctx.provider, window, { ...(logGroupNames ? { logGroupNames } : {}) });
  const minRank = args.log_level ? levelRank(args.log_level) : 0;
  const records = filterSource(loaded.records, args.service, window).filter((r) => levelRank(r.level) >= minRank);
  const analysis = analyzePatterns(records, { window, pivot, minOccurrences: args.min_occurrences });
  const page = bounded(analysis.patterns, args.limit);
  return {
    window: windowOutput(window),
    pivot_time: toIso(pivot),
    lines_analyzed: analysis.lines,
    patterns: page.items.map((p) => ({
      pattern: p.template,
      count: p.count,
      count_before: p.countBefore,
      count_after: p.countAfter,
      is_new: p.isNew,
      ...(p.spikeRatio !== undefined ? { spike_ratio: p.spikeRatio } : {}),
      first_seen: toIso(p.firstSeen),
      last_seen: toIso(p.lastSeen),
      level: p.level,
      services: p.services,
      workloads: p.workloads,
      pods: p.pods,
      pod_count: p.podCount,
      ...(p.images.length ? { images: p.images } : {}),
      ...(Object.keys(p.signature).length ? { signature: p.signature } : {}),
      sample: clipSample(p.sample),
    })),
    total_count: page.total_count,
    truncated: page.truncated,
    ...partialFlag(loaded.partial),
  };
}

const KIND_BY_NAME: Readonly<Record<string, SignatureKind>> = Object.fromEntries(SIGNATURE_KINDS.map((k) => [SIGNATURE_KIND_NAMES[k], k]));

type SignatureArgs = ToolArgs<{
  time_window: string;
  end_time?: string;
  pivot_time?: string;
  kind?: string;
  service?: string;
  log_group?: string;
  limit: number;
}>;

export async function summarizeErrorSignatures(args: SignatureArgs, ctx: Ctx) {
  const window = resolveWindow(args, ctx.now, { window: 'time_window', end: 'end_time' }, HOUR_MS);
  const pivot = pivotArgument(args, ctx.now, window);
  const logGroupNames = await resolveLogGroups(ctx.provider, logGroupArgument(args), 'log_group');
  const loaded = await loadRecords(ctx.provider, window, { ...(logGroupNames ? { logGroupNames } : {}) });
  const records = filterSource(loaded.records, args.service, window);
  const kind = args.kind ? KIND_BY_NAME[args.kind] : undefined;
  const stats = summarizeSignatures(records, pivot, kind ? new Set([kind]) : undefined);
  const page = bounded(stats, args.limit);
  return {
    window: windowOutput(window),
    pivot_time: toIso(pivot),
    signatures: page.items.map((s) => ({
      kind: SIGNATURE_KIND_NAMES[s.kind],
      value: s.value,
      count: s.count,
      count_before: s.countBefore,
      count_after: s.countAfter,
      is_new: s.isNew,
      first_seen: toIso(s.firstSeen),
      last_seen: toIso(s.lastSeen),
      level: s.level,
      services: s.services,
      workloads: s.workloads,
      pods: s.pods,
      example: clipSample(s.example),
    })),
    total_count: page.total_count,
    truncated: page.truncated,
    ...partialFlag(loaded.partial),
  };
}

type SourceArgs = ToolArgs<{ time_window: string; end_time?: string; limit: number }>;

export async function listLogSources(args: SourceArgs, ctx: Ctx) {
  const window = resolveWindow(args, ctx.now, { window: 'time_window', end: 'end_time' }, HOUR_MS);
  const [loaded, groups] = await Promise.all([loadRecords(ctx.provider, window), ctx.provider.listLogGroups()]);
  const lines = new Map<string, number>(groups.map((g) => [g, 0]));
  for (const r of loaded.records) lines.set(r.logGroup, (lines.get(r.logGroup) ?? 0) + 1);
  const page = bounded(summarizeSources(loaded.records), args.limit);
  return {
    window: windowOutput(window),
    services: page.items.map((s) => ({
      service: s.service,
      namespaces: s.namespaces,
      workloads: s.workloads,
      containers: s.containers,
      pods: s.pods,
      pod_count: s.podCount,
      ...(s.images.length ? { images: s.images } : {}),
      log_groups: s.logGroups,
      lines: s.lines,
      errors: s.errors,
      warnings: s.warnings,
      first_seen: toIso(s.firstSeen),
      last_seen: toIso(s.lastSeen),
    })),
    log_groups: [...lines.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name, n]) => ({ name, lines: n })),
    total_count: page.total_count,
    truncated: page.truncated,
    ...partialFlag(loaded.partial),
  };
}
