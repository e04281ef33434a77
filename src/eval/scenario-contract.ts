/**
 * The scenario contract checker: verifies that a scenario folder holds what /work/shared/SCENARIOS.md
 * (docs: the scenario contract) fixes — scenario.json, expected.json, Kubernetes v1 Lists, container
 * logs with `kubectl logs --timestamps` prefixes, CloudWatch FilterLogEvents / GetMetricData /
 * DescribeAlarms shapes and runbook front matter.
 *
 * It is liberal where the contract is silent (extra fields, unknown extra files, missing optional
 * files) and strict on the shapes the providers parse. Every problem names the file (relative to the
 * scenario folder, with `/` separators) and the offending field.
 */
import { CATEGORIES } from '../domain/taxonomy.ts';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ContractProblem {
  /** Path relative to the scenario folder, `/`-separated (e.g. `kubernetes/pods.json`). */
  file: string;
  message: string;
}

/** Root-cause taxonomy ids (SCENARIOS.md, "Root-cause taxonomy"): the one taxonomy of the project. */
export const ROOT_CAUSE_CATEGORIES: readonly string[] = CATEGORIES;

/** Known Kubernetes files: the kind of their items and the apiVersions a real API server returns for it. */
const KUBERNETES_FILES: Readonly<Record<string, { kind: string; apiVersions: readonly string[]; namespaced: boolean }>> = {
  'pods.json': { kind: 'Pod', apiVersions: ['v1'], namespaced: true },
  'deployments.json': { kind: 'Deployment', apiVersions: ['apps/v1'], namespaced: true },
  'replicasets.json': { kind: 'ReplicaSet', apiVersions: ['apps/v1'], namespaced: true },
  'events.json': { kind: 'Event', apiVersions: ['v1'], namespaced: true },
  'nodes.json': { kind: 'Node', apiVersions: ['v1'], namespaced: false },
  'services.json': { kind: 'Service', apiVersions: ['v1'], namespaced: true },
  'endpoints.json': { kind: 'Endpoints', apiVersions: ['v1'], namespaced: true },
  'hpa.json': { kind: 'HorizontalPodAutoscaler', apiVersions: ['autoscaling/v2', 'autoscaling/v1', 'autoscaling/v2beta2'], namespaced: true },
  'statefulsets.json': { kind: 'StatefulSet', apiVersions: ['apps/v1'], namespaced: true },
  'pvcs.json': { kind: 'PersistentVolumeClaim', apiVersions: ['v1'], namespaced: true },
};

/** Kinds an expected.json resource may name whose existence can be checked against a scenario file. */
const RESOURCE_FILES: Readonly<Record<string, string>> = {
  Pod: 'pods.json',
  Deployment: 'deployments.json',
  ReplicaSet: 'replicasets.json',
  Node: 'nodes.json',
  Service: 'services.json',
  StatefulSet: 'statefulsets.json',
  PersistentVolumeClaim: 'pvcs.json',
  HorizontalPodAutoscaler: 'hpa.json',
};

const CLUSTER_SCOPED_KINDS = new Set(['Node', 'PersistentVolume', 'Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'IngressClass']);

const METRIC_STATUS_CODES = new Set(['Complete', 'InternalError', 'PartialData', 'Forbidden']);
const ALARM_STATES = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

// ---------------------------------------------------------------------------------------------
// Time helpers

/** An ISO 8601 / RFC 3339 instant with a date, a time, optional fraction (up to 9 digits) and a zone. */
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;
/** The prefix `kubectl logs --timestamps` writes: an RFC 3339 instant followed by one space. */
const LOG_PREFIX_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) /;

/** Epoch milliseconds of an ISO instant, or undefined when the string is not one. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANT_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (frac) ms += Number(`0.${frac}`) * 1000;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** EventBridge's `detail.state.timestamp` style: `2026-03-14T10:31:52.310+0000` is an instant too. */
function isInstant(value: unknown): value is string {
  return parseInstant(value) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Small shape helpers

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}
function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

class Collector {
  readonly problems: ContractProblem[] = [];
  add(file: string, message: string): void {
    this.problems.push({ file, message });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads and parses a JSON file; reports and returns undefined when it cannot be parsed. */
async function readJson(dir: string, rel: string, out: Collector): Promise<Json | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, rel), 'utf8');
  } catch (err) {
    out.add(rel, `cannot be read: ${(err as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    out.add(rel, `is not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}

async function walkFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  async function walk(d: string): Promise<void> {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(p);
    }
  }
  if (await isDirectory(root)) await walk(root);
  return files.sort();
}

function relPath(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Sub-folders of `root` that hold a scenario.json, sorted by name (full paths). */
export async function listScenarioDirs(root: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const d = join(root, e.name);
    if (await exists(join(d, 'scenario.json'))) dirs.push(d);
  }
  return dirs.sort();
}

/** Every way the scenario folder `dir` departs from the contract; an empty array means it conforms. */
export async function checkScenario(dir: string): Promise<ContractProblem[]> {
  const out = new Collector();
  const ctx: Context = { dir, out, now: undefined, k8s: {} };

  await checkScenarioJson(ctx);
  await checkKubernetes(ctx);
  await checkContainerLogs(ctx);
  const metricQueries = await checkCloudWatch(ctx);
  await checkTriggerCoverage(ctx, metricQueries);
  await checkRunbooks(ctx);
  await checkExpected(ctx);
  return out.problems;
}

// ---------------------------------------------------------------------------------------------

interface Context {
  dir: string;
  out: Collector;
  /** scenario.json `now` in epoch ms, when valid. */
  now: number | undefined;
  /** Parsed Kubernetes Lists that passed the List check, keyed by file name. */
  k8s: Record<string, Obj[]>;
  trigger?: Obj;
  alarmNames?: Set<string>;
}

function checkNotAfterNow(ctx: Context, file: string, field: string, ms: number | undefined): void {
  if (ctx.now === undefined || ms === undefined) return;
  if (ms > ctx.now) {
    ctx.out.add(file, `${field}: ${new Date(ms).toISOString()} is after the scenario's now (${new Date(ctx.now).toISOString()}); all data must end at or before now`);
  }
}

