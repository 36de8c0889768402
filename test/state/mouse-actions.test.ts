import { describe, expect, it } from 'vitest';
import { encodeForChild, type MouseLayout, mouseCommand, mouseTarget } from '../../src/state/mouse-actions.js';
import { reportOf } from '../../src/state/mouse-input.js';

// 120x40 with the full list: 38 body rows, the list 40 wide with a header row, the pane's text from column 42.
const LAYOUT: MouseLayout = { listWidth: 40, listHeader: true, bodyHeight: 38, paneHeight: 37, paneTextWidth: 78 };
const LIST = { selected: 0, count: 3 };

describe('mouseTarget', () => {
  it('maps list rows below the header to processes, and nothing past the last one', () => {
    expect(mouseTarget({ x: 5, y: 3 }, LAYOUT, LIST)).toEqual({ area: 'list', index: 0 });
    expect(mouseTarget({ x: 5, y: 5 }, LAYOUT, LIST)).toEqual({ area: 'list', index: 2 });
    expect(mouseTarget({ x: 5, y: 6 }, LAYOUT, LIST)).toEqual({ area: 'list', index: undefined });
    expect(mouseTarget({ x: 5, y: 2 }, LAYOUT, LIST)).toEqual({ area: 'list', index: undefined });
  });

  it('counts the rows the list scrolled by to keep the selection in view', () => {
    const small = { ...LAYOUT, bodyHeight: 5, paneHeight: 4 };
    // 4 rows visible; selection 9 of 12 shows 6..9.
    expect(mouseTarget({ x: 5, y: 3 }, small, { selected: 9, count: 12 })).toEqual({ area: 'list', index: 6 });
  });

  it("maps the pane's text cells from 1,1 and leaves out the header, the title and the footer", () => {
    expect(mouseTarget({ x: 42, y: 3 }, LAYOUT, LIST)).toEqual({ area: 'pane', column: 1, row: 1 });
    expect(mouseTarget({ x: 119, y: 39 }, LAYOUT, LIST)).toEqual({ area: 'pane', column: 78, row: 37 });
    expect(mouseTarget({ x: 60, y: 1 }, LAYOUT, LIST)).toEqual({ area: 'none' });
    expect(mouseTarget({ x: 60, y: 2 }, LAYOUT, LIST)).toEqual({ area: 'none' });
    expect(mouseTarget({ x: 60, y: 40 }, LAYOUT, LIST)).toEqual({ area: 'none' });
  });
});

describe('mouseCommand', () => {
  const wheel = (down: boolean) => reportOf(down ? 65 : 64, 60, 10, 'M');
  const pane = { area: 'pane', column: 19, row: 8 } as const;

  it('scrolls the pane by 3 lines, moves the selection over the list, selects a clicked process', () => {
    expect(mouseCommand(wheel(false), { mode: 'normal', selected: 0, target: pane, child: null })).toEqual({
      type: 'scroll',
      unit: 'line',
      delta: -3,
    });
    expect(mouseCommand(wheel(true), { mode: 'normal', selected: 0, target: { area: 'list', index: 1 }, child: null })).toEqual({
      type: 'select',
      delta: 1,
    });
    const click = reportOf(0, 5, 4, 'M');
    expect(mouseCommand(click, { mode: 'normal', selected: 2, target: { area: 'list', index: 0 }, child: null })).toEqual({
      type: 'select',
      delta: -2,
    });
    // A release, a right click, a click on the pane: nothing.
    expect(
      mouseCommand(reportOf(0, 5, 4, 'm'), { mode: 'normal', selected: 2, target: { area: 'list', index: 0 }, child: null }),
    ).toBeUndefined();
    expect(
      mouseCommand(reportOf(2, 5, 4, 'M'), { mode: 'normal', selected: 2, target: { area: 'list', index: 0 }, child: null }),
    ).toBeUndefined();
    expect(mouseCommand(click, { mode: 'normal', selected: 0, target: pane, child: null })).toBeUndefined();
  });

  it('in focus, drops reports unless the process asked for the mouse; then sends them at its own cell', () => {
    const focus = { mode: 'focus', selected: 0, target: pane } as const;
    expect(mouseCommand(wheel(false), { ...focus, child: null })).toBeUndefined();
    expect(mouseCommand(wheel(false), { ...focus, child: { tracking: 'none', sgr: false } })).toBeUndefined();
    expect(mouseCommand(wheel(false), { ...focus, child: { tracking: 'vt200', sgr: true } })).toEqual({
      type: 'focus-write',
      data: '\x1b[<64;19;8M',
    });
    expect(
      mouseCommand(wheel(false), { ...focus, target: { area: 'list', index: 0 }, child: { tracking: 'vt200', sgr: true } }),
    ).toBeUndefined();
  });

  it('encodes for a process in the default encoding, releases as button 3, none for X10', () => {
    expect(encodeForChild(reportOf(0, 1, 1, 'M'), 19, 8, { tracking: 'vt200', sgr: false })).toBe('\x1b[M 3(');
    expect(encodeForChild(reportOf(0, 1, 1, 'm'), 19, 8, { tracking: 'vt200', sgr: false })).toBe('\x1b[M#3(');
    expect(encodeForChild(reportOf(0, 1, 1, 'm'), 19, 8, { tracking: 'x10', sgr: false })).toBeUndefined();
    expect(encodeForChild(reportOf(0, 1, 1, 'm'), 19, 8, { tracking: 'vt200', sgr: true })).toBe('\x1b[<0;19;8m');
  });

  it('scrolls the help overlay with the wheel, and leaves other overlays alone', () => {
    expect(mouseCommand(wheel(true), { mode: 'help', selected: 0, target: pane, child: null })).toEqual({
      type: 'help-scroll',
      unit: 'line',
      delta: 3,
    });
    expect(mouseCommand(wheel(true), { mode: 'search', selected: 0, target: pane, child: null })).toBeUndefined();
  });
});
