/**
 * Whether a process is restarted for its memory, from one sample after another. Pure. Rules:
 * - a sample above the limit counts; one at or under it starts the count over;
 * - SAMPLES_OVER_LIMIT in a row restart it (one spike, such as a build step, does not);
 * - a new run (another pid) starts the count over, as does the restart it decides.
 */
export const SAMPLES_OVER_LIMIT = 2;

export interface MemoryStreak {
  /** The run the count is about. */
  pid: number;
  /** Samples above the limit in a row. */
  over: number;
}

export interface MemorySample {
  pid: number;
  bytes: number;
  limit: number;
}

export interface MemoryVerdict {
  streak: MemoryStreak;
  restart: boolean;
}

export function judgeMemory(previous: MemoryStreak | undefined, sample: MemorySample): MemoryVerdict {
  const before = previous?.pid === sample.pid ? previous.over : 0;
  const over = sample.bytes > sample.limit ? before + 1 : 0;
  if (over >= SAMPLES_OVER_LIMIT) return { streak: { pid: sample.pid, over: 0 }, restart: true };
  return { streak: { pid: sample.pid, over }, restart: false };
}
