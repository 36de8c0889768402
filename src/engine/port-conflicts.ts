import { describePortHolder, findPortHolder, listeningPorts } from './port-holder.js';

/**
 * Says who holds a port a process needs, as a line in that process's log (so the headless output, the
 * dashboard's pane and the log file all show it, next to the error it explains):
 * - at start: each process whose PORT something already listens on ("PORT 5000 is already in use by
 *   pid 4242 (node web.js), web.1 of an earlier devrun run"); the process still starts (it may pick
 *   another port).
 * - when a process prints "address already in use" (EADDRINUSE): the holder of the port the line names
 *   (`:5000`, `port 5000`), else of its PORT; once per run of that process, and nothing when no one
 *   listens any more.
 * The per-line test is two substring searches; the /proc scan happens only on a hit.
 */
export class PortConflicts {
  /** Processes that already had their line in their current run. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly runId: string,
    private readonly say: (processName: string, text: string) => void,
  ) {}

  /** Before the processes start: one scan of the listening sockets for every PORT. */
  checkFree(processes: ReadonlyArray<{ name: string; port: number }>): void {
    const listeners = listeningPorts();
    for (const { name, port } of processes) {
      if (!listeners.has(port)) continue;
      const holder = findPortHolder(port, listeners);
      if (holder) this.say(name, `PORT ${port} is already in use by ${describePortHolder(holder, this.runId)}`);
    }
  }

  /** A new run of the process begins: it may report again. */
  runStarted(processName: string): void {
    this.reported.delete(processName);
  }

  /** Lines the process printed. */
  scan(processName: string, port: number, texts: readonly string[]): void {
    if (this.reported.has(processName)) return;
    for (const text of texts) {
      if (!text.includes('in use') && !text.includes('EADDRINUSE')) continue;
      const inUse = portInUse(text, port);
      if (inUse === undefined) continue;
      this.reported.add(processName);
      const holder = findPortHolder(inUse);
      if (holder) this.say(processName, `port ${inUse} is in use by ${describePortHolder(holder, this.runId)}`);
      return;
    }
  }
}

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
