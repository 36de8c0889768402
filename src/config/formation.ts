/**
 * Formations, foreman style: `all=1,web=2,worker=0` says how many instances of each Procfile entry to run.
 * Pure.
 */
import type { ProcessSpec, ProcfileEntry } from './types.js';

/** The formation key that sets the count of every entry not named explicitly. */
const ALL = 'all';
const MAX_PORT = 65_535;
const ITEM = /^([A-Za-z0-9_-]+)\s*=\s*(\d+)$/;

export function parseFormation(spec: string): { counts: Record<string, number>; error?: string } {
  const counts = new Map<string, number>();
  const fail = (error: string) => ({ counts: {}, error });

  const items = spec.split(',').map((part) => part.trim());
  // `-m ""`, `-m " "` and `-m ,` alike: most likely an unset variable, so not the default in disguise.
  if (items.every((item) => item === '')) return fail('formation is empty: write name=count, e.g. all=1,web=2');
  for (const item of items) {
    const [, name, digits] = ITEM.exec(item) ?? [];
    if (name === undefined || digits === undefined) {
      return fail(`invalid formation item "${item}": write name=count, e.g. all=1,web=2`);
    }
    if (counts.has(name)) return fail(`"${name}" appears twice in the formation: give each name once`);
    const count = Number(digits);
    if (!Number.isSafeInteger(count)) return fail(`formation count for "${name}" is too large: ${digits}`);
    counts.set(name, count);
  }
  // fromEntries defines own properties, so even a name like `__proto__` stays a plain key.
  return { counts: Object.fromEntries(counts) };
}

/**
 * One spec per instance: `web.1`, `web.2`, ... (always suffixed, as foreman), with foreman's ports:
 * base + 100 per entry position + 1 per instance. An entry's count is its own, else `all`, else 1.
 */
export function expandFormation(
  entries: ProcfileEntry[],
  counts: Record<string, number>,
  basePort: number,
): { specs: ProcessSpec[]; error?: string } {
  const names = entries.map((entry) => entry.name);
  const unknown = Object.keys(counts).find((name) => name !== ALL && !names.includes(name));
  if (unknown !== undefined) {
    const known = names.length > 0 ? names.join(', ') : 'no processes';
    const error = `formation names unknown process "${unknown}": the Procfile defines ${known}`;
    return { specs: [], error };
  }

  const specs: ProcessSpec[] = [];
  for (const [index, entry] of entries.entries()) {
    const count = countOf(counts, entry.name) ?? countOf(counts, ALL) ?? 1;
    // Checked before building, so a huge count fails fast instead of allocating its specs.
    const lastPort = basePort + 100 * index + count - 1;
    if (count > 0 && lastPort > MAX_PORT) {
      const error = `port ${lastPort} for ${entry.name}.${count} is above ${MAX_PORT}: use a lower base port`;
      return { specs: [], error };
    }
    for (let instance = 1; instance <= count; instance++) {
      specs.push({
        name: `${entry.name}.${instance}`,
        entry: entry.name,
        index,
        instance,
        command: entry.command,
        port: basePort + 100 * index + (instance - 1),
      });
    }
  }
  return { specs };
}

/** Own keys only: a process named `constructor` must not find Object.prototype's. */
function countOf(counts: Record<string, number>, name: string): number | undefined {
  return Object.hasOwn(counts, name) ? counts[name] : undefined;
}
