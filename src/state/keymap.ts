import type { Command } from './commands.js';
import type { Mode, ViewMode } from './ui-state.js';

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

/** No key flag set: a plain character (keys typed together are replayed one by one with it). */
export const NO_KEY: KeyInfo = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
};

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
  // Keys read together are replayed one character at a time, without Ink's flags.
  if (input === '\t') return 'tab';
  if (input === '\r') return 'enter';
  // Ink 6 reports the Backspace key (0x7f) as delete and Ctrl+H as backspace: both erase.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  // Ink names control characters only up to Ctrl-Z; Ctrl-] (0x1d) arrives as the raw byte.
  if (input === FOCUS_KEY_BYTE) return 'ctrl+]';
  return input;
}

/** The byte Ctrl-] sends: the key into and out of focus mode (telnet's escape; free in shells and tmux). */
export const FOCUS_KEY_BYTE = '\x1d';

export interface Binding {
  keys: string[];
  command: Command;
  /** Words for the help overlay and the status bar. */
  help: string;
  /** A word or two for the status bar, for the few keys that matter in this mode. */
  bar?: string;
  /** The status bar's words in the merged view, when they differ there. */
  barMerged?: string;
  /** It acts on the run, which does nothing once devrun is stopping: the status bar leaves it out then. */
  untilStop?: true;
}

