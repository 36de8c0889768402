import { describeCheck } from '../config/settings/describe-settings.js';
import { type Dependency, gate } from './dependency-gate.js';
import type { ManagedProcess } from './managed-process.js';
import type { ProcessState } from './process-state.js';

/**
 * The processes the run means to start, each started once the dependency gate lets it (the effect of
 * dependency-gate.ts's decision). Until then each waits, or is blocked, with the gate's reason.
 * `evaluate()` runs on every state change; a change it causes (a start) is evaluated again after it.
 * A process leaves the queue when it starts, or when someone starts, stops or restarts it by hand.
 */
export class StartQueue {
  private readonly queued = new Set<ManagedProcess>();
  private paused = false;
  private evaluating = false;
  private again = false;

  /** `procs`: every process of the run now (a reload adds and removes some), read at each pass. */
  constructor(
    private readonly procs: () => readonly ManagedProcess[],
    private readonly states: () => ProcessState[],
  ) {}

  /** Its dependencies as its settings say now (a live edit may change them), with what each entry's probe checks. */
  private dependencies(proc: ManagedProcess, probes: ReadonlyMap<string, string | undefined>): Dependency[] {
    return Object.entries(proc.spec.run?.dependsOn ?? {}).map(([entry, condition]) => ({ entry, condition, probe: probes.get(entry) }));
  }

  add(procs: Iterable<ManagedProcess>): void {
    for (const p of procs) this.queued.add(p);
  }

  remove(proc: ManagedProcess): void {
    this.queued.delete(proc);
  }

  clear(): void {
    this.queued.clear();
  }

  /** While paused nothing starts (R stops every level before anything starts again). */
  pause(paused: boolean): void {
    this.paused = paused;
  }

  evaluate(): void {
    if (this.paused || this.queued.size === 0) return;
    if (this.evaluating) {
      this.again = true;
      return;
    }
    this.evaluating = true;
    try {
      do {
        this.again = false;
        this.pass();
      } while (this.again && !this.paused);
    } finally {
      this.evaluating = false;
    }
  }

  private pass(): void {
    const states = this.states();
    const probes = new Map(this.procs().map(({ spec }) => [spec.entry, spec.run?.ready && describeCheck(spec.run.ready.check)]));
    for (const proc of this.queued) {
      const { status } = proc.state();
      // Held (on_dependency_restart): its run is ending, then it waits here.
      if (status === 'stopping') continue;
      // Started (or stopped) by hand meanwhile: no longer the queue's.
      if (status !== 'pending' && status !== 'waiting' && status !== 'blocked') {
        this.queued.delete(proc);
        continue;
      }
      const decision = gate(this.dependencies(proc, probes), states);
      if (decision.kind === 'go') {
        this.queued.delete(proc);
        proc.start();
        // The others are judged again against the state this start made.
        this.again = true;
        return;
      } else if (decision.kind === 'wait') proc.wait(decision.reason);
      else proc.block(decision.reason);
    }
  }
}
