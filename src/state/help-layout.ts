import { type Binding, displayKey, KEYMAP, MOUSE_HELP } from './keymap.js';
import type { Mode } from './ui-state.js';

/** The help overlay's sections, in order: each mode's bindings under a heading. */
const HELP_SECTIONS: ReadonlyArray<readonly [Mode, string]> = [
  ['normal', 'Dashboard'],
  ['input', 'Input line (i)'],
  ['search', 'Search line (/)'],
  ['filter', 'Merged-log filter (f)'],
  ['copy', 'Copy mode (v)'],
  ['help', 'This help (?)'],
  ['focus', 'Focus (Ctrl-])'],
  ['confirm-stop', 'Stop everything (Q)'],
];

/** Every section's title and entries, in order: the modes' bindings, then the mouse. */
export const helpSections = (): ReadonlyArray<readonly [string, ReadonlyArray<Pick<Binding, 'keys' | 'help'>>]> => [
  ...HELP_SECTIONS.map(([mode, title]) => [title, KEYMAP[mode]] as const),
  ['Mouse', MOUSE_HELP],
];

/** One row of the overlay: a heading, or a binding's keys and words (continuation rows have neither key nor heading). */
export type HelpLine =
  | { kind: 'heading'; text: string }
  /** `first`: the binding's first row; the others continue its wrapped keys and words. */
  | { kind: 'binding'; key: string; text: string; first: boolean }
  | { kind: 'blank' };

export interface HelpLayout {
  /** Columns of rows, each at most `rows` tall; a heading never ends a column (it goes with its first keys). */
  columns: HelpLine[][];
  columnWidth: number;
  /** Width of the key cell, its gap included. */
  keyWidth: number;
  /** The tallest column: more than the view's height means the overlay scrolls. */
  rows: number;
  /** The view's height (rows under the title) and the furthest it can scroll. */
  viewRows: number;
  maxOffset: number;
}

/** Narrowest column worth a second one; the widest key cell (longer key lists wrap in it). */
const MIN_COLUMN = 38;
const MAX_COLUMNS = 3;
const MAX_KEY = 14;

/**
 * The help overlay at a size: as many columns as fit (at least MIN_COLUMN wide), descriptions and long
 * key lists wrapped (never cut), a section's heading kept with its first binding, columns balanced, and
 * scrolling when even that is taller than the view. `height`: the rows under the overlay's title.
 */
export function helpLayout(width: number, height: number): HelpLayout {
  const inner = Math.max(10, width - 1);
  const count = Math.max(1, Math.min(MAX_COLUMNS, Math.floor(inner / MIN_COLUMN)));
  const columnWidth = Math.floor(inner / count);
  const keyWidth = Math.min(MAX_KEY, longestKey() + 2);
  const textWidth = Math.max(4, columnWidth - keyWidth - 1);
  const blocks = helpBlocks(keyWidth - 2, textWidth);
  const viewRows = Math.max(1, height);
  const total = blocks.reduce((n, b) => n + b.lines.length + (b.heading ? 1 : 0), 0);
  // The shortest height at which the blocks fit in `count` columns; at least what the view shows.
  let rows = Math.max(1, Math.ceil(total / count));
  let columns = pack(blocks, rows);
  while (columns.length > count) columns = pack(blocks, ++rows);
  if (rows < viewRows) columns = pack(blocks, viewRows);
  const tallest = Math.max(...columns.map((c) => c.length));
  return { columns, columnWidth, keyWidth, rows: tallest, viewRows, maxOffset: Math.max(0, tallest - viewRows) };
}

/** A binding's rows (wrapped), marked when it is the first of its section (its heading goes with it). */
interface Block {
  heading: boolean;
  lines: HelpLine[];
}

function helpBlocks(keyWidth: number, textWidth: number): Block[] {
  const blocks: Block[] = [];
  for (const [title, entries] of helpSections()) {
    entries.forEach((binding, i) => {
      const keys = wrapWords(binding.keys.map(displayKey), keyWidth);
      const words = wrapWords(binding.help.split(' '), textWidth);
      const lines: HelpLine[] = [];
      if (i === 0) lines.push({ kind: 'heading', text: title });
      for (let row = 0; row < Math.max(keys.length, words.length); row++)
        lines.push({ kind: 'binding', key: keys[row] ?? '', text: words[row] ?? '', first: row === 0 });
      blocks.push({ heading: i === 0, lines });
    });
  }
  return blocks;
}

/** Fills columns of `rows` rows in order; a section starts after a blank row unless at a column's top. */
function pack(blocks: Block[], rows: number): HelpLine[][] {
  const columns: HelpLine[][] = [[]];
  for (const block of blocks) {
    let column = columns.at(-1)!;
    const spaced = block.heading && column.length > 0 ? 1 : 0;
    if (column.length > 0 && column.length + spaced + block.lines.length > rows) {
      column = [];
      columns.push(column);
    }
    if (block.heading && column.length > 0) column.push({ kind: 'blank' });
    column.push(...block.lines);
  }
  return columns;
}

/** Words into lines of at most `width` (a longer word is cut into pieces of `width`). */
export function wrapWords(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words.flatMap((w) => chunks(w, width))) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

function chunks(word: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i += width) out.push(word.slice(i, i + width));
  return out.length > 0 ? out : [''];
}

function longestKey(): number {
  return Math.max(...helpSections().flatMap(([, entries]) => entries.map((b) => b.keys.map(displayKey).join(' ').length)));
}
