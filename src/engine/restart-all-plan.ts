import type { ProcessState } from './process-state.js';

/** What R (restart all) does to each process, and why it leaves one alone. */
export interface RestartAllPlan {
  restart: string[];
  left: Array<{ name: string; why: 'stopped' | 'finished' | 'stopping' }>;
}

/**
 * R restarts what runs (and what crashed, failed or waits); it leaves a process the user stopped (or that
 * does not start by itself), a one-shot that finished (exit 0: it did its job; its dependents may count
 * on it), and one already being stopped. Pure: the supervisor acts on it, the dashboard's notice says it.
 */
export function restartAllPlan(states: readonly ProcessState[]): RestartAllPlan {
  const plan: RestartAllPlan = { restart: [], left: [] };
  for (const state of states) {
    if (state.status === 'stopped') plan.left.push({ name: state.name, why: 'stopped' });
    else if (state.status === 'exited') plan.left.push({ name: state.name, why: 'finished' });
    else if (state.status === 'stopping') plan.left.push({ name: state.name, why: 'stopping' });
    else plan.restart.push(state.name);
  }
  return plan;
}

/** "restarted 4; left migrate.1 (finished), admin.1 (stopped)" */
export function describeRestartAll(plan: RestartAllPlan): string {
  const left = plan.left.map((l) => `${l.name} (${l.why})`).join(', ');
  return `restarted ${plan.restart.length}${left ? `; left ${left}` : ''}`;
}
