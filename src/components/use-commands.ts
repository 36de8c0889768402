import { useCallback, useRef, useState } from 'react';
import type { ProcessControl } from '../control/process-control.js';
import { type Command, runCommand } from '../state/commands.js';
import { type CommitGate, openGate } from '../state/frame-gate.js';
import type { TerminalView } from '../state/terminal-size.js';
import { type UiAction, uiReducer } from '../state/ui-reducer.js';
import { initialUiState, type UiState } from '../state/ui-state.js';

export interface Commands {
  ui: UiState;
  /** Runs after everything enqueued before it: each step sees the UI state the previous one left. */
  enqueue(step: (ui: () => UiState) => Promise<void> | void): void;
  /** Enqueues a command (runCommand with the UI state of its turn). */
  run(command: Command): void;
  /** Runs a command at once: only from a step already in its queue turn. */
  runNow(command: Command): Promise<void>;
  dispatch(action: UiAction): void;
}

/**
 * The UI state and the one queue every key and command goes through. Keys typed faster than a frame
 * ("jji"), and commands whose answer comes from the control (scroll, search), each run against the
 * state the previous one left, which React's state only reaches at the next render.
 */
export function useCommands(
  control: ProcessControl,
  /** The pane's rows, and the lines they show now (wrapped lines take more than one row). */
  pane: { paneHeight: number; pageLines: { readonly current: number }; shownSeqs?: { readonly current: readonly number[] } },
  /** The terminal's width (the help overlay scrolls by its layout). */
  columns: number,
  /** How the selected terminal is shown at the moment a command runs (typing sizes it so). */
  terminalView: { readonly current: TerminalView | undefined },
  /** Copy mode's `y`: text to the clipboard. */
  clipboard?: (text: string) => void,
  /** Where a new UI state waits for the terminal to catch up with the last frame. */
  gate: CommitGate = openGate,
  /**
   * Shows the pane a new UI state asks for and resolves when its window is in the store: the state
   * is committed then, so a key's change and the lines it brings are drawn in one frame.
   */
  showPaneOf?: { readonly current: ((ui: UiState) => Promise<void>) | undefined },
): Commands {
  // The reducer's newest state, which every key and command reads at once; `ui`, what React draws, is
  // the newest one the gate let through.
  const [ui, commitUi] = useState(initialUiState);
  const latest = useRef(ui);
  const height = useRef(pane.paneHeight);
  height.current = pane.paneHeight;
  const { pageLines, shownSeqs } = pane;
  const width = useRef(columns);
  width.current = columns;
  const queue = useRef<Promise<void>>(Promise.resolve());

  const dispatch = useCallback(
    (action: UiAction) => {
      latest.current = uiReducer(latest.current, action);
      const commit = () => gate.commit('ui', () => commitUi(latest.current));
      const shown = showPaneOf?.current?.(latest.current);
      if (shown) void shown.then(commit);
      else commit();
    },
    [gate, showPaneOf],
  );
  const enqueue = useCallback(
    (step: (ui: () => UiState) => Promise<void> | void) => {
      queue.current = queue.current
        .then(() => step(() => latest.current))
        .catch((error: unknown) => dispatch({ type: 'notice', text: error instanceof Error ? error.message : String(error) }));
    },
    [dispatch],
  );
  const runNow = useCallback(
    (command: Command) =>
      runCommand(command, {
        ui: latest.current,
        dispatch,
        control,
        paneHeight: height.current,
        pageLines: pageLines.current,
        columns: width.current,
        terminalView: terminalView.current,
        shownSeqs: shownSeqs?.current,
        clipboard,
      }),
    [control, dispatch, terminalView, pageLines, shownSeqs, clipboard],
  );
  const run = useCallback((command: Command) => enqueue(() => runNow(command)), [enqueue, runNow]);
  return { ui, enqueue, run, runNow, dispatch };
}
