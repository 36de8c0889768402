import { findMatch, logView, scrolledAnchor, topAnchor } from '../control/log-view.js';
import type { Supervisor } from '../engine/supervisor.js';
import { scopeOf } from './pane-model.js';
import type { DashboardStore } from './store.js';
import type { UiAction } from './ui-reducer.js';
import type { UiState } from './ui-state.js';

/** Every intent a key can express: the keymap maps keys to these, runCommand performs them. */
export type Command =
  | { type: 'select'; delta: number }
  | { type: 'toggle-view' }
  | { type: 'scroll'; unit: 'line' | 'half' | 'page'; delta: number }
  | { type: 'scroll-top' }
  | { type: 'scroll-bottom' }
  | { type: 'search-open' }
  | { type: 'search-next'; direction: 'older' | 'newer' }
  | { type: 'filter-open' }
  | { type: 'filter-move'; delta: number }
  | { type: 'filter-toggle' }
  | { type: 'close-overlay' }
  | { type: 'clear' }
  | { type: 'toggle-timestamps' }
  | { type: 'toggle-zoom' }
  | { type: 'focus' }
  | { type: 'input-open' }
  | { type: 'line-type'; text: string }
  | { type: 'line-erase' }
  | { type: 'line-clear' }
  | { type: 'line-submit' }
  | { type: 'line-cancel' }
  | { type: 'interrupt' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'restart' }
  | { type: 'toggle-start' }
  | { type: 'stop' }
  | { type: 'kill' }
  | { type: 'restart-all' };

export interface CommandContext {
  ui: UiState;
  dispatch: (action: UiAction) => void;
  supervisor: Supervisor;
  store: DashboardStore;
  /** Rows of log text the pane shows now. */
  paneHeight: number;
  /** First call stops everything gracefully, the next kills: owned by whoever started the engine. */
  quit: () => void;
}

/** The one bridge from intent to effect: UI changes go to the reducer, process commands to the supervisor. */
export function runCommand(command: Command, ctx: CommandContext): void {
  const { ui, dispatch, supervisor, store, paneHeight } = ctx;
  const names = supervisor.processes().map((p) => p.name);
  const selected = names[ui.selected];
  const view = () => logView(supervisor.logs, scopeOf(ui, selected));
  switch (command.type) {
    case 'select':
      return dispatch({ type: 'select', delta: command.delta, count: names.length });
    case 'toggle-view':
      return dispatch({ type: 'toggle-view' });
    case 'scroll': {
      const step =
        command.unit === 'line' ? 1 : command.unit === 'half' ? Math.max(1, Math.floor(paneHeight / 2)) : Math.max(1, paneHeight - 1);
      return dispatch({ type: 'anchor', seq: scrolledAnchor(view(), ui.anchorSeq, step * command.delta, paneHeight) });
    }
    case 'scroll-top':
      return dispatch({ type: 'anchor', seq: topAnchor(view(), paneHeight) });
    case 'scroll-bottom':
      return dispatch({ type: 'anchor', seq: null });
    case 'search-open':
      return dispatch({ type: 'mode', mode: 'search' });
    case 'search-next': {
      if (!ui.query) return dispatch({ type: 'notice', text: 'no search yet: press / to search' });
      const found = findMatch(view(), ui, ui.query, command.direction, paneHeight);
      if (!found) return dispatch({ type: 'notice', text: `no ${command.direction} match for "${ui.query}"` });
      return dispatch({ type: 'match', ...found });
    }
    case 'filter-open':
      return dispatch({ type: 'mode', mode: 'filter' });
    case 'filter-move':
      return dispatch({ type: 'filter-move', delta: command.delta, count: names.length });
    case 'filter-toggle': {
      const name = names[ui.filterCursor];
      return name === undefined ? undefined : dispatch({ type: 'filter-toggle', name, all: names });
    }
    case 'close-overlay':
    case 'line-cancel':
      return dispatch({ type: 'mode', mode: 'normal' });
    case 'clear':
      // The process view clears that process; the merged view clears everything.
      supervisor.logs.clear(ui.view === 'process' ? selected : undefined);
      dispatch({ type: 'cleared' });
      return store.refresh();
    case 'toggle-timestamps':
      return dispatch({ type: 'toggle-timestamps' });
    case 'toggle-zoom':
      return dispatch({ type: 'toggle-zoom' });
    case 'focus':
      return selected === undefined ? undefined : dispatch({ type: 'mode', mode: 'focus' });
    case 'input-open':
      return dispatch({ type: 'mode', mode: 'input' });
    case 'line-type':
      return dispatch({ type: 'draft', text: ui.draft + command.text });
    case 'line-erase':
      return dispatch({ type: 'draft', text: [...ui.draft].slice(0, -1).join('') });
    case 'line-clear':
      return dispatch({ type: 'draft', text: '' });
    case 'line-submit':
      if (ui.mode === 'search') {
        dispatch({ type: 'search-commit' });
        const found = ui.draft ? findMatch(view(), { anchorSeq: ui.anchorSeq, matchSeq: null }, ui.draft, 'older', paneHeight) : undefined;
        if (ui.draft && !found) dispatch({ type: 'notice', text: `no match for "${ui.draft}"` });
        return found ? dispatch({ type: 'match', ...found }) : undefined;
      }
      if (selected !== undefined) supervisor.sendLine(selected, ui.draft);
      return dispatch({ type: 'draft', text: '' });
    case 'interrupt':
      return selected === undefined ? undefined : supervisor.interrupt(selected);
    case 'help':
      return dispatch({ type: 'mode', mode: 'help' });
    case 'quit':
      return ctx.quit();
    case 'restart':
      return selected === undefined ? undefined : supervisor.restart(selected);
    case 'toggle-start': {
      const state = supervisor.processes()[ui.selected];
      if (!state) return;
      const up = state.status === 'running' || state.status === 'starting' || state.status === 'backoff';
      return up ? supervisor.stop(state.name) : supervisor.start(state.name);
    }
    case 'stop':
      return selected === undefined ? undefined : supervisor.stop(selected);
    case 'kill':
      return selected === undefined ? undefined : supervisor.kill(selected);
    case 'restart-all':
      return supervisor.restartAll();
  }
}
