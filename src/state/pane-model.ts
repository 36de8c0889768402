import type { LogLine, LogScope } from '../control/process-control.js';
import { processColour } from '../palette.js';
import type { ProcessRow } from './process-rows.js';
import type { DashboardSnapshot } from './store.js';
import type { UiState } from './ui-state.js';

/** The ring the log pane shows: the selected process's, or the merged one through the filter. */
export function scopeOf(ui: Pick<UiState, 'view' | 'filter'>, selectedName: string | undefined): LogScope {
  if (ui.view === 'process') return { kind: 'process', name: selectedName ?? '' };
  return { kind: 'merged', only: ui.filter === null ? null : [...ui.filter] };
}

/** One line of the log pane and the colour of its process (the name prefix in the merged view). */
export interface PaneLine {
  line: LogLine;
  colour: string;
}

/** What the log pane shows, derived from the snapshot and the UI state: the component only draws it. */
export interface LogPaneModel {
  title: string;
  /** The process's PORT and the first URL it printed (after the search in the title); '' in the merged view. */
  address: string;
  /** "following", or "paused · 120 newer · End follows". */
  position: string;
  following: boolean;
  lines: PaneLine[];
  /** Name column width in the merged view; 0 in a single process's view. */
  prefixWidth: number;
  emptyText: string;
}

/** The widest process name (at least 4): the list's name column and the merged view's prefix. */
export const longestName = (rows: readonly ProcessRow[]): number => Math.max(4, ...rows.map((r) => r.name.length));

export function logPaneModel(snapshot: DashboardSnapshot, ui: Pick<UiState, 'view' | 'filter' | 'selected'>): LogPaneModel {
  const { rows, window } = snapshot;
  const selected = rows[ui.selected];
  const merged = ui.view === 'merged';
  const colourOf = new Map(rows.map((r) => [r.name, processColour(r.index).name]));
  const following = window?.following ?? true;
  return {
    title: merged
      ? `all processes${ui.filter ? ` (${ui.filter.size} of ${rows.length})` : ''}`
      : `${selected?.name ?? ''} · ${selected?.statusText ?? ''}`,
    address: merged ? '' : (selected?.address ?? ''),
    position: following ? 'following' : `paused · ${window?.below ?? 0} newer · End follows`,
    following,
    lines: (window?.lines ?? []).map((line) => ({ line, colour: colourOf.get(line.proc) ?? 'gray' })),
    prefixWidth: merged ? longestName(rows) : 0,
    emptyText: merged ? 'no output yet' : `no output from ${selected?.name ?? 'this process'} yet`,
  };
}

/**
 * A process's own screen replaces its log when it runs on a terminal and either has the keyboard
 * (focus) or its pane (not the merged log) is zoomed.
 */
export function showsScreen(
  ui: Pick<UiState, 'mode' | 'zoom' | 'view'>,
  row: ProcessRow | undefined,
  hasTerminal: (name: string) => boolean,
): boolean {
  if (row === undefined || row.pid === undefined || !hasTerminal(row.name)) return false;
  return ui.mode === 'focus' || (ui.zoom && ui.view === 'process' && ui.mode !== 'filter');
}
