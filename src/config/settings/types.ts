import type { RestartMode } from '../../engine/restart-policy.js';

/** What a dependent waits for: `started` (spawned), `ready` (its probe passed), `succeeded` (exited 0), `completed` (exited). */
export type DependencyCondition = 'started' | 'ready' | 'succeeded' | 'completed';
export const DEPENDENCY_CONDITIONS: readonly DependencyCondition[] = ['started', 'ready', 'succeeded', 'completed'];

export type ProbeCheck =
  /** A TCP connect to 127.0.0.1 and ::1 (a server on `localhost` binds ::1 on Node >= 17). */
  | { kind: 'port'; port: number }
  /** A GET answered with a status in [min, max]. */
  | { kind: 'http'; url: string; status: { min: number; max: number } }
  /** A line of the process's output (sanitized) matches. */
  | { kind: 'log'; pattern: string };

export interface ReadyProbe {
  check: ProbeCheck;
  intervalMs: number;
  timeoutMs: number;
  initialDelayMs: number;
}

export type OnDependencyRestart = 'restart' | 'keep';

/** One entry's settings from devrun.yaml: only what the file says (defaults are applied where used). */
export interface ProcessSettings {
  /** The entry (every instance of it: `web` means web.1, web.2). */
  name: string;
  /** 1-based line of the entry in the settings file. */
  line: number;
  /** The keys the file gives it, in its order. */
  keys: string[];
  /** Defines the entry when the Procfile does not. */
  cmd?: string;
  dependsOn: Record<string, DependencyCondition>;
  ready?: ReadyProbe;
  restart?: RestartMode;
  maxRestarts?: number;
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /** Beats .env and the shell for this process; taken as written (no expansion). */
  env: Record<string, string>;
  /** Relative to the project root. */
  cwd?: string;
  autostart?: boolean;
  /** Bytes of the process tree's proportional set size. */
  maxMemory?: number;
  watch: string[];
  watchIgnore: string[];
  onDependencyRestart?: OnDependencyRestart;
}
