import type { ProcessStatus } from '../engine/process-state.js';

/** What a crash alert remembers between two looks at the run. */
export interface AlertState {
  statuses: ReadonlyMap<string, ProcessStatus>;
  /** Processes that crashed while the user looked elsewhere, oldest first, until seen or recovered. */
  alerted: readonly string[];
}

export const NO_ALERT: AlertState = { statuses: new Map(), alerted: [] };

const CRASHED = new Set<ProcessStatus>(['crashed', 'backoff', 'failed']);
/** It is fine again: up, or ended by the user or with exit 0. */
const RECOVERED = new Set<ProcessStatus>(['running', 'ready', 'stopped', 'exited']);

/**
 * The next alert from the processes' statuses and the process the user looks at. A crash event is a
 * process entering crashed, backoff or failed from any other state: it rings once (`rings`), and it
 * is alerted unless the user looks at it. Looking at it, or its recovery, ends its alert. Pure.
 */
export function nextAlert(
  prev: AlertState,
  processes: ReadonlyArray<{ name: string; status: ProcessStatus }>,
  looking: string | undefined,
): { state: AlertState; rings: number } {
  const alerted = new Set(prev.alerted);
  let rings = 0;
  for (const { name, status } of processes) {
    const before = prev.statuses.get(name) ?? 'pending';
    if (CRASHED.has(status) && !CRASHED.has(before)) {
      rings += 1;
      if (name !== looking) alerted.add(name);
    }
    if (RECOVERED.has(status) || name === looking) alerted.delete(name);
  }
  const statuses = new Map(processes.map((p) => [p.name, p.status]));
  const next = [...alerted].filter((name) => statuses.has(name));
  const same = next.length === prev.alerted.length && next.every((n, i) => n === prev.alerted[i]);
  return { state: { statuses, alerted: same ? prev.alerted : next }, rings };
}

/** The terminal's title: "devrun", or "devrun ✗ worker.1" (several: "devrun ✗ worker.1, api.1"). */
export function alertTitle(alerted: readonly string[]): string {
  return alerted.length === 0 ? 'devrun' : `devrun ✗ ${alerted.join(', ')}`;
}

/** OSC 2 (set the window title), ended by BEL; control characters are left out of the text. */
export function titleSequence(title: string): string {
  return `\x1b]2;${title.replace(/[\x00-\x1f\x7f]/g, '')}\x07`;
}

export const BELL = '\x07';
