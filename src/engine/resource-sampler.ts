import pidusage from 'pidusage';
import type { Clock, TimerHandle } from './clock.js';
import { hasProcFs } from './proc-table.js';
import { type Trees, treeRound } from './proc-tree.js';
import { ProcUsage, type ProcUsageSample } from './proc-usage.js';

export interface ResourceUsage {
  /** Percent of one core, summed over the process tree (can exceed 100). */
  cpu: number;
  /** Resident memory in bytes, summed over the process tree. */
  rss: number;
}

/** How often the trees are sampled (usage, and memory limits: over for SAMPLES_OVER_LIMIT rounds in a row restarts one). */
export const SAMPLE_INTERVAL_MS = 2000;

export interface ResourceSamplerOptions {
  intervalMs?: number;
  clock: Clock;
  /** Current leader pid of every running process, by name. */
  leaders: () => Map<string, number>;
  /** Each round's usage, and its trees for other readers of the round (memory limits). */
  onSample: (usage: Map<string, ResourceUsage>, trees: Trees) => void;
}

/**
 * Samples CPU% and RSS per process tree: each tree walked down from its leader (proc-tree.ts), the
 * numbers read from /proc (proc-usage.ts), or by pidusage where there is no /proc (macOS: `ps`).
 */
export class ResourceSampler {
  private timer: TimerHandle | undefined;
  private stopped = true;
  private readonly procUsage = hasProcFs ? new ProcUsage() : undefined;

  constructor(private readonly options: ResourceSamplerOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One sample now (trees walked afresh, or the round's `trees`); exposed for tests and for a refresh on demand. */
  async sample(trees: Trees = treeRound()): Promise<Map<string, ResourceUsage>> {
    const leaders = this.options.leaders();
    const treeByName = new Map<string, number[]>();
    for (const [name, leader] of leaders) treeByName.set(name, trees(leader));
    const allPids = [...new Set([...treeByName.values()].flat())];
    const stats = allPids.length === 0 ? new Map() : this.procUsage ? this.procUsage.sample(allPids) : await pidusageOf(allPids);
    const usage = new Map<string, ResourceUsage>();
    for (const [name, pids] of treeByName) {
      let cpu = 0;
      let rss = 0;
      for (const pid of pids) {
        const s = stats.get(pid);
        if (s) {
          cpu += s.cpu;
          rss += s.memory;
        }
      }
      usage.set(name, { cpu, rss });
    }
    return usage;
  }

  private schedule(): void {
    const { clock, intervalMs = SAMPLE_INTERVAL_MS } = this.options;
    this.timer = clock.setTimeout(async () => {
      try {
        const trees = treeRound();
        const usage = await this.sample(trees);
        if (!this.stopped) this.options.onSample(usage, trees);
      } catch {
        // A sample that races with processes exiting is simply skipped.
      }
      if (!this.stopped) this.schedule();
    }, intervalMs);
    this.timer.unref?.();
  }
}

async function pidusageOf(pids: number[]): Promise<Map<number, ProcUsageSample>> {
  try {
    const stats = (await pidusage(pids)) as Record<number, ProcUsageSample | undefined>;
    return new Map(pids.flatMap((pid) => (stats[pid] ? [[pid, stats[pid]] as const] : [])));
  } catch {
    // pidusage rejects when its only pid vanished; treat as no data.
    return new Map();
  }
}
