import type { ExitInfo } from './runner.js';

/**
 * pending: not started yet · waiting: for its dependencies (the reason says which) · blocked: a dependency
 * ended without meeting its condition, so it was not started · starting: spawned, its ready probe (if any)
 * has not passed · running: spawned (no probe) · ready: its probe passed · stopping: the stop signal sent ·
 * stopped: by the user · exited: code 0 · crashed: code != 0 or a signal · backoff: waiting to restart ·
 * failed: crashed too often in a row, or not ready in time; gave up.
 * An open set for clients (`status --json`): states are added, never renamed.
 */
export type ProcessStatus =
  | 'pending'
  | 'waiting'
  | 'blocked'
  | 'starting'
  | 'running'
  | 'ready'
  | 'stopping'
  | 'stopped'
  | 'exited'
  | 'crashed'
  | 'backoff'
  | 'failed';

export interface LastExit extends ExitInfo {
  at: number;
  /** True when devrun (the user, or shutdown) asked for the stop. */
  byUser: boolean;
}

/** An immutable view of one process, handed to the headless printer and the UI. */
export interface ProcessState {
  name: string;
  entry: string;
  index: number;
  command: string;
  port: number;
  status: ProcessStatus;
  pid: number | undefined;
  restarts: number;
  startedAt: number | undefined;
  /** When status is backoff: the time of the next start. */
  restartAt: number | undefined;
  lastExit: LastExit | undefined;
  /** Why the process is in its state, when its exit alone does not say (e.g. "command not found: bundle"). */
  reason: string | undefined;
  /** The first http:// or https:// URL its current run printed, if any. */
  url?: string;
}

/** "exit 1" or "SIGSEGV": how a run ended, in the words the status line and system logs use. */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? exit.signal : `exit ${exit.code ?? '?'}`;
}

/** Shell-convention exit code for a run: the code, or 128 + signal number. */
export function exitCodeOf(exit: ExitInfo, signalNumbers: Record<string, number>): number {
  if (exit.signal) return 128 + (signalNumbers[exit.signal] ?? 0);
  return exit.code ?? 1;
}

/** Not yet at an end state: a pending or waiting process is about to start, so it counts too. */
export const isActive = (status: ProcessStatus): boolean => ACTIVE.has(status);
const ACTIVE = new Set<ProcessStatus>(['pending', 'waiting', 'starting', 'running', 'ready', 'stopping', 'backoff']);

/** Has no run to restart: not started yet (pending, waiting, blocked) or stopped by hand. */
export const isNotStarted = (status: ProcessStatus): boolean =>
  status === 'pending' || status === 'waiting' || status === 'blocked' || status === 'stopped';

/** A run is up: spawned and not being stopped (running, or starting/ready when it has a probe). */
export const isUp = (status: ProcessStatus): boolean => status === 'starting' || status === 'running' || status === 'ready';
