import { Text } from 'ink';
import type { LogPaneModel } from '../state/pane-model.js';
import { searchTitle } from '../state/search-title.js';
import type { DashboardSnapshot } from '../state/store.js';
import type { UiState } from '../state/ui-state.js';
import { FilterOverlay } from './FilterOverlay.js';
import { LogPane } from './LogPane.js';
import type { Layout } from './layout.js';
import { ScreenPane } from './ScreenPane.js';
import { LineEditor, StatusBar } from './StatusBar.js';

interface PaneProps {
  snapshot: DashboardSnapshot;
  ui: UiState;
  layout: Layout;
  showScreen: boolean;
  model: LogPaneModel;
}

/** The right column: the process's own screen, the filter overlay, or the log window. */
export function Pane({ snapshot, ui, layout, showScreen, model }: PaneProps) {
  const { paneWidth: width, paneHeight: height } = layout;
  const name = snapshot.rows[ui.selected]?.name;
  if (showScreen && snapshot.screen) {
    const how = ui.mode === 'focus' ? 'focus: every key goes to it · Ctrl-] returns' : 'zoom · z returns · PgUp scrolls back';
    return <ScreenPane title={`${name} · ${how}`} lines={snapshot.screen.lines} width={width} height={height} />;
  }
  if (ui.mode === 'filter')
    return <FilterOverlay rows={snapshot.rows} filter={ui.filter} cursor={ui.filterCursor} width={width} height={height} />;
  return <LogPane {...model} width={width} height={height} search={searchTitle(ui)} />;
}

interface FooterProps {
  snapshot: DashboardSnapshot;
  ui: UiState;
  columns: number;
  attached: boolean;
}

/** The bottom line: the line being typed, or the status bar with its notice. */
export function Footer({ snapshot, ui, columns, attached }: FooterProps) {
  const name = snapshot.rows[ui.selected]?.name ?? '';
  if (ui.mode === 'focus')
    return (
      <StatusBar
        mode="focus"
        notice={`FOCUS ${name}: keys go to the process.`}
        shutdown={snapshot.shutdown}
        width={columns}
        attached={attached}
      />
    );
  if (ui.mode === 'input')
    return <LineEditor prompt={`${name}> `} draft={ui.draft} hint={ui.notice ?? 'Enter send · Esc leave · Ctrl-C interrupt'} />;
  if (ui.mode === 'confirm-stop') return <StopPrompt />;
  if (ui.mode === 'search') return <LineEditor prompt="/" draft={ui.draft} hint="Enter search · ↑ earlier · Esc cancel" />;
  return <StatusBar mode={ui.mode} view={ui.view} notice={ui.notice} shutdown={snapshot.shutdown} width={columns} attached={attached} />;
}

/** Q's question, on the footer line: y stops everything, any other key cancels. */
function StopPrompt() {
  return (
    <Text wrap="truncate-end">
      <Text color="yellow" bold>
        Stop every process and devrun?
      </Text>
      {' y/n'}
    </Text>
  );
}