// ---- scenario.json ---------------------------------------------------------------------------

async function checkScenarioJson(ctx: Context): Promise<void> {
  const file = 'scenario.json';
  const { dir, out } = ctx;
  if (!(await exists(join(dir, file)))) {
    out.add(file, 'is missing (required)');
    return;
  }
  const doc = await readJson(dir, file, out);
  if (doc === undefined) return;
  if (!isObj(doc)) {
    out.add(file, 'must be a JSON object');
    return;
  }
  for (const key of ['id', 'title', 'cluster', 'region'] as const) {
    if (!isNonEmptyString(doc[key])) out.add(file, `${key}: expected a non-empty string, got ${describe(doc[key])}`);
  }
  if (isNonEmptyString(doc.id) && !/^[a-z0-9][a-z0-9._-]*$/.test(doc.id)) out.add(file, `id: ${describe(doc.id)} should be a lower-case slug`);
  if (isNonEmptyString(doc.region) && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(doc.region)) out.add(file, `region: ${describe(doc.region)} is not an AWS region name`);
  const now = parseInstant(doc.now);
  if (now === undefined) out.add(file, `now: expected an ISO 8601 instant such as 2026-03-14T10:32:00Z, got ${describe(doc.now)}`);
  ctx.now = now;

  const trigger = doc.trigger;
  if (!isObj(trigger)) {
    out.add(file, `trigger: expected an object, got ${describe(trigger)}`);
    return;
  }
  ctx.trigger = trigger;
  if (trigger.type === 'question') {
    if (!isNonEmptyString(trigger.question)) out.add(file, `trigger.question: expected a non-empty string, got ${describe(trigger.question)}`);
    if (trigger.userId !== undefined && !isNonEmptyString(trigger.userId)) out.add(file, `trigger.userId: expected a non-empty string, got ${describe(trigger.userId)}`);
  } else if (trigger.type === 'alarm') {
    checkAlarmEvent(ctx, file, trigger.event);
  } else {
    out.add(file, `trigger.type: expected "alarm" or "question", got ${describe(trigger.type)}`);
  }
}

function checkAlarmEvent(ctx: Context, file: string, event: Json | undefined): void {
  const { out } = ctx;
  const p = 'trigger.event';
  if (!isObj(event)) {
    out.add(file, `${p}: expected the EventBridge event object, got ${describe(event)}`);
    return;
  }
  if (event.source !== 'aws.cloudwatch') out.add(file, `${p}.source: expected "aws.cloudwatch", got ${describe(event.source)}`);
  if (event['detail-type'] !== 'CloudWatch Alarm State Change') out.add(file, `${p}.detail-type: expected "CloudWatch Alarm State Change", got ${describe(event['detail-type'])}`);
  for (const key of ['id', 'account', 'region'] as const) {
    if (!isNonEmptyString(event[key])) out.add(file, `${p}.${key}: expected a non-empty string, got ${describe(event[key])}`);
  }
  if (!isInstant(event.time)) out.add(file, `${p}.time: expected an ISO instant, got ${describe(event.time)}`);
  else checkNotAfterNow(ctx, file, `${p}.time`, parseInstant(event.time));
  if (!Array.isArray(event.resources) || !event.resources.some((r) => typeof r === 'string' && r.startsWith('arn:aws'))) {
    out.add(file, `${p}.resources: expected an array holding the alarm ARN`);
  }
  const detail = event.detail;
  if (!isObj(detail)) {
    out.add(file, `${p}.detail: expected an object, got ${describe(detail)}`);
    return;
  }
  if (!isNonEmptyString(detail.alarmName)) out.add(file, `${p}.detail.alarmName: expected a non-empty string, got ${describe(detail.alarmName)}`);
  const state = detail.state;
  if (!isObj(state)) {
    out.add(file, `${p}.detail.state: expected an object, got ${describe(state)}`);
  } else {
    if (state.value !== 'ALARM') out.add(file, `${p}.detail.state.value: expected "ALARM", got ${describe(state.value)}`);
    if (state.timestamp !== undefined && !isInstant(state.timestamp)) out.add(file, `${p}.detail.state.timestamp: expected an instant, got ${describe(state.timestamp)}`);
    if (state.reasonData !== undefined) {
      if (typeof state.reasonData !== 'string') out.add(file, `${p}.detail.state.reasonData: expected a JSON string, got ${describe(state.reasonData)}`);
      else {
        try {
          JSON.parse(state.reasonData);
        } catch {
          out.add(file, `${p}.detail.state.reasonData: is not valid JSON text`);
        }
      }
    }
  }
  const cfg = detail.configuration;
  const metrics = isObj(cfg) ? cfg.metrics : undefined;
  if (!Array.isArray(metrics) || metrics.length === 0) {
    out.add(file, `${p}.detail.configuration.metrics: expected a non-empty array, got ${describe(metrics)}`);
    return;
  }
  let withMetric = 0;
  metrics.forEach((m, i) => {
    const mp = `${p}.detail.configuration.metrics[${i}]`;
    if (!isObj(m)) {
      out.add(file, `${mp}: expected an object`);
      return;
    }
    if (!isNonEmptyString(m.id)) out.add(file, `${mp}.id: expected a non-empty string, got ${describe(m.id)}`);
    if (m.metricStat === undefined) {
      if (!isNonEmptyString(m.expression)) out.add(file, `${mp}: expected metricStat or expression`);
      return;
    }
    const ms = m.metricStat;
    const metric = isObj(ms) ? ms.metric : undefined;
    if (!isObj(ms) || !isObj(metric)) {
      out.add(file, `${mp}.metricStat.metric: expected an object, got ${describe(metric)}`);
      return;
    }
    withMetric++;
    if (!isNonEmptyString(metric.namespace)) out.add(file, `${mp}.metricStat.metric.namespace: expected a non-empty string, got ${describe(metric.namespace)}`);
    if (!isNonEmptyString(metric.name)) out.add(file, `${mp}.metricStat.metric.name: expected a non-empty string, got ${describe(metric.name)}`);
    if (metric.dimensions !== undefined) {
      if (!isObj(metric.dimensions) || !Object.values(metric.dimensions).every((v) => typeof v === 'string')) {
        out.add(file, `${mp}.metricStat.metric.dimensions: expected a map of dimension name to string value`);
      }
    }
    if (typeof ms.period !== 'number' || ms.period <= 0) out.add(file, `${mp}.metricStat.period: expected a positive number, got ${describe(ms.period)}`);
    if (!isNonEmptyString(ms.stat)) out.add(file, `${mp}.metricStat.stat: expected a statistic name, got ${describe(ms.stat)}`);
  });
  if (withMetric === 0) out.add(file, `${p}.detail.configuration.metrics: no entry has metricStat.metric naming the alarm's metric`);
}

