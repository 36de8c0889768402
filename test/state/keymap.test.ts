import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/state/commands.js';
import { commandFor, displayKey, KEYMAP, type KeyInfo, keyName, NO_KEY } from '../../src/state/keymap.js';
import type { Mode } from '../../src/state/ui-state.js';

/**
 * What Ink 6's useInput hands over for the bytes a terminal sends (read off Ink's parse-keypress +
 * use-input): the input string and the key flags that are set.
 */
const PRESSES = {
  up: { bytes: '\x1b[A', input: '', key: { upArrow: true } },
  down: { bytes: '\x1b[B', input: '', key: { downArrow: true } },
  left: { bytes: '\x1b[D', input: '', key: { leftArrow: true } },
  right: { bytes: '\x1b[C', input: '', key: { rightArrow: true } },
  pageup: { bytes: '\x1b[5~', input: '', key: { pageUp: true } },
  pagedown: { bytes: '\x1b[6~', input: '', key: { pageDown: true } },
  home: { bytes: '\x1b[H', input: '', key: { home: true } },
  end: { bytes: '\x1b[F', input: '', key: { end: true } },
  enter: { bytes: '\r', input: '\r', key: { return: true } },
  escape: { bytes: '\x1b', input: '', key: { escape: true, meta: true } },
  tab: { bytes: '\t', input: '', key: { tab: true } },
  shiftTab: { bytes: '\x1b[Z', input: '', key: { tab: true, shift: true } },
  // The Backspace key sends DEL (0x7f), which Ink 6 reports as `delete`; Ctrl-H (0x08) is `backspace`.
  backspace: { bytes: '\x7f', input: '', key: { delete: true } },
  ctrlH: { bytes: '\b', input: '', key: { backspace: true } },
  ctrlC: { bytes: '\x03', input: 'c', key: { ctrl: true } },
  ctrlU: { bytes: '\x15', input: 'u', key: { ctrl: true } },
  ctrlB: { bytes: '\x02', input: 'b', key: { ctrl: true } },
  space: { bytes: ' ', input: ' ', key: {} },
  altR: { bytes: '\x1br', input: 'r', key: { meta: true } },
} satisfies Record<string, { bytes: string; input: string; key: Partial<KeyInfo> }>;

type Press = { label: string; input: string; key: KeyInfo };
const special = (name: keyof typeof PRESSES): Press => ({
  label: name,
  input: PRESSES[name].input,
  key: { ...NO_KEY, ...PRESSES[name].key },
});
/** A printable key or pasted text; an upper-case letter comes with shift, as Ink sets it. */
const text = (input: string): Press => ({ label: JSON.stringify(input), input, key: { ...NO_KEY, shift: /^[A-Z]$/.test(input) } });

describe('keyName', () => {
  it.each([
    { press: special('up'), expected: 'up' },
    { press: special('down'), expected: 'down' },
    { press: special('left'), expected: 'left' },
    { press: special('right'), expected: 'right' },
    { press: special('pageup'), expected: 'pageup' },
    { press: special('pagedown'), expected: 'pagedown' },
    { press: special('home'), expected: 'home' },
    { press: special('end'), expected: 'end' },
    { press: special('enter'), expected: 'enter' },
    { press: special('escape'), expected: 'escape' },
    { press: special('tab'), expected: 'tab' },
    { press: special('shiftTab'), expected: 'shift+tab' },
    { press: special('backspace'), expected: 'backspace' },
    { press: special('ctrlH'), expected: 'backspace' },
    { press: special('ctrlC'), expected: 'ctrl+c' },
    { press: special('ctrlU'), expected: 'ctrl+u' },
    { press: special('ctrlB'), expected: 'ctrl+b' },
    { press: text('r'), expected: 'r' },
    { press: text('R'), expected: 'R' },
    { press: text('?'), expected: '?' },
    { press: text('/'), expected: '/' },
    { press: text(' '), expected: ' ' },
  ])('$press.label -> $expected', ({ press, expected }) => {
    expect(keyName(press.input, press.key)).toBe(expected);
  });
});

describe('displayKey', () => {
  it.each([
    ['up', '↑'],
    ['pageup', 'PgUp'],
    ['enter', 'Enter'],
    ['escape', 'Esc'],
    ['space', 'Space'],
    ['ctrl+c', 'Ctrl-C'],
    ['r', 'r'],
    ['?', '?'],
  ])('%s -> %s', (name, expected) => {
    expect(displayKey(name)).toBe(expected);
  });
});

