import type { ProcessStatus } from '../engine/process-state.js';
import type {
  ControlEvent,
  LogScope,
  LogWindow,
  Match,
  ProcessCommand,
  ProcessState,
  ResourceUsage,
  SearchPosition,
  ShutdownProgress,
} from './process-control.js';
import type { HeldWindow, WindowAnswer } from './window-delta.js';

/**
 * What a control client can ask of a running devrun: the seam between the socket server and the run
 * it serves (the supervisor and the run's lifecycle). Names are resolved before they get here (an
 * entry name means all its instances), so every name is a process name like `web.1`.
 */
export interface ControlTarget {
  status(): StatusReport;
  /** Process names for command-line NAMES (`web` = every `web.N`), or the first that matches nothing. */
  resolve(names: string[]): { names: string[] } | { unknown: string; suggestion: string | null; known: string[] };
  /** Reads the files again and restarts them; returns the problem with the files (they restarted as they were). */
  restart(names: string[]): string | undefined;
  stop(names: string[]): void;
  kill(names: string[]): void;
  start(names: string[]): void;
  /** One line of input (a newline is added) to one process. */
  send(name: string, text: string): void;
  /** Reads the files again and applies what changed (devrun reload); nothing is applied on an error. */
  reload(): { ok: true; summary: string } | { ok: false; error: string };
  /** Stops everything and ends the run, as q does; resolves once every process is gone. */
  shutdown(): Promise<void>;
  /** The last `last` log lines still kept, of these processes or (undefined) of all and devrun's own. */
  lines(names: string[] | undefined, last: number): LogLineReport[];
  /** Each batch of new log lines (any process), as it is appended; returns the unsubscribe. */
  onLines(listener: (lines: readonly LogLineReport[]) => void): () => void;
  /** Each process whose state changed; returns the unsubscribe. */
  onState(listener: (process: ProcessStatusReport) => void): () => void;
  /** True when the process runs (or will run) on a terminal: it has raw output and a size. */
  hasTerminal(name: string): boolean;
  /** The process's recent raw terminal output (its current run). */
  rawOutput(name: string): Uint8Array;
  /** Its raw terminal output as it comes, across runs; returns the unsubscribe. */
  onRaw(name: string, listener: (chunk: Uint8Array) => void): () => void;
  /** Bytes to the process's terminal (or stdin), as they are. */
  write(name: string, data: Uint8Array): void;
  /**
   * Sets one terminal's size, only if it is `ifSize` now when that is given; says the size it had and
   * whether it changed it.
   */
  resize(name: string, columns: number, rows: number, ifSize?: TerminalSize): { previous: TerminalSize; resized: boolean };
  /**
   * What an attached dashboard (`devrun attach`) asks for: the ops snapshot, window, scroll,
   * findMatch, matches, text, command and the topics lines, usage, cleared, process. A target without
   * it answers those ops `bad-request`.
   */
  dashboard?: DashboardTarget;
}

/**
 * ProcessControl's side on the server, synchronous: the same answers LocalControl gives, computed where
 * the rings live. Names here are process names (`web.1`).
 */
export interface DashboardTarget {
  processes(): readonly ProcessState[];
  usage(): ReadonlyMap<string, ResourceUsage>;
  shutdownProgress(): ShutdownProgress | null;
  /** As ProcessControl.hasTerminal: the process's current run has a terminal. */
  hasTerminal(name: string): boolean;
  /** With `held` (what the client has of this scope), a delta when it can be one (window-delta.ts). */
  window(scope: LogScope, anchorSeq: number | null, height: number, held?: HeldWindow): WindowAnswer;
  scroll(scope: LogScope, anchorSeq: number | null, delta: number, height: number): number | null;
  findMatch(scope: LogScope, query: string, from: SearchPosition, direction: 'older' | 'newer', height: number): Match | undefined;
  matches(scope: LogScope, query: string): number[];
  text(scope: LogScope, fromSeq: number, toSeq: number): string;
  /** Throws for a process that does not exist. */
  command(command: ProcessCommand): void;
  /** ControlEvents as LocalControl emits them (lines as {proc, lastSeq}); returns the unsubscribe. */
  subscribe(listener: (event: ControlEvent) => void): () => void;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** One log line, as `lines` and `logs` events carry it. */
export interface LogLineReport {
  seq: number;
  /** ms since the epoch. */
  ts: number;
  proc: string;
  stream: 'stdout' | 'stderr' | 'system' | 'input' | (string & {});
  text: string;
}

/**
 * `devrun status --json`. Versioned: later versions add fields and states, never rename or remove
 * them; `state` is an open set (new states may appear).
 */
export interface StatusReport {
  version: 1;
  root: string;
  procfile: string;
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  /** Folder of the run's log files; null when it writes none (--no-log-files); absent from older devruns. */
  logDir?: string | null;
  processes: ProcessStatusReport[];
}

export interface ProcessStatusReport {
  name: string;
  state: ProcessStatus | (string & {});
  /** Why it is in that state, when the exit alone does not say ("command not found: bundle"). */
  reason: string | null;
  pid: number | null;
  restarts: number;
  /** Percent of one core, summed over the process tree; null before the first sample. */
  cpu: number | null;
  /** Bytes, summed over the process tree; null before the first sample. */
  rss: number | null;
  /** ISO 8601, while running. */
  startedAt: string | null;
  /** The last run's end, if it ended. */
  exit: { code: number | null; signal: string | null } | null;
}
