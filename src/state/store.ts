import { type Clock, systemClock, type TimerHandle } from '../engine/clock.js';
import { ScreenEmulator } from '../engine/screen-emulator.js';
import type { Supervisor } from '../engine/supervisor.js';
import { type ProcessRow, processRows, totalsText } from './process-rows.js';

/** Everything the dashboard renders from the engine, as one immutable value. */
export interface DashboardSnapshot {
  rows: ProcessRow[];
  totals: string;
  /** Changes whenever lines the log pane shows were added, or logs were cleared: it re-reads then. */
  logVersion: number;
  /** null while running; "stopping 3 of 5…" during shutdown. */
  shutdown: { remaining: number; total: number } | null;
  /** The emulated screen of the focused or zoomed process, when it runs on a terminal. */
  screen: { name: string; lines: string[] } | null;
}

export interface DashboardStoreOptions {
  clock?: Clock;
  /** Fewest milliseconds between two snapshots: each one costs React a full layout. */
  minIntervalMs?: number;
  /** Re-evaluates time-dependent text (countdowns, uptime) this often; notifies only if it changed. */
  tickMs?: number;
}

/**
 * Folds engine events into snapshots, at most one per `minIntervalMs` however many events arrive
 * (never one React update per log line), and none at all when nothing visible changed.
 */
export class DashboardStore {
  private snapshot: DashboardSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly clock: Clock;
  private readonly minIntervalMs: number;
  private readonly tickMs: number;
  private timer: TimerHandle | undefined;
  private ticker: TimerHandle | undefined;
  private lastFlush = 0;
  private readonly unsubscribe: () => void;
  private attached: { name: string; emulator: ScreenEmulator; detach: () => void } | null = null;
  /** Which processes' lines are on screen (null: all); lines of the others cost no render. */
  private shownLogs: ((proc: string) => boolean) | null = null;
  private logVersion = 0;

  constructor(
    private readonly supervisor: Supervisor,
    options: DashboardStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.tickMs = options.tickMs ?? 1000;
    this.snapshot = this.build();
    this.unsubscribe = supervisor.subscribe((event) => {
      if (event.type === 'lines') {
        const shown = this.shownLogs;
        if (shown && !event.lines.some((line) => shown(line.proc))) return;
        this.logVersion += 1;
      }
      this.schedule();
    });
    this.tick();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): DashboardSnapshot => this.snapshot;

  /** Rebuild now (after a user action that changed the logs, e.g. clear). */
  refresh(): void {
    this.logVersion += 1;
    this.flush();
  }

  /** The log pane shows these processes' lines (null: all): other lines do not cause a new snapshot. */
  showLogsOf(shown: ((proc: string) => boolean) | null): void {
    this.shownLogs = shown;
    this.logVersion += 1;
    this.schedule();
  }

  /**
   * Shows `name`'s real screen: an emulator sized like the pane, fed the process's recent raw output
   * and then its live output. One at a time; the size follows the pane.
   */
  attachScreen(name: string, columns: number, rows: number): void {
    if (this.attached?.name === name) {
      this.attached.emulator.resize(columns, rows);
      return;
    }
    this.detachScreen();
    const emulator = new ScreenEmulator(columns, rows, () => this.schedule());
    emulator.write(this.supervisor.rawOutput(name));
    const detach = this.supervisor.onRaw(name, (chunk) => emulator.write(chunk));
    this.attached = { name, emulator, detach };
  }

  detachScreen(): void {
    if (!this.attached) return;
    this.attached.detach();
    this.attached.emulator.dispose();
    this.attached = null;
    this.schedule();
  }

  dispose(): void {
    this.detachScreen();
    this.unsubscribe();
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.ticker) this.clock.clearTimeout(this.ticker);
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.minIntervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private tick(): void {
    this.ticker = this.clock.setTimeout(() => {
      this.flush();
      this.tick();
    }, this.tickMs);
    this.ticker.unref?.();
  }

  private flush(): void {
    this.lastFlush = this.clock.now();
    const next = this.build();
    if (sameSnapshot(this.snapshot, next)) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private build(): DashboardSnapshot {
    const states = this.supervisor.processes();
    const usage = this.supervisor.resourceUsage();
    return {
      rows: processRows(states, usage, this.clock.now()),
      totals: totalsText(states, usage),
      logVersion: this.logVersion,
      shutdown: this.supervisor.shutdownProgress(),
      screen: this.attached ? { name: this.attached.name, lines: this.attached.emulator.lines() } : null,
    };
  }
}

function sameScreen(a: DashboardSnapshot['screen'], b: DashboardSnapshot['screen']): boolean {
  if (a === null || b === null) return a === b;
  return a.name === b.name && a.lines.length === b.lines.length && a.lines.every((line, i) => line === b.lines[i]);
}

function sameSnapshot(a: DashboardSnapshot, b: DashboardSnapshot): boolean {
  if (!sameScreen(a.screen, b.screen)) return false;
  if (a.logVersion !== b.logVersion || a.totals !== b.totals || a.rows.length !== b.rows.length) return false;
  if (a.shutdown?.remaining !== b.shutdown?.remaining || a.shutdown?.total !== b.shutdown?.total) return false;
  return a.rows.every((row, i) => sameRow(row, b.rows[i]!));
}

function sameRow(a: ProcessRow, b: ProcessRow): boolean {
  return (
    a.statusText === b.statusText &&
    a.restarts === b.restarts &&
    a.pid === b.pid &&
    a.cpu === b.cpu &&
    a.memory === b.memory &&
    a.uptime === b.uptime &&
    a.glyph === b.glyph
  );
}
