import { readdirSync, readFileSync } from 'node:fs';

/** One row of the kernel's process table, read from /proc/PID/stat (Linux only). */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  /** One-letter state: R, S, D, Z (zombie), T, ... */
  state: string;
  /** Field 22: when it started, in clock ticks after boot. With the pid it names one process across pid reuse. */
  startTime: number;
}

export const hasProcFs = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/**
 * The fields of a /proc/PID/stat line from field 3 (state) on, so field N is fields[N - 3]; undefined if
 * it has no ')'. The command name (field 2) may contain spaces and parentheses: split after the last ')'.
 */
export function statFields(text: string): string[] | undefined {
  const close = text.lastIndexOf(')');
  return close < 0 ? undefined : text.slice(close + 2).split(' ');
}

/** Parses /proc/PID/stat. */
export function parseStat(text: string): ProcInfo | undefined {
  const fields = statFields(text);
  if (!fields) return undefined;
  const pid = Number.parseInt(text, 10);
  const [state, ppid, pgrp] = fields;
  const startTime = fields[19];
  if (state === undefined || ppid === undefined || pgrp === undefined || startTime === undefined) return undefined;
  return { pid, ppid: Number(ppid), pgrp: Number(pgrp), state, startTime: Number(startTime) };
}

/** One process's row; undefined if it is gone or there is no /proc. */
export function readProcInfo(pid: number): ProcInfo | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The pid folder names under /proc (digits only); empty where there is no /proc or it cannot be read. */
export function procPids(): string[] {
  if (!hasProcFs) return [];
  try {
    return readdirSync('/proc').filter((name) => {
      const first = name.charCodeAt(0);
      return first >= 48 && first <= 57;
    });
  } catch {
    // Out of descriptors (EMFILE): a stop must still end, so this reads as "nothing found".
    return [];
  }
}

/** A snapshot of every process on the machine; empty where /proc does not exist. */
export function readProcTable(): ProcInfo[] {
  const rows: ProcInfo[] = [];
  for (const name of procPids()) {
    try {
      const info = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (info) rows.push(info);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return rows;
}

/** Reads one process's environment (NUL-separated); undefined if gone or not readable. */
export function readEnviron(pid: number): Map<string, string> | undefined {
  try {
    const env = new Map<string, string>();
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return env;
  } catch {
    return undefined;
  }
}

const COMMAND_CHARS = 40;

/** A process's command line, shortened to name it in one line; '?' if gone or not readable. */
export function readCommand(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return args.length > COMMAND_CHARS ? `${args.slice(0, COMMAND_CHARS - 1)}…` : args || '?';
  } catch {
    return '?';
  }
}
