import type { LogScope, LogWindow, ProcessControl } from '../control/process-control.js';
import { type Clock, systemClock, type TimerHandle } from '../engine/clock.js';
import type { ScreenEmulator } from '../engine/screen-emulator.js';
import { type CommitGate, openGate } from './frame-gate.js';
import { type ProcessRow, processRows, totalsText } from './process-rows.js';

type EmulatorModule = typeof import('../engine/screen-emulator.js');
/**
 * The emulator (@xterm/headless, ~1 MB of heap with its code) is loaded the first time a screen is
 * shown (focus, zoom of a terminal process), not with the dashboard.
 */
let emulatorModule: EmulatorModule | undefined;
let loadingEmulator: Promise<EmulatorModule> | undefined;

/** The lines the log pane asks for: a ring, the bottom line (null: follow the end), the pane height. */
export interface PaneRequest {
  scope: LogScope;
  anchorSeq: number | null;
  height: number;
}

/** A window of log lines and the request it answers (the pane may have moved on since). */
export interface PaneWindow extends LogWindow {
  request: PaneRequest;
}

/** Everything the dashboard renders from the run, as one immutable value. */
export interface DashboardSnapshot {
  rows: ProcessRow[];
  totals: string;
  /** The log pane's lines, pulled from the control when lines it shows changed; null before the first. */
  window: PaneWindow | null;
  /** null while running; "stopping 3 of 5…" during shutdown. */
  shutdown: { remaining: number; total: number } | null;
  /** The emulated screen of the focused or zoomed process, when it runs on a terminal. */
  screen: { name: string; lines: string[] } | null;
}

export interface DashboardStoreOptions {
  clock?: Clock;
  /** Fewest milliseconds between two snapshots: each one costs React a full layout. */
  minIntervalMs?: number;
  /**
   * Fewest milliseconds between two pulls of the pane's window while it floods: when a pull shares no
   * line with the window before it (a pane's worth or more came in one interval), the lines only fly
   * by, and each frame costs a render, bytes to the terminal (and, attached, a window on the wire).
   */
  floodIntervalMs?: number;
  /** Where a new snapshot waits for the terminal to catch up with the last frame (frame-gate.ts). */
  gate?: CommitGate;
  /** Re-evaluates time-dependent text (countdowns, uptime) this often; notifies only if it changed. */
  tickMs?: number;
}

/**
 * While a pane floods (more than a pane's worth of lines per interval), it is redrawn 4 times a second:
 * the lines only fly by, and each frame is a render (the main thread's time, which the children's output
 * waits for) and a screenful of bytes to the terminal.
 */
export const FLOOD_INTERVAL_MS = 250;

/**
 * Folds control events into snapshots, at most one per `minIntervalMs` however many events arrive
 * (never one React update per log line), and none at all when nothing visible changed. When lines the
 * pane shows changed, it pulls the pane's window from the control and publishes it with the rest.
 */
