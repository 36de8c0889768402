import { useEffect, useRef } from 'react';
import type { Command } from '../state/commands.js';
import { scopeOf } from '../state/pane-model.js';
import type { DashboardStore } from '../state/store.js';
import { resizeOnViewChange, type TerminalView } from '../state/terminal-size.js';
import type { UiState } from '../state/ui-state.js';
import { type Layout, paneTextWidth } from './layout.js';

export interface PaneSync {
  store: DashboardStore;
  run: (command: Command) => void;
  ui: UiState;
  /** The layout shown (the zoomed pane's size when zoomed). */
  layout: Layout;
  selectedName: string | undefined;
  /** The selected process's own screen is shown instead of its log. */
  showScreen: boolean;
  /** How the selected process's terminal is shown (undefined: it has none). */
  terminalView: TerminalView | undefined;
  /** Size a terminal the first time this dashboard shows it (the one in the devrun process). */
  sizeOnFirstShow: boolean;
}

/**
 * Keeps the run in step with what the screen shows: the log window the store pulls, the emulated
 * screen of a focused or zoomed process, and the size of the terminal this dashboard focuses, zooms
 * or first shows (terminal-size.ts: not on every layout change).
 */
export function usePaneSync({ store, run, ui, layout, selectedName, showScreen, terminalView, sizeOnFirstShow }: PaneSync): void {
  const { view, filter, anchorSeq } = ui;
  // Only lines this window shows make the store publish a new snapshot.
  useEffect(() => {
    store.showPane({ scope: scopeOf({ view, filter }, selectedName), anchorSeq, height: layout.paneHeight });
  }, [store, view, filter, selectedName, anchorSeq, layout.paneHeight]);

  const previous = useRef<TerminalView | undefined>(undefined);
  const sized = useRef(new Set<string>());
  const { name, screen, inPane, columns, rows } = terminalView ?? {};
  useEffect(() => {
    const next =
      name === undefined ? undefined : { name, screen: screen === true, inPane: inPane === true, columns: columns ?? 1, rows: rows ?? 1 };
    const resize = resizeOnViewChange(previous.current, next, { enabled: sizeOnFirstShow, shown: sized.current });
    previous.current = next;
    if (resize === null) return;
    sized.current.add(resize.name);
    run({ type: 'resize-terminal', ...resize });
  }, [name, screen, inPane, columns, rows, sizeOnFirstShow, run]);

  const screenColumns = screenColumnsOf(layout);
  useEffect(() => {
    if (!showScreen || selectedName === undefined) return;
    store.attachScreen(selectedName, screenColumns, layout.paneHeight);
  }, [showScreen, selectedName, screenColumns, layout.paneHeight, store]);
  useEffect(() => {
    if (!showScreen) store.detachScreen();
  }, [showScreen, store]);
}

/** The emulated screen is as wide as the pane's text. */
export const screenColumnsOf = (layout: Layout): number => Math.max(2, paneTextWidth(layout));
