import type { Diagnostic, ProcfileEntry } from './types.js';

/**
 * `devrun NAME` runs the Procfile entry NAME (`devrun web` is `devrun start web`), unless NAME is a
 * verb: `devrun status` asks the running devrun for its status, `devrun start` runs every entry. An
 * entry with a verb's name is valid, but typing `devrun NAME` does not run it, so `devrun check`
 * warns about it.
 */
export const VERBS: readonly string[] = [
  'status',
  'restart',
  'stop',
  'kill',
  'send',
  'start',
  'check',
  'run',
  'attach',
  'connect',
  'logs',
  'completion',
  'wait',
  'reload',
];

/** One warning per entry named like a verb, in Procfile order. */
export function verbNamedEntries(entries: readonly ProcfileEntry[], file: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const { name, line } of entries) {
    const only = `use \`devrun start ${name}\` to run only this entry`;
    if (VERBS.includes(name)) {
      const does = name === 'start' ? 'runs every entry' : 'runs the verb';
      warnings.push({ file, line, message: `entry "${name}" has a verb's name: \`devrun ${name}\` ${does}; ${only}` });
    }
  }
  return warnings;
}
