import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { RUN_ID_VAR } from './child-env.js';
import { procPids, readCommand, readEnviron } from './proc-table.js';

/**
 * Who listens on a TCP port, from /proc (Linux only; elsewhere nothing is found):
 * - /proc/net/tcp and /proc/net/tcp6 list the sockets of devrun's network namespace; a LISTEN row
 *   (state 0A) whose local port matches gives the socket's inode.
 * - The pid is the process with an fd linking to `socket:[inode]`. Only processes whose /proc/PID/fd
 *   devrun may read (its user's) can be named; when a forked server shares the socket, the lowest pid
 *   (usually the parent) is the one named.
 * - Its environment says whether a devrun started it: the run id (RUN_ID_VAR) and PS (`web.1`).
 * Scans every process's fds: meant for the rare moment a port is found taken, never for a hot path.
 */
export interface PortHolder {
  /** undefined: something listens, but devrun cannot see which process (another user's). */
  pid: number | undefined;
  command: string;
  /** The devrun run that started it, and as which process, when its environment says so. */
  runId: string | undefined;
  process: string | undefined;
}

const LISTEN = '0A';

/** Inodes of the listening sockets, by local port, from the text of /proc/net/tcp or tcp6. */
export function parseListeners(table: string): Map<number, string[]> {
  const byPort = new Map<number, string[]>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, local, , state] = fields;
    const inode = fields[9];
    if (state !== LISTEN || !local || !inode) continue;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    byPort.set(port, [...(byPort.get(port) ?? []), inode]);
  }
  return byPort;
}

/** Every listening TCP port (IPv4 and IPv6) with its socket inodes; empty without /proc. */
export function listeningPorts(): Map<number, string[]> {
  const all = new Map<number, string[]>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const [port, inodes] of parseListeners(text)) all.set(port, [...(all.get(port) ?? []), ...inodes]);
  }
  return all;
}

/** Who listens on `port`; undefined when nothing does (or there is no /proc to tell). */
export function findPortHolder(port: number, listeners: Map<number, string[]> = listeningPorts()): PortHolder | undefined {
  const inodes = listeners.get(port);
  if (!inodes) return undefined;
  const pid = pidWithSocket(new Set(inodes.map((inode) => `socket:[${inode}]`)));
  if (pid === undefined) return { pid, command: '?', runId: undefined, process: undefined };
  const env = readEnviron(pid);
  return { pid, command: readCommand(pid), runId: env?.get(RUN_ID_VAR), process: env?.get('PS') };
}

function pidWithSocket(links: Set<string>): number | undefined {
  const pids = procPids()
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's, or gone
    }
    for (const fd of fds) {
      try {
        if (links.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/**
 * The holder in words: "pid 4242 (node server.js), web.1 of an earlier devrun run". `runId` is the
 * current run's: a holder started by it is "of this run".
 */
export function describePortHolder(holder: PortHolder, runId: string): string {
  if (holder.pid === undefined) return "a process devrun cannot see (another user's?)";
  const who = `pid ${holder.pid} (${holder.command})`;
  if (holder.runId === undefined) return who;
  const which = holder.runId === runId ? 'this run' : 'an earlier devrun run';
  return `${who}, ${holder.process ?? 'a process'} of ${which}`;
}
