/**
 * Log levels: the five severities every tool reports, and the many spellings production logs use for them
 * (zap `error`, log15 `eror`, syslog `crit`, Python `WARNING`, Java `SEVERE`, klog `E`, pino/bunyan numbers).
 */

export const LOG_LEVELS = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Readonly<Record<LogLevel, number>> = { FATAL: 5, ERROR: 4, WARN: 3, INFO: 2, DEBUG: 1 };

/** Higher is more severe: FATAL 5 … DEBUG 1. */
export function levelRank(level: LogLevel): number {
  return RANK[level];
}

/** The more severe of two levels. */
export function maxLevel(a: LogLevel, b: LogLevel): LogLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

const NAMES: Readonly<Record<string, LogLevel>> = {
  fatal: 'FATAL',
  critical: 'FATAL',
  crit: 'FATAL',
  crt: 'FATAL',
  panic: 'FATAL',
  dpanic: 'FATAL',
  emerg: 'FATAL',
  emergency: 'FATAL',
  alert: 'FATAL',
  severe: 'ERROR',
  fail: 'ERROR', // .NET console logger
  error: 'ERROR',
  err: 'ERROR',
  eror: 'ERROR',
  erro: 'ERROR',
  warn: 'WARN',
  warning: 'WARN',
  wrn: 'WARN',
  info: 'INFO',
  information: 'INFO',
  informational: 'INFO',
  inf: 'INFO',
  notice: 'INFO',
  log: 'INFO',
  debug: 'DEBUG',
  dbug: 'DEBUG',
  dbg: 'DEBUG',
  trace: 'DEBUG',
  trc: 'DEBUG',
  trce: 'DEBUG',
  verbose: 'DEBUG',
  fine: 'DEBUG',
  finer: 'DEBUG',
  finest: 'DEBUG',
  config: 'INFO',
};

/** Single-letter levels of klog, Serilog compact and others: F, E, W, I, D, T, V. */
const LETTERS: Readonly<Record<string, LogLevel>> = { F: 'FATAL', E: 'ERROR', W: 'WARN', I: 'INFO', D: 'DEBUG', T: 'DEBUG', V: 'DEBUG' };

/**
 * A level from a structured value: a name in any case (`error`, `WARNING`, `Information`), a letter, a
 * pino/bunyan number (60 fatal, 50 error, 40 warn, 30 info, 20 debug, 10 trace) or a syslog severity
 * (0-7). Undefined when the value names no level.
 */
export function normalizeLevel(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') return numericLevel(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return numericLevel(Number(text));
  if (text.length === 1) return LETTERS[text.toUpperCase()];
  return NAMES[text.toLowerCase()];
}

function numericLevel(n: number): LogLevel | undefined {
  if (!Number.isInteger(n)) return undefined;
  if (n >= 10) {
    // pino / bunyan
    if (n >= 60) return 'FATAL';
    if (n >= 50) return 'ERROR';
    if (n >= 40) return 'WARN';
    if (n >= 30) return 'INFO';
    return 'DEBUG';
  }
  // syslog severities: 0 emerg, 1 alert, 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug
  if (n <= 2) return 'FATAL';
  if (n === 3) return 'ERROR';
  if (n === 4) return 'WARN';
  if (n <= 6) return 'INFO';
  return 'DEBUG';
}

/** A level named as a whole word in plain text (`ERROR`, `[warn]`, `Error:` handled by callers); words only. */
export function levelWord(word: string): LogLevel | undefined {
  if (word.length < 3 || word.length > 13) return undefined;
  return NAMES[word.toLowerCase()];
}

/** Parses a level argument as tools accept it (any spelling above); undefined when not a level. */
export function parseLevelArgument(value: string): LogLevel | undefined {
  return normalizeLevel(value);
}