// ---- expected.json ---------------------------------------------------------------------------

const RESOURCE_RE = /^([A-Za-z][A-Za-z0-9]*)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?\/([A-Za-z0-9]([-A-Za-z0-9._:]*[A-Za-z0-9])?)$/;

async function checkExpected(ctx: Context): Promise<void> {
  const file = 'expected.json';
  const { dir, out } = ctx;
  if (!(await exists(join(dir, file)))) {
    out.add(file, 'is missing (required: the ground truth the evaluation grades against)');
    return;
  }
  const doc = await readJson(dir, file, out);
  if (doc === undefined) return;
  if (!isObj(doc)) {
    out.add(file, 'must be a JSON object');
    return;
  }
  if (typeof doc.category !== 'string' || !ROOT_CAUSE_CATEGORIES.includes(doc.category)) {
    out.add(file, `category: ${describe(doc.category)} is not a taxonomy id (${ROOT_CAUSE_CATEGORIES.join(', ')})`);
  }
  if (doc.acceptCategories !== undefined) {
    if (!Array.isArray(doc.acceptCategories)) out.add(file, `acceptCategories: expected an array, got ${describe(doc.acceptCategories)}`);
    else
      doc.acceptCategories.forEach((c, i) => {
        if (typeof c !== 'string' || !ROOT_CAUSE_CATEGORIES.includes(c)) out.add(file, `acceptCategories[${i}]: ${describe(c)} is not a taxonomy id`);
        else if (c === doc.category) out.add(file, `acceptCategories[${i}]: repeats the category ${describe(c)}`);
      });
  }
  const resources: Array<{ field: string; value: string }> = [];
  if (doc.category === 'none' && (doc.resource === undefined || doc.resource === null || doc.resource === '')) {
    // nothing is wrong: no resource to name (absent, null or empty are all liberal readings of the contract)
  } else if (typeof doc.resource !== 'string') {
    out.add(file, `resource: expected "Kind/namespace/name", got ${describe(doc.resource)}`);
  } else {
    resources.push({ field: 'resource', value: doc.resource });
  }
  if (doc.acceptResources !== undefined) {
    if (!Array.isArray(doc.acceptResources)) out.add(file, `acceptResources: expected an array, got ${describe(doc.acceptResources)}`);
    else
      doc.acceptResources.forEach((r, i) => {
        if (typeof r !== 'string') out.add(file, `acceptResources[${i}]: expected "Kind/namespace/name", got ${describe(r)}`);
        else resources.push({ field: `acceptResources[${i}]`, value: r });
      });
  }
  for (const { field, value } of resources) checkResourceRef(ctx, file, field, value);

  if (!Array.isArray(doc.mentions)) {
    out.add(file, `mentions: expected an array of strings, got ${describe(doc.mentions)}`);
  } else {
    const mentions: string[] = [];
    doc.mentions.forEach((m, i) => {
      if (!isNonEmptyString(m)) out.add(file, `mentions[${i}]: expected a non-empty string, got ${describe(m)}`);
      else mentions.push(m);
    });
    if (mentions.length > 0) await checkMentionsInData(ctx, file, mentions);
  }
}

function checkResourceRef(ctx: Context, file: string, field: string, value: string): void {
  const m = RESOURCE_RE.exec(value);
  if (!m) {
    ctx.out.add(file, `${field}: ${describe(value)} is not of the form Kind/namespace/name (Kind//name for cluster-scoped objects)`);
    return;
  }
  const kind = m[1]!;
  const ns = m[2] ?? '';
  const name = m[4]!;
  if (CLUSTER_SCOPED_KINDS.has(kind) && ns !== '') ctx.out.add(file, `${field}: ${kind} is cluster-scoped; write ${kind}//${name}`);
  if (!CLUSTER_SCOPED_KINDS.has(kind) && ns === '' && kind in RESOURCE_FILES) ctx.out.add(file, `${field}: ${kind} is namespaced; write ${kind}/<namespace>/${name}`);
  // Where the scenario holds the list of that kind, the object must be in it.
  const listFile = RESOURCE_FILES[kind];
  if (listFile && ctx.k8s[listFile]) {
    const found = ctx.k8s[listFile].some((o) => isObj(o.metadata) && o.metadata.name === name && (ns === '' || o.metadata.namespace === ns));
    if (!found) ctx.out.add(file, `${field}: ${value} is not in kubernetes/${listFile}`);
  } else if (kind === 'DaemonSet' && ctx.k8s['pods.json']) {
    const owned = ctx.k8s['pods.json'].some(
      (p) => isObj(p.metadata) && p.metadata.namespace === ns && Array.isArray(p.metadata.ownerReferences) && p.metadata.ownerReferences.some((r) => isObj(r) && r.kind === 'DaemonSet' && r.name === name),
    );
    if (!owned) ctx.out.add(file, `${field}: no pod in kubernetes/pods.json is owned by DaemonSet ${ns}/${name}`);
  }
}

