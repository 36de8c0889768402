import type { Diagnostic, ProcfileEntry } from '../types.js';
import type { ProcessSettings } from './types.js';

/**
 * The settings checked against the Procfile, and the order they give. Pure.
 * - every entry named in settings exists: in the Procfile, or defined here with `cmd` (not both);
 * - every dependency names an entry, not itself; `ready` only on an entry that has a probe;
 * - no cycle (reported as the loop: "migrate → web → migrate");
 * - depth: 0 for an entry that depends on nothing, else one more than its deepest dependency. Starts go
 *   by dependency; stops go deepest first, one depth at a time, each depth in parallel.
 */
export interface DependencyCheck {
  diagnostics: Diagnostic[];
  /** Entry name → depth. */
  depth: Map<string, number>;
}

export function checkDependencies(file: string, entries: readonly ProcfileEntry[], settings: readonly ProcessSettings[]): DependencyCheck {
  const diagnostics: Diagnostic[] = [];
  const report = (s: ProcessSettings, message: string) =>
    diagnostics.push({ file, line: s.line, message: `processes.${s.name}: ${message}` });
  const inProcfile = new Map(entries.map((e) => [e.name, e]));
  const byName = new Map(settings.map((s) => [s.name, s]));
  const names = new Set([...inProcfile.keys(), ...settings.filter((s) => s.cmd !== undefined).map((s) => s.name)]);

  for (const s of settings) {
    const entry = inProcfile.get(s.name);
    if (entry && s.cmd !== undefined) report(s, `has a cmd but the Procfile defines it too (line ${entry.line}): keep one`);
    if (!entry && s.cmd === undefined) report(s, 'is not in the Procfile: give it a cmd, or fix the name');
    for (const [dependency, condition] of Object.entries(s.dependsOn)) {
      if (dependency === s.name) report(s, 'depends on itself');
      else if (!names.has(dependency)) report(s, `depends on ${dependency}, which is not a process (${[...names].join(', ')})`);
      else if (condition === 'ready' && byName.get(dependency)?.ready === undefined) {
        report(s, `waits for ${dependency} to be ready, but ${dependency} has no ready probe: give it one, or wait for started`);
      }
    }
  }
  if (diagnostics.length > 0) return { diagnostics, depth: new Map() };
  const cycle = findCycle(settings);
  if (cycle) {
    report(byName.get(cycle[0]!)!, `dependency cycle: ${cycle.join(' → ')}`);
    return { diagnostics, depth: new Map() };
  }
  return { diagnostics, depth: depths(names, byName) };
}

/** The first loop found, as names from its start back to it, or undefined. */
function findCycle(settings: readonly ProcessSettings[]): string[] | undefined {
  const byName = new Map(settings.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    const open = path.indexOf(name);
    if (open >= 0) return [...path.slice(open), name];
    if (done.has(name)) return undefined;
    for (const dependency of Object.keys(byName.get(name)?.dependsOn ?? {})) {
      const found = visit(dependency, [...path, name]);
      if (found) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const s of settings) {
    const found = visit(s.name, []);
    if (found) return found;
  }
  return undefined;
}

function depths(names: Set<string>, byName: Map<string, ProcessSettings>): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const dependencies = Object.keys(byName.get(name)?.dependsOn ?? {});
    const d = dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map(of));
    depth.set(name, d);
    return d;
  };
  for (const name of names) of(name);
  return depth;
}
