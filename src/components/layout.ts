import { type ListMode, listWidthOf } from './list-columns.js';

/** How the screen is divided at a given terminal size. Pure, so every size can be tested. */
export interface Layout {
  columns: number;
  /** Rows Ink renders: one less than the terminal, so Ink never clears the whole screen per frame. */
  height: number;
  /** Process list width including its right border; 0 when the terminal is too narrow for a list. */
  listWidth: number;
  /** full: every column · compact: name and status · names: names only (list-columns.tsx). */
  listMode: ListMode;
  paneWidth: number;
  /** Rows between the header and the status bar. */
  bodyHeight: number;
  /** Rows of log text in the pane (the body less the pane's title line). */
  paneHeight: number;
}

/**
 * Columns of text in the pane: its width less the left padding and the terminal's last column. Ink
 * erases to the end of each row it draws, and a row that fills the last column loses that column to
 * the erase (the cursor waits there for the next character): a process's terminal must be this wide.
 */
export const paneTextWidth = (layout: Pick<Layout, 'paneWidth'>): number => Math.max(1, layout.paneWidth - 2);

/** Narrowest terminals for the full and the compact list; below NO_LIST, no list. */
const FULL_FROM = 110;
const COMPACT_FROM = 72;
const NO_LIST_BELOW = 40;

export function computeLayout(columns: number, rows: number, longestName: number): Layout {
  const width = Math.max(20, columns);
  const height = Math.max(4, rows - 1);
  const bodyHeight = Math.max(1, height - 2);
  const listMode: ListMode = width >= FULL_FROM ? 'full' : width >= COMPACT_FROM ? 'compact' : 'names';
  // The widths come from the list's column table: one source for the list and the layout.
  const listWidth = width < NO_LIST_BELOW ? 0 : listWidthOf(listMode, longestName);
  return {
    columns: width,
    height,
    listWidth,
    listMode,
    paneWidth: width - listWidth,
    bodyHeight,
    paneHeight: Math.max(1, bodyHeight - 1),
  };
}
