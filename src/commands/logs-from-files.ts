import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { shown } from '../config/load-project.js';
import { LOG_FILE_DEFAULTS, logFilesDir } from '../config/log-files.js';
import type { VerbOptions } from '../config/options.js';
import { resolveNames } from '../control/names.js';
import type { LogLineReport } from '../control/target.js';
import { FileFollower } from '../engine/log-files/file-follower.js';
import { type FileLine, loggedProcesses, readHistory } from '../engine/log-files/history.js';
import { stripAnsi } from '../engine/sanitize.js';
import { asFileLine, historyRange, INTERRUPTED, LogsOutput } from './logs-output.js';

/** How often `devrun logs -f` looks at the files when no devrun runs. */
const POLL_MS = 200;
const UNKNOWN_PROCESS = 1;
const NOT_RUNNING = 3;
/** A line reaches its file this long after its time at most (the writer's batching, a busy machine). */
const OVERLAP_MS = 5000;

/** Processes with files in `dir` among NAMES (`web` = every `web.N`), or all of them (devrun's own included). */
export function procsWithFiles(dir: string, names: readonly string[] | undefined): string[] {
  const procs = loggedProcesses(dir);
  if (names === undefined) return procs;
  const entry = (proc: string) => proc.slice(0, proc.lastIndexOf('.'));
  return procs.filter((proc) => names.includes(proc) || names.includes(entry(proc)));
}

/**
 * The file lines older than what devrun's rings answered (`ring`, oldest first): those up to the rings'
 * oldest time, less the ones of that same millisecond the rings hold too. Nothing when the rings
 * already hold enough.
 */
export function olderFromFiles(dir: string, procs: string[], ring: LogLineReport[], range: { last: number; from: number }): FileLine[] {
  const oldest = ring[0]?.ts ?? Number.POSITIVE_INFINITY;
  const inRing = ring.filter((line) => line.ts >= range.from).length;
  if (inRing >= range.last || oldest < range.from) return [];
  const tied = ring.filter((line) => line.ts === oldest);
  const wanted = range.last - inRing;
  // The file lines of the rings' oldest millisecond include those the rings hold: read that many more.
  const older = readHistory(dir, procs, { last: wanted + tied.length, from: range.from, until: oldest });
  const key = (line: FileLine) => `${line.proc}\0${stripAnsi(line.text)}`;
  const both = new Map<string, number>();
  for (const line of tied) {
    const k = key(asFileLine(line));
    both.set(k, (both.get(k) ?? 0) + 1);
  }
  const kept = older.filter((line) => {
    if (line.ts !== oldest) return true;
    const count = both.get(key(line)) ?? 0;
    if (count > 0) both.set(key(line), count - 1);
    return count === 0;
  });
  return Number.isFinite(wanted) ? kept.slice(-wanted) : kept;
}

/**
 * `devrun logs` with no devrun running: the history from the log files of the project found from here
 * (or -d / -f), and with -f the lines appended to them, by polling.
 */
export async function logsFromFiles(options: VerbOptions, notRunning: string): Promise<number> {
  const root = projectRoot(options);
  const dir = logFilesDir(root, options.procfile, { logFiles: true, logDir: options.logDir }) as string;
  const all = loggedProcesses(dir);
  if (all.length === 0) {
    process.stderr.write(`devrun: ${notRunning}; no log files in ${shown(dir)}\n`);
    return NOT_RUNNING;
  }
  let procs = all;
  if (options.names.length > 0) {
    const resolved = resolveNames(
      all.filter((p) => p !== 'devrun'),
      options.names,
    );
    if ('unknown' in resolved) {
      const hint = resolved.suggestion !== null ? `did you mean "${resolved.suggestion}"?` : `there are: ${resolved.known.join(', ')}`;
      process.stderr.write(`devrun: no log files for "${resolved.unknown}" in ${shown(dir)}: ${hint}\n`);
      return UNKNOWN_PROCESS;
    }
    procs = resolved.names;
  }
  const range = historyRange(options, Date.now());
  const output = new LogsOutput(procs.filter((p) => p !== 'devrun'));
  const followFrom = Date.now();
  const follower = options.follow ? new FileFollower(dir, (proc) => procs.includes(proc) || options.names.length === 0) : undefined;
  const history = readHistory(dir, procs, { ...range, until: Number.POSITIVE_INFINITY });
  output.print(history);
  if (!follower) return 0;
  const seen = overlap(history, followFrom - OVERLAP_MS);
  const timer = setInterval(() => {
    if (process.stdout.writableNeedDrain) return;
    output.print(follower.poll().filter((line) => !seen(line)));
  }, POLL_MS);
  const why = await output.until(new Promise(() => {}));
  clearInterval(timer);
  follower.close();
  return why === 'interrupted' ? INTERRUPTED : 0;
}

/**
 * The follower starts where each file ended before the history was read, so lines written in between
 * are in both: each recent line of the history (from `since` on) is recognised once more (same
 * process, time and text).
 */
function overlap(history: FileLine[], since: number): (line: FileLine) => boolean {
  const counts = new Map<string, number>();
  const key = (line: FileLine) => `${line.proc}\0${line.ts}\0${line.text}`;
  for (const line of history) if (line.ts >= since) counts.set(key(line), (counts.get(key(line)) ?? 0) + 1);
  return (line) => {
    const count = counts.get(key(line)) ?? 0;
    if (count > 0) counts.set(key(line), count - 1);
    return count > 0;
  };
}

/** -d, the folder of -f, or the nearest folder from here up that holds the log folder or a Procfile. */
function projectRoot(options: VerbOptions): string {
  if (options.root !== undefined) return resolve(options.root);
  if (options.procfile !== undefined) return dirname(resolve(options.procfile));
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, options.logDir ?? LOG_FILE_DEFAULTS.dir)) || existsSync(resolve(dir, 'Procfile'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}