/** Each mention must be a fact present in the scenario's data (any file but expected.json and README.md). */
async function checkMentionsInData(ctx: Context, file: string, mentions: string[]): Promise<void> {
  const files = (await walkFiles(ctx.dir)).filter((f) => {
    const rel = relPath(ctx.dir, f);
    return rel !== 'expected.json' && rel !== 'README.md';
  });
  const pending = new Map(mentions.map((m) => [m.toLowerCase(), m]));
  for (const f of files) {
    if (pending.size === 0) break;
    let text: string;
    try {
      text = (await readFile(f, 'utf8')).toLowerCase();
    } catch {
      continue;
    }
    // JSON files hold strings escaped; look in the decoded text as well.
    let decoded = '';
    if (f.endsWith('.json')) {
      try {
        decoded = collectStrings(JSON.parse(text) as Json).join('\n');
      } catch {
        decoded = '';
      }
    }
    for (const [lower] of pending) if (text.includes(lower) || decoded.includes(lower)) pending.delete(lower);
  }
  for (const original of pending.values()) ctx.out.add(file, `mentions: ${describe(original)} does not appear in any data file of the scenario`);
}

function collectStrings(v: Json): string[] {
  const acc: string[] = [];
  const visit = (x: Json): void => {
    if (typeof x === 'string') {
      acc.push(x);
      // Fluent Bit envelopes and reasonData hold JSON inside strings.
      if (x.startsWith('{') || x.startsWith('[')) {
        try {
          visit(JSON.parse(x) as Json);
        } catch {
          /* not JSON */
        }
      }
    } else if (Array.isArray(x)) x.forEach(visit);
    else if (isObj(x)) Object.values(x).forEach(visit);
  };
  visit(v);
  return acc;
}

// ---- Kubernetes --------------------------------------------------------------------------------

async function checkKubernetes(ctx: Context): Promise<void> {
  const { dir, out } = ctx;
  const k8sDir = join(dir, 'kubernetes');
  if (!(await isDirectory(k8sDir))) return;
  const entries = await readdir(k8sDir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isFile() || !e.name.endsWith('.json')) continue;
    const rel = `kubernetes/${e.name}`;
    const doc = await readJson(dir, rel, out);
    if (doc === undefined) continue;
    const spec = KUBERNETES_FILES[e.name];
    const items = checkList(ctx, rel, doc, spec?.kind);
    if (!items) continue;
    if (spec) {
      ctx.k8s[e.name] = items;
      items.forEach((item, i) => checkK8sObject(ctx, rel, i, item, spec));
    }
  }
}

function checkList(ctx: Context, rel: string, doc: Json, kind: string | undefined): Obj[] | undefined {
  const { out } = ctx;
  if (!isObj(doc)) {
    out.add(rel, 'must be a Kubernetes List object ({"apiVersion":"v1","kind":"List","items":[...]})');
    return undefined;
  }
  const okKinds = ['List', ...(kind ? [`${kind}List`] : [])];
  if (typeof doc.kind !== 'string' || !(okKinds.includes(doc.kind) || (!kind && doc.kind.endsWith('List')))) {
    out.add(rel, `kind: expected ${okKinds.map((k) => `"${k}"`).join(' or ')}, got ${describe(doc.kind)}`);
  }
  if (!isNonEmptyString(doc.apiVersion)) out.add(rel, `apiVersion: expected "v1", got ${describe(doc.apiVersion)}`);
  if (!Array.isArray(doc.items)) {
    out.add(rel, `items: expected an array, got ${describe(doc.items)}`);
    return undefined;
  }
  const items: Obj[] = [];
  doc.items.forEach((item, i) => {
    if (!isObj(item)) out.add(rel, `items[${i}]: expected an object, got ${describe(item)}`);
    else items.push(item);
  });
  return items;
}

function checkK8sObject(ctx: Context, rel: string, i: number, item: Obj, spec: { kind: string; apiVersions: readonly string[]; namespaced: boolean }): void {
  const { out } = ctx;
  const md = item.metadata;
  const name = isObj(md) && typeof md.name === 'string' ? md.name : undefined;
  const at = `items[${i}]${name ? ` (${name})` : ''}`;
  if (item.kind !== spec.kind) out.add(rel, `${at}.kind: expected "${spec.kind}", got ${describe(item.kind)}`);
  if (typeof item.apiVersion !== 'string' || !spec.apiVersions.includes(item.apiVersion)) {
    out.add(rel, `${at}.apiVersion: expected ${spec.apiVersions.map((v) => `"${v}"`).join(' or ')}, got ${describe(item.apiVersion)}`);
  }
  if (!isObj(md)) {
    out.add(rel, `${at}.metadata: expected an object, got ${describe(md)}`);
    return;
  }
  if (!isNonEmptyString(md.name)) out.add(rel, `${at}.metadata.name: expected a non-empty string, got ${describe(md.name)}`);
  if (spec.namespaced && !isNonEmptyString(md.namespace)) out.add(rel, `${at}.metadata.namespace: expected a non-empty string, got ${describe(md.namespace)}`);
  if (md.creationTimestamp !== undefined) {
    if (!isInstant(md.creationTimestamp)) out.add(rel, `${at}.metadata.creationTimestamp: expected an instant, got ${describe(md.creationTimestamp)}`);
    else checkNotAfterNow(ctx, rel, `${at}.metadata.creationTimestamp`, parseInstant(md.creationTimestamp));
  }
  switch (spec.kind) {
    case 'Pod':
      checkPod(ctx, rel, at, item);
      break;
    case 'Event':
      checkEvent(ctx, rel, at, item);
      break;
    case 'Node':
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      if (!isObj(item.spec)) out.add(rel, `${at}.spec: expected an object, got ${describe(item.spec)}`);
      if (!isObj(item.status)) out.add(rel, `${at}.status: expected an object, got ${describe(item.status)}`);
      if (spec.kind === 'Node' && isObj(item.status) && !Array.isArray(item.status.conditions)) out.add(rel, `${at}.status.conditions: expected an array, got ${describe(item.status.conditions)}`);
      break;
    case 'Service':
      if (!isObj(item.spec)) out.add(rel, `${at}.spec: expected an object, got ${describe(item.spec)}`);
      break;
    default:
      break;
  }
}

