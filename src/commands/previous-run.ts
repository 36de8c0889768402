import { readFileSync } from 'node:fs';
import { findEscapees, listProcesses } from '../engine/escapees.js';
import { acquireInstanceLock } from '../engine/instance-lock.js';
import { findStaleGroups, type PidFile, reapStaleGroups } from '../engine/pidfile.js';
import { parseStat } from '../engine/proc-table.js';
import { SystemProcessGroups } from '../engine/process-groups.js';

export type Claim = { ok: true; release(): void } | { ok: false; reason: string };

/**
 * Before starting: takes the project's lock (one devrun per root, atomically), or returns why not; then
 * stops what a devrun that was SIGKILLed left running (its groups, and what left them), saying so.
 */
export async function claimProject(pidFile: PidFile, options: { timeoutMs: number; keepEscaped: boolean }): Promise<Claim> {
  const lock = await acquireInstanceLock(pidFile.instanceId);
  const previous = pidFile.read();
  const running = previous && previous.devrunPid !== process.pid && isDevrun(previous.devrunPid) ? previous.devrunPid : undefined;
  // A live devrun named by the pid file is refused even when the lock was free: one that cannot share
  // the lock's name (another user, an older devrun, another network namespace) still runs there.
  if (lock.kind === 'held' || running !== undefined) {
    if (lock.kind === 'acquired') lock.release();
    const pid = running === undefined ? '' : ` (pid ${running})`;
    return { ok: false, reason: `already running in ${pidFile.root}${pid}; stop it first` };
  }
  const release = lock.kind === 'acquired' ? lock.release : () => {};
  const groups = new SystemProcessGroups();
  const stale = findStaleGroups(previous);
  if (stale.length > 0) {
    const list = stale.map((g) => `${g.name} (group ${g.pgid})`).join(', ');
    process.stderr.write(`devrun: a previous devrun was killed and left ${list} running; stopping them\n`);
    await reapStaleGroups(stale, options.timeoutMs, groups);
  }
  // Anything else carrying that run's id: what left its group, or a child spawned just before the kill.
  const others = previous && !options.keepEscaped ? findEscapees(previous.runId) : [];
  if (others.length > 0) {
    const n = others.length === 1 ? '1 process' : `${others.length} processes`;
    process.stderr.write(
      `devrun: a previous devrun was killed and left ${n} outside its groups: ${listProcesses(others)}; stopping them\n`,
    );
    await groups.terminate({ pids: others.map((e) => e.pid) }, { timeoutMs: options.timeoutMs }).done;
  }
  return { ok: true, release };
}

/** A recorded pid only means "devrun is running" if that pid is still a live devrun (pids get reused, a killed one may be a zombie). */
function isDevrun(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    if (parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state === 'Z') return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('devrun');
  } catch {
    return true;
  }
}
