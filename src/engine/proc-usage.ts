import { readFileSync } from 'node:fs';
import { statFields } from './proc-table.js';

/**
 * CPU% and resident memory of processes from /proc/PID/stat (Linux), read synchronously: one small read
 * per process per round. pidusage (still used where there is no /proc) sends each read, and one of
 * /proc/uptime, through libuv's threadpool, and runs `getconf` twice on its first call: a quiet run
 * paid more for those round trips than for the reads.
 *
 * CPU% is the CPU time a process used since the last round that saw it, over the time between the two
 * rounds (for a process seen for the first time: since it started), as pidusage computes it. A pid
 * reused by another process (another start time) counts as new.
 */

/** The unit of times in /proc on Linux (USER_HZ), whatever the kernel's tick rate. */
const TICKS_PER_SECOND = 100;

export interface ProcUsageSample {
  /** Percent of one core. */
  cpu: number;
  /** Resident memory in bytes. */
  memory: number;
}

interface Seen {
  /** utime + stime, in ticks. */
  ticks: number;
  start: number;
  /** /proc/uptime when it was read, in seconds. */
  at: number;
}

export class ProcUsage {
  private seen = new Map<number, Seen>();
  private pageBytes: number | undefined;

  constructor(private readonly read: (path: string) => string = (path) => readFileSync(path, 'latin1')) {}

  /** Usage of each pid that could be read; pids not asked for are forgotten. */
  sample(pids: readonly number[]): Map<number, ProcUsageSample> {
    const at = this.uptime();
    this.pageBytes ??= this.pageSize();
    const seen = new Map<number, Seen>();
    const usage = new Map<number, ProcUsageSample>();
    for (const pid of pids) {
      const stat = this.stat(pid);
      if (!stat) continue;
      const before = this.seen.get(pid);
      const last = before?.start === stat.start ? before : { ticks: 0, at: stat.start / TICKS_PER_SECOND };
      const seconds = at - last.at;
      const cpu = seconds > 0 ? ((stat.ticks - last.ticks) / TICKS_PER_SECOND / seconds) * 100 : 0;
      usage.set(pid, { cpu: Math.max(0, cpu), memory: stat.rssPages * this.pageBytes });
      seen.set(pid, { ticks: stat.ticks, start: stat.start, at });
    }
    this.seen = seen;
    return usage;
  }

  /** Fields 14-15 (utime, stime), 22 (start time) and 24 (RSS in pages). */
  private stat(pid: number): { ticks: number; start: number; rssPages: number } | undefined {
    let text: string;
    try {
      text = this.read(`/proc/${pid}/stat`);
    } catch {
      return undefined; // gone
    }
    const fields = statFields(text);
    if (!fields) return undefined;
    const ticks = Number(fields[11]) + Number(fields[12]);
    const start = Number(fields[19]);
    const rssPages = Number(fields[21]);
    return Number.isFinite(ticks) && Number.isFinite(start) && Number.isFinite(rssPages) ? { ticks, start, rssPages } : undefined;
  }

  private uptime(): number {
    return Number.parseFloat(this.read('/proc/uptime'));
  }

  /** Bytes per page, from this process's RSS in pages (statm) and in kB (status); 4096 if they cannot be read. */
  private pageSize(): number {
    try {
      const pages = Number(this.read('/proc/self/statm').split(' ')[1]);
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(this.read('/proc/self/status'))?.[1]);
      const size = 2 ** Math.round(Math.log2((kb * 1024) / pages));
      return Number.isFinite(size) && size >= 4096 ? size : 4096;
    } catch {
      return 4096;
    }
  }
}
