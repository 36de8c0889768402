/** When a process that ended should be started again, and after how long. Pure. */
export const RESTART_MODES = ['always', 'on-failure', 'never'] as const;
export type RestartMode = (typeof RESTART_MODES)[number];

export interface RestartPolicy {
  mode: RestartMode;
  /** Give up after this many consecutive restarts of short-lived runs. */
  maxRestarts: number;
  /** First backoff delay; doubles with each consecutive short-lived run. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run that lasted this long counts as stable: backoff and the give-up count start over. */
  minUptimeMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  mode: 'on-failure',
  maxRestarts: 10,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  minUptimeMs: 10_000,
};

export interface RunOutcome {
  /** True when the run ended with exit code 0 and no signal. */
  success: boolean;
  uptimeMs: number;
  /** Consecutive short-lived runs before this one (restarts already spent in this streak). */
  streak: number;
}

export type RestartDecision =
  | { restart: true; delayMs: number; streak: number }
  | { restart: false; reason: 'not-wanted' | 'gave-up'; streak: number };

export function decideRestart(policy: RestartPolicy, outcome: RunOutcome): RestartDecision {
  const wanted = policy.mode === 'always' || (policy.mode === 'on-failure' && !outcome.success);
  const streak = outcome.uptimeMs >= policy.minUptimeMs ? 0 : outcome.streak;
  if (!wanted) return { restart: false, reason: 'not-wanted', streak };
  if (streak >= policy.maxRestarts) return { restart: false, reason: 'gave-up', streak };
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** streak);
  return { restart: true, delayMs, streak: streak + 1 };
}
