import { type Clock, systemClock, type TimerHandle } from './clock.js';
import { hasProcFs, type ProcInfo, readProcTable } from './proc-table.js';

/**
 * Signalling and stopping process groups (and single processes that left their group), with one shared
 * poller. Rules:
 * - a stop sends SIGTERM (or SIGKILL at once) to its target, SIGKILL after the timeout, and resolves once
 *   no live member is left; zombies waiting to be reaped do not count as live;
 * - after SIGKILL a last grace of 2 s: a member stuck in D state cannot hang devrun's exit (the leader's
 *   own exit is still awaited by its runner);
 * - every pending stop is checked on one timer with one /proc scan per tick, however many groups are
 *   stopping: fast at first (most processes die within milliseconds of SIGTERM), then backing off;
 * - every delay runs on the injected clock, so the "sent SIGKILL" notice and the escalation are one event.
 */
export type StopTarget = { group: number } | { pids: readonly number[] };

export interface Termination {
  readonly done: Promise<void>;
  /** SIGKILL now, whatever the timeout (a second Ctrl-C, X). */
  killNow(): void;
}

export interface StopOptions {
  timeoutMs: number;
  /** The first signal (default SIGTERM; a process's stop_signal); SIGKILL: no grace at all. */
  first?: NodeJS.Signals;
  /** Called when the timeout ran out and SIGKILL was sent (not on killNow). */
  onEscalate?: () => void;
}

export interface ProcessGroups {
  /** Sends a signal to every member; false when the group no longer exists. */
  signal(pgid: number, signal: NodeJS.Signals): boolean;
  /** True while the group has a member that is not a zombie. */
  isAlive(pgid: number): boolean;
  terminate(target: StopTarget, options: StopOptions): Termination;
}

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;
const KILL_GRACE_MS = 2000;

interface Pending {
  target: StopTarget;
  killAt: number;
  killedAt: number | undefined;
  onEscalate: (() => void) | undefined;
  resolve: () => void;
}

/** Sends `signal` to a group (negative pid) or a pid; false when nothing exists there any more. */
function send(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ESRCH') return false;
    // EPERM: it exists but is not ours to signal; callers keep waiting for it like any live process.
    if (code === 'EPERM') return true;
    throw error;
  }
}

function sendTo(target: StopTarget, signal: NodeJS.Signals): boolean {
  if ('group' in target) return send(-target.group, signal);
  let any = false;
  for (const pid of target.pids) any = send(pid, signal) || any;
  return any;
}

/** Who is alive in one /proc scan: live (non-zombie) pids and the groups that still have a live member. */
interface Liveness {
  pids: Set<number>;
  groups: Set<number>;
}

function liveness(table: ProcInfo[]): Liveness {
  const pids = new Set<number>();
  const groups = new Set<number>();
  for (const p of table) {
    if (p.state === 'Z') continue;
    pids.add(p.pid);
    groups.add(p.pgrp);
  }
  return { pids, groups };
}

function targetAlive(target: StopTarget, live: Liveness | undefined): boolean {
  // Without /proc, signal 0 is all there is (a zombie leader then counts as alive until reaped).
  if (!live) return 'group' in target ? send(-target.group, 0) : target.pids.some((pid) => send(pid, 0));
  if ('group' in target) return live.groups.has(target.group);
  return target.pids.some((pid) => live.pids.has(pid));
}

export class SystemProcessGroups implements ProcessGroups {
  private readonly pending = new Set<Pending>();
  private timer: TimerHandle | undefined;
  private delay = FIRST_POLL_MS;

  constructor(
    private readonly clock: Clock = systemClock,
    /** The process table; injectable so a test can count scans. */
    private readonly table: () => ProcInfo[] = readProcTable,
  ) {}

  signal(pgid: number, signal: NodeJS.Signals): boolean {
    return send(-pgid, signal);
  }

  isAlive(pgid: number): boolean {
    if (!send(-pgid, 0)) return false;
    return targetAlive({ group: pgid }, hasProcFs ? liveness(this.table()) : undefined);
  }

  terminate(target: StopTarget, options: StopOptions): Termination {
    let entry: Pending | undefined;
    const done = new Promise<void>((resolve) => {
      const first = options.first ?? 'SIGTERM';
      if (!sendTo(target, first)) return resolve();
      const now = this.clock.now();
      const killedAt = first === 'SIGKILL' ? now : undefined;
      entry = { target, killAt: now + options.timeoutMs, killedAt, onEscalate: options.onEscalate, resolve };
      this.pending.add(entry);
      this.schedule(true);
    });
    return {
      done,
      killNow: () => {
        if (entry && this.pending.has(entry)) this.kill(entry);
      },
    };
  }

  private kill(entry: Pending): void {
    if (entry.killedAt !== undefined) return;
    entry.killedAt = this.clock.now();
    sendTo(entry.target, 'SIGKILL');
  }

  private tick(): void {
    this.timer = undefined;
    try {
      const live = hasProcFs ? liveness(this.table()) : undefined;
      const now = this.clock.now();
      for (const entry of this.pending) {
        const gone = !targetAlive(entry.target, live);
        if (!gone && entry.killedAt === undefined && now >= entry.killAt) {
          this.kill(entry);
          entry.onEscalate?.();
        }
        if (gone || (entry.killedAt !== undefined && now - entry.killedAt > KILL_GRACE_MS)) {
          this.pending.delete(entry);
          entry.resolve();
        }
      }
    } finally {
      // Whatever went wrong in one tick, every pending stop is checked again.
      this.schedule(false);
    }
  }

  /** One timer for every pending stop; `restart` goes back to fast polling (a new stop just began). */
  private schedule(restart: boolean): void {
    if (restart) {
      this.delay = FIRST_POLL_MS;
      if (this.timer) this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.timer || this.pending.size === 0) return;
    const now = this.clock.now();
    let wait = this.delay;
    for (const entry of this.pending) if (entry.killedAt === undefined) wait = Math.min(wait, Math.max(1, entry.killAt - now));
    this.delay = Math.min(MAX_POLL_MS, this.delay * 2);
    this.timer = this.clock.setTimeout(() => this.tick(), wait);
  }
}
