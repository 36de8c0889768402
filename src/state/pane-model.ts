import type { LogLine, LogScope } from '../control/process-control.js';
import { processColour } from '../palette.js';
import { cutRow, highlightMatches, wrapRows } from './clip.js';
import type { ProcessRow } from './process-rows.js';
import type { DashboardSnapshot } from './store.js';
import { type CopyState, copyRange, type UiState } from './ui-state.js';

/** The ring the log pane shows: the selected process's, or the merged one through the filter. */
export function scopeOf(ui: Pick<UiState, 'view' | 'filter'>, selectedName: string | undefined): LogScope {
  if (ui.view === 'process') return { kind: 'process', name: selectedName ?? '' };
  return { kind: 'merged', only: ui.filter === null ? null : [...ui.filter] };
}

/** One row of the log pane: a line's first row, or a row it wrapped onto. */
export interface PaneRow {
  /** The line's seq and the row's number in it: stable while the pane scrolls. */
  key: string;
  /** The seq of the line the row comes from. */
  seq: number;
  /** `hh:mm:ss ` when timestamps are on; spaces on a continuation row. */
  stamp: string;
  /** The process name in the merged view (padded), spaces on a continuation row; '' in one process's view. */
  name: string;
  /** The colour of the process (its name). */
  colour: string;
  /** `› ` in front of a typed line; spaces on its continuation rows. */
  marker: string;
  /** The row's text with its colours; already fits the row (Ink never wraps or cuts it again). */
  text: string;
  tone: 'output' | 'system' | 'input';
  /** Copy mode: the cursor's line, or a line of the selection (drawn inverse). */
  copy?: 'cursor' | 'selected';
}

/** What the log pane shows, derived from the snapshot and the UI state: the component only draws it. */
export interface LogPaneModel {
  title: string;
  /** The process's PORT and the first URL it printed (after the search in the title); '' in the merged view. */
  address: string;
  /** "following", or "paused · 120 newer · End follows". */
  position: string;
  following: boolean;
  /** Exactly the rows that fit, the newest at the bottom. */
  rows: PaneRow[];
  /** Lines the rows come from (a wrapped line counts once): what a page scrolls by. */
  linesShown: number;
  emptyText: string;
}

/** The pane's room: columns of text and rows of lines. */
interface PaneSize {
  width: number;
  height: number;
}

/** The widest process name (at least 4): the list's name column and the merged view's prefix. */
export const longestName = (rows: readonly ProcessRow[]): number => Math.max(4, ...rows.map((r) => r.name.length));

export function logPaneModel(
  snapshot: DashboardSnapshot,
  ui: Pick<UiState, 'view' | 'filter' | 'selected' | 'wrap' | 'timestamps' | 'query' | 'fromTop'> & Partial<Pick<UiState, 'copy'>>,
  size: PaneSize,
): LogPaneModel {
  const { rows, window } = snapshot;
  const selected = rows[ui.selected];
  const merged = ui.view === 'merged';
  const colourOf = new Map(rows.map((r) => [r.name, processColour(r.index).name]));
  const following = window?.following ?? true;
  const layout: RowLayout = {
    ...size,
    wrap: ui.wrap,
    timestamps: ui.timestamps,
    nameWidth: merged ? longestName(rows) : 0,
    query: ui.query,
    fromTop: ui.fromTop && !following,
  };
  const shown = paneRows(window?.lines ?? [], layout, (proc) => colourOf.get(proc) ?? 'gray');
  if (ui.copy) shown.rows = markCopy(shown.rows, ui.copy);
  return {
    title: merged
      ? `all processes${ui.filter ? ` (${ui.filter.size} of ${rows.length})` : ''}`
      : `${selected?.name ?? ''} · ${selected?.statusText ?? ''}`,
    address: merged ? '' : (selected?.address ?? ''),
    position: following ? 'following' : `paused · ${window?.below ?? 0} newer · End follows`,
    following,
    ...shown,
    emptyText: merged ? 'no output yet' : `no output from ${selected?.name ?? 'this process'} yet`,
  };
}

/** The seqs of the lines the rows come from, oldest first (copy mode's cursor moves over them). */
export const rowSeqs = (rows: readonly PaneRow[]): number[] => [...new Set(rows.map((row) => row.seq))];