describe('commandFor', () => {
  it.each<{ mode: Mode; press: Press; expected: Command | undefined }>([
    // normal: keys are commands
    { mode: 'normal', press: text('r'), expected: { type: 'restart' } },
    { mode: 'normal', press: text('R'), expected: { type: 'restart-all' } },
    { mode: 'normal', press: text('q'), expected: { type: 'quit' } },
    { mode: 'normal', press: special('ctrlC'), expected: { type: 'quit' } },
    { mode: 'normal', press: text('s'), expected: { type: 'toggle-start' } },
    { mode: 'normal', press: text('x'), expected: { type: 'stop' } },
    { mode: 'normal', press: text('X'), expected: { type: 'kill' } },
    { mode: 'normal', press: special('up'), expected: { type: 'select', delta: -1 } },
    { mode: 'normal', press: text('j'), expected: { type: 'select', delta: 1 } },
    { mode: 'normal', press: special('tab'), expected: { type: 'toggle-view' } },
    { mode: 'normal', press: special('enter'), expected: { type: 'input-open' } },
    { mode: 'normal', press: text('i'), expected: { type: 'input-open' } },
    { mode: 'normal', press: text('/'), expected: { type: 'search-open' } },
    { mode: 'normal', press: text('n'), expected: { type: 'search-next', direction: 'older' } },
    { mode: 'normal', press: text('N'), expected: { type: 'search-next', direction: 'newer' } },
    { mode: 'normal', press: special('pageup'), expected: { type: 'scroll', unit: 'page', delta: -1 } },
    { mode: 'normal', press: special('ctrlB'), expected: { type: 'scroll', unit: 'page', delta: -1 } },
    { mode: 'normal', press: special('ctrlU'), expected: { type: 'scroll', unit: 'half', delta: -1 } },
    { mode: 'normal', press: special('home'), expected: { type: 'scroll-top' } },
    { mode: 'normal', press: text('G'), expected: { type: 'scroll-bottom' } },
    { mode: 'normal', press: text('?'), expected: { type: 'help' } },
    { mode: 'normal', press: text('f'), expected: { type: 'filter-open' } },
    { mode: 'normal', press: text('z'), expected: { type: 'toggle-zoom' } },
    { mode: 'normal', press: text('Z'), expected: undefined },
    { mode: 'normal', press: text('\x1d'), expected: { type: 'focus' } },
    { mode: 'normal', press: special('space'), expected: undefined },
    { mode: 'normal', press: text('hello'), expected: undefined },

    // input: everything printable is text for the process; only a few keys are commands
    { mode: 'input', press: text('hello'), expected: { type: 'line-type', text: 'hello' } },
    { mode: 'input', press: text('q'), expected: { type: 'line-type', text: 'q' } },
    { mode: 'input', press: text('r'), expected: { type: 'line-type', text: 'r' } },
    { mode: 'input', press: text('?'), expected: { type: 'line-type', text: '?' } },
    { mode: 'input', press: text('Q'), expected: { type: 'line-type', text: 'Q' } },
    { mode: 'input', press: special('space'), expected: { type: 'line-type', text: ' ' } },
    { mode: 'input', press: text('two\r\nlines\n'), expected: { type: 'line-type', text: 'two lines ' } },
    { mode: 'input', press: special('enter'), expected: { type: 'line-submit' } },
    { mode: 'input', press: special('escape'), expected: { type: 'line-cancel' } },
    { mode: 'input', press: special('ctrlC'), expected: { type: 'interrupt' } },
    { mode: 'input', press: special('backspace'), expected: { type: 'line-erase' } },
    { mode: 'input', press: special('ctrlH'), expected: { type: 'line-erase' } },
    { mode: 'input', press: special('ctrlU'), expected: { type: 'line-clear' } },
    { mode: 'input', press: special('ctrlB'), expected: undefined },
    { mode: 'input', press: special('up'), expected: undefined },
    { mode: 'input', press: special('tab'), expected: undefined },
    { mode: 'input', press: special('altR'), expected: undefined },

    // search: a line too, and Ctrl-C is not an interrupt there
    { mode: 'search', press: text('timeout'), expected: { type: 'line-type', text: 'timeout' } },
    { mode: 'search', press: text('n'), expected: { type: 'line-type', text: 'n' } },
    { mode: 'search', press: text('/'), expected: { type: 'line-type', text: '/' } },
    { mode: 'search', press: special('space'), expected: { type: 'line-type', text: ' ' } },
    { mode: 'search', press: special('enter'), expected: { type: 'line-submit' } },
    { mode: 'search', press: special('escape'), expected: { type: 'line-cancel' } },
    { mode: 'search', press: special('backspace'), expected: { type: 'line-erase' } },
    { mode: 'search', press: special('ctrlC'), expected: { type: 'line-cancel' } },

    // filter overlay
    { mode: 'filter', press: special('space'), expected: { type: 'filter-toggle' } },
    { mode: 'filter', press: text('x'), expected: { type: 'filter-toggle' } },
    { mode: 'filter', press: special('down'), expected: { type: 'filter-move', delta: 1 } },
    { mode: 'filter', press: text('k'), expected: { type: 'filter-move', delta: -1 } },
    { mode: 'filter', press: special('enter'), expected: { type: 'close-overlay' } },
    { mode: 'filter', press: special('escape'), expected: { type: 'close-overlay' } },
    { mode: 'filter', press: text('f'), expected: { type: 'close-overlay' } },
    { mode: 'filter', press: text('r'), expected: undefined },

    // help overlay
    { mode: 'help', press: text('?'), expected: { type: 'close-overlay' } },
    { mode: 'help', press: special('escape'), expected: { type: 'close-overlay' } },
    { mode: 'help', press: text('q'), expected: { type: 'close-overlay' } },
    { mode: 'help', press: text('r'), expected: undefined },
  ])('$mode: $press.label -> $expected.type', ({ mode, press, expected }) => {
    expect(commandFor(mode, press.input, press.key)).toEqual(expected);
  });
});

