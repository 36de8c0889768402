import { closestName } from '../config/closest-name.js';

/**
 * NAMES of a control verb, resolved against the running processes: a process name (`web.2`) means that
 * process, an entry name (`web`) every instance of it, in the supervisor's order. The first name that
 * matches nothing is reported with the closest known name when it is a likely typo (at most two edits
 * away, or a prefix), and the list of names to choose from.
 */
export type Resolution = { names: string[] } | { unknown: string; suggestion: string | null; known: string[] };

export function resolveNames(processes: readonly string[], wanted: readonly string[]): Resolution {
  const entries = [...new Set(processes.map(entryOf))];
  const known = [...entries, ...processes.filter((p) => !entries.includes(p))];
  for (const name of wanted) {
    if (processes.includes(name) || entries.includes(name)) continue;
    return { unknown: name, suggestion: closestName(name, known), known };
  }
  return { names: processes.filter((p) => wanted.includes(p) || wanted.includes(entryOf(p))) };
}

function entryOf(processName: string): string {
  const dot = processName.lastIndexOf('.');
  return dot > 0 ? processName.slice(0, dot) : processName;
}

/** How many names a message lists before it cuts the list short. */
const NAMES_IN_MESSAGE = 20;

/** "web, worker, css" for a message; a long list ends in "…". */
export function nameList(names: readonly string[]): string {
  return `${names.slice(0, NAMES_IN_MESSAGE).join(', ')}${names.length > NAMES_IN_MESSAGE ? ', …' : ''}`;
}
