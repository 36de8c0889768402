import { describe, expect, it } from 'vitest';
import { finalExitCode } from '../../src/engine/exit-code.js';
import type { LastExit, ProcessState } from '../../src/engine/process-state.js';
import { state } from '../components/rows.js';

const ended = (name: string, status: ProcessState['status'], exit: Partial<LastExit> & { at: number }): ProcessState =>
  state(name, 0, { status, pid: undefined, lastExit: { code: 0, signal: null, byUser: false, ...exit } });

describe('finalExitCode', () => {
  it.each([
    [
      'all exited 0 or stopped by the user',
      [ended('a', 'exited', { at: 1 }), ended('b', 'stopped', { at: 2, code: null, signal: 'SIGTERM', byUser: true })],
      undefined,
      0,
    ],
    [
      'the earliest failure still standing',
      [ended('a', 'crashed', { at: 2, code: 5 }), ended('b', 'failed', { at: 1, code: 3 })],
      undefined,
      3,
    ],
    ['a signal death is 128 + its number', [ended('a', 'crashed', { at: 1, code: null, signal: 'SIGSEGV' })], undefined, 139],
    // --restart always gives up on a one-off that keeps exiting 0: no failure to report.
    [
      'a `failed` that exited 0 does not hide a real failure',
      [ended('a', 'failed', { at: 1, code: 0 }), ended('b', 'crashed', { at: 2, code: 1 })],
      undefined,
      1,
    ],
    ['devrun stopped by a signal', [ended('a', 'crashed', { at: 1, code: 1 })], 'SIGTERM', 143],
  ] as const)('%s', (_name, states, signal, expected) => {
    expect(finalExitCode([...states], signal)).toBe(expected);
  });
});
