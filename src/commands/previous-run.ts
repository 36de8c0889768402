import { readFileSync } from 'node:fs';
import { findStaleGroups, type PidFile, reapStaleGroups } from '../engine/pidfile.js';
import { parseStat } from '../engine/proc-table.js';

/**
 * Before starting: refuses (returns why) when another devrun runs in this folder; otherwise stops what
 * a devrun that was SIGKILLed left running, saying so in one line.
 */
export async function settlePreviousRun(pidFile: PidFile, timeoutMs: number): Promise<string | undefined> {
  const previous = pidFile.read();
  if (previous && previous.devrunPid !== process.pid && isDevrun(previous.devrunPid)) {
    return `already running in ${pidFile.root} (pid ${previous.devrunPid}); stop it first`;
  }
  const stale = findStaleGroups(previous);
  if (stale.length > 0) {
    const list = stale.map((g) => `${g.name} (group ${g.pgid})`).join(', ');
    process.stderr.write(`devrun: a previous devrun was killed and left ${list} running; stopping them\n`);
    await reapStaleGroups(stale, timeoutMs);
  }
  return undefined;
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
