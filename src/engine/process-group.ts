import { hasProcFs, readProcTable } from './proc-table.js';

/** Sends a signal to every process in the group. Returns false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: the group exists but is not ours to signal; treat as alive so callers keep waiting.
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return true;
    throw error;
  }
}

/** True while the group has a member that is not a zombie waiting to be reaped. */
export function isGroupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (!hasProcFs) return true;
  return readProcTable().some((p) => p.pgrp === pgid && p.state !== 'Z');
}

// Poll fast at first (most processes die within milliseconds of SIGTERM), then back off so a
// slow shutdown does not cost a /proc scan every few milliseconds.
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * SIGTERM to the group, SIGKILL to the group after `timeoutMs`, resolves once no member is left
 * (or a last grace after SIGKILL ran out, so a stuck D-state member other than the leader cannot hang
 * devrun's exit; the leader's own exit is still awaited by its runner).
 */
export function terminateGroup(
  pgid: number,
  timeoutMs: number,
  firstSignal: NodeJS.Signals = 'SIGTERM',
): {
  done: Promise<void>;
  killNow(): void;
} {
  let killed = firstSignal === 'SIGKILL';
  let killNow = () => {};
  const done = new Promise<void>((resolve) => {
    if (!signalGroup(pgid, firstSignal)) return resolve();
    const started = Date.now();
    let killedAt = killed ? started : 0;
    const kill = () => {
      if (killed) return;
      killed = true;
      killedAt = Date.now();
      signalGroup(pgid, 'SIGKILL');
    };
    killNow = kill;
    let delay = FIRST_POLL_MS;
    const poll = () => {
      if (!isGroupAlive(pgid)) return resolve();
      const now = Date.now();
      if (!killed && now - started >= timeoutMs) kill();
      if (killed && now - killedAt > 2000) return resolve();
      delay = Math.min(MAX_POLL_MS, delay * 2);
      const untilKill = killed ? delay : Math.max(1, started + timeoutMs - now);
      setTimeout(poll, Math.min(delay, untilKill));
    };
    setTimeout(poll, delay);
  });
  return { done, killNow: () => killNow() };
}
