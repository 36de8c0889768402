// Kills, by pid, whatever the bench started and is still alive.
import { describe, pidsWithEnv } from './procfs.js';

/** SIGKILLs every live process carrying key=value in its environment; returns what it found. */
export function killMarked(key: string, value: string, except: (pid: number) => boolean = () => false): string[] {
  const found: string[] = [];
  // Two passes: a process may fork between the scan and the kill.
  for (let pass = 0; pass < 2; pass++) {
    for (const pid of pidsWithEnv(key, value)) {
      if (except(pid)) continue;
      found.push(describe(pid));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  return [...new Set(found)];
}
