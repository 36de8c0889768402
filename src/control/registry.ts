import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { hasProcFs, readProcInfo } from '../engine/proc-table.js';
import { type InstanceKey, realPath } from './instance-key.js';
import { devrunDir, ensureDevrunDir } from './private-dir.js';

/**
 * Which devruns run in a project: one record per running instance in `<root>/.devrun/instances/<id>.json`,
 * so a verb in another terminal can find the socket. Rules:
 * - a record is written atomically (tmp + rename) with mode 0600, and removed by its own instance on the
 *   way out; unregistering removes it only while it still holds that instance's record, never a successor's;
 * - a record counts only while its pid is alive: kill(pid, 0) does not report ESRCH (EPERM is alive),
 *   and on Linux the pid is not a zombie and started at the same clock tick as at registration (field 22
 *   of /proc/PID/stat), so a reused pid, or a pid from another pid namespace, is not taken for devrun;
 * - listing deletes the records of dead instances (a SIGKILLed devrun cannot remove its own), re-reading
 *   each first so a record that was just replaced by a new run is kept;
 * - only regular files owned by us, describing this very root, are read: a copied project folder or a
 *   record planted by another user never points a verb at someone else's socket;
 * - the format is versioned: later versions add fields, never rename or remove them, so any version
 *   with the version 1 fields is read.
 */
export interface InstanceRecord {
  version: 1;
  id: string;
  /** Real path of the project root. */
  root: string;
  /** Real path of the Procfile. */
  procfile: string;
  pid: number;
  /** Field 22 of /proc/PID/stat at registration (clock ticks after boot); null where there is no /proc. */
  pidStartTime: number | null;
  socket: string;
  /** ISO 8601. */
  startedAt: string;
}

export type Registration = { ok: true; record: InstanceRecord; file: string; unregister(): void } | { ok: false; reason: string };

export function instancesDir(root: string): string {
  return join(devrunDir(root), 'instances');
}

/** Records this instance (`pid` and `startedAt` default to this process, now). */
export function registerInstance(options: { key: InstanceKey; socket: string; pid?: number; startedAt?: Date }): Registration {
  const { key, socket, pid = process.pid, startedAt = new Date() } = options;
  const devrun = ensureDevrunDir(key.root);
  if (!devrun.ok) return devrun;
  const dir = instancesDir(key.root);
  const record: InstanceRecord = {
    version: 1,
    id: key.id,
    root: key.root,
    procfile: key.procfile,
    pid,
    pidStartTime: readProcInfo(pid)?.startTime ?? null,
    socket,
    startedAt: startedAt.toISOString(),
  };
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const file = join(dir, `${key.id}.json`);
  const tmp = join(dir, `.${key.id}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A leftover tmp would keep its old mode under 'w'; 'wx' on a fresh name always gets 0600.
    rmSync(tmp, { force: true });
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, reason: `cannot record this devrun in ${dir} (${code})` };
  }
  return { ok: true, record, file, unregister: () => removeIfUnchanged(file, text) };
}

/** The live instances recorded in `root` (sorted by Procfile); dead ones' records are deleted. */
export function listInstances(root: string): InstanceRecord[] {
  const realRoot = realPath(root);
  const dir = instancesDir(realRoot);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const live: InstanceRecord[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    const text = readOwnFile(file);
    const record = text === undefined ? undefined : parseRecord(text);
    if (!record || record.root !== realRoot) continue;
    if (isInstanceAlive(record)) live.push(record);
    else removeIfUnchanged(file, text!);
  }
  return live.sort((a, b) => (a.procfile < b.procfile ? -1 : a.procfile > b.procfile ? 1 : 0));
}

/** Whether the recorded process still runs, and is the one that registered (see the rules above). */
export function isInstanceAlive(record: Pick<InstanceRecord, 'pid' | 'pidStartTime'>): boolean {
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (!hasProcFs) return true;
  const info = readProcInfo(record.pid);
  if (!info || info.state === 'Z') return false;
  return record.pidStartTime === null || info.startTime === record.pidStartTime;
}

/** A regular file owned by us (not followed through a symlink, never blocking on a fifo), or undefined. */
function readOwnFile(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return undefined;
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function parseRecord(text: string): InstanceRecord | undefined {
  let data: Partial<Record<keyof InstanceRecord, unknown>>;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { version, id, root, procfile, pid, pidStartTime, socket, startedAt } = data;
  const valid =
    typeof version === 'number' &&
    version >= 1 &&
    typeof id === 'string' &&
    typeof root === 'string' &&
    typeof procfile === 'string' &&
    // 0 and negative pids would signal process groups in kill(pid, 0).
    Number.isSafeInteger(pid) &&
    (pid as number) > 0 &&
    (pidStartTime === null || typeof pidStartTime === 'number') &&
    typeof socket === 'string' &&
    typeof startedAt === 'string';
  return valid ? (data as InstanceRecord) : undefined;
}

/** Deletes `file` only if it still holds `text`: a record rewritten meanwhile by a new run is kept. */
function removeIfUnchanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) unlinkSync(file);
  } catch {
    // Already gone, or not ours to delete (a folder we cannot write to).
  }
}
