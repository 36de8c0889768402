import { readFileSync, statSync } from 'node:fs';
import { RUN_ID_VAR } from './child-env.js';
import { parseStat, procPids, readCommand } from './proc-table.js';

/**
 * Processes that left their process group (`setsid cmd &`, a daemonizing script) but still carry the run's
 * id in their environment, as every descendant of a child does unless it scrubs it. Found by a scan of
 * /proc/*\/environ, only when a run ends (one per process run that ends, one for devrun's exit; never
 * periodically). What the scan cannot find: processes that
 * clear their environment, other users' processes, processes in other pid namespaces (containers).
 */
export interface Escapee {
  pid: number;
  /** Its command line, shortened, for the one line that names it. */
  command: string;
  /** The devrun process it descends from (its PS variable), if it has one. */
  process: string | undefined;
}

/** `KEY=value` as one whole NUL-separated entry of a raw environ block. */
function hasEntry(environ: Buffer, entry: Buffer): boolean {
  for (let at = environ.indexOf(entry); at >= 0; at = environ.indexOf(entry, at + 1)) {
    const starts = at === 0 || environ[at - 1] === 0;
    const end = at + entry.length;
    if (starts && (end === environ.length || environ[end] === 0)) return true;
  }
  return false;
}

/** The value of `KEY=` in a raw environ block. */
function envValue(environ: Buffer, key: string): string | undefined {
  const entry = environ
    .toString('utf8')
    .split('\0')
    .find((e) => e.startsWith(`${key}=`));
  return entry?.slice(key.length + 1);
}

/**
 * Live processes of this user carrying `runId` (and, when given, `PS=process`), except members of
 * `excludeGroup` (the run's own group: a member stuck there is not an escapee). Empty without /proc.
 */
export function findEscapees(runId: string, processName?: string, excludeGroup?: number): Escapee[] {
  const runEntry = Buffer.from(`${RUN_ID_VAR}=${runId}`);
  const psEntry = processName === undefined ? undefined : Buffer.from(`PS=${processName}`);
  const uid = process.getuid?.();
  const found: Escapee[] = [];
  for (const name of procPids()) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      if (uid !== undefined && statSync(`/proc/${name}`).uid !== uid) continue;
      const environ = readFileSync(`/proc/${name}/environ`);
      if (!hasEntry(environ, runEntry) || (psEntry && !hasEntry(environ, psEntry))) continue;
      const stat = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (stat?.state === 'Z' || (excludeGroup !== undefined && stat?.pgrp === excludeGroup)) continue;
      found.push({ pid, command: readCommand(pid), process: processName ?? envValue(environ, 'PS') });
    } catch {
      // Gone between readdir and read, or not readable.
    }
  }
  return found;
}

/** "stopped 1 process that left its group: sleep 300 (pid 4242)". */
export function describeEscapees(escapees: readonly Escapee[]): string {
  const what = escapees.length === 1 ? 'process that left its group' : 'processes that left their group';
  return `stopped ${escapees.length} ${what}: ${listProcesses(escapees)}`;
}

/** "sleep 300 (pid 4242), node x.js (pid 4250)", at most five named. */
export function listProcesses(processes: readonly Escapee[]): string {
  const shown = processes.slice(0, 5).map((e) => `${e.command} (pid ${e.pid})`);
  if (processes.length > shown.length) shown.push(`${processes.length - shown.length} more`);
  return shown.join(', ');
}
