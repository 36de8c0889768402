import { loadProject, type Project, selectProcesses, shown } from './load-project.js';
import { type RunFlags, runSettings } from './settings/run-settings.js';
import { formatDiagnostic, type ProcessSpec } from './types.js';

/** What a run is made of: its processes (each with its run settings) and the env they are layered on. */
export interface RunProject {
  specs: ProcessSpec[];
  /** Shell env layered with .env. */
  env: Record<string, string>;
}

/** The files read again for a live edit, or the one line that says why they cannot be used. */
export type Reloaded = { ok: true; project: RunProject } | { ok: false; error: string };

/** The options a run was started with that say what it runs: files, formation, NAMES and run flags. */
export type ReloadOptions = Parameters<typeof loadProject>[0] & RunFlags & { names: string[] };

/** Each process runs by its flags, then devrun.yaml, then the defaults. Pure. */
export function withRunSettings(project: Project, specs: ProcessSpec[], flags: RunFlags): ProcessSpec[] {
  const { byEntry, depth } = project.settings;
  return specs.map((spec) => ({ ...spec, run: runSettings(flags, byEntry.get(spec.entry), depth.get(spec.entry)) }));
}

/**
 * Reads the Procfile, .env and devrun.yaml again with the options the run was started with, so a flag
 * still beats the file and the NAMES started still select the processes. An entry removed from the
 * Procfile (or turned off) is simply not there; a file that does not parse is an error, with file and line.
 */
export function reloadProject(options: ReloadOptions, shellEnv: NodeJS.ProcessEnv): Reloaded {
  const loaded = loadProject(options, shellEnv);
  if (!loaded.ok) {
    const [first, ...more] = loaded.diagnostics;
    const extra = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? '' : 's'})` : '';
    return { ok: false, error: `${first ? formatDiagnostic(first) : 'the project cannot be read'}${extra}` };
  }
  const { specs } = selectProcesses(loaded.project, options.names);
  if (specs.length === 0) return { ok: false, error: `${shown(loaded.project.procfile)}: no process to run is left` };
  return { ok: true, project: { specs: withRunSettings(loaded.project, specs, options), env: loaded.project.env } };
}
