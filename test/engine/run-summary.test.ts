import { describe, expect, it } from 'vitest';
import { LogStore } from '../../src/engine/log-store.js';
import type { LastExit, ProcessState } from '../../src/engine/process-state.js';
import { defaultRestartPolicy, type RestartMode } from '../../src/engine/restart-policy.js';
import type { RunOutcome } from '../../src/engine/run-lifecycle.js';
import { type FinishedRun, summarizeRun } from '../../src/engine/run-summary.js';
import { state } from '../components/rows.js';

const exit = (code: number | null, signal: NodeJS.Signals | null = null, byUser = false): LastExit => ({ code, signal, at: 5, byUser });
const ended = (status: ProcessState['status'], lastExit: LastExit | undefined, over: Partial<ProcessState> = {}) =>
  state('web.1', 0, { status, lastExit, pid: undefined, ...over });

function finished(
  processes: ProcessState[],
  over: Partial<Omit<FinishedRun, 'outcome'>> & { outcome?: Partial<RunOutcome> } = {},
): FinishedRun {
  const { outcome, ...rest } = over;
  return {
    runId: 'run-1',
    pid: 4242,
    root: '/app',
    procfile: '/app/Procfile',
    mode: 'headless',
    startedAt: Date.UTC(2026, 11, 1, 9, 0, 0),
    endedAt: Date.UTC(2026, 11, 1, 9, 5, 0),
    policyOf: () => defaultRestartPolicy,
    logs: new LogStore(),
    logDir: undefined,
    ...rest,
    outcome: { exitCode: 0, hungUp: false, internalError: false, processes, ...outcome },
  };
}

interface Row {
  status: ProcessState['status'];
  lastExit: LastExit | undefined;
  mode?: RestartMode;
  maxRestarts?: number;
  reason?: string;
  /** Listed as not ended cleanly, with this why (null: none). */
  why: string | null | false;
}

describe('summarizeRun: which processes did not end cleanly, and why', () => {
  it.each<Row>([
    // state at the end, last exit, policy -> why (false: not listed)
    { status: 'exited', lastExit: exit(0), why: false },
    { status: 'stopped', lastExit: exit(null, 'SIGTERM', true), why: false },
    { status: 'stopped', lastExit: exit(null, 'SIGKILL', true), why: false }, // killed by the user: still their stop
    { status: 'stopped', lastExit: exit(1, null, true), why: false }, // exit 1 on SIGTERM, asked for
    { status: 'stopped', lastExit: undefined, why: false }, // stopped before it ever ran
    { status: 'pending', lastExit: undefined, why: false },
    { status: 'crashed', lastExit: exit(3), mode: 'never', why: 'not restarted (restart: never)' },
    { status: 'crashed', lastExit: exit(null, 'SIGSEGV'), mode: 'never', why: 'not restarted (restart: never)' },
    { status: 'failed', lastExit: exit(1), why: 'gave up after 10 restarts in a row' },
    { status: 'failed', lastExit: exit(1), maxRestarts: 1, why: 'gave up after 1 restart in a row' },
    { status: 'failed', lastExit: exit(1), maxRestarts: 0, why: 'not restarted (max restarts: 0)' },
    // --restart always: a one-off that kept exiting 0 still gave up.
    { status: 'failed', lastExit: exit(0), mode: 'always', maxRestarts: 2, why: 'gave up after 2 restarts in a row' },
    { status: 'failed', lastExit: exit(127), reason: 'command not found: bundle', why: 'command not found: bundle' },
    // q while it waited to restart: its last run still crashed.
    { status: 'stopped', lastExit: exit(1), why: 'crashed, then stopped while waiting to restart' },
  ])('$status after $lastExit.code/$lastExit.signal (byUser $lastExit.byUser) -> $why', (row) => {
    const { status, lastExit, why, mode = 'on-failure', maxRestarts = 10, reason } = row;
    const summary = summarizeRun(finished([ended(status, lastExit, { reason, restarts: 2 })], { policyOf: () => ({ mode, maxRestarts }) }));
    expect(summary.failed).toBe(why !== false);
    if (why === false) return expect(summary.unclean).toEqual([]);
    expect(summary.unclean).toEqual([
      { name: 'web.1', state: status, exit: { code: lastExit!.code, signal: lastExit!.signal }, restarts: 2, why, lastLines: [] },
    ]);
  });

  it('keeps Procfile order and counts every process', () => {
    const processes = [
      state('web.1', 0, { status: 'failed', lastExit: exit(1) }),
      state('ok.1', 1, { status: 'exited', lastExit: exit(0) }),
      state('worker.1', 2, { status: 'crashed', lastExit: exit(2) }),
    ];
    const summary = summarizeRun(finished(processes, { outcome: { exitCode: 1 } }));
    expect(summary.unclean.map((p) => p.name)).toEqual(['web.1', 'worker.1']);
    expect(summary).toMatchObject({ processCount: 3, exitCode: 1, failed: true });
  });

  it('an internal error fails the run even when every process ended cleanly', () => {
    const summary = summarizeRun(
      finished([ended('stopped', exit(null, 'SIGTERM', true))], { outcome: { internalError: true, exitCode: 70 } }),
    );
    expect(summary).toMatchObject({ failed: true, internalError: true, exitCode: 70, unclean: [] });
  });

  it('carries the run: ids, times as ISO 8601, mode, hang-up, log folder (null without one)', () => {
    const summary = summarizeRun(
      finished([], { mode: 'background', logDir: '/app/.devrun/logs', outcome: { hungUp: true, exitCode: 129 } }),
    );
    expect(summary).toEqual({
      version: 1,
      runId: 'run-1',
      pid: 4242,
      root: '/app',
      procfile: '/app/Procfile',
      mode: 'background',
      startedAt: '2026-12-01T09:00:00.000Z',
      endedAt: '2026-12-01T09:05:00.000Z',
      exitCode: 129,
      failed: false,
      internalError: false,
      hungUp: true,
      processCount: 0,
      unclean: [],
      logDir: '/app/.devrun/logs',
    });
    expect(summarizeRun(finished([])).logDir).toBeNull();
  });
});

describe('summarizeRun: last lines', () => {
  const failedWeb = [state('web.1', 0, { status: 'failed', lastExit: exit(1) })];
  const withLines = (lines: [string, 'stdout' | 'stderr' | 'system' | 'input', string][]) => {
    const logs = new LogStore();
    for (const [proc, stream, text] of lines) logs.append(proc, stream, text);
    return summarizeRun(finished(failedWeb, { logs })).unclean[0]!.lastLines;
  };

  it('the newest 5 lines it printed, oldest first, without devrun lines, blank lines, other processes or colours', () => {
    const lines = withLines([
      ['web.1', 'stdout', 'one'],
      ['web.1', 'stdout', 'two'],
      ['web.1', 'system', 'started with pid 12'],
      ['web.1', 'stderr', '\x1b[31mthree\x1b[0m'],
      ['worker.1', 'stdout', 'not web'],
      ['web.1', 'stdout', ''],
      ['web.1', 'input', 'four (typed)'],
      ['web.1', 'stdout', 'five   '],
      ['web.1', 'stderr', '   six'],
      ['web.1', 'system', 'crashed (exit 1); gave up after 10 restarts in a row'],
    ]);
    expect(lines).toEqual(['two', 'three', 'four (typed)', 'five', '   six']);
  });

  it('fewer when it printed fewer; none when it printed nothing', () => {
    expect(withLines([['web.1', 'stdout', 'only']])).toEqual(['only']);
    expect(withLines([['web.1', 'system', 'started with pid 12']])).toEqual([]);
  });
});
