import pidusage from 'pidusage';
import type { Clock, TimerHandle } from './clock.js';
import { hasProcFs, type ProcInfo, readProcTable } from './proc-table.js';

export interface ResourceUsage {
  /** Percent of one core, summed over the process tree (can exceed 100). */
  cpu: number;
  /** Resident memory in bytes, summed over the process tree. */
  rss: number;
}

/**
 * Every pid that belongs to a process: members of its process group plus descendants by ppid (a
 * child that called setsid left the group but is still ours). Needs /proc; elsewhere just the leader.
 */
export function treeMembers(table: ProcInfo[], leader: number): number[] {
  if (table.length === 0) return [leader];
  const members = new Set<number>();
  const childrenOf = new Map<number, number[]>();
  for (const p of table) {
    if (p.state === 'Z') continue;
    if (p.pgrp === leader) members.add(p.pid);
    const siblings = childrenOf.get(p.ppid);
    if (siblings) siblings.push(p.pid);
    else childrenOf.set(p.ppid, [p.pid]);
  }
  const queue = [...members, leader];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    for (const child of childrenOf.get(pid) ?? []) {
      if (!members.has(child)) {
        members.add(child);
        queue.push(child);
      }
    }
  }
  return [...members];
}

export interface ResourceSamplerOptions {
  intervalMs?: number;
  clock: Clock;
  /** Current leader pid of every running process, by name. */
  leaders: () => Map<string, number>;
  onSample: (usage: Map<string, ResourceUsage>) => void;
}

/**
 * Samples CPU% and RSS per process tree: one /proc scan for the tree, pidusage for the numbers
 * (it keeps /proc/PID/stat open between samples, so a steady set of pids costs one read each).
 */
export class ResourceSampler {
  private timer: TimerHandle | undefined;
  private stopped = true;

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

  /** One sample now; exposed for tests and for a refresh on demand. */
  async sample(): Promise<Map<string, ResourceUsage>> {
    const leaders = this.options.leaders();
    const table = hasProcFs ? readProcTable() : [];
    const treeByName = new Map<string, number[]>();
    for (const [name, leader] of leaders) treeByName.set(name, treeMembers(table, leader));
    const allPids = [...new Set([...treeByName.values()].flat())];
    const stats = allPids.length > 0 ? await readUsage(allPids) : {};
    const usage = new Map<string, ResourceUsage>();
    for (const [name, pids] of treeByName) {
      let cpu = 0;
      let rss = 0;
      for (const pid of pids) {
        const s = stats[pid];
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
    const { clock, intervalMs = 2000 } = this.options;
    this.timer = clock.setTimeout(async () => {
      try {
        const usage = await this.sample();
        if (!this.stopped) this.options.onSample(usage);
      } catch {
        // A sample that races with processes exiting is simply skipped.
      }
      if (!this.stopped) this.schedule();
    }, intervalMs);
    this.timer.unref?.();
  }
}

async function readUsage(pids: number[]): Promise<Record<number, { cpu: number; memory: number } | undefined>> {
  try {
    return (await pidusage(pids)) as Record<number, { cpu: number; memory: number } | undefined>;
  } catch {
    // pidusage rejects when its only pid vanished; treat as no data.
    return {};
  }
}
