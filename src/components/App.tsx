import { Box, Text, useInput } from 'ink';
import { type ReactNode, useEffect, useReducer, useRef, useSyncExternalStore } from 'react';
import { logView, visibleWindow } from '../control/log-view.js';
import type { Supervisor } from '../engine/supervisor.js';
import { processColour } from '../palette.js';
import { runCommand } from '../state/commands.js';
import { commandFor, type KeyInfo, NO_KEY } from '../state/keymap.js';
import { scopeOf } from '../state/pane-model.js';
import type { DashboardStore } from '../state/store.js';
import { type UiAction, uiReducer } from '../state/ui-reducer.js';
import { initialUiState } from '../state/ui-state.js';
import { FilterOverlay } from './FilterOverlay.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LogPane, type PaneLine } from './LogPane.js';
import { computeLayout } from './layout.js';
import { ProcessList } from './ProcessList.js';
import { ScreenPane } from './ScreenPane.js';
import { LineEditor, StatusBar } from './StatusBar.js';
import { ACCENT } from './theme.js';
import { useFocusForwarding } from './use-focus-forwarding.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  supervisor: Supervisor;
  store: DashboardStore;
  quit: () => void;
}

export function App({ supervisor, store, quit }: AppProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [ui, dispatchToReact] = useReducer(uiReducer, initialUiState);
  // Keys typed faster than a frame arrive as one input ("jji"): each runs against the state the
  // previous one left, which React's state only reaches at the next render.
  const latest = useRef(ui);
  latest.current = ui;
  const dispatch = (action: UiAction) => {
    latest.current = uiReducer(latest.current, action);
    dispatchToReact(action);
  };
  const { columns, rows } = useTerminalSize();
  const longestName = Math.max(4, ...snapshot.rows.map((r) => r.name.length));
  const fullLayout = computeLayout(columns, rows, longestName);
  // Zoom: the pane takes the list's room too.
  const layout = ui.zoom ? { ...fullLayout, listWidth: 0, paneWidth: fullLayout.columns } : fullLayout;
  const selectedRow = snapshot.rows[ui.selected];
  const selectedName = selectedRow?.name;
  const focused = ui.mode === 'focus';
  const onTerminal = selectedName !== undefined && selectedRow?.pid !== undefined && supervisor.hasTerminal(selectedName);
  // A process's own screen: when it has the keyboard, or when its pane (not the merged log) is zoomed.
  const showScreen = (focused || (ui.zoom && ui.view === 'process' && ui.mode !== 'filter')) && onTerminal;
  const screenColumns = Math.max(2, layout.paneWidth - 1);

  // Terminals follow the pane they are shown in: the normal pane size for all, the zoomed size for one.
  useEffect(() => {
    supervisor.resize(Math.max(1, fullLayout.paneWidth - 1), fullLayout.paneHeight, ui.zoom ? selectedName : undefined);
  }, [supervisor, fullLayout.paneWidth, fullLayout.paneHeight, ui.zoom, selectedName]);

  useEffect(() => {
    if (!showScreen || selectedName === undefined) return;
    supervisor.resizeOne(selectedName, screenColumns, layout.paneHeight);
    store.attachScreen(selectedName, screenColumns, layout.paneHeight);
  }, [showScreen, selectedName, screenColumns, layout.paneHeight, supervisor, store]);
  useEffect(() => {
    if (!showScreen) store.detachScreen();
  }, [showScreen, store]);

  // Focus: the raw bytes of every key go to the process, but Ctrl-].
  useFocusForwarding(focused ? selectedName : undefined, {
    // A child on pipes reads lines: Enter must be a newline there, not the terminal's \r.
    write: (name, data) => supervisor.write(name, supervisor.hasTerminal(name) ? data : data.replace(/\r/g, '\n')),
    leave: () => dispatch({ type: 'mode', mode: 'normal' }),
    // Keys read after focus ended (same read, or before the re-render) are dashboard keys.
    dashboardKey: (char) => press(char, NO_KEY),
  });

  const press = (input: string, key: KeyInfo) => {
    if (latest.current.notice) dispatch({ type: 'notice', text: null });
    const command = commandFor(latest.current.mode, input, key);
    if (command) runCommand(command, { ui: latest.current, dispatch, supervisor, store, paneHeight: layout.paneHeight, quit });
  };
  useInput(
    (input, key) => {
      if (input.length <= 1 || key.ctrl || key.meta || key.escape) return press(input, key);
      const lineMode = latest.current.mode === 'input' || latest.current.mode === 'search';
      if (!lineMode) {
        for (const char of input) press(char, NO_KEY);
        return;
      }
      // Text and Enter typed (or pasted) together: each line break submits, as in a terminal.
      input.split(/\r\n|\r|\n/).forEach((part, i) => {
        if (i > 0) press('', { ...NO_KEY, return: true });
        if (part) press(part, NO_KEY);
      });
    },
    { isActive: !focused },
  );

  // Only lines the pane can show make the store publish a new snapshot.
  const { view: viewMode, filter } = ui;
  useEffect(() => {
    if (viewMode === 'process') store.showLogsOf((proc) => proc === selectedName);
    else store.showLogsOf(filter ? (proc) => filter.has(proc) : null);
  }, [store, viewMode, filter, selectedName]);

  const view = logView(supervisor.logs, scopeOf(ui, selectedRow?.name));
  const window = visibleWindow(view, ui.anchorSeq, layout.paneHeight);
  const merged = ui.view === 'merged';
  const colourOf = new Map(snapshot.rows.map((r) => [r.name, processColour(r.index).name]));
  const lines: PaneLine[] = window.lines.map((line) => ({ line, colour: colourOf.get(line.proc) ?? 'gray' }));
  const title = merged
    ? `all processes${ui.filter ? ` (${ui.filter.size} of ${snapshot.rows.length})` : ''}`
    : `${selectedRow?.name ?? ''} · ${selectedRow?.statusText ?? ''}`;
  const position = window.following ? 'following' : `paused · ${window.below} newer · End follows`;
  const anyBad = snapshot.rows.some((r) => r.tone === 'bad');

  let pane: ReactNode;
  if (showScreen && snapshot.screen)
    pane = (
      <ScreenPane
        title={`${selectedName} · ${focused ? 'focus: every key goes to it · Ctrl-] returns' : 'zoom · z returns'}`}
        lines={snapshot.screen.lines}
        width={layout.paneWidth}
        height={layout.paneHeight}
      />
    );
  else if (ui.mode === 'filter')
    pane = (
      <FilterOverlay rows={snapshot.rows} filter={ui.filter} cursor={ui.filterCursor} width={layout.paneWidth} height={layout.paneHeight} />
    );
  else
    pane = (
      <LogPane
        title={title}
        position={position}
        following={window.following}
        lines={lines}
        width={layout.paneWidth}
        height={layout.paneHeight}
        prefixWidth={merged ? longestName : 0}
        query={ui.query}
        timestamps={ui.timestamps}
        emptyText={merged ? 'no output yet' : `no output from ${selectedRow?.name ?? 'this process'} yet`}
      />
    );

  let footer: ReactNode;
  if (focused)
    footer = (
      <StatusBar
        mode="focus"
        notice={`FOCUS ${selectedName ?? ''}: keys go to the process.`}
        shutdown={snapshot.shutdown}
        width={layout.columns}
      />
    );
  else if (ui.mode === 'input')
    footer = <LineEditor prompt={`${selectedRow?.name ?? ''}> `} draft={ui.draft} hint="Enter send · Esc leave · Ctrl-C interrupt" />;
  else if (ui.mode === 'search') footer = <LineEditor prompt="/" draft={ui.draft} hint="Enter search · Esc cancel" />;
  else footer = <StatusBar mode={ui.mode} notice={ui.notice} shutdown={snapshot.shutdown} width={layout.columns} />;

  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      <Text wrap="truncate-end">
        <Text bold color={ACCENT}>
          devrun
        </Text>
        <Text color={anyBad ? 'red' : undefined} bold={anyBad}>
          {' '}
          {snapshot.totals}
        </Text>
      </Text>
      <Box flexDirection="row" height={layout.bodyHeight}>
        {ui.mode === 'help' ? (
          // Help takes the whole body: the full keymap needs the room.
          <HelpOverlay width={layout.columns} height={layout.paneHeight} />
        ) : (
          <>
            <ProcessList rows={snapshot.rows} selected={ui.selected} layout={layout} />
            {pane}
          </>
        )}
      </Box>
      {footer}
    </Box>
  );
}
