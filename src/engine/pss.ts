import { readFileSync } from 'node:fs';

/**
 * A process tree's proportional set size: each page counted once across the processes sharing it (a
 * page shared by 4 prefork workers counts a quarter in each), so a tree's sum is what it really costs,
 * where summed RSS counts shared pages once per process. Linux only (/proc/PID/smaps_rollup, 4.14+).
 */

/** The `Pss:` line of /proc/PID/smaps_rollup, in bytes; undefined when there is none. */
export function parsePss(text: string): number | undefined {
  const match = /^Pss:\s+(\d+) kB$/m.exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** One process's PSS in bytes; undefined when it is gone or not readable (another user's, a kernel thread). */
export function readPss(pid: number): number | undefined {
  try {
    return parsePss(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A tree's pids (proc-tree.ts), summed; a pid that cannot be read is skipped. */
export function treePss(pids: readonly number[], read: (pid: number) => number | undefined = readPss): number {
  let bytes = 0;
  for (const pid of pids) bytes += read(pid) ?? 0;
  return bytes;
}
