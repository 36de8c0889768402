import type { RestartMode } from '../engine/restart-policy.js';
import type { DependencyCondition, OnDependencyRestart, ReadyProbe } from './settings/types.js';

/** A problem in an input file, reported as `file:line: message`. */
export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  line: number;
  /** 1-based, when known (the settings file's errors have one). */
  column?: number;
  message: string;
}

/** One `name: command` line of a Procfile. */
export interface ProcfileEntry {
  name: string;
  command: string;
  /** 1-based line number in the Procfile. */
  line: number;
}

/** One process to run: an entry times its formation count gives web.1, web.2, ... */
export interface ProcessSpec {
  /** Display and addressing name, foreman style: `web.1`. */
  name: string;
  /** The Procfile entry it came from: `web`. */
  entry: string;
  /** Position of the entry in the Procfile (0-based), used for PORT and colour. */
  index: number;
  /** 1-based instance number within the entry. */
  instance: number;
  command: string;
  port: number;
  /** How it runs when a flag or devrun.yaml says (config/settings/run-settings.ts); the run's defaults otherwise. */
  run?: RunSettings;
}

/** One process's run settings: a flag beats devrun.yaml, which beats the defaults. */
export interface RunSettings {
  restart: RestartMode;
  maxRestarts: number;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  /** Beats the shell, .env and devrun's own PORT/PS for this process. */
  env: Record<string, string>;
  /** Relative to the project root; undefined: the root. */
  cwd: string | undefined;
  /** false: shown stopped until started by hand. */
  autostart: boolean;
  /** Entry → what it must reach before this process starts (an entry means all its instances). */
  dependsOn: Record<string, DependencyCondition>;
  /** The probe that says a run is ready; undefined: it is running once spawned. */
  ready: ReadyProbe | undefined;
  /** 0 when it depends on nothing, else one more than its deepest dependency: stops go deepest first. */
  depth: number;
  /** Bytes of its tree's proportional set size above which it is restarted (memory-limits.ts); undefined: no limit. */
  maxMemory?: number;
  /** `restart`: a new run of a process it depends on restarts it too (dependency-restarts.ts); default keep. */
  onDependencyRestart?: OnDependencyRestart;
  /** Files whose change restarts it (globs relative to the project root); undefined: not watched. */
  watch?: WatchSettings;
}

export interface WatchSettings {
  globs: string[];
  /** Folders and files never watched nor walked, besides .git, .devrun and node_modules (unless a glob names it). */
  ignore: string[];
}

export function formatDiagnostic(d: Diagnostic): string {
  if (d.line <= 0) return `${d.file}: ${d.message}`;
  return d.column ? `${d.file}:${d.line}:${d.column}: ${d.message}` : `${d.file}:${d.line}: ${d.message}`;
}
