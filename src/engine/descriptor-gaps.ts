import { closeSync, constants as fsConstants, openSync, readdirSync } from 'node:fs';

/**
 * node-pty 1.2 keeps the masters of other terminals out of a new child by marking the child's
 * descriptors close-on-exec, walking up from 3 and stopping at the first unused number above 15 (as
 * libuv does). The new terminal's slave is such a gap in the child (it moves to 0-2). When an exited
 * process left free numbers below other masters (a restart), the new pair lands there and the child
 * keeps every master above it: one such child that survives a hang-up keeps those terminals alive.
 * Filling the free numbers below the highest open one first puts the new pair on top, so nothing is
 * above the gap. Best effort: another thread could open or close a descriptor meanwhile. Linux only
 * (/proc/self/fd); elsewhere nothing is filled. Returns the fillers, to close right after the spawn.
 */
export function fillDescriptorGaps(): number[] {
  const fillers: number[] = [];
  try {
    const highest = Math.max(...readdirSync('/proc/self/fd').map(Number));
    // open() takes the lowest free number: fill until a descriptor lands above the highest.
    for (;;) {
      const fd = openSync('/dev/null', fsConstants.O_RDONLY);
      if (fd > highest) {
        closeSync(fd);
        return fillers;
      }
      fillers.push(fd);
    }
  } catch {
    // No /proc, or out of descriptors: spawn as it comes.
    return fillers;
  }
}
