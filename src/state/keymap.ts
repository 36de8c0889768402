import type { Command } from './commands.js';
import type { Mode } from './ui-state.js';

/** The subset of Ink's Key this module reads (kept structural so the state layer does not import Ink). */
export interface KeyInfo {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

/** One name per key press: 'r', 'R', '?', 'up', 'pageup', 'enter', 'escape', 'tab', 'ctrl+c', 'backspace'. */
export function keyName(input: string, key: KeyInfo): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  // Ink 6 reports the Backspace key (0x7f) as delete and Ctrl+H as backspace: both erase.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  return input;
}

export interface Binding {
  keys: string[];
  command: Command;
  /** Words for the help overlay and the status bar. */
  help: string;
  /** A word or two for the status bar, for the few keys that matter in this mode. */
  bar?: string;
}

/** Every binding, by mode. The `?` overlay and the status bar are generated from this table. */
export const KEYMAP: Record<Mode, Binding[]> = {
  normal: [
    { keys: ['up', 'k'], command: { type: 'select', delta: -1 }, help: 'select previous process' },
    { keys: ['down', 'j'], command: { type: 'select', delta: 1 }, help: 'select next process' },
    { keys: ['tab'], command: { type: 'toggle-view' }, help: 'merged log / process log', bar: 'merged/process' },
    { keys: ['r'], command: { type: 'restart' }, help: 'restart the process', bar: 'restart' },
    { keys: ['s'], command: { type: 'toggle-start' }, help: 'start / stop the process', bar: 'start/stop' },
    { keys: ['x'], command: { type: 'stop' }, help: 'stop the process (TERM, then KILL)' },
    { keys: ['X'], command: { type: 'kill' }, help: 'kill the process now (SIGKILL)' },
    { keys: ['R'], command: { type: 'restart-all' }, help: 'restart every process' },
    { keys: ['i', 'enter'], command: { type: 'input-open' }, help: 'type a line into the process', bar: 'input' },
    { keys: ['/'], command: { type: 'search-open' }, help: 'search the log', bar: 'search' },
    { keys: ['n'], command: { type: 'search-next', direction: 'older' }, help: 'previous (older) match' },
    { keys: ['N'], command: { type: 'search-next', direction: 'newer' }, help: 'next (newer) match' },
    { keys: ['f'], command: { type: 'filter-open' }, help: 'choose processes in the merged log' },
    { keys: ['pageup', 'ctrl+b'], command: { type: 'scroll', unit: 'page', delta: -1 }, help: 'scroll up a page' },
    { keys: ['pagedown', 'ctrl+f'], command: { type: 'scroll', unit: 'page', delta: 1 }, help: 'scroll down a page' },
    { keys: ['ctrl+u'], command: { type: 'scroll', unit: 'half', delta: -1 }, help: 'scroll up half a page' },
    { keys: ['ctrl+d'], command: { type: 'scroll', unit: 'half', delta: 1 }, help: 'scroll down half a page' },
    { keys: ['K', 'ctrl+y'], command: { type: 'scroll', unit: 'line', delta: -1 }, help: 'scroll up a line' },
    { keys: ['J', 'ctrl+e'], command: { type: 'scroll', unit: 'line', delta: 1 }, help: 'scroll down a line' },
    { keys: ['home', 'g'], command: { type: 'scroll-top' }, help: 'oldest line' },
    { keys: ['end', 'G'], command: { type: 'scroll-bottom' }, help: 'newest line, follow' },
    { keys: ['c'], command: { type: 'clear' }, help: 'clear the pane' },
    { keys: ['t'], command: { type: 'toggle-timestamps' }, help: 'timestamps on / off' },
    { keys: ['?'], command: { type: 'help' }, help: 'this help', bar: 'help' },
    { keys: ['q', 'ctrl+c'], command: { type: 'quit' }, help: 'stop everything and quit (again: kill now)', bar: 'quit' },
  ],
  input: [
    { keys: ['enter'], command: { type: 'line-submit' }, help: 'send the line (with a newline)', bar: 'send' },
    { keys: ['escape'], command: { type: 'line-cancel' }, help: 'leave input mode', bar: 'leave' },
    { keys: ['ctrl+c'], command: { type: 'interrupt' }, help: 'send SIGINT to the process', bar: 'interrupt' },
    { keys: ['backspace'], command: { type: 'line-erase' }, help: 'erase a character' },
    { keys: ['ctrl+u'], command: { type: 'line-clear' }, help: 'erase the line' },
  ],
  search: [
    { keys: ['enter'], command: { type: 'line-submit' }, help: 'search', bar: 'search' },
    { keys: ['escape'], command: { type: 'line-cancel' }, help: 'cancel', bar: 'cancel' },
    { keys: ['backspace'], command: { type: 'line-erase' }, help: 'erase a character' },
    { keys: ['ctrl+u'], command: { type: 'line-clear' }, help: 'erase the line' },
  ],
  filter: [
    { keys: ['up', 'k'], command: { type: 'filter-move', delta: -1 }, help: 'previous process' },
    { keys: ['down', 'j'], command: { type: 'filter-move', delta: 1 }, help: 'next process' },
    { keys: ['space', 'x'], command: { type: 'filter-toggle' }, help: 'show / hide in the merged log', bar: 'show/hide' },
    { keys: ['enter', 'escape', 'f', 'q'], command: { type: 'close-overlay' }, help: 'done', bar: 'done' },
  ],
  help: [{ keys: ['escape', '?', 'q', 'enter'], command: { type: 'close-overlay' }, help: 'close help', bar: 'close' }],
};

const DISPLAY: Record<string, string> = {
  up: '↑',
  down: '↓',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  backspace: 'Bksp',
  space: 'Space',
};

/** How a key is written in the help overlay and status bar: ↑, PgUp, Ctrl-C, r. */
export function displayKey(name: string): string {
  if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5).toUpperCase()}`;
  return DISPLAY[name] ?? name;
}

/** The command for a key in a mode; in line modes any other printable text is typed into the line. */
export function commandFor(mode: Mode, input: string, key: KeyInfo): Command | undefined {
  const name = input === ' ' && !key.ctrl ? 'space' : keyName(input, key);
  const binding = KEYMAP[mode].find((b) => b.keys.includes(name));
  if (binding) return binding.command;
  if ((mode === 'input' || mode === 'search') && input && !key.ctrl && !key.meta && !key.escape) {
    // Pasted text arrives as one event; keep it on one line.
    return { type: 'line-type', text: input.replace(/[\r\n]+/g, ' ') };
  }
  return undefined;
}