/** Copy mode's cursor line and selected lines, marked on their rows. */
function markCopy(rows: PaneRow[], copy: CopyState): PaneRow[] {
  const [from, to] = copyRange(copy);
  return rows.map((row) => {
    const { seq } = row;
    if (seq === copy.cursor) return { ...row, copy: 'cursor' };
    return seq >= from && seq <= to ? { ...row, copy: 'selected' } : row;
  });
}

interface RowLayout extends PaneSize {
  wrap: boolean;
  timestamps: boolean;
  /** Width of the name column (merged view); 0 for none. */
  nameWidth: number;
  query: string;
  /** Fill from the window's oldest line down (Home) instead of from its newest line up. */
  fromTop: boolean;
}

/**
 * The rows of the window's lines that fill `height`: taken from the newest line up, so the pane ends
 * exactly on the newest row and the oldest line shown may lose its first rows; after Home, from the
 * oldest line down, so it starts exactly on the oldest row.
 */
function paneRows(
  lines: readonly LogLine[],
  layout: RowLayout,
  colourOf: (proc: string) => string,
): Pick<LogPaneModel, 'rows' | 'linesShown'> {
  const picked: PaneRow[][] = [];
  let count = 0;
  const order = layout.fromTop ? lines : [...lines].reverse();
  for (const line of order) {
    if (count >= layout.height) break;
    const rows = lineRows(line, layout, colourOf(line.proc));
    picked.push(rows);
    count += rows.length;
  }
  if (layout.fromTop) return { rows: picked.flat().slice(0, layout.height), linesShown: picked.length };
  const rows = picked.reverse().flat();
  return { rows: rows.slice(Math.max(0, rows.length - layout.height)), linesShown: picked.length };
}

const clock = (ts: number) => new Date(ts).toTimeString().slice(0, 8);
const TONE: Record<LogLine['stream'], PaneRow['tone']> = { stdout: 'output', stderr: 'output', system: 'system', input: 'input' };
const INPUT_MARKER = '› ';

function lineRows(line: LogLine, layout: RowLayout, colour: string): PaneRow[] {
  const stamp = layout.timestamps ? `${clock(line.ts)} ` : '';
  const name = layout.nameWidth > 0 ? `${line.proc.padEnd(layout.nameWidth)} ` : '';
  const marker = line.stream === 'input' ? INPUT_MARKER : '';
  const room = Math.max(1, layout.width - stamp.length - name.length - marker.length);
  const texts = rowTexts(line, room, layout);
  const blank = (text: string) => ' '.repeat(text.length);
  return texts.map((text, i) => ({
    key: `${line.seq}.${i}`,
    seq: line.seq,
    stamp: i === 0 ? stamp : blank(stamp),
    name: i === 0 ? name : blank(name),
    colour,
    marker: i === 0 ? marker : blank(marker),
    text,
    tone: TONE[line.stream],
  }));
}

/**
 * The row texts of a line, cached by seq and everything they depend on: a frame while following
 * wraps only the lines that just came in. The cache is dropped whole when it grows past its bound.
 * An entry holds its line's text too: a seq names one line only within one log store (another
 * dashboard's, a test's), so a hit with another text is a miss.
 */
const rowCache = new Map<string, { text: string; rows: string[] }>();
const ROW_CACHE_LINES = 4096;

function rowTexts(line: LogLine, room: number, layout: RowLayout): string[] {
  const key = `${line.seq}:${room}:${layout.wrap ? 'w' : 'c'}:${layout.query}`;
  const cached = rowCache.get(key);
  if (cached !== undefined && cached.text === line.text) return cached.rows;
  const text = highlightMatches(line.text, layout.query);
  const rows = layout.wrap ? wrapRows(text, room) : [cutRow(text, room)];
  if (rowCache.size >= ROW_CACHE_LINES) rowCache.clear();
  rowCache.set(key, { text: line.text, rows });
  return rows;
}

/**
 * A process's own screen replaces its log when it runs on a terminal and either has the keyboard
 * (focus) or its pane (not the merged log) is zoomed.
 */
export function showsScreen(
  ui: Pick<UiState, 'mode' | 'zoom' | 'view' | 'anchorSeq'>,
  row: ProcessRow | undefined,
  hasTerminal: (name: string) => boolean,
): boolean {
  if (row === undefined || row.pid === undefined || !hasTerminal(row.name)) return false;
  // Zoom shows the live screen while it follows; scrolled up, the log store's lines (its scrollback).
  return ui.mode === 'focus' || (ui.zoom && ui.view === 'process' && ui.mode !== 'filter' && ui.anchorSeq === null);
}
