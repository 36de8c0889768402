import { join, relative, resolve } from 'node:path';
import { parseByteSize } from './settings/values.js';

/**
 * The log files' flags: their defaults (the one source: yargs and --help read them here), the parsers
 * of their values, and where the files of a run go. A parser throws an Error whose message is the one
 * line to print.
 */
export const LOG_FILE_DEFAULTS = {
  /** Relative to the project root. */
  dir: '.devrun/logs',
  size: '10M',
  keep: 3,
} as const;

/** The log flags that take a value (for the scan that finds where a command starts). */
export const LOG_VALUE_FLAGS = ['--log-dir', '--log-size', '--log-keep', '--since'];

export interface LogFileOptions {
  /** --no-log-files turns them off. */
  logFiles: boolean;
  /** As given (relative to the root, or absolute); undefined: the default for the Procfile (defaultLogDir). */
  logDir: string | undefined;
  /** Bytes per file before it rotates. */
  logSize: number;
  /** Rotated files kept. */
  logKeep: number;
  /** Keep colour codes in the files. */
  logColors: boolean;
}

/**
 * The folder of a run's log files, or undefined with --no-log-files: the one place that resolves it.
 * `procfile` is the Procfile's path, absolute or as given to -f (undefined: `Procfile` in the root).
 */
export function logFilesDir(
  root: string,
  procfile: string | undefined,
  options: Pick<LogFileOptions, 'logFiles' | 'logDir'>,
): string | undefined {
  return options.logFiles ? resolve(root, options.logDir ?? defaultLogDir(root, procfile)) : undefined;
}

/**
 * `.devrun/logs` for the root's `Procfile`; for another one beside it (`-f Procfile.dev`, the Rails
 * `bin/dev` file) a folder of its own in there, `.devrun/logs/Procfile.dev`, so two stacks run in one
 * folder never write (and rotate) the same `web.1.log`.
 */
export function defaultLogDir(root: string, procfile: string | undefined): string {
  const path = procfile === undefined ? 'Procfile' : relative(root, resolve(procfile));
  return path === 'Procfile' ? LOG_FILE_DEFAULTS.dir : join(LOG_FILE_DEFAULTS.dir, path.replace(/[/\\]/g, '_'));
}

const MIN_LOG_SIZE = 1024;

/** `10M`, `500K`, `1G`, `2048` (bytes), read as devrun.yaml reads sizes (K/M/G = 1024ⁿ). At least 1K. */
export function parseLogSize(value: string): number {
  const parsed = parseByteSize(value);
  if (!('value' in parsed) || parsed.value < MIN_LOG_SIZE)
    throw new Error(`--log-size must be a size of at least 1K, like 10M, 500K or 65536 (bytes), got "${value}"`);
  return parsed.value;
}

/** --since: a time before now (`90s`, `10m`, `2h`, `1d`) or a local date and time (`2026-12-01`, `2026-12-01T09:30`). */
export type Since = { kind: 'ago'; ms: number } | { kind: 'at'; ms: number };

const DURATION_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseSince(value: string): Since {
  const text = value.trim();
  const ago = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  if (ago) return { kind: 'ago', ms: Number(ago[1]) * DURATION_MS[ago[2]!]! };
  // A date alone is local midnight (Date.parse would take it as UTC).
  const iso = /^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00` : text.replace(' ', 'T');
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new Error(`--since must be a time ago like 30s, 10m, 2h, 1d or a date like 2026-12-01T09:30, got "${value}"`);
  }
  return { kind: 'at', ms: at };
}

/** The first moment --since includes, in ms since the epoch. */
export function sinceTime(since: Since, now: number): number {
  return since.kind === 'ago' ? now - since.ms : since.ms;
}
