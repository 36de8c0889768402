import type { DependencyCondition } from '../config/settings/types.js';
import { describeExit, type ProcessState } from './process-state.js';

/**
 * Whether a process may start, from its dependencies and the states of every process. Pure. Rules:
 * - a dependency on an entry means all its instances; an entry with no instance in this run (a
 *   formation of 0, or not among the names started) holds nobody back;
 * - `started`: spawned (has a pid: starting, running, ready; or ended after a run); `ready`: its probe passed (now);
 *   `succeeded`: exited 0; `completed`: exited with any code (crashed or gave up included);
 * - a dependency that ended without meeting its condition (crashed, gave up, exited before it was
 *   ready, a `succeeded` one that exited non-zero, or one that is itself blocked) blocks: the process is
 *   not started, with that reason; one that may still meet it (pending, waiting, restarting, stopping,
 *   stopped by hand or autostart: false) makes it wait, with the first such reason;
 * - blocked wins over wait: the dependent will not start whatever the others do.
 */
export interface Dependency {
  entry: string;
  condition: DependencyCondition;
  /** What the entry's ready probe checks ("port 5432"), for the reason of a wait for `ready`. */
  probe?: string;
}

export type GateDecision = { kind: 'go' } | { kind: 'wait'; reason: string } | { kind: 'blocked'; reason: string };

type Verdict = 'met' | { wait: string } | { blocked: string };

export function gate(dependencies: readonly Dependency[], states: readonly ProcessState[]): GateDecision {
  let wait: string | undefined;
  for (const dependency of dependencies) {
    for (const state of states) {
      if (state.entry !== dependency.entry) continue;
      const verdict = judge(dependency, state);
      if (verdict === 'met') continue;
      if ('blocked' in verdict) return { kind: 'blocked', reason: `${dependency.entry} ${verdict.blocked}` };
      wait ??= `waiting for ${dependency.entry} (${verdict.wait})`;
    }
  }
  return wait === undefined ? { kind: 'go' } : { kind: 'wait', reason: wait };
}

function judge({ condition, probe }: Dependency, state: ProcessState): Verdict {
  const expected = { wait: condition === 'ready' ? (probe ?? 'to be ready') : EXPECTED[condition] };
  switch (state.status) {
    case 'pending':
    case 'waiting':
      return expected;
    case 'stopped':
      return { wait: 'not started: s starts it' };
    case 'backoff':
      return { wait: 'restarting' };
    case 'stopping':
      return { wait: 'stopping' };
    case 'blocked':
      return { blocked: `is blocked: ${state.reason ?? ''}` };
    case 'starting':
    case 'running':
    case 'ready':
      // Starting without a pid: the spawn is under way, not done.
      if (state.pid === undefined) return expected;
      if (condition === 'started' || (condition === 'ready' && state.status === 'ready')) return 'met';
      return expected;
    case 'exited':
      return condition === 'ready' ? { blocked: 'exited before it was ready' } : 'met';
    case 'crashed':
    case 'failed':
      return condition === 'completed' ? 'met' : { blocked: ended(state) };
  }
}

const EXPECTED: Record<Exclude<DependencyCondition, 'ready'>, string> = {
  started: 'to start',
  succeeded: 'to succeed',
  completed: 'to complete',
};

/** "crashed: exit 1", "gave up: SIGSEGV", "failed: not ready after 60 s". */
function ended(state: ProcessState): string {
  const exit = state.lastExit ? describeExit(state.lastExit) : 'no exit';
  if (state.status === 'crashed') return `crashed: ${exit}`;
  return state.reason ? `failed: ${state.reason}` : `gave up: ${exit}`;
}