function checkPod(ctx: Context, rel: string, at: string, pod: Obj): void {
  const { out } = ctx;
  const spec = pod.spec;
  const status = pod.status;
  if (!isObj(spec)) out.add(rel, `${at}.spec: expected an object, got ${describe(spec)}`);
  else if (!Array.isArray(spec.containers) || spec.containers.length === 0) out.add(rel, `${at}.spec.containers: expected a non-empty array, got ${describe(spec.containers)}`);
  else
    spec.containers.forEach((c, j) => {
      if (!isObj(c) || !isNonEmptyString(c.name) || !isNonEmptyString(c.image)) out.add(rel, `${at}.spec.containers[${j}]: expected an object with name and image`);
    });
  if (!isObj(status)) {
    out.add(rel, `${at}.status: expected an object, got ${describe(status)}`);
    return;
  }
  const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
  if (typeof status.phase !== 'string' || !phases.includes(status.phase)) out.add(rel, `${at}.status.phase: expected one of ${phases.join(', ')}, got ${describe(status.phase)}`);
  for (const key of ['containerStatuses', 'initContainerStatuses'] as const) {
    const list = status[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      out.add(rel, `${at}.status.${key}: expected an array, got ${describe(list)}`);
      continue;
    }
    list.forEach((cs, j) => {
      const cp = `${at}.status.${key}[${j}]`;
      if (!isObj(cs)) {
        out.add(rel, `${cp}: expected an object`);
        return;
      }
      if (!isNonEmptyString(cs.name)) out.add(rel, `${cp}.name: expected a non-empty string, got ${describe(cs.name)}`);
      if (typeof cs.ready !== 'boolean') out.add(rel, `${cp}.ready: expected a boolean, got ${describe(cs.ready)}`);
      if (typeof cs.restartCount !== 'number') out.add(rel, `${cp}.restartCount: expected a number, got ${describe(cs.restartCount)}`);
      if (!isObj(cs.state) || !['running', 'waiting', 'terminated'].some((s) => isObj((cs.state as Obj)[s]))) {
        out.add(rel, `${cp}.state: expected an object with one of running, waiting, terminated`);
      }
      if (cs.lastState !== undefined && !isObj(cs.lastState)) out.add(rel, `${cp}.lastState: expected an object, got ${describe(cs.lastState)}`);
      const terminated = isObj(cs.lastState) ? cs.lastState.terminated : undefined;
      if (isObj(terminated) && typeof terminated.exitCode !== 'number') out.add(rel, `${cp}.lastState.terminated.exitCode: expected a number, got ${describe(terminated.exitCode)}`);
    });
  }
}

function checkEvent(ctx: Context, rel: string, at: string, ev: Obj): void {
  const { out } = ctx;
  const io = ev.involvedObject;
  if (!isObj(io) || !isNonEmptyString(io.kind) || !isNonEmptyString(io.name)) out.add(rel, `${at}.involvedObject: expected an object with kind and name`);
  if (!isNonEmptyString(ev.reason)) out.add(rel, `${at}.reason: expected a non-empty string, got ${describe(ev.reason)}`);
  if (typeof ev.message !== 'string') out.add(rel, `${at}.message: expected a string, got ${describe(ev.message)}`);
  if (ev.type !== 'Normal' && ev.type !== 'Warning') out.add(rel, `${at}.type: expected "Normal" or "Warning", got ${describe(ev.type)}`);
  const series = isObj(ev.series) ? ev.series : undefined;
  const times: Array<[string, Json | undefined]> = [
    ['firstTimestamp', ev.firstTimestamp],
    ['lastTimestamp', ev.lastTimestamp],
    ['eventTime', ev.eventTime],
    ['series.lastObservedTime', series?.lastObservedTime],
  ];
  let any = false;
  for (const [field, v] of times) {
    if (v === undefined || v === null) continue;
    if (!isInstant(v)) {
      out.add(rel, `${at}.${field}: expected an instant or null, got ${describe(v)}`);
      continue;
    }
    any = true;
    checkNotAfterNow(ctx, rel, `${at}.${field}`, parseInstant(v));
  }
  if (!any) out.add(rel, `${at}: has no time (lastTimestamp, firstTimestamp, eventTime or series.lastObservedTime)`);
  if (ev.count !== undefined && ev.count !== null && typeof ev.count !== 'number') out.add(rel, `${at}.count: expected a number, got ${describe(ev.count)}`);
}

// ---- container logs ----------------------------------------------------------------------------

async function checkContainerLogs(ctx: Context): Promise<void> {
  const { dir, out } = ctx;
  const logsDir = join(dir, 'kubernetes', 'logs');
  const files = await walkFiles(logsDir);
  const pods = ctx.k8s['pods.json'];
  for (const f of files) {
    const rel = relPath(dir, f);
    const parts = relPath(logsDir, f).split('/');
    if (parts.length !== 3 || !parts[2]!.endsWith('.log')) {
      out.add(rel, 'container logs must be kubernetes/logs/<namespace>/<pod>/<container>.log or <container>.previous.log');
      continue;
    }
    const [ns, podName, fileName] = parts as [string, string, string];
    const container = fileName.endsWith('.previous.log') ? fileName.slice(0, -'.previous.log'.length) : fileName.slice(0, -'.log'.length);
    if (!container) out.add(rel, 'the file name must name the container');
    if (pods) {
      const pod = pods.find((p) => isObj(p.metadata) && p.metadata.name === podName && p.metadata.namespace === ns);
      if (!pod) out.add(rel, `pod ${ns}/${podName} is not in kubernetes/pods.json (kubectl logs cannot read a pod that does not exist)`);
      else {
        const spec = isObj(pod.spec) ? pod.spec : {};
        const names = [spec.containers, spec.initContainers, spec.ephemeralContainers].flatMap((l) => (Array.isArray(l) ? l : [])).map((c) => (isObj(c) ? c.name : undefined));
        if (!names.includes(container)) out.add(rel, `container ${describe(container)} is not a container of pod ${ns}/${podName}`);
      }
    }
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (err) {
      out.add(rel, `cannot be read: ${(err as Error).message}`);
      continue;
    }
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    let previous: number | undefined;
    let reported = 0;
    for (let n = 0; n < lines.length && reported < 5; n++) {
      const line = lines[n]!.replace(/\r$/, '');
      const m = LOG_PREFIX_RE.exec(line);
      if (!m) {
        out.add(rel, `line ${n + 1}: does not start with an RFC 3339 timestamp and a space (kubectl logs --timestamps): ${describe(line)}`);
        reported++;
        continue;
      }
      const ms = parseInstant(m[1]);
      if (ms === undefined) {
        out.add(rel, `line ${n + 1}: ${describe(m[1])} is not a valid instant`);
        reported++;
        continue;
      }
      if (previous !== undefined && ms < previous) {
        out.add(rel, `line ${n + 1}: timestamp ${m[1]} goes back in time (kubectl logs are in write order)`);
        reported++;
      }
      if (ctx.now !== undefined && ms > ctx.now) {
        checkNotAfterNow(ctx, rel, `line ${n + 1}`, ms);
        reported++;
      }
      previous = ms;
    }
  }
}

