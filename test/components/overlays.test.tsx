import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { FilterOverlay } from '../../src/components/FilterOverlay.js';
import { HelpOverlay } from '../../src/components/HelpOverlay.js';
import { LineEditor, StatusBar } from '../../src/components/StatusBar.js';

import { displayKey, KEYMAP } from '../../src/state/keymap.js';
import { processRows } from '../../src/state/process-rows.js';
import { plain, state } from './rows.js';

const text = (el: React.ReactElement) => plain(render(el).lastFrame() ?? '');

describe('help overlay', () => {
  it('is generated from the keymap: every binding and its keys appear', () => {
    const frame = text(<HelpOverlay width={100} height={60} />);
    for (const mode of ['normal', 'input', 'search', 'filter', 'confirm-stop'] as const) {
      for (const binding of KEYMAP[mode]) {
        expect(frame).toContain(binding.help);
        for (const key of binding.keys) expect(frame).toContain(displayKey(key));
      }
    }
  });

  it('at 80x24 (20 rows) it scrolls: the title says which rows, and the last rows are reached', () => {
    const top = text(<HelpOverlay width={80} height={20} />);
    expect(top).toMatch(/Keys \(Esc or \? closes · ↑↓ PgUp PgDn scroll · rows 1-20 of \d+\)/);
    expect(top.split('\n').every((l) => l.length <= 80)).toBe(true);
    const bottom = text(<HelpOverlay width={80} height={20} offset={999} />);
    expect(bottom).toContain('no (any key)');
    expect(bottom).not.toContain('previous process\n');
  });
});

describe('status bar', () => {
  it('lists the keys that matter in the mode, from the keymap', () => {
    expect(text(<StatusBar mode="normal" notice={null} shutdown={null} width={120} />)).toBe(
      'Tab merged  r restart  i input  Ctrl-] focus  / search  ? help  q quit  Q stop all',
    );
    expect(text(<StatusBar mode="filter" notice={null} shutdown={null} width={120} />)).toBe('Space show/hide  Enter done');
  });

  it('in the merged view Tab offers the process view', () => {
    expect(text(<StatusBar mode="normal" view="merged" notice={null} shutdown={null} width={120} />)).toMatch(
      /^Tab process view {2}r restart/,
    );
  });

  it('while stopping it shows only what still works (no restart, input, focus, quit, stop all)', () => {
    const frame = text(<StatusBar mode="normal" notice={null} shutdown={{ remaining: 1, total: 2 }} width={200} />);
    expect(frame).toBe('stopping 1 of 2… (q again: kill now)  Tab merged  / search  ? help');
  });

  it('puts shutdown progress and notices first', () => {
    const frame = text(<StatusBar mode="normal" notice='no match for "x"' shutdown={{ remaining: 3, total: 5 }} width={200} />);
    expect(frame).toMatch(/^stopping 3 of 5… \(q again: kill now\) {2}no match for "x" {2}Tab/);
  });

  it('an attached dashboard says what q does there: it detaches', () => {
    const frame = text(<StatusBar mode="normal" notice={null} shutdown={{ remaining: 3, total: 5 }} width={200} attached />);
    expect(frame).toMatch(/^stopping 3 of 5… \(q detaches\) {2}Tab/);
  });

  it('the line editor shows the prompt, the text and a cursor', () => {
    expect(text(<LineEditor prompt="echo.1> " draft="hello" hint="Enter send" />)).toBe('echo.1> hello   Enter send');
  });
});

describe('filter overlay', () => {
  it('checks the processes the merged log shows', () => {
    const rows = processRows([state('web.1', 0), state('worker.1', 1)], new Map(), 0);
    const frame = text(<FilterOverlay rows={rows} filter={new Set(['worker.1'])} cursor={0} width={40} height={10} />);
    expect(frame).toContain('[ ] web.1');
    expect(frame).toContain('[x] worker.1');
  });
});
