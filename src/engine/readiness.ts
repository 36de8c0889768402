import type { ReadyProbe } from '../config/settings/types.js';
import type { Clock, TimerHandle } from './clock.js';
import { attemptProbe, type PolledCheck, type ProbeAttempt } from './probes/attempt.js';
import { logMatcher } from './probes/log.js';

/** The longest one try of a port or http probe may take (never past the probe's timeout). */
const ATTEMPT_TIMEOUT_MS = 5000;

export interface ReadinessOptions {
  probe: ReadyProbe;
  clock: Clock;
  /** One try of a port or http probe (default: the real ones). */
  attempt?: ProbeAttempt;
  onReady: () => void;
  onTimeout: () => void;
}

/**
 * Watches one run until its ready probe passes. Rules:
 * - port and http probes are polled: the first try after initial_delay, each next one `interval` after
 *   the previous one ended (tries never overlap; each has its own timeout, never past the deadline);
 * - a log probe tests each line the run prints from its start (initial_delay does not apply: a line
 *   printed early would be missed for good);
 * - `timeout` counts from the spawn: if it passes first, onTimeout, once;
 * - onReady or onTimeout ends the watch; so does cancel() (the run ended or is being stopped), after
 *   which a late try's answer is ignored. All timing is on the injected clock.
 */
export class ReadinessWatcher {
  private done = false;
  private pollTimer: TimerHandle | undefined;
  private readonly deadlineTimer: TimerHandle;
  private readonly deadline: number;
  private readonly matches: ((line: string) => boolean) | undefined;

  constructor(private readonly options: ReadinessOptions) {
    const { probe, clock } = options;
    this.deadline = clock.now() + probe.timeoutMs;
    this.deadlineTimer = clock.setTimeout(() => this.finish(options.onTimeout), probe.timeoutMs);
    const { check } = probe;
    if (check.kind === 'log') this.matches = logMatcher(check.pattern);
    else this.schedule(check, probe.initialDelayMs);
  }

  /** A log probe still waiting: only then are lines worth decoding for lines(). */
  get wantsLines(): boolean {
    return !this.done && this.matches !== undefined;
  }

  /** Lines the run printed (a log probe tests them; the others ignore them). */
  lines(texts: readonly string[]): void {
    if (this.done || !this.matches) return;
    if (texts.some(this.matches)) this.finish(this.options.onReady);
  }

  cancel(): void {
    this.finish(() => {});
  }

  private schedule(check: PolledCheck, delayMs: number): void {
    this.pollTimer = this.options.clock.setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll(check);
    }, delayMs);
  }

  private async poll(check: PolledCheck): Promise<void> {
    if (this.done) return;
    const remaining = this.deadline - this.options.clock.now();
    const attempt = this.options.attempt ?? attemptProbe;
    const passed = await attempt(check, Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, remaining))).catch(() => false);
    if (this.done) return;
    if (passed) this.finish(this.options.onReady);
    else this.schedule(check, this.options.probe.intervalMs);
  }

  private finish(then: () => void): void {
    if (this.done) return;
    this.done = true;
    const { clock } = this.options;
    clock.clearTimeout(this.deadlineTimer);
    if (this.pollTimer) clock.clearTimeout(this.pollTimer);
    then();
  }
}
