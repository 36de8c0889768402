import { describePortHolder, findPortHolder, listeningPorts } from './port-holder.js';

/**
 * Says who holds a port a process needs, as a line in that process's log (so the headless output, the
 * dashboard's pane and the log file all show it, next to the error it explains):
 * - at start: each process whose PORT something already listens on ("PORT 5000 is already in use by
 *   pid 4242 (node web.js), web.1 of an earlier devrun run"); the process still starts (it may pick
 *   another port).
 * - when a run ends badly and its last lines say "address already in use" (EADDRINUSE): who holds the
 *   port that line names (`:5000`, `port 5000`), else its PORT; nothing when no one listens any more.
 * Nothing runs per output line: the floods stay as fast; the /proc scans happen only on those two events.
 */
export class PortConflicts {
  constructor(
    private readonly runId: string,
    private readonly say: (processName: string, text: string) => void,
  ) {}

  /** Before the processes start: one read of the listening sockets for every PORT. */
  checkFree(processes: ReadonlyArray<{ name: string; port: number }>): void {
    const listeners = listeningPorts();
    for (const { name, port } of processes) {
      if (!listeners.has(port)) continue;
      const holder = findPortHolder(port, listeners);
      if (holder) this.say(name, `PORT ${port} is already in use by ${describePortHolder(holder, this.runId)}`);
    }
  }

  /** A run of the process ended badly: `lastLines` are its log's last lines, oldest first. */
  runFailed(processName: string, port: number, lastLines: readonly string[]): void {
    for (const text of [...lastLines].reverse()) {
      const inUse = portInUse(text, port);
      if (inUse === undefined) continue;
      const holder = findPortHolder(inUse);
      if (holder) this.say(processName, `port ${inUse} is in use by ${describePortHolder(holder, this.runId)}`);
      return;
    }
  }
}

/** A stack trace follows Node's EADDRINUSE line: about 25 lines are enough to reach back to it. */
export const LINES_LOOKED_AT = 40;

const IN_USE = /address already in use|EADDRINUSE/i;
/** `:5000` (Node, Go: `listen tcp :5000`) or `port 5000` (Puma, Rails); the last one in the line. */
const PORT_IN_LINE = /(?::|\bport\s+)(\d{1,5})\b/gi;
/** Below this, `:34` is more likely a timestamp's minutes or seconds than a port. */
const LOWEST_PORT = 60;

/** The port an "address already in use" line is about: the one it names, else `fallback`; undefined for other lines. */
export function portInUse(text: string, fallback: number): number | undefined {
  if (!IN_USE.test(text)) return undefined;
  const named = [...text.matchAll(PORT_IN_LINE)].map((m) => Number(m[1])).filter((n) => n >= LOWEST_PORT && n <= 65535);
  return named.at(-1) ?? fallback;
}
