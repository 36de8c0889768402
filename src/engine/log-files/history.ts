/**
 * Reading log files back (`devrun logs`): which processes have files in a folder, and the last lines of
 * some of them merged in time order.
 *
 * - A process's history is `NAME.log`, then `NAME.log.1`, `NAME.log.2`... (older): each is read from
 *   its end in growing blocks, and older files only while the newer ones do not hold enough lines.
 * - Lines of all processes are merged by time; equal times keep the order they were read in (stable),
 *   so one process's lines never swap. Headers (and a last line still being written) are skipped.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogFileLine } from './line-format.js';

/** One line read from a file: its time, its process, and its text with its tag (`[err] oops`). */
export interface FileLine {
  ts: number;
  proc: string;
  text: string;
}

export interface HistoryRange {
  /** At most this many lines (of the merged output); Infinity for all. */
  last: number;
  /** Only lines at or after this time (ms since the epoch). */
  from: number;
  /** Only lines at or before this time (where another source takes over). */
  until: number;
}

const FIRST_BLOCK = 64 * 1024;
const LOG = /^(.+)\.log(?:\.\d+)?$/;

/** Names of the processes with log files in `dir` (sorted); none when it cannot be read. */
export function loggedProcesses(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const procs = new Set<string>();
  for (const name of names) {
    const match = LOG.exec(name);
    if (match) procs.add(match[1]!);
  }
  return [...procs].sort();
}

/** The last lines of these processes in `range`, merged in time order. */
export function readHistory(dir: string, procs: readonly string[], range: HistoryRange): FileLine[] {
  if (range.last <= 0) return [];
  const all = procs.flatMap((proc) => processHistory(dir, proc, range));
  all.sort((a, b) => a.ts - b.ts);
  return Number.isFinite(range.last) ? all.slice(-range.last) : all;
}

/** One process's lines in range, oldest first: its newest files, as far back as needed. */
function processHistory(dir: string, proc: string, range: HistoryRange): FileLine[] {
  let lines: FileLine[] = [];
  const enough = (older: FileLine[]) => {
    const oldest = older[0] ?? lines[0];
    return (oldest !== undefined && oldest.ts < range.from) || older.length + lines.length >= range.last;
  };
  for (let n = 0; ; n++) {
    const path = join(dir, n === 0 ? `${proc}.log` : `${proc}.log.${n}`);
    const read = readTail(path, proc, (older) => enough(older.filter((l) => l.ts <= range.until)));
    if (read === undefined) break;
    lines = [...read.filter((l) => l.ts <= range.until), ...lines];
    if (enough([])) break;
  }
  return lines.filter((l) => l.ts >= range.from);
}

/** The whole lines at the end of a file, read backwards in doubling blocks until `enough`; undefined when missing. */
function readTail(path: string, proc: string, enough: (lines: FileLine[]) => boolean): FileLine[] | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    for (let block = FIRST_BLOCK; ; block *= 2) {
      const start = Math.max(0, size - block);
      const bytes = Buffer.alloc(size - start);
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      const lines = parseLines(bytes.toString('utf8', 0, got), proc, start > 0);
      if (start === 0 || enough(lines)) return lines;
    }
  } finally {
    closeSync(fd);
  }
}

/** Lines of a block: the first is dropped when it may be cut (the block starts mid-file), so is an unfinished last one. */
export function parseLines(text: string, proc: string, cutAtStart: boolean): FileLine[] {
  const parts = text.split('\n');
  parts.pop(); // after the last newline: empty, or a line still being written
  if (cutAtStart) parts.shift();
  const lines: FileLine[] = [];
  for (const part of parts) {
    const parsed = parseLogFileLine(part);
    if (parsed) lines.push({ ts: parsed.ts, proc, text: parsed.text });
  }
  return lines;
}
