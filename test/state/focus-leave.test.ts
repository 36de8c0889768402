import { describe, expect, it } from 'vitest';
import { focusLeaveNotice } from '../../src/state/focus-leave.js';
import { processRows } from '../../src/state/process-rows.js';
import { state } from '../components/rows.js';

const row = (over: Parameters<typeof state>[2]) => processRows([state('vim.1', 0, over)], new Map(), 0)[0];

describe('focusLeaveNotice', () => {
  it('focus stays while the process runs, and outside focus nothing happens', () => {
    expect(focusLeaveNotice({ mode: 'focus' }, row({ status: 'running' }))).toBeNull();
    expect(focusLeaveNotice({ mode: 'normal' }, row({ status: 'crashed', pid: undefined }))).toBeNull();
  });

  it('leaves with a notice once its run has ended', () => {
    expect(focusLeaveNotice({ mode: 'focus' }, row({ status: 'exited', pid: undefined }))).toBe('vim.1 exited: focus left');
    expect(focusLeaveNotice({ mode: 'focus' }, row({ status: 'crashed', pid: undefined }))).toBe('vim.1 exited: focus left');
    expect(focusLeaveNotice({ mode: 'focus' }, row({ status: 'stopped', pid: undefined }))).toBe('vim.1 stopped: focus left');
  });
});
