import { Text } from 'ink';
import type { ReactNode } from 'react';
import { processColour } from '../palette.js';
import type { ProcessRow } from '../state/process-rows.js';
import { TONE_COLOUR } from './theme.js';

/** full: every column · compact: name and status · names: names only. */
export type ListMode = 'full' | 'compact' | 'names';

/** One column of the process list: the header, each row's cell, and the list's width all come from here. */
export interface ListColumn {
  title: string;
  /** Cells of this width (text cut or padded to it), by list mode; a mode without a width hides the column. */
  width: Partial<Record<ListMode, number>>;
  align: 'left' | 'right';
  text: (row: ProcessRow) => string;
  /** Draws the cell's text (already cut and padded). */
  cell: (text: string, row: ProcessRow, selected: boolean) => ReactNode;
}

/** The state glyph and the selection mark before the first column. */
const LEAD_WIDTH = 2;
/** The list's right border. */
const BORDER = 1;
/** Longest name the names-only list makes room for. */
const MAX_NAME = 20;

const numbers = (text: string, _row: ProcessRow, selected: boolean) => <Text dimColor={!selected}>{text}</Text>;

export const LIST_COLUMNS: readonly ListColumn[] = [
  {
    title: 'NAME',
    // names: sized by the longest name (namesWidth), one column to spare.
    width: { full: 15, compact: 12 },
    align: 'left',
    text: (row) => row.name,
    cell: (text, row, selected) => (
      <Text color={row.tone === 'bad' ? 'red' : processColour(row.index).name} inverse={selected}>
        {text}
      </Text>
    ),
  },
  {
    title: 'STATUS',
    width: { full: 18, compact: 18 },
    align: 'left',
    text: (row) => row.statusText,
    cell: (text, row, selected) => (
      <Text color={TONE_COLOUR[row.tone]} bold={row.tone === 'bad' || selected}>
        {text}
      </Text>
    ),
  },
  { title: '↻', width: { full: 3 }, align: 'right', text: (row) => String(row.restarts), cell: numbers },
  { title: 'CPU', width: { full: 4 }, align: 'right', text: (row) => row.cpu, cell: numbers },
  { title: 'MEM', width: { full: 7 }, align: 'right', text: (row) => row.memory, cell: numbers },
  { title: 'UP', width: { full: 3 }, align: 'right', text: (row) => row.uptime, cell: numbers },
];

/** The columns a mode shows and their widths (the name column's in names mode follows the longest name). */
export function columnsOf(mode: ListMode, longestName: number): Array<{ column: ListColumn; width: number }> {
  return LIST_COLUMNS.flatMap((column, i) => {
    const width = i === 0 && mode === 'names' ? Math.min(MAX_NAME, longestName) + 1 : column.width[mode];
    return width === undefined ? [] : [{ column, width }];
  });
}

/** The list's width in a mode: the lead, the columns with a space between, the border. */
export function listWidthOf(mode: ListMode, longestName: number): number {
  const columns = columnsOf(mode, longestName);
  return LEAD_WIDTH + columns.reduce((sum, c) => sum + c.width, 0) + (columns.length - 1) + BORDER;
}

/** Text cut or padded to a cell's width. */
export function fit(text: string, width: number, align: 'left' | 'right'): string {
  const cut = [...text].slice(0, width).join('');
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}
