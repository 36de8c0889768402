// What every workload gets, and what it must declare.
import type { Peers } from './peers.js';
import type { Results } from './results.js';

export interface Context {
  results: Results;
  peers: Peers;
}

export interface Workload {
  name: string;
  /** Which peers it compares with (installed only when a selected workload needs them). */
  needs: { concurrently?: boolean; mprocs?: boolean; foreman?: boolean };
  /** Hard limit for the whole workload; past it, it is aborted and cleaned up. */
  budgetMs: number;
  /** How it is measured, for BENCHMARKS.md. */
  notes: string[];
  run(ctx: Context): Promise<void>;
}
