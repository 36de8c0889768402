import { mebibytes } from '../config/settings/describe-settings.js';
import type { Clock, TimerHandle } from './clock.js';
import { judgeMemory, type MemoryStreak, SAMPLES_OVER_LIMIT } from './memory-verdict.js';
import { hasProcFs, type ProcInfo, readProcTable } from './proc-table.js';
import { treePss } from './pss.js';

/** How often the processes with a limit are measured: over the limit for SAMPLES_OVER_LIMIT of these in a row restarts one. */
export const MEMORY_SAMPLE_INTERVAL_MS = 2000;

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
  treeBytes?: (table: ProcInfo[], leader: number) => number;
}

/**
 * Measures each process that has a limit (only those, and only when one has: the supervisor makes none
 * otherwise) on its own timer, and restarts one that memory-verdict.ts says has stayed over it.
 * Where there is no /proc nothing is measured (a limit then does nothing).
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

  /** One round: every process with an up run is measured, and restarted when the verdict says. */
  sample(): void {
    const up = this.options.processes().flatMap((p) => {
      const pid = p.pid();
      return pid === undefined ? [] : [{ p, pid }];
    });
    if (up.length === 0) return;
    const table = readProcTable();
    const treeBytes = this.options.treeBytes ?? treePss;
    for (const { p, pid } of up) {
      const bytes = treeBytes(table, pid);
      const verdict = judgeMemory(this.streaks.get(p.name), { pid, bytes, limit: p.limit });
      this.streaks.set(p.name, verdict.streak);
      if (verdict.restart) {
        p.restartForMemory(`using ${mebibytes(bytes)} (limit ${mebibytes(p.limit)}) ${SAMPLES_OVER_LIMIT} samples in a row: restarting`);
      }
    }
  }

  private schedule(): void {
    const { clock, intervalMs = MEMORY_SAMPLE_INTERVAL_MS } = this.options;
    this.timer = clock.setTimeout(() => {
      this.sample();
      if (this.timer) this.schedule();
    }, intervalMs);
    this.timer.unref?.();
  }
}
