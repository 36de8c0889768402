import type { Clock, TimerHandle } from '../../src/engine/clock.js';

/** A clock whose time moves only when the test says so; timers fire in due order on advance(). */
export class FakeClock implements Clock {
  private time = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; handle: TimerHandle; delay: number }> = [];
  /** Every delay ever scheduled, in order: what backoff tests assert on. */
  readonly scheduled: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = {};
    this.timers.push({ at: this.time + ms, fn, handle, delay: ms });
    this.scheduled.push(ms);
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  pendingDelays(): number[] {
    return this.timers.map((t) => t.delay);
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = target;
  }
}
