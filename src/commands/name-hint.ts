import type { ProcessSpec, ProcfileEntry } from '../config/types.js';
import { nameList, resolveNames } from '../control/names.js';

/**
 * Why `devrun NAME` names nothing to run, with what to type instead: `web.3` when the formation runs
 * fewer web processes points at `-m web=3`; any other name gets the closest known name (a typo) and the
 * list of names. Pure: the caller prints it.
 */
export function unknownNameHint(name: string, specs: readonly ProcessSpec[], entries: readonly ProcfileEntry[]): string {
  const instance = /^(.+)\.(\d+)$/.exec(name);
  const entry = instance && entries.find((e) => e.name === instance[1]);
  const wanted = instance ? Number(instance[2]) : 0;
  if (entry && wanted >= 1) {
    const running = specs.filter((s) => s.entry === entry.name).length;
    const runs = `the formation runs ${running} ${entry.name} process${running === 1 ? '' : 'es'}`;
    const range = wanted === 1 ? 'runs it' : `runs ${entry.name}.1 to ${name}`;
    return `no process named "${name}": ${runs}; -m ${entry.name}=${wanted} ${range}`;
  }
  const resolved = resolveNames(
    specs.map((s) => s.name),
    [name],
  );
  if ('names' in resolved) return `no process named "${name}"`;
  const known = nameList(entries.map((e) => e.name));
  const guess = resolved.suggestion !== null ? `: did you mean "${resolved.suggestion}"? The` : '; the';
  return `no process named "${name}"${guess} Procfile has ${known}`;
}