// ---- CloudWatch ---------------------------------------------------------------------------------

interface MetricQueryRef {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string;
}

async function checkCloudWatch(ctx: Context): Promise<MetricQueryRef[]> {
  const { dir, out } = ctx;
  const cw = join(dir, 'cloudwatch');
  const queries: MetricQueryRef[] = [];
  for (const f of await walkFiles(join(cw, 'logs'))) {
    const rel = relPath(dir, f);
    if (!f.endsWith('.json')) {
      out.add(rel, 'cloudwatch/logs holds only .json files ({"logGroupName": ..., "events": [...]})');
      continue;
    }
    const doc = await readJson(dir, rel, out);
    if (doc !== undefined) checkLogGroupFile(ctx, rel, doc);
  }
  for (const f of await walkFiles(join(cw, 'metrics'))) {
    const rel = relPath(dir, f);
    if (!f.endsWith('.json')) {
      out.add(rel, 'cloudwatch/metrics holds only .json files ({"MetricDataQueries": [...], "MetricDataResults": [...]})');
      continue;
    }
    const doc = await readJson(dir, rel, out);
    if (doc !== undefined) queries.push(...checkMetricsFile(ctx, rel, doc));
  }
  if (await exists(join(cw, 'alarms.json'))) {
    const doc = await readJson(dir, 'cloudwatch/alarms.json', out);
    if (doc !== undefined) checkAlarmsFile(ctx, 'cloudwatch/alarms.json', doc);
  }
  return queries;
}

function checkLogGroupFile(ctx: Context, rel: string, doc: Json): void {
  const { out } = ctx;
  if (!isObj(doc)) {
    out.add(rel, 'must be an object {"logGroupName": "...", "events": [...]}');
    return;
  }
  if (!isNonEmptyString(doc.logGroupName)) out.add(rel, `logGroupName: expected a non-empty string, got ${describe(doc.logGroupName)}`);
  if (!Array.isArray(doc.events)) {
    out.add(rel, `events: expected an array of FilteredLogEvent, got ${describe(doc.events)}`);
    return;
  }
  const insights = typeof doc.logGroupName === 'string' && /^\/aws\/containerinsights\/[^/]+\/application$/.test(doc.logGroupName);
  let reported = 0;
  doc.events.forEach((ev, i) => {
    if (reported >= 10) return;
    const at = `events[${i}]`;
    const before = out.problems.length;
    if (!isObj(ev)) {
      out.add(rel, `${at}: expected an object`);
    } else {
      if (typeof ev.timestamp !== 'number' || !Number.isInteger(ev.timestamp) || ev.timestamp < 1e11) out.add(rel, `${at}.timestamp: expected epoch milliseconds, got ${describe(ev.timestamp)}`);
      else checkNotAfterNow(ctx, rel, `${at}.timestamp`, ev.timestamp);
      if (typeof ev.message !== 'string') out.add(rel, `${at}.message: expected a string, got ${describe(ev.message)}`);
      if (!isNonEmptyString(ev.logStreamName)) out.add(rel, `${at}.logStreamName: expected a non-empty string, got ${describe(ev.logStreamName)}`);
      if (ev.ingestionTime !== undefined && (typeof ev.ingestionTime !== 'number' || (typeof ev.timestamp === 'number' && ev.ingestionTime < ev.timestamp))) {
        out.add(rel, `${at}.ingestionTime: expected epoch milliseconds not before timestamp, got ${describe(ev.ingestionTime)}`);
      }
      if (ev.eventId !== undefined && typeof ev.eventId !== 'string') out.add(rel, `${at}.eventId: expected a string, got ${describe(ev.eventId)}`);
      if (insights && typeof ev.message === 'string') {
        let body: unknown;
        try {
          body = JSON.parse(ev.message);
        } catch {
          body = undefined;
        }
        if (!isObj(body)) out.add(rel, `${at}.message: in a Container Insights group the message is the serialized Fluent Bit JSON object`);
        else {
          if (typeof body.log !== 'string') out.add(rel, `${at}.message.log: expected a string, got ${describe(body.log)}`);
          const k = body.kubernetes;
          if (!isObj(k) || !isNonEmptyString(k.pod_name) || !isNonEmptyString(k.namespace_name) || !isNonEmptyString(k.container_name)) {
            out.add(rel, `${at}.message.kubernetes: expected an object with pod_name, namespace_name and container_name`);
          }
        }
      }
    }
    if (out.problems.length > before) reported++;
  });
}