/** Every binding, by mode. The `?` overlay and the status bar are generated from this table. */
export const KEYMAP: Record<Mode, Binding[]> = {
  normal: [
    { keys: ['up', 'k'], command: { type: 'select', delta: -1 }, help: 'previous process' },
    { keys: ['down', 'j'], command: { type: 'select', delta: 1 }, help: 'next process' },
    { keys: ['tab'], command: { type: 'toggle-view' }, help: 'merged / one log', bar: 'merged', barMerged: 'process view' },
    { keys: ['r'], command: { type: 'restart' }, help: 'restart the process', bar: 'restart', untilStop: true },
    { keys: ['s'], command: { type: 'toggle-start' }, help: 'start / stop it' },
    { keys: ['x'], command: { type: 'stop' }, help: 'stop (TERM, KILL)' },
    { keys: ['X'], command: { type: 'kill' }, help: 'kill now (SIGKILL)' },
    { keys: ['R'], command: { type: 'restart-all' }, help: 'restart all' },
    { keys: ['L'], command: { type: 'reload' }, help: 'reload the files' },
    { keys: ['i', 'enter'], command: { type: 'input-open' }, help: 'type into it', bar: 'input', untilStop: true },
    { keys: ['ctrl+]'], command: { type: 'focus' }, help: 'focus (all keys)', bar: 'focus', untilStop: true },
    { keys: ['z'], command: { type: 'toggle-zoom' }, help: 'zoom the pane' },
    { keys: ['/'], command: { type: 'search-open' }, help: 'search', bar: 'search' },
    { keys: ['n'], command: { type: 'search-next', direction: 'older' }, help: 'older match' },
    { keys: ['N'], command: { type: 'search-next', direction: 'newer' }, help: 'newer match' },
    { keys: ['escape'], command: { type: 'search-clear' }, help: 'clear search' },
    { keys: ['f'], command: { type: 'filter-open' }, help: 'filter merged log' },
    { keys: ['pageup', 'ctrl+b'], command: { type: 'scroll', unit: 'page', delta: -1 }, help: 'page up' },
    { keys: ['pagedown', 'ctrl+f'], command: { type: 'scroll', unit: 'page', delta: 1 }, help: 'page down' },
    { keys: ['ctrl+u'], command: { type: 'scroll', unit: 'half', delta: -1 }, help: 'half page up' },
    { keys: ['ctrl+d'], command: { type: 'scroll', unit: 'half', delta: 1 }, help: 'half page down' },
    { keys: ['K', 'ctrl+y'], command: { type: 'scroll', unit: 'line', delta: -1 }, help: 'line up' },
    { keys: ['J', 'ctrl+e'], command: { type: 'scroll', unit: 'line', delta: 1 }, help: 'line down' },
    { keys: ['home', 'g'], command: { type: 'scroll-top' }, help: 'oldest line' },
    { keys: ['end', 'G'], command: { type: 'scroll-bottom' }, help: 'newest, follow' },
    { keys: ['c'], command: { type: 'clear' }, help: 'clear pane' },
    { keys: ['t'], command: { type: 'toggle-timestamps' }, help: 'timestamps' },
    { keys: ['w'], command: { type: 'toggle-wrap' }, help: 'wrap / cut long lines' },
    { keys: ['v'], command: { type: 'copy-open' }, help: 'copy mode (lines to the clipboard)' },
    { keys: ['?'], command: { type: 'help' }, help: 'this help', bar: 'help' },
    // While stopping, the bar's first words say what q does then (kill now, or detach).
    { keys: ['q', 'ctrl+c'], command: { type: 'quit' }, help: 'quit (or detach)', bar: 'quit', untilStop: true },
    { keys: ['Q'], command: { type: 'stop-all-ask' }, help: 'stop all (asks y/n)', bar: 'stop all', untilStop: true },
  ],
  input: [
    { keys: ['enter'], command: { type: 'line-submit' }, help: 'send the line', bar: 'send' },
    { keys: ['escape'], command: { type: 'line-cancel' }, help: 'leave', bar: 'leave' },
    { keys: ['ctrl+c'], command: { type: 'interrupt' }, help: 'SIGINT to it', bar: 'interrupt' },
    { keys: ['backspace'], command: { type: 'line-erase' }, help: 'erase char' },
    { keys: ['ctrl+u'], command: { type: 'line-clear' }, help: 'erase line' },
  ],
  search: [
    { keys: ['enter'], command: { type: 'line-submit' }, help: 'search', bar: 'search' },
    { keys: ['escape', 'ctrl+c'], command: { type: 'line-cancel' }, help: 'cancel', bar: 'cancel' },
    { keys: ['up'], command: { type: 'search-history', delta: -1 }, help: 'earlier query', bar: 'earlier' },
    { keys: ['down'], command: { type: 'search-history', delta: 1 }, help: 'later query' },
    { keys: ['backspace'], command: { type: 'line-erase' }, help: 'erase char' },
    { keys: ['ctrl+u'], command: { type: 'line-clear' }, help: 'erase line' },
  ],
  filter: [
    { keys: ['up', 'k'], command: { type: 'filter-move', delta: -1 }, help: 'previous process' },
    { keys: ['down', 'j'], command: { type: 'filter-move', delta: 1 }, help: 'next process' },
    { keys: ['space', 'x'], command: { type: 'filter-toggle' }, help: 'show / hide', bar: 'show/hide' },
    { keys: ['enter', 'escape', 'f', 'ctrl+c'], command: { type: 'close-overlay' }, help: 'done', bar: 'done' },
  ],
  help: [
    { keys: ['escape', '?', 'q', 'ctrl+c'], command: { type: 'close-overlay' }, help: 'close', bar: 'close' },
    { keys: ['up', 'k'], command: { type: 'help-scroll', unit: 'line', delta: -1 }, help: 'scroll up' },
    { keys: ['down', 'j'], command: { type: 'help-scroll', unit: 'line', delta: 1 }, help: 'scroll down', bar: 'scroll' },
    { keys: ['pageup'], command: { type: 'help-scroll', unit: 'page', delta: -1 }, help: 'page up' },
    { keys: ['pagedown', 'space'], command: { type: 'help-scroll', unit: 'page', delta: 1 }, help: 'page down' },
  ],
  // Every other key cancels (commandFor).
  'confirm-stop': [
    { keys: ['y', 'Y'], command: { type: 'stop-all' }, help: 'yes: stop all', bar: 'yes' },
    { keys: ['n', 'escape'], command: { type: 'close-overlay' }, help: 'no (any key)', bar: 'no' },
  ],
  copy: [
    { keys: ['up', 'k'], command: { type: 'copy-move', delta: -1 }, help: 'line up' },
    { keys: ['down', 'j'], command: { type: 'copy-move', delta: 1 }, help: 'line down', bar: 'move' },
    { keys: ['V', 'space'], command: { type: 'copy-mark' }, help: 'start / drop a line selection', bar: 'select' },
    {
      keys: ['y', 'enter'],
      command: { type: 'copy-yank' },
      help: 'copy (OSC 52: not through tmux without set-clipboard on, nor to VTE terminals such as GNOME Terminal)',
      bar: 'copy',
    },
    { keys: ['escape', 'q', 'ctrl+c'], command: { type: 'copy-leave' }, help: 'leave', bar: 'leave' },
  ],
  // Every other key goes to the process (App forwards the raw bytes).
  focus: [{ keys: ['ctrl+]'], command: { type: 'close-overlay' }, help: 'back to dashboard', bar: 'back to the dashboard' }],
};

/** What the mouse does (src/state/mouse-actions.ts), for the help overlay: not keys, so not in KEYMAP. */
export const MOUSE_HELP: ReadonlyArray<Pick<Binding, 'keys' | 'help'>> = [
  { keys: ['wheel'], help: 'scrolls the pane under it (over the list: the selection)' },
  { keys: ['click'], help: 'on a process: selects it' },
  { keys: ['Shift+drag'], help: 'selects text natively (the terminal copies it)' },
  { keys: ['--no-mouse'], help: 'the terminal keeps the mouse; some then send the wheel as ↑/↓' },
];

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

/** The status bar's keys in a mode: "Tab merged  r restart …", following the view and a shutdown. */
export function barKeys(mode: Mode, { view, stopping }: { view: ViewMode; stopping: boolean }): string {
  return KEYMAP[mode]
    .filter((b) => b.bar && !(stopping && b.untilStop))
    .map((b) => `${displayKey(b.keys[0]!)} ${(view === 'merged' && b.barMerged) || b.bar}`)
    .join('  ');
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
  // The stop prompt: anything but y is a no.
  if (mode === 'confirm-stop') return { type: 'close-overlay' };
  return undefined;
}
