import { constants } from 'node:os';
import { exitCodeOf, type ProcessState } from './process-state.js';

/** Shell convention: 128 + signal number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * devrun's exit code once everything ended: 0 when every process exited 0 or was stopped by the
 * user, else the code of the earliest failure still standing (a process that crashed and later
 * exited 0 after a restart does not count). A stop caused by a signal to devrun wins.
 */
export function finalExitCode(states: ProcessState[], stoppedBy: NodeJS.Signals | undefined): number {
  if (stoppedBy) return signalExitCode(stoppedBy);
  const failures = states
    .filter((s) => (s.status === 'crashed' || s.status === 'failed') && s.lastExit && !s.lastExit.byUser)
    // `failed` under --restart always can end on exit 0: that is no failure to report.
    .filter((s) => s.lastExit!.code !== 0 || s.lastExit!.signal !== null)
    .sort((a, b) => a.lastExit!.at - b.lastExit!.at);
  const first = failures[0]?.lastExit;
  return first ? exitCodeOf(first, constants.signals) : 0;
}
