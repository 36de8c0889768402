import { mebibytes } from '../config/settings/describe-settings.js';
import type { Clock, TimerHandle } from './clock.js';
import { judgeMemory, type MemoryStreak, SAMPLES_OVER_LIMIT } from './memory-verdict.js';
import { hasProcFs } from './proc-table.js';
import { type Trees, treeRound } from './proc-tree.js';
import { treePss } from './pss.js';
import { SAMPLE_INTERVAL_MS } from './resource-sampler.js';

/** A process with a memory limit, as MemoryLimits sees it. */
export interface LimitedProcess {
  name: string;
  /** Bytes of PSS. */
  limit: number;
  /** Its run's pid while the run is up (starting, running, ready); undefined otherwise. */
  pid(): number | undefined;
  /** A graceful stop, restarted by its policy as after a crash; `line` says why. */
  restartForMemory(line: string): void;
}

export interface MemoryLimitsOptions {
  clock: Clock;
  intervalMs?: number;
  /** The processes with a limit now (a reload may add, change or remove one). */
  processes: () => LimitedProcess[];
  /** The tree's PSS in bytes (default: /proc's). */
  treeBytes?: (pids: readonly number[]) => number;
}

/**
 * Measures each process that has a limit (only those, and only when one has), and restarts one that
 * memory-verdict.ts says has stayed over it. The supervisor feeds it the resource sampler's rounds (one
 * walk of the trees serves both); with sampling off it runs on its own timer (start). Where there is no
 * /proc nothing is measured (a limit then does nothing).
 */
export class MemoryLimits {
  private timer: TimerHandle | undefined;
  private readonly streaks = new Map<string, MemoryStreak>();

  constructor(private readonly options: MemoryLimitsOptions) {}

  start(): void {
    if (!hasProcFs || this.timer) return;
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One round: every process with an up run is measured in `trees`, and restarted when the verdict says. */
  sample(trees: Trees = treeRound()): void {
    if (!hasProcFs) return;
    const up = this.options.processes().flatMap((p) => {
      const pid = p.pid();
      return pid === undefined ? [] : [{ p, pid }];
    });
    if (up.length === 0) return;
    const treeBytes = this.options.treeBytes ?? ((pids: readonly number[]) => treePss(pids));
    for (const { p, pid } of up) {
      const bytes = treeBytes(trees(pid));
      const verdict = judgeMemory(this.streaks.get(p.name), { pid, bytes, limit: p.limit });
      this.streaks.set(p.name, verdict.streak);
      if (verdict.restart) {
        p.restartForMemory(`using ${mebibytes(bytes)} (limit ${mebibytes(p.limit)}) ${SAMPLES_OVER_LIMIT} samples in a row: restarting`);
      }
    }
  }

  private schedule(): void {
    const { clock, intervalMs = SAMPLE_INTERVAL_MS } = this.options;
    this.timer = clock.setTimeout(() => {
      this.sample();
      if (this.timer) this.schedule();
    }, intervalMs);
    this.timer.unref?.();
  }
}