export class DashboardStore {
  /** What React draws: the newest snapshot the gate let through. */
  private snapshot: DashboardSnapshot;
  /** The newest snapshot built, perhaps still waiting at the gate. */
  private latest: DashboardSnapshot;
  private readonly gate: CommitGate;
  private readonly listeners = new Set<() => void>();
  private readonly clock: Clock;
  private readonly minIntervalMs: number;
  private readonly floodIntervalMs: number;
  private readonly tickMs: number;
  private timer: TimerHandle | undefined;
  private timerAt = 0;
  private ticker: TimerHandle | undefined;
  private lastFlush = 0;
  private readonly unsubscribe: () => void;
  private attached: { name: string; emulator: ScreenEmulator; detach: () => void } | null = null;
  /** A screen asked for while the emulator module loads. */
  private wantedScreen: { name: string; columns: number; rows: number } | null = null;
  /** What the pane shows; lines of processes outside it cost no snapshot. */
  private pane: PaneRequest | null = null;
  private window: PaneWindow | null = null;
  /** Lines the pane shows changed since the last pull. */
  private windowStale = false;
  /** One pull at a time: a flood never queues requests, the answer in flight is followed by one more. */
  private pulling = false;
  /** No pull of the same pane before this time (the pane floods); a new pane is pulled at once. */
  private nextPullAt = 0;
  /** Who waits for the pane's window (showPane): told at the next publish after a pull. */
  private paneShown: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly control: ProcessControl,
    options: DashboardStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.floodIntervalMs = Math.max(this.minIntervalMs, options.floodIntervalMs ?? FLOOD_INTERVAL_MS);
    this.tickMs = options.tickMs ?? 1000;
    this.gate = options.gate ?? openGate;
    this.snapshot = this.build();
    this.latest = this.snapshot;
    this.unsubscribe = control.subscribe((event) => {
      if (event.type === 'lines') {
        if (!this.shows(event.proc)) return;
        this.windowStale = true;
      }
      // A process of the pane changed state (it exited, say): its lines so far come in the same
      // snapshot, not a flood interval after the list says it ended.
      if (event.type === 'state' && this.windowStale && this.shows(event.process.name)) this.nextPullAt = 0;
      if (event.type === 'cleared') {
        // A user action: the pane empties now, not at the next interval.
        this.windowStale = true;
        this.nextPullAt = 0;
        return this.flush();
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

  /**
   * The pane shows this now (a key scrolled it, the view or size changed): pulls its window at once.
   * Resolves once that window is published (or the pane moved on): a key's UI change waits for it, so
   * the selection and the pane it shows reach the screen in one frame, not two.
   */
  showPane(request: PaneRequest): Promise<void> {
    if (this.pane && samePaneRequest(this.pane, request)) return Promise.resolve();
    this.pane = request;
    this.windowStale = true;
    this.nextPullAt = 0;
    const shown = new Promise<void>((resolve) => this.paneShown.push(resolve));
    this.flush();
    return shown;
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
    if (!emulatorModule) {
      const waiting = this.wantedScreen === null;
      this.wantedScreen = { name, columns, rows };
      if (waiting) void this.attachWhenLoaded();
      return;
    }
    const emulator = new emulatorModule.ScreenEmulator(columns, rows, () => this.schedule());
    const detach = this.control.rawOutput(name, (chunk) => emulator.write(chunk));
    this.attached = { name, emulator, detach };
  }

  /** The mouse modes of the process whose screen is on show (`name`); null when it is not. */
  screenMouse(name: string | undefined): ReturnType<ScreenEmulator['mouseMode']> | null {
    return this.attached !== null && this.attached.name === name ? this.attached.emulator.mouseMode() : null;
  }

  private async attachWhenLoaded(): Promise<void> {
    loadingEmulator ??= import('../engine/screen-emulator.js');
    emulatorModule = await loadingEmulator;
    const wanted = this.wantedScreen;
    this.wantedScreen = null;
    if (wanted && !this.disposed) this.attachScreen(wanted.name, wanted.columns, wanted.rows);
  }

  detachScreen(): void {
    this.wantedScreen = null;
    if (!this.attached) return;
    this.attached.detach();
    this.attached.emulator.dispose();
    this.attached = null;
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    this.detachScreen();
    this.unsubscribe();
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.ticker) this.clock.clearTimeout(this.ticker);
    this.listeners.clear();
    this.tellPaneShown();
  }

  private shows(proc: string): boolean {
    const scope = this.pane?.scope;
    if (!scope) return true;
    return scope.kind === 'process' ? scope.name === proc : scope.only === null || scope.only.includes(proc);
  }

  /** A flush at `at`, or sooner if one is already due sooner. */
  private schedule(at = this.lastFlush + this.minIntervalMs): void {
    if (this.disposed || (this.timer && this.timerAt <= at)) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.flush();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  private tick(): void {
    this.ticker = this.clock.setTimeout(() => {
      this.flush();
      this.tick();
    }, this.tickMs);
    this.ticker.unref?.();
  }

  private flush(): void {
    if (this.disposed) return;
    this.lastFlush = this.clock.now();
    if (this.windowStale && this.pane && this.lastFlush < this.nextPullAt) {
      // The pane floods: the rest is published now, the window when its interval is over.
      this.publish();
      this.schedule(this.nextPullAt);
    } else if (this.windowStale && this.pane) this.pull(this.pane);
    else this.publish();
  }

  /** Asks for the pane's window; its answer is published with everything else, in one snapshot. */
  private pull(request: PaneRequest): void {
    if (this.pulling) return; // the answer in flight sees windowStale and asks again
    this.pulling = true;
    this.windowStale = false;
    const answered = (window: LogWindow | undefined) => {
      this.pulling = false;
      if (this.disposed) return;
      if (window && request === this.pane) {
        const floods = this.window?.request === request && flooded(this.window, window);
        this.nextPullAt = floods ? this.lastFlush + this.floodIntervalMs : 0;
        this.window = sameWindow(this.window, request, window) ? this.window : { ...window, request };
      }
      if (this.pane && request !== this.pane) return this.pull(this.pane); // the pane moved meanwhile
      if (this.windowStale) this.schedule();
      this.publish();
      this.tellPaneShown();
    };
    this.control.window(request.scope, request.anchorSeq, request.height).then(answered, () => answered(undefined));
  }

  private tellPaneShown(): void {
    const waiting = this.paneShown;
    this.paneShown = [];
    for (const resolve of waiting) resolve();
  }

  private publish(): void {
    const next = this.build();
    if (sameSnapshot(this.latest, next)) return;
    this.latest = next;
    this.gate.commit('snapshot', this.commit);
  }

  /** Through the gate: React draws the newest snapshot, however many were built while it waited. */
  private readonly commit = (): void => {
    if (this.disposed || this.snapshot === this.latest) return;
    this.snapshot = this.latest;
    for (const listener of this.listeners) listener();
  };

  private build(): DashboardSnapshot {
    const states = this.control.processes();
    const usage = this.control.usage();
    return {
      rows: processRows(states, usage, this.clock.now()),
      totals: totalsText(states, usage),
      window: this.window,
      shutdown: this.control.shutdownProgress(),
      screen: this.attached ? { name: this.attached.name, lines: this.attached.emulator.lines() } : null,
    };
  }
}

export function samePaneRequest(a: PaneRequest, b: PaneRequest): boolean {
  if (a.anchorSeq !== b.anchorSeq || a.height !== b.height || a.scope.kind !== b.scope.kind) return false;
  if (a.scope.kind === 'process' || b.scope.kind === 'process')
    return a.scope.kind === 'process' && b.scope.kind === 'process' && a.scope.name === b.scope.name;
  const [x, y] = [a.scope.only, b.scope.only];
  if (x === null || y === null) return x === y;
  return x.length === y.length && x.every((name, i) => name === y[i]);
}

/** The same lines at the same place: the old window stays, so the snapshot does not change. */
function sameWindow(old: PaneWindow | null, request: PaneRequest, next: LogWindow): boolean {
  if (!old || old.request !== request || old.following !== next.following || old.below !== next.below) return false;
  return old.lines.length === next.lines.length && old.lines.every((line, i) => line.seq === next.lines[i]!.seq);
}

/** Following, and not one line of the old window is left in the new one: more than a pane came at once. */
function flooded(old: LogWindow, next: LogWindow): boolean {
  const oldLast = old.lines.at(-1);
  const nextFirst = next.lines[0];
  return next.following && oldLast !== undefined && nextFirst !== undefined && nextFirst.seq > oldLast.seq;
}

function sameScreen(a: DashboardSnapshot['screen'], b: DashboardSnapshot['screen']): boolean {
  if (a === null || b === null) return a === b;
  return a.name === b.name && a.lines.length === b.lines.length && a.lines.every((line, i) => line === b.lines[i]);
}

function sameSnapshot(a: DashboardSnapshot, b: DashboardSnapshot): boolean {
  if (!sameScreen(a.screen, b.screen)) return false;
  if (a.window !== b.window || a.totals !== b.totals || a.rows.length !== b.rows.length) return false;
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
    a.glyph === b.glyph &&
    a.address === b.address
  );
}