describe('commandFor: the stop prompt (Q)', () => {
  it('Q in normal mode asks; q still quits (detaches when attached)', () => {
    expect(commandFor('normal', 'Q', text('Q').key)).toEqual({ type: 'stop-all-ask' });
    expect(commandFor('normal', 'q', NO_KEY)).toEqual({ type: 'quit' });
  });

  it.each([text('y'), text('Y')])('confirm-stop: $label stops everything', (press) => {
    expect(commandFor('confirm-stop', press.input, press.key)).toEqual({ type: 'stop-all' });
  });

  it.each([
    text('n'),
    text('q'),
    text('Q'),
    text('x'),
    special('escape'),
    special('enter'),
    special('ctrlC'),
    special('up'),
    special('space'),
  ])('confirm-stop: $label cancels', (press) => {
    expect(commandFor('confirm-stop', press.input, press.key)).toEqual({ type: 'close-overlay' });
  });

  it('Q is in the help and the status bar; the prompt has its own section', () => {
    const q = KEYMAP.normal.find((b) => b.keys.includes('Q'));
    expect(q).toMatchObject({ command: { type: 'stop-all-ask' }, bar: 'stop all' });
    expect(q?.help).toMatch(/stop all/);
  });
});

describe('KEYMAP', () => {
  const modes = Object.keys(KEYMAP) as Mode[];

  it('covers every mode', () => {
    expect(modes.sort()).toEqual(['confirm-stop', 'copy', 'filter', 'focus', 'help', 'input', 'normal', 'search']);
  });

  it.each(modes)('%s: every binding has keys and help text', (mode) => {
    for (const binding of KEYMAP[mode]) {
      expect(binding.keys.length, JSON.stringify(binding.command)).toBeGreaterThan(0);
      expect(binding.help.trim(), JSON.stringify(binding.command)).not.toBe('');
    }
  });

  it.each(modes)('%s: no key is bound twice', (mode) => {
    const keys = KEYMAP[mode].flatMap((b) => b.keys);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(twice).toEqual([]);
  });

  it.each(modes)('%s: every bound key can be pressed (it is a name keyName produces)', (mode) => {
    // A typo like 'PageUp' or 'ctrl-c' would be a binding no key press ever reaches.
    const named = new Set([
      'up',
      'down',
      'left',
      'right',
      'pageup',
      'pagedown',
      'home',
      'end',
      'enter',
      'escape',
      'tab',
      'shift+tab',
      'backspace',
      'space',
    ]);
    for (const key of KEYMAP[mode].flatMap((b) => b.keys)) {
      expect(named.has(key) || /^ctrl\+[a-z\]]$/.test(key) || /^[\x21-\x7e]$/.test(key), key).toBe(true);
    }
  });

  it('every mode has a way out, and the status bar has something to show in each', () => {
    for (const mode of modes) {
      expect(
        KEYMAP[mode].some((b) => b.bar),
        mode,
      ).toBe(true);
      // Focus hands Esc to the process (vim needs it): Ctrl-] is its way out.
      const way = mode === 'focus' ? 'ctrl+]' : 'escape';
      if (mode !== 'normal')
        expect(
          KEYMAP[mode].flatMap((b) => b.keys),
          mode,
        ).toContain(way);
    }
  });
});
