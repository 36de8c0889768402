/**
 * The seam between the supervisor and how a child is actually run: the pipe runner (execa) and the
 * PTY runner (node-pty) implement it. The supervisor never touches a ChildProcess directly.
 */
export type OutputStream = 'stdout' | 'stderr';

export interface ExitInfo {
  /** Exit code of the process-group leader, or null when it died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Initial terminal size; only meaningful to runners with a terminal. */
  columns: number;
  rows: number;
}

export interface RunningChild {
  /** Pid of the leader, which is also the process-group id (children start detached or as session leaders). */
  readonly pid: number;
  /** True when the child has a terminal: Enter is \r, the terminal echoes input, Ctrl-C is a byte. */
  readonly terminal: boolean;
  write(data: string | Uint8Array): void;
  resize(columns: number, rows: number): void;
  /** Called for every chunk of output, as it arrives; never buffered. */
  onData(listener: (chunk: Uint8Array, stream: OutputStream) => void): void;
  /** Called once, after the leader exited and its output was drained. */
  onExit(listener: (exit: ExitInfo) => void): void;
}

export interface Runner {
  /** Throws when the child cannot be spawned at all. */
  start(options: StartOptions): RunningChild;
}
