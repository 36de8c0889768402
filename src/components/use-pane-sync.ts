import { useEffect } from 'react';
import type { Command } from '../state/commands.js';
import { scopeOf } from '../state/pane-model.js';
import type { DashboardStore } from '../state/store.js';
import type { UiState } from '../state/ui-state.js';
import type { Layout } from './layout.js';

export interface PaneSync {
  store: DashboardStore;
  run: (command: Command) => void;
  ui: UiState;
  /** The layout without zoom (every terminal's size) and the one shown (the zoomed pane's size). */
  fullLayout: Layout;
  layout: Layout;
  selectedName: string | undefined;
  /** The selected process's own screen is shown instead of its log. */
  showScreen: boolean;
}

/**
 * Keeps the run in step with what the screen shows: the log window the store pulls, the terminals'
 * sizes, and the emulated screen of a focused or zoomed process.
 */
export function usePaneSync({ store, run, ui, fullLayout, layout, selectedName, showScreen }: PaneSync): void {
  const { view, filter, anchorSeq, zoom } = ui;
  // Only lines this window shows make the store publish a new snapshot.
  useEffect(() => {
    store.showPane({ scope: scopeOf({ view, filter }, selectedName), anchorSeq, height: layout.paneHeight });
  }, [store, view, filter, selectedName, anchorSeq, layout.paneHeight]);

  // Terminals follow the pane they are shown in: the normal pane size for all, the zoomed size for one.
  const columns = Math.max(1, fullLayout.paneWidth - 1);
  useEffect(() => {
    run({ type: 'resize-terminals', columns, rows: fullLayout.paneHeight, except: zoom ? selectedName : undefined });
  }, [run, columns, fullLayout.paneHeight, zoom, selectedName]);

  const screenColumns = screenColumnsOf(layout);
  useEffect(() => {
    if (!showScreen || selectedName === undefined) return;
    run({ type: 'resize-screen', name: selectedName, columns: screenColumns, rows: layout.paneHeight });
    store.attachScreen(selectedName, screenColumns, layout.paneHeight);
  }, [showScreen, selectedName, screenColumns, layout.paneHeight, run, store]);
  useEffect(() => {
    if (!showScreen) store.detachScreen();
  }, [showScreen, store]);
}

/** The emulated screen is one column narrower than the pane (its left padding). */
export const screenColumnsOf = (layout: Layout): number => Math.max(2, layout.paneWidth - 1);
