import type { LogLine } from '../engine/log-store.js';
import type { ProcessState } from '../engine/process-state.js';
import type { ResourceUsage } from '../engine/resource-sampler.js';

export type { LogLine, ProcessState, ResourceUsage };

/**
 * What the dashboard (src/state, src/components) knows of a run: the one seam between it and the
 * supervisor. LocalControl implements it over the Supervisor in this process; a socket client will
 * implement it over the wire. Requests return promises (a round trip, remotely); what changes on its
 * own arrives as events, with a synchronous cache of the latest for rendering.
 *
 * Logs are never handed over whole: the dashboard asks for the window of lines it shows, by seq, and
 * searches, scrolls and copies are answered where the rings live.
 */
export interface ProcessControl {
  /** Events in the order they happened; returns the unsubscribe. */
  subscribe(listener: (event: ControlEvent) => void): () => void;

  /** Latest state of every process, in Procfile order (the cache `state` events update). */
  processes(): readonly ProcessState[];
  /** Latest resource sample per process name (the cache `usage` events update). */
  usage(): ReadonlyMap<string, ResourceUsage>;
  /** null while running; during shutdown how many processes are still active out of how many. */
  shutdownProgress(): ShutdownProgress | null;
  /** Whether the process runs on a terminal (the PTY runner): its raw output is a screen to emulate. */
  hasTerminal(name: string): boolean;

  /** The `height` lines of `scope` ending at the line `anchorSeq` names, or at the end when null. */
  window(scope: LogScope, anchorSeq: number | null, height: number): Promise<LogWindow>;
  /**
   * The anchor after moving the bottom line `delta` lines (negative: older) from `anchorSeq` in a pane
   * of `height` rows; null once at the end (following). From 0 with delta 0: the top of the ring.
   */
  scroll(scope: LogScope, anchorSeq: number | null, delta: number, height: number): Promise<number | null>;
  /**
   * The nearest line containing `query` (case-insensitive, colours ignored) older or newer than
   * `from.matchSeq` (or than the bottom line `from.anchorSeq` when there is no match yet), searched
   * over the whole ring, with the anchor that puts it mid-pane; undefined when there is none.
   */
  findMatch(scope: LogScope, query: string, from: SearchPosition, direction: 'older' | 'newer', height: number): Promise<Match | undefined>;
  /** Every line of the ring matching `query` (same rule as findMatch): their seqs, oldest first. */
  matches(scope: LogScope, query: string): Promise<{ count: number; seqs: number[] }>;
  /** The whole lines with seq in [fromSeq, toSeq] as plain text (no colours), one per line: for copy. */
  text(scope: LogScope, fromSeq: number, toSeq: number): Promise<string>;

  /** Performs a process command; resolves once the supervisor has taken it. */
  command(command: ProcessCommand): Promise<void>;
  /**
   * The raw terminal output of one process (for focus and zoom): `listener` gets the recent bytes
   * first, then every new chunk, until the returned detach is called. Nothing for pipe children.
   */
  rawOutput(name: string, listener: (chunk: Uint8Array) => void): () => void;
  /**
   * q or Ctrl-C. Locally: the first call stops everything gracefully, the next kills. Attached: detach
   * (the processes keep running).
   */
  quit(): Promise<void>;
  /**
   * Q, y: stop every process and devrun, local or attached. Locally the same as quit; attached, asks
   * the devrun running them to shut down (resolves once asked: the shutdown's progress arrives as
   * `state` events, and its end ends the connection).
   */
  stopAll(): Promise<void>;
}

/** Which ring: one process's, or the merged one (only those processes' lines when `only` is set). */
export type LogScope = { kind: 'process'; name: string } | { kind: 'merged'; only: readonly string[] | null };

/** A pane's worth of lines. */
export interface LogWindow {
  /** Oldest first; at most `height`. */
  lines: LogLine[];
  /** The window ends at the newest line. */
  following: boolean;
  /** Lines newer than the window (only when scrolled up). */
  below: number;
}

export interface SearchPosition {
  anchorSeq: number | null;
  matchSeq: number | null;
}

export interface Match {
  matchSeq: number;
  anchorSeq: number | null;
}

export interface ShutdownProgress {
  remaining: number;
  total: number;
}

export type ControlEvent =
  /** A process's state changed (status, pid, restarts, exit, the free-text `reason`). */
  | { type: 'state'; process: ProcessState }
  /** A new resource sample for every process. */
  | { type: 'usage'; usage: ReadonlyMap<string, ResourceUsage> }
  /** `proc` printed lines up to `lastSeq`: windows that show `proc` are out of date (no text: ask). */
  | { type: 'lines'; proc: string; lastSeq: number }
  /** Logs were cleared: one process's (and its lines in the merged ring), or all when `proc` is null. */
  | { type: 'cleared'; proc: string | null }
  /** Processes were added or removed (devrun reload): every process now, in order (`processes()` has it too). */
  | { type: 'processes'; processes: readonly ProcessState[] };

/** Intent for the supervisor; every member names its process, none needs an answer. */
export type ProcessCommand =
  | { type: 'start' | 'stop' | 'restart' | 'kill' | 'interrupt'; name: string }
  | { type: 'restart-all' }
  /** Reads the files again and applies what changed (devrun reload); the outcome is a line of devrun's. */
  | { type: 'reload' }
  /** One typed line (Enter is added); echoed in the log on pipes. */
  | { type: 'send-line'; name: string; text: string }
  /** Raw bytes, as typed in focus mode. */
  | { type: 'write'; name: string; data: string }
  /** Every terminal follows the pane size, but `except` (a zoomed process keeps its own size). */
  | { type: 'resize'; columns: number; rows: number; except?: string }
  | { type: 'resize-one'; name: string; columns: number; rows: number }
  /** One process's logs, or every log when `name` is undefined. */
  | { type: 'clear-logs'; name?: string };