function checkMetricsFile(ctx: Context, rel: string, doc: Json): MetricQueryRef[] {
  const { out } = ctx;
  const refs: MetricQueryRef[] = [];
  if (!isObj(doc)) {
    out.add(rel, 'must be an object {"MetricDataQueries": [...], "MetricDataResults": [...]}');
    return refs;
  }
  if (!Array.isArray(doc.MetricDataQueries)) out.add(rel, `MetricDataQueries: expected an array, got ${describe(doc.MetricDataQueries)}`);
  if (!Array.isArray(doc.MetricDataResults)) out.add(rel, `MetricDataResults: expected an array, got ${describe(doc.MetricDataResults)}`);
  if (!Array.isArray(doc.MetricDataQueries) || !Array.isArray(doc.MetricDataResults)) return refs;

  const queryIds = new Map<string, Obj>();
  doc.MetricDataQueries.forEach((q, i) => {
    const at = `MetricDataQueries[${i}]`;
    if (!isObj(q)) {
      out.add(rel, `${at}: expected an object`);
      return;
    }
    if (typeof q.Id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) out.add(rel, `${at}.Id: expected an id starting with a lower-case letter (letters, digits, _), got ${describe(q.Id)}`);
    else if (queryIds.has(q.Id)) out.add(rel, `${at}.Id: duplicate Id ${describe(q.Id)}`);
    else queryIds.set(q.Id, q);
    if (q.MetricStat === undefined) {
      if (!isNonEmptyString(q.Expression)) out.add(rel, `${at}: expected MetricStat or Expression`);
      return;
    }
    const ms = q.MetricStat;
    if (!isObj(ms)) {
      out.add(rel, `${at}.MetricStat: expected an object, got ${describe(ms)}`);
      return;
    }
    const metric = ms.Metric;
    if (!isObj(metric)) {
      out.add(rel, `${at}.MetricStat.Metric: expected an object, got ${describe(metric)}`);
      return;
    }
    if (!isNonEmptyString(metric.Namespace)) out.add(rel, `${at}.MetricStat.Metric.Namespace: expected a non-empty string, got ${describe(metric.Namespace)}`);
    if (!isNonEmptyString(metric.MetricName)) out.add(rel, `${at}.MetricStat.Metric.MetricName: expected a non-empty string, got ${describe(metric.MetricName)}`);
    const dims: Record<string, string> = {};
    if (metric.Dimensions !== undefined) {
      if (!Array.isArray(metric.Dimensions)) out.add(rel, `${at}.MetricStat.Metric.Dimensions: expected an array of {Name, Value}, got ${describe(metric.Dimensions)}`);
      else
        metric.Dimensions.forEach((d, j) => {
          if (!isObj(d) || !isNonEmptyString(d.Name) || typeof d.Value !== 'string') out.add(rel, `${at}.MetricStat.Metric.Dimensions[${j}]: expected {Name, Value} strings`);
          else dims[d.Name] = d.Value;
        });
    }
    if (typeof ms.Period !== 'number' || ms.Period <= 0) out.add(rel, `${at}.MetricStat.Period: expected a positive number of seconds, got ${describe(ms.Period)}`);
    if (!isNonEmptyString(ms.Stat)) out.add(rel, `${at}.MetricStat.Stat: expected a statistic name, got ${describe(ms.Stat)}`);
    if (isNonEmptyString(metric.Namespace) && isNonEmptyString(metric.MetricName) && isNonEmptyString(ms.Stat)) {
      refs.push({ namespace: metric.Namespace, name: metric.MetricName, dimensions: dims, stat: ms.Stat });
    }
  });

  const resultIds = new Set<string>();
  doc.MetricDataResults.forEach((r, i) => {
    const at = `MetricDataResults[${i}]`;
    if (!isObj(r)) {
      out.add(rel, `${at}: expected an object`);
      return;
    }
    if (typeof r.Id !== 'string') {
      out.add(rel, `${at}.Id: expected a string, got ${describe(r.Id)}`);
    } else {
      if (!queryIds.has(r.Id)) out.add(rel, `${at}.Id: ${describe(r.Id)} matches no query in MetricDataQueries`);
      if (resultIds.has(r.Id)) out.add(rel, `${at}.Id: duplicate result for ${describe(r.Id)}`);
      resultIds.add(r.Id);
    }
    if (r.Label !== undefined && typeof r.Label !== 'string') out.add(rel, `${at}.Label: expected a string, got ${describe(r.Label)}`);
    if (typeof r.StatusCode !== 'string' || !METRIC_STATUS_CODES.has(r.StatusCode)) out.add(rel, `${at}.StatusCode: expected one of ${[...METRIC_STATUS_CODES].join(', ')}, got ${describe(r.StatusCode)}`);
    if (!Array.isArray(r.Timestamps)) out.add(rel, `${at}.Timestamps: expected an array, got ${describe(r.Timestamps)}`);
    if (!Array.isArray(r.Values)) out.add(rel, `${at}.Values: expected an array, got ${describe(r.Values)}`);
    if (!Array.isArray(r.Timestamps) || !Array.isArray(r.Values)) return;
    if (r.Timestamps.length !== r.Values.length) out.add(rel, `${at}: Timestamps (${r.Timestamps.length}) and Values (${r.Values.length}) differ in length`);
    const bad = r.Values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) out.add(rel, `${at}.Values[${bad}]: expected a finite number, got ${describe(r.Values[bad])}`);
    const times: number[] = [];
    for (let j = 0; j < r.Timestamps.length; j++) {
      const t = parseInstant(r.Timestamps[j]);
      if (t === undefined) {
        out.add(rel, `${at}.Timestamps[${j}]: expected an ISO instant, got ${describe(r.Timestamps[j])}`);
        return;
      }
      times.push(t);
    }
    const asc = times.every((t, j) => j === 0 || t > times[j - 1]!);
    const desc = times.every((t, j) => j === 0 || t < times[j - 1]!);
    if (!asc && !desc) out.add(rel, `${at}.Timestamps: must be strictly ascending or strictly descending (no duplicates)`);
    if (times.length > 0) checkNotAfterNow(ctx, rel, `${at}.Timestamps`, Math.max(...times));
  });
  for (const [id, q] of queryIds) {
    if (q.ReturnData !== false && !resultIds.has(id)) out.add(rel, `MetricDataResults: no result for query Id ${describe(id)}`);
  }
  return refs;
}

