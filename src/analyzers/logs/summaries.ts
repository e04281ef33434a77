/**
 * Two summaries over a window of records: who logged (per service: workloads, pods, groups, line and error
 * counts) and which error signatures occurred (per `kind:value`: counts before and after a pivot, first and
 * last seen, who logged it, one example).
 */
import { Counter } from './counter.ts';
import { type LogLevel, levelRank, maxLevel } from './level.ts';
import { type LogRecord, workloadResource } from './record.ts';
import { recordSignature } from './record-facts.ts';
import { type SignatureKind, signatureKeys } from './signatures.ts';

const LISTED = 10;

export interface SourceStat {
  service: string;
  namespaces: string[];
  workloads: string[];
  containers: string[];
  pods: string[];
  podCount: number;
  images: string[];
  logGroups: string[];
  lines: number;
  errors: number;
  warnings: number;
  firstSeen: number;
  lastSeen: number;
}

interface SourceAcc {
  namespaces: Counter;
  workloads: Counter;
  containers: Counter;
  pods: Counter;
  images: Counter;
  groups: Counter;
  lines: number;
  errors: number;
  warnings: number;
  first: number;
  last: number;
}

/** Per service, most errors first (then most lines). */
export function summarizeSources(records: readonly LogRecord[]): SourceStat[] {
  const accs = new Map<string, SourceAcc>();
  for (const r of records) {
    let acc = accs.get(r.service);
    if (!acc) {
      acc = {
        namespaces: new Counter(), workloads: new Counter(), containers: new Counter(), pods: new Counter(), images: new Counter(),
        groups: new Counter(), lines: 0, errors: 0, warnings: 0, first: r.timestamp, last: r.timestamp,
      };
      accs.set(r.service, acc);
    }
    acc.namespaces.add(r.namespace);
    acc.workloads.add(workloadResource(r));
    acc.containers.add(r.container);
    acc.pods.add(r.pod);
    acc.images.add(r.image);
    acc.groups.add(r.logGroup);
    acc.lines++;
    const rank = levelRank(r.level);
    if (rank >= levelRank('ERROR')) acc.errors++;
    else if (rank === levelRank('WARN')) acc.warnings++;
    if (r.timestamp < acc.first) acc.first = r.timestamp;
    if (r.timestamp > acc.last) acc.last = r.timestamp;
  }
  return [...accs.entries()]
    .map(([service, a]) => ({
      service,
      namespaces: a.namespaces.top(LISTED),
      workloads: a.workloads.top(LISTED),
      containers: a.containers.top(LISTED),
      pods: a.pods.top(LISTED),
      podCount: a.pods.size,
      images: a.images.top(LISTED),
      logGroups: a.groups.top(LISTED),
      lines: a.lines,
      errors: a.errors,
      warnings: a.warnings,
      firstSeen: a.first,
      lastSeen: a.last,
    }))
    .sort((x, y) => y.errors - x.errors || y.lines - x.lines || (x.service < y.service ? -1 : 1));
}

export interface SignatureStat {
  kind: SignatureKind;
  value: string;
  count: number;
  countBefore: number;
  countAfter: number;
  isNew: boolean;
  firstSeen: number;
  lastSeen: number;
  level: LogLevel;
  services: string[];
  workloads: string[];
  pods: string[];
  /** The message of the first line after the pivot that carried it, else the latest. */
  example: string;
}

interface SignatureAcc {
  kind: SignatureKind;
  value: string;
  count: number;
  before: number;
  after: number;
  first: number;
  last: number;
  level: LogLevel;
  services: Counter;
  workloads: Counter;
  pods: Counter;
  exampleAfter?: string;
  latest: string;
}

/**
 * Every signature value seen in the records, with who logged it and when. Ordered: new after the pivot first,
 * then by count after the pivot, then by total count.
 */
export function summarizeSignatures(records: readonly LogRecord[], pivot: number, kinds?: ReadonlySet<SignatureKind>): SignatureStat[] {
  const accs = new Map<string, SignatureAcc>();
  for (const r of records) {
    const sig = recordSignature(r);
    for (const { kind, value } of signatureKeys(sig)) {
      if (kinds && !kinds.has(kind)) continue;
      const key = `${kind}\u0000${value}`;
      let acc = accs.get(key);
      if (!acc) {
        acc = {
          kind, value, count: 0, before: 0, after: 0, first: r.timestamp, last: r.timestamp, level: r.level,
          services: new Counter(), workloads: new Counter(), pods: new Counter(), latest: r.message,
        };
        accs.set(key, acc);
      }
      acc.count++;
      if (r.timestamp >= pivot) {
        acc.after++;
        acc.exampleAfter ??= r.message;
      } else acc.before++;
      if (r.timestamp < acc.first) acc.first = r.timestamp;
      if (r.timestamp >= acc.last) {
        acc.last = r.timestamp;
        acc.latest = r.message;
      }
      acc.level = maxLevel(acc.level, r.level);
      acc.services.add(r.service);
      acc.workloads.add(workloadResource(r));
      acc.pods.add(r.pod);
    }
  }
  return [...accs.values()]
    .map((a) => ({
      kind: a.kind,
      value: a.value,
      count: a.count,
      countBefore: a.before,
      countAfter: a.after,
      isNew: a.before === 0 && a.after > 0,
      firstSeen: a.first,
      lastSeen: a.last,
      level: a.level,
      services: a.services.top(LISTED),
      workloads: a.workloads.top(LISTED),
      pods: a.pods.top(LISTED),
      example: a.exampleAfter ?? a.latest,
    }))
    .sort((x, y) => Number(y.isNew) - Number(x.isNew) || y.countAfter - x.countAfter || y.count - x.count || x.firstSeen - y.firstSeen);
}
