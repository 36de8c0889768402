import { describe, expect, it } from 'vitest';
import type { ProcessStatus } from '../../src/engine/process-state.js';
import { type AlertState, alertTitle, NO_ALERT, nextAlert, titleSequence } from '../../src/state/crash-alert.js';

/** Feeds a sequence of (statuses, looking) and returns the alerted names and rings after each step. */
function run(steps: Array<[Record<string, ProcessStatus>, string | undefined]>) {
  let state: AlertState = NO_ALERT;
  return steps.map(([statuses, looking]) => {
    const next = nextAlert(
      state,
      Object.entries(statuses).map(([name, status]) => ({ name, status })),
      looking,
    );
    state = next.state;
    return [state.alerted.join(','), next.rings];
  });
}

describe('crash alert', () => {
  it('a crash elsewhere alerts and rings once; looking at it ends the alert', () => {
    expect(
      run([
        [{ web: 'running', worker: 'running' }, 'web'],
        [{ web: 'running', worker: 'backoff' }, 'web'],
        [{ web: 'running', worker: 'backoff' }, 'web'],
        [{ web: 'running', worker: 'failed' }, 'web'],
        [{ web: 'running', worker: 'failed' }, 'worker'],
        [{ web: 'running', worker: 'failed' }, 'web'],
      ]),
    ).toEqual([
      ['', 0],
      ['worker', 1],
      ['worker', 0],
      ['worker', 0], // backoff -> failed is the same crash
      ['', 0],
      ['', 0],
    ]);
  });

  it('recovery ends the alert; a new crash rings again; a crash of the process looked at rings but is not alerted', () => {
    expect(
      run([
        [{ web: 'running', worker: 'running' }, 'web'],
        [{ web: 'running', worker: 'crashed' }, 'web'],
        [{ web: 'running', worker: 'starting' }, 'web'],
        [{ web: 'running', worker: 'running' }, 'web'],
        [{ web: 'crashed', worker: 'backoff' }, 'web'],
      ]),
    ).toEqual([
      ['', 0],
      ['worker', 1],
      ['worker', 0],
      ['', 0],
      ['worker', 2],
    ]);
  });

  it('a process failing at the first look counts as a crash', () => {
    expect(run([[{ web: 'failed' }, undefined]])).toEqual([['web', 1]]);
  });

  it('the title and its OSC 2 bytes', () => {
    expect(alertTitle([])).toBe('devrun');
    expect(alertTitle(['worker.1', 'api.1'])).toBe('devrun ✗ worker.1, api.1');
    expect(titleSequence('devrun ✗ worker.1')).toBe('\x1b]2;devrun ✗ worker.1\x07');
    expect(titleSequence('a\x07b\x1bc')).toBe('\x1b]2;abc\x07');
  });
});
