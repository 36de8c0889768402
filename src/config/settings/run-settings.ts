import { defaultRestartPolicy, type RestartMode } from '../../engine/restart-policy.js';
import type { RunSettings } from '../types.js';
import type { ProcessSettings } from './types.js';

/** The stop timeout when neither --timeout nor stop_timeout says (the flag's default, in seconds). */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 5;
export const DEFAULT_STOP_SIGNAL: NodeJS.Signals = 'SIGTERM';

/** The run flags that devrun.yaml keys also set; undefined when not given on the command line. */
export interface RunFlags {
  restart?: RestartMode;
  maxRestarts?: number;
  timeoutSeconds?: number;
  /** --max-memory, in bytes: beats max_memory. */
  maxMemory?: number;
}

/** A flag beats devrun.yaml, which beats the defaults; `depth` comes from the dependency graph. Pure. */
export function runSettings(flags: RunFlags, file: ProcessSettings | undefined, depth = 0): RunSettings {
  return {
    restart: flags.restart ?? file?.restart ?? defaultRestartPolicy.mode,
    maxRestarts: flags.maxRestarts ?? file?.maxRestarts ?? defaultRestartPolicy.maxRestarts,
    stopSignal: file?.stopSignal ?? DEFAULT_STOP_SIGNAL,
    stopTimeoutMs:
      flags.timeoutSeconds !== undefined ? flags.timeoutSeconds * 1000 : (file?.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_SECONDS * 1000),
    env: file?.env ?? {},
    cwd: file?.cwd,
    autostart: file?.autostart ?? true,
    dependsOn: file?.dependsOn ?? {},
    ready: file?.ready,
    depth,
    maxMemory: flags.maxMemory ?? file?.maxMemory,
    onDependencyRestart: file?.onDependencyRestart ?? 'keep',
    watch: file?.watch.length ? { globs: file.watch, ignore: file.watchIgnore } : undefined,
  };
}
