import { type Clock, systemClock, type TimerHandle } from '../engine/clock.js';
import { answered, asked, type Flight, NOTHING_IN_FLIGHT, nextFrameAt, REPLY_TIMEOUT_MS } from './frame-pacing.js';

/** Where the dashboard's state changes become React commits (each one a frame to draw). */
export interface CommitGate {
  /**
   * Runs `commit` now if a frame may go, else when one may; a later commit under the same key replaces
   * a waiting one (the newest state is drawn, not every state).
   */
  commit(key: string, commit: () => void): void;
}

/** No flow control: every commit at once (component tests, and a dashboard without a terminal to ask). */
export const openGate: CommitGate = { commit: (_key, commit) => commit() };

/**
 * At most one frame in flight: the store's snapshots and the UI state wait here while the terminal has
 * not answered for the last frame (frame-pacing.ts decides; this holds the waiting commits and the timer).
 * Only React commits wait: Ink's writes never do (a dropped write would corrupt its next incremental diff).
 */
export class FrameGate implements CommitGate {
  private flight: Flight = NOTHING_IN_FLIGHT;
  private readonly waiting = new Map<string, () => void>();
  private timer: TimerHandle | undefined;
  private disposed = false;
  private readonly settledListeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly timeoutMs = REPLY_TIMEOUT_MS,
  ) {}

  commit(key: string, commit: () => void): void {
    if (this.disposed) return;
    if (this.clock.now() >= nextFrameAt(this.flight, this.timeoutMs)) commit();
    else this.waiting.set(key, commit);
  }

  /** A frame was written and the question after it asked. */
  asked(): void {
    this.flight = asked(this.flight, this.clock.now());
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.release();
    }, this.timeoutMs);
    this.timer.unref?.();
  }

  /** The terminal answered. */
  answered(): void {
    this.flight = answered(this.flight);
    if (this.flight.awaiting === 0) this.release();
  }

  /**
   * Resolves once every question asked has its answer, or the last one timed out: the dashboard closes
   * only then, so no answer arrives after raw mode is off (the shell would get it as typed text).
   */
  settled(): Promise<void> {
    if (this.flight.awaiting === 0 || this.clock.now() >= nextFrameAt(this.flight, this.timeoutMs)) return Promise.resolve();
    return new Promise((resolve) => this.settledListeners.add(resolve));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.waiting.clear();
    this.settle();
  }

  private settle(): void {
    for (const resolve of this.settledListeners) resolve();
    this.settledListeners.clear();
  }

  /** A frame may go: the waiting commits run, and whoever waits for the terminal to settle is told. */
  private release(): void {
    this.settle();
    if (this.disposed || this.waiting.size === 0) return;
    const commits = [...this.waiting.values()];
    this.waiting.clear();
    for (const commit of commits) commit();
  }
}
