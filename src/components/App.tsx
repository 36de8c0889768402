import { Box, Text } from 'ink';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ProcessControl } from '../control/process-control.js';
import type { CommitGate } from '../state/frame-gate.js';
import { logPaneModel, longestName, rowSeqs, scopeOf, showsScreen } from '../state/pane-model.js';
import type { DashboardSnapshot, DashboardStore } from '../state/store.js';
import { type TerminalView, terminalViewOf } from '../state/terminal-size.js';
import type { UiState } from '../state/ui-state.js';
import { HelpOverlay } from './HelpOverlay.js';
import { computeLayout, paneTextWidth } from './layout.js';
import { Footer, Pane } from './Pane.js';
import { ProcessList } from './ProcessList.js';
import { ACCENT } from './theme.js';
import { useCommands } from './use-commands.js';
import { useCrashAlert } from './use-crash-alert.js';
import { useFocusLeave } from './use-focus-leave.js';
import { useKeys } from './use-keys.js';
import { type MouseSource, useMouse } from './use-mouse.js';
import { usePaneSync } from './use-pane-sync.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  control: ProcessControl;
  store: DashboardStore;
  /** An attached dashboard (`devrun attach`): it never sizes a terminal merely by showing it. */
  attached?: boolean;
  /** --bell: ring the terminal's bell once per crash of a process the user does not look at. */
  bell?: boolean;
  /** Mouse reports taken out of the input (none with --no-mouse). */
  mouse?: MouseSource;
  /** Puts copied text on the terminal's clipboard (OSC 52 on its output). */
  clipboard?: (text: string) => void;
  /** Frame flow control for the UI state (the store has its own); none when absent. */
  gate?: CommitGate;
}

/** The dashboard: the store's snapshot and the UI state in, keys out as commands to the control. */
export function App({ control, store, attached = false, bell = false, mouse, clipboard, gate }: AppProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize();
  const fullLayout = computeLayout(columns, rows, longestName(snapshot.rows));
  const terminalView = useRef<TerminalView | undefined>(undefined);
  const pageLines = useRef(fullLayout.paneHeight);
  const shownSeqs = useRef<readonly number[]>([]);
  // The pane a UI state shows, as usePaneSync asks for it (zoom changes the width, not the height).
  const showPaneOf = useRef<(next: UiState) => Promise<void>>(undefined);
  showPaneOf.current = (next) =>
    store.showPane({
      scope: scopeOf(next, snapshot.rows[next.selected]?.name),
      anchorSeq: next.anchorSeq,
      height: fullLayout.paneHeight,
    });
  const commands = useCommands(
    control,
    { paneHeight: fullLayout.paneHeight, pageLines, shownSeqs },
    fullLayout.columns,
    terminalView,
    clipboard,
    gate,
    showPaneOf,
  );
  const { ui } = commands;
  // Zoom: the pane takes the list's room too.
  const layout = ui.zoom ? { ...fullLayout, listWidth: 0, paneWidth: fullLayout.columns } : fullLayout;
  const textWidth = paneTextWidth(layout);
  const selected = snapshot.rows[ui.selected];
  // A reload removed processes below the selection: it moves to the last one left.
  const { dispatch } = commands;
  const count = snapshot.rows.length;
  useEffect(() => {
    if (count > 0 && ui.selected >= count) dispatch({ type: 'select', delta: 0, count });
  }, [count, ui.selected, dispatch]);
  const showScreen = showsScreen(ui, selected, (name) => control.hasTerminal(name));
  const paneModel = logPaneModel(snapshot, ui, { width: textWidth, height: layout.paneHeight });
  pageLines.current = paneModel.linesShown;
  shownSeqs.current = rowSeqs(paneModel.rows);
  const inPane = showScreen || ui.view === 'process';
  terminalView.current = terminalViewOf(
    selected?.name,
    selected !== undefined && selected.pid !== undefined && control.hasTerminal(selected.name),
    { screen: showScreen, inPane },
    { width: textWidth, height: layout.paneHeight },
  );
  usePaneSync({
    store,
    run: commands.run,
    ui,
    layout,
    selectedName: selected?.name,
    showScreen,
    terminalView: terminalView.current,
    sizeOnFirstShow: !attached,
  });
  useKeys(commands);
  useMouse(mouse, commands, {
    layout: { ...layout, listHeader: layout.listMode === 'full', paneTextWidth: textWidth },
    count,
    child: (index) => store.screenMouse(snapshot.rows[index]?.name),
  });
  useFocusLeave(ui, selected, commands.dispatch);
  useCrashAlert(snapshot.rows, selected?.name, bell);

  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      <Header snapshot={snapshot} />
      <Box flexDirection="row" height={layout.bodyHeight}>
        {ui.mode === 'help' ? (
          // Help takes the whole body: the full keymap needs the room.
          <HelpOverlay width={layout.columns} height={layout.paneHeight} offset={ui.helpOffset} />
        ) : (
          <>
            <ProcessList rows={snapshot.rows} selected={ui.selected} layout={layout} />
            <Pane snapshot={snapshot} ui={ui} layout={layout} showScreen={showScreen} model={paneModel} />
          </>
        )}
      </Box>
      <Footer snapshot={snapshot} ui={ui} columns={layout.columns} attached={attached} />
    </Box>
  );
}

/** The top line: devrun and the totals, red when a process is in trouble. */
function Header({ snapshot }: { snapshot: DashboardSnapshot }) {
  const anyBad = snapshot.rows.some((r) => r.tone === 'bad');
  return (
    <Text wrap="truncate-end">
      <Text bold color={ACCENT}>
        devrun
      </Text>
      <Text color={anyBad ? 'red' : undefined} bold={anyBad}>
        {' '}
        {snapshot.totals}
      </Text>
    </Text>
  );
}