function checkAlarmsFile(ctx: Context, rel: string, doc: Json): void {
  const { out } = ctx;
  if (!isObj(doc)) {
    out.add(rel, 'must be a DescribeAlarms response {"MetricAlarms": [...]}');
    return;
  }
  if (!Array.isArray(doc.MetricAlarms)) {
    out.add(rel, `MetricAlarms: expected an array, got ${describe(doc.MetricAlarms)}`);
    return;
  }
  if (doc.CompositeAlarms !== undefined && !Array.isArray(doc.CompositeAlarms)) out.add(rel, `CompositeAlarms: expected an array, got ${describe(doc.CompositeAlarms)}`);
  const names = new Set<string>();
  doc.MetricAlarms.forEach((a, i) => {
    const at = `MetricAlarms[${i}]`;
    if (!isObj(a)) {
      out.add(rel, `${at}: expected an object`);
      return;
    }
    if (!isNonEmptyString(a.AlarmName)) out.add(rel, `${at}.AlarmName: expected a non-empty string, got ${describe(a.AlarmName)}`);
    else names.add(a.AlarmName);
    if (typeof a.StateValue !== 'string' || !ALARM_STATES.has(a.StateValue)) out.add(rel, `${at}.StateValue: expected OK, ALARM or INSUFFICIENT_DATA, got ${describe(a.StateValue)}`);
    const single = isNonEmptyString(a.MetricName) && isNonEmptyString(a.Namespace);
    if (!single && !Array.isArray(a.Metrics)) out.add(rel, `${at}: expected MetricName and Namespace, or Metrics`);
    if (a.Dimensions !== undefined && (!Array.isArray(a.Dimensions) || !a.Dimensions.every((d) => isObj(d) && isNonEmptyString(d.Name) && typeof d.Value === 'string'))) {
      out.add(rel, `${at}.Dimensions: expected an array of {Name, Value}`);
    }
    if (a.StateUpdatedTimestamp !== undefined) {
      if (!isInstant(a.StateUpdatedTimestamp)) out.add(rel, `${at}.StateUpdatedTimestamp: expected an instant, got ${describe(a.StateUpdatedTimestamp)}`);
      else checkNotAfterNow(ctx, rel, `${at}.StateUpdatedTimestamp`, parseInstant(a.StateUpdatedTimestamp));
    }
  });
  ctx.alarmNames = names;
}

/** An alarm trigger's metric must be answerable from the metrics files; its alarm must be in alarms.json. */
async function checkTriggerCoverage(ctx: Context, queries: MetricQueryRef[]): Promise<void> {
  const trigger = ctx.trigger;
  if (!trigger || trigger.type !== 'alarm' || !isObj(trigger.event) || !isObj(trigger.event.detail)) return;
  const detail = trigger.event.detail;
  if (ctx.alarmNames && typeof detail.alarmName === 'string' && !ctx.alarmNames.has(detail.alarmName)) {
    ctx.out.add('cloudwatch/alarms.json', `MetricAlarms: the triggering alarm ${describe(detail.alarmName)} is missing`);
  }
  const metrics = isObj(detail.configuration) && Array.isArray(detail.configuration.metrics) ? detail.configuration.metrics : [];
  metrics.forEach((m, i) => {
    if (!isObj(m) || !isObj(m.metricStat) || !isObj(m.metricStat.metric)) return;
    const metric = m.metricStat.metric;
    const stat = m.metricStat.stat;
    const dims = isObj(metric.dimensions) ? metric.dimensions : {};
    const found = queries.some(
      (q) =>
        q.namespace === metric.namespace &&
        q.name === metric.name &&
        (stat === undefined || q.stat === stat) &&
        Object.keys(q.dimensions).length === Object.keys(dims).length &&
        Object.entries(dims).every(([k, v]) => q.dimensions[k] === v),
    );
    if (!found) {
      ctx.out.add(
        'scenario.json',
        `trigger.event.detail.configuration.metrics[${i}]: the alarm's metric ${String(metric.namespace)}/${String(metric.name)} ${JSON.stringify(dims)} (${String(stat)}) is in no cloudwatch/metrics file`,
      );
    }
  });
}

// ---- runbooks -----------------------------------------------------------------------------------

async function checkRunbooks(ctx: Context): Promise<void> {
  const { dir, out } = ctx;
  const ids = new Map<string, string>();
  for (const f of await walkFiles(join(dir, 'runbooks'))) {
    const rel = relPath(dir, f);
    if (!f.endsWith('.md')) {
      out.add(rel, 'runbooks/ holds only Markdown (*.md) files with YAML front matter');
      continue;
    }
    const text = await readFile(f, 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!m) {
      out.add(rel, 'must start with YAML front matter between --- lines');
      continue;
    }
    let fm: unknown;
    try {
      fm = parseYaml(m[1]!);
    } catch (err) {
      out.add(rel, `front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!isObj(fm)) {
      out.add(rel, 'front matter must be a YAML mapping');
      continue;
    }
    if (!isNonEmptyString(fm.id)) out.add(rel, `front matter id: expected a non-empty string, got ${describe(fm.id)}`);
    else if (ids.has(fm.id)) out.add(rel, `front matter id: ${describe(fm.id)} is also the id of ${ids.get(fm.id)}`);
    else ids.set(fm.id, rel);
    if (!isNonEmptyString(fm.title)) out.add(rel, `front matter title: expected a non-empty string, got ${describe(fm.title)}`);
    if (!Array.isArray(fm.categories)) out.add(rel, `front matter categories: expected a list of taxonomy ids, got ${describe(fm.categories)}`);
    else
      fm.categories.forEach((c, i) => {
        if (typeof c !== 'string' || !ROOT_CAUSE_CATEGORIES.includes(c)) out.add(rel, `front matter categories[${i}]: ${describe(c)} is not a taxonomy id`);
      });
    if (fm.services !== undefined && fm.services !== null && (!Array.isArray(fm.services) || !fm.services.every((s) => typeof s === 'string'))) {
      out.add(rel, `front matter services: expected a list of service names, got ${describe(fm.services)}`);
    }
    if (fm.severity !== undefined && fm.severity !== null && typeof fm.severity !== 'string') out.add(rel, `front matter severity: expected a string, got ${describe(fm.severity)}`);
    if (m[2]!.trim().length === 0) out.add(rel, 'has front matter but no body');
  }
}
