import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NAB_PROFILES } from './nab.ts';
import type { CostMatrix } from './nab.ts';

/** One NAB data file with its labelled windows. */
export interface NabSeries {
  /** `category/file.csv`, the key used in NAB's label files. */
  name: string;
  timestamps: number[];
  values: number[];
  windows: Array<[number, number]>;
}

export interface NabCorpus {
  files: NabSeries[];
  profiles: Record<string, CostMatrix>;
  /** Where the profiles came from: a profiles.json path, or 'NAB defaults'. */
  profilesSource: string;
}

/** A file or folder the benchmark needs is missing or malformed; the message names it. */
export class NabInputError extends Error {
  override readonly name = 'NabInputError';
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/;

/** Parses NAB's `YYYY-MM-DD HH:MM:SS[.ffffff]` timestamps as UTC epoch ms (NAB's times carry no zone). */
export function parseNabTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return Number.NaN;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
}

/** Reads a NAB `timestamp,value` CSV. */
export function parseNabCsv(text: string, source: string): { timestamps: number[]; values: number[] } {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split(',').map((h) => h.trim()) ?? [];
  const tsColumn = header.indexOf('timestamp');
  const valueColumn = header.indexOf('value');
  if (tsColumn < 0 || valueColumn < 0) throw new NabInputError(`${source}: expected a 'timestamp,value' header, found '${lines[0] ?? ''}'`);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const t = parseNabTimestamp(cells[tsColumn] ?? '');
    const v = Number(cells[valueColumn]);
    if (!Number.isFinite(t) || !Number.isFinite(v) || (cells[valueColumn] ?? '').trim() === '') {
      throw new NabInputError(`${source}:${i + 1}: cannot read '${line}'`);
    }
    timestamps.push(t);
    values.push(v);
  }
  return { timestamps, values };
}

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new NabInputError(`${what} not found: ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new NabInputError(`${what} ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads NAB's `labels/combined_windows.json`: file name -> list of [start, end] timestamp strings. */
export function parseWindows(json: unknown, source: string): Map<string, Array<[number, number]>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new NabInputError(`${source}: expected an object of file name -> windows`);
  const out = new Map<string, Array<[number, number]>>();
  for (const [name, list] of Object.entries(json)) {
    if (!Array.isArray(list)) throw new NabInputError(`${source}: windows of ${name} are not a list`);
    out.set(
      name,
      list.map((w: unknown) => {
        const start = Array.isArray(w) && typeof w[0] === 'string' ? parseNabTimestamp(w[0]) : Number.NaN;
        const end = Array.isArray(w) && typeof w[1] === 'string' ? parseNabTimestamp(w[1]) : Number.NaN;
        if (!Number.isFinite(start) || !Number.isFinite(end)) throw new NabInputError(`${source}: bad window ${JSON.stringify(w)} for ${name}`);
        return [start, end] as [number, number];
      }),
    );
  }
  return out;
}

/** Reads NAB's `config/profiles.json`: profile name -> { CostMatrix: { tpWeight, fpWeight, fnWeight, tnWeight } }. */
export function parseProfiles(json: unknown, source: string): Record<string, CostMatrix> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new NabInputError(`${source}: expected an object of profiles`);
  const out: Record<string, CostMatrix> = {};
  for (const [name, profile] of Object.entries(json as Record<string, unknown>)) {
    const m = (profile as { CostMatrix?: Record<string, unknown> } | null)?.CostMatrix;
    const weight = (key: string): number => {
      const v = m?.[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new NabInputError(`${source}: profile ${name} lacks a numeric CostMatrix.${key}`);
      return v;
    };
    out[name] = { tpWeight: weight('tpWeight'), fpWeight: weight('fpWeight'), fnWeight: weight('fnWeight') };
  }
  if (Object.keys(out).length === 0) throw new NabInputError(`${source}: no profiles`);
  return out;
}

/**
 * Loads a corpus laid out like NAB: `<dataDir>/data/<category>/*.csv`, windows from `windowsFile`
 * (default `<dataDir>/labels/combined_windows.json`), profiles from `<dataDir>/config/profiles.json` when present.
 * Every data file must have an entry in the windows file (an empty list for none); entries for files that are
 * not present are ignored.
 */
export function loadNabCorpus(dataDir: string, windowsFile = join(dataDir, 'labels', 'combined_windows.json')): NabCorpus {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new NabInputError(`NAB folder not found: ${dataDir}`);
  const dataRoot = join(dataDir, 'data');
  if (!existsSync(dataRoot) || !statSync(dataRoot).isDirectory()) throw new NabInputError(`NAB data folder not found: ${dataRoot} (expected data/<category>/*.csv)`);
  const windows = parseWindows(readJson(windowsFile, 'NAB windows file'), windowsFile);
  const profilesFile = join(dataDir, 'config', 'profiles.json');
  const hasProfiles = existsSync(profilesFile);
  const profiles = hasProfiles ? parseProfiles(readJson(profilesFile, 'NAB profiles file'), profilesFile) : { ...NAB_PROFILES };

  const files: NabSeries[] = [];
  for (const category of readdirSync(dataRoot).sort()) {
    const categoryDir = join(dataRoot, category);
    if (!statSync(categoryDir).isDirectory()) continue;
    for (const fileName of readdirSync(categoryDir).sort()) {
      if (!fileName.endsWith('.csv')) continue;
      const name = `${category}/${fileName}`;
      const fileWindows = windows.get(name);
      if (!fileWindows) throw new NabInputError(`${windowsFile} has no entry for ${name}`);
      const path = join(categoryDir, fileName);
      files.push({ name, ...parseNabCsv(readFileSync(path, 'utf8'), path), windows: fileWindows });
    }
  }
  if (files.length === 0) throw new NabInputError(`no CSV files under ${dataRoot}/<category>/`);
  return { files, profiles, profilesSource: hasProfiles ? profilesFile : 'NAB defaults' };
}
