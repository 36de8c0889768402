import { describe, expect, it } from 'vitest';
import { resizeOnTyping, resizeOnViewChange, type TerminalView, terminalViewOf } from '../../src/state/terminal-size.js';

const pane = (name: string, columns = 80, rows = 20): TerminalView => ({ name, screen: false, inPane: true, columns, rows });
const screen = (name: string, columns = 119, rows = 36): TerminalView => ({ name, screen: true, inPane: true, columns, rows });
const local = (shown: string[] = []) => ({ enabled: true, shown: new Set(shown) });
const attached = (shown: string[] = []) => ({ enabled: false, shown: new Set(shown) });

describe('resizeOnViewChange: one size per terminal, the latest dashboard to act on it', () => {
  it('focus or zoom sizes it to the screen shown, and so does this dashboard resizing while in it', () => {
    expect(resizeOnViewChange(pane('vim.1'), screen('vim.1'), attached(['vim.1']))).toEqual({ name: 'vim.1', columns: 119, rows: 36 });
    expect(resizeOnViewChange(screen('vim.1'), screen('vim.1', 99, 26), attached())).toEqual({ name: 'vim.1', columns: 99, rows: 26 });
    // Zoomed, another process selected: that one is zoomed now.
    expect(resizeOnViewChange(screen('vim.1'), screen('top.1'), attached())).toEqual({ name: 'top.1', columns: 119, rows: 36 });
    // Nothing changed (a re-render): nothing to do.
    expect(resizeOnViewChange(screen('vim.1'), screen('vim.1'), attached())).toBeNull();
  });

  it('leaving focus or zoom puts it back at the pane size', () => {
    expect(resizeOnViewChange(screen('vim.1'), pane('vim.1', 70, 30), attached(['vim.1']))).toEqual({
      name: 'vim.1',
      columns: 70,
      rows: 30,
    });
  });

  it("a layout change alone never resizes (another dashboard's size stays)", () => {
    expect(resizeOnViewChange(pane('web.1'), pane('web.1', 100, 30), local(['web.1']))).toBeNull();
    expect(resizeOnViewChange(pane('web.1'), pane('web.1', 100, 30), attached())).toBeNull();
  });

  it('the local dashboard sizes a terminal the first time it shows it in its pane; attached ones never on sight', () => {
    expect(resizeOnViewChange(undefined, pane('web.1'), local())).toEqual({ name: 'web.1', columns: 80, rows: 20 });
    expect(resizeOnViewChange(pane('web.1'), pane('api.1'), local(['web.1']))).toEqual({ name: 'api.1', columns: 80, rows: 20 });
    // Back to one already shown: no.
    expect(resizeOnViewChange(pane('api.1'), pane('web.1'), local(['web.1', 'api.1']))).toBeNull();
    // Selected in the merged view: not shown in the pane.
    expect(resizeOnViewChange(undefined, { ...pane('web.1'), inPane: false }, local())).toBeNull();
    expect(resizeOnViewChange(undefined, pane('web.1'), attached())).toBeNull();
    expect(resizeOnViewChange(pane('web.1'), pane('api.1'), attached())).toBeNull();
  });

  it('no terminal shown: nothing', () => {
    expect(resizeOnViewChange(pane('web.1'), undefined, local())).toBeNull();
  });
});

describe('resizeOnTyping', () => {
  it('the terminal typed into takes the size it is shown at; none when it has no terminal', () => {
    expect(resizeOnTyping(pane('sh.1', 70, 20), 'sh.1')).toEqual({ name: 'sh.1', columns: 70, rows: 20 });
    expect(resizeOnTyping(undefined, 'sh.1')).toBeNull();
    expect(resizeOnTyping(pane('other.1'), 'sh.1')).toBeNull();
  });
});

describe('terminalViewOf', () => {
  it('the screen and the log are one column narrower than the pane; undefined without a terminal', () => {
    expect(terminalViewOf('vim.1', true, { screen: true, inPane: true }, { width: 119, height: 36 })).toEqual(screen('vim.1', 119, 36));
    expect(terminalViewOf('web.1', true, { screen: false, inPane: true }, { width: 80, height: 20 })).toEqual(pane('web.1'));
    expect(terminalViewOf('web.1', false, { screen: false, inPane: true }, { width: 81, height: 20 })).toBeUndefined();
    expect(terminalViewOf(undefined, true, { screen: false, inPane: true }, { width: 81, height: 20 })).toBeUndefined();
  });
});
