import type { LogLine } from './log-store.js';
import type { ProcessState, ProcessStatus } from './process-state.js';
import type { RestartPolicy } from './restart-policy.js';
import type { RunOutcome } from './run-lifecycle.js';
import { stripAnsi } from './sanitize.js';

/**
 * What a finished run leaves its user: which processes did not end cleanly, why, and what each printed
 * last. Pure; the commands layer prints it and keeps it in `.devrun/last-run.json`. Rules:
 * - a process did not end cleanly when its last run ended by itself with a failure (an exit code other
 *   than 0, or a signal), whatever its state now: crashed, failed, or stopped while it waited to restart;
 *   and when it gave up (failed), even on exit 0 under --restart always. A stop you asked for is clean;
 * - "why" is the engine's reason (`command not found: bundle`), else what the restart policy did
 *   (gave up after N restarts in a row, restart: never; the flag and devrun.yaml alike);
 * - its last lines are its own output (devrun's lines about it are left out, blank lines too), colour
 *   codes removed, at most LAST_LINES, oldest first;
 * - the run failed when a process did not end cleanly or devrun had an internal error.
 *
 * The data is versioned like the other files devrun writes: later versions add fields, never rename
 * or remove them.
 */
export interface RunSummary {
  version: 1;
  runId: string;
  /** The pid of the devrun that ran it: `devrun stop` knows the summary is of the run it stopped. */
  pid: number;
  /** Real paths. */
  root: string;
  procfile: string;
  /** How the run was shown: a dashboard, merged output, or in the background (`start -D`). */
  mode: RunMode;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  /** devrun's exit code. */
  exitCode: number;
  failed: boolean;
  internalError: boolean;
  /** The terminal hung up: nothing was printed. */
  hungUp: boolean;
  /** How many processes the run had. */
  processCount: number;
  /** The processes that did not end cleanly, in Procfile order. */
  unclean: UncleanProcess[];
  /** Where the log files are, or null without log files. */
  logDir: string | null;
}

export type RunMode = 'dashboard' | 'headless' | 'background';

export interface UncleanProcess {
  name: string;
  /** The process state at the end (an open set, as in `devrun status --json`). */
  state: ProcessStatus;
  /** The last run's end. */
  exit: { code: number | null; signal: string | null } | null;
  restarts: number;
  why: string | null;
  lastLines: string[];
}

const LAST_LINES = 5;

/** Each process's lines, oldest first (a LogStore). */
export interface LineSource {
  lines(proc: string): { readonly size: number; at(index: number): LogLine | undefined };
}

export interface FinishedRun {
  runId: string;
  pid: number;
  root: string;
  procfile: string;
  mode: RunMode;
  startedAt: number;
  endedAt: number;
  outcome: RunOutcome;
  /** Each process's restart policy (a flag, devrun.yaml or the default). */
  policyOf: (name: string) => Pick<RestartPolicy, 'mode' | 'maxRestarts'>;
  logs: LineSource;
  logDir: string | undefined;
}

export function summarizeRun(run: FinishedRun): RunSummary {
  const { outcome } = run;
  const unclean = outcome.processes.filter(endedUncleanly).map((state) => describeUnclean(state, run));
  return {
    version: 1,
    runId: run.runId,
    pid: run.pid,
    root: run.root,
    procfile: run.procfile,
    mode: run.mode,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(run.endedAt).toISOString(),
    exitCode: outcome.exitCode,
    failed: unclean.length > 0 || outcome.internalError,
    internalError: outcome.internalError,
    hungUp: outcome.hungUp,
    processCount: outcome.processes.length,
    unclean,
    logDir: run.logDir ?? null,
  };
}

function endedUncleanly(state: ProcessState): boolean {
  if (state.status === 'failed') return true;
  const exit = state.lastExit;
  return exit !== undefined && !exit.byUser && (exit.code !== 0 || exit.signal !== null);
}

function describeUnclean(state: ProcessState, run: FinishedRun): UncleanProcess {
  const exit = state.lastExit;
  return {
    name: state.name,
    state: state.status,
    exit: exit ? { code: exit.code, signal: exit.signal } : null,
    restarts: state.restarts,
    why: whyItEnded(state, run.policyOf(state.name)),
    lastLines: lastLines(run.logs, state.name),
  };
}

function whyItEnded(state: ProcessState, policy: Pick<RestartPolicy, 'mode' | 'maxRestarts'>): string | null {
  if (state.reason) return state.reason;
  switch (state.status) {
    case 'failed':
      // The policy gives up when the streak of short runs reaches maxRestarts, so the streak is that.
      if (policy.maxRestarts === 0) return 'not restarted (max restarts: 0)';
      return `gave up after ${policy.maxRestarts} restart${policy.maxRestarts === 1 ? '' : 's'} in a row`;
    case 'crashed':
      return policy.mode === 'never' ? 'not restarted (restart: never)' : null;
    case 'stopped':
      return 'crashed, then stopped while waiting to restart';
    default:
      return null;
  }
}

/** The newest LAST_LINES lines the process printed itself, oldest first. */
function lastLines(logs: LineSource, name: string): string[] {
  const ring = logs.lines(name);
  const found: string[] = [];
  for (let i = ring.size - 1; i >= 0 && found.length < LAST_LINES; i--) {
    const line = ring.at(i);
    if (!line || line.stream === 'system') continue;
    const text = stripAnsi(line.text).trimEnd();
    if (text.trim() !== '') found.push(text);
  }
  return found.reverse();
}
