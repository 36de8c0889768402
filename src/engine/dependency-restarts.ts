import type { OnDependencyRestart } from '../config/settings/types.js';
import type { ProcessState, ProcessStatus } from './process-state.js';

/**
 * `on_dependency_restart: restart`: when a process begins a new run after an earlier one (a crash
 * restart, r, a memory restart, s after a stop), the processes that depend on its entry and say
 * `restart` are restarted too: stopped, and started again once their dependencies allow. Pure. Rules:
 * - a process's first run is not a restart; any later run (a new pid) is;
 * - only a follower whose run is up or about to start again (backoff) follows: one that ended (exited,
 *   crashed, failed, stopped by hand) stays ended, and one still waiting or blocked starts when it may anyway.
 */
export interface Follower {
  name: string;
  dependsOn: Record<string, unknown>;
  onDependencyRestart: OnDependencyRestart | undefined;
  status: ProcessStatus;
}

const FOLLOWS = new Set<ProcessStatus>(['starting', 'running', 'ready', 'backoff']);

/** The names of the processes to restart because a run of `entry` began again. */
export function followersOf(entry: string, processes: readonly Follower[]): string[] {
  return processes.filter((p) => p.onDependencyRestart === 'restart' && entry in p.dependsOn && FOLLOWS.has(p.status)).map((p) => p.name);
}

/** Remembers each process's last run (its pid) to tell a new run after an earlier one from a first run. */
export class RunStarts {
  private readonly lastPid = new Map<string, number>();

  /** True when `state` shows a run other than the one seen before, and one was seen before. */
  isRestart(state: ProcessState): boolean {
    if (state.pid === undefined) return false;
    const last = this.lastPid.get(state.name);
    if (last === state.pid) return false;
    this.lastPid.set(state.name, state.pid);
    return last !== undefined;
  }
}
