// Polling with deadlines: no fixed sleeps where a condition exists.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with the writers' own stamps). */
export const now = () => performance.timeOrigin + performance.now();

export class TimeoutError extends Error {}

/** Set when a workload overruns its budget: every poll then throws, so the workload unwinds and cleans up. */
export const watchdog = { aborted: false };

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Calls `check` every `intervalMs` until it returns something truthy; throws TimeoutError at the deadline. */
export async function pollUntil<T>(
  check: () => T | Promise<T>,
  { timeoutMs, intervalMs = 50, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<Truthy<T>> {
  const deadline = now() + timeoutMs;
  for (;;) {
    if (watchdog.aborted) throw new TimeoutError(`workload over its time budget while waiting for ${what}`);
    const value = await check();
    if (value) return value as Truthy<T>;
    if (now() > deadline) throw new TimeoutError(`timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The promise's value, or undefined if it has not settled within `ms` (the timer never outlives it). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
