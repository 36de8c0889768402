import type { ProcessCommand, ProcessControl } from '../control/process-control.js';
import { scopeOf } from './pane-model.js';
import { resizeOnTyping, type TerminalView } from './terminal-size.js';
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
  /** Q: asks "stop every process and devrun?" in the footer… */
  | { type: 'stop-all-ask' }
  /** …and y: stops everything (locally as q does; attached: the running devrun shuts down). */
  | { type: 'stop-all' }
  | { type: 'restart' }
  | { type: 'toggle-start' }
  | { type: 'stop' }
  | { type: 'kill' }
  | { type: 'restart-all' }
  /** Not bound to keys: raw bytes typed in focus mode, for the selected process. */
  | { type: 'focus-write'; data: string }
  /** Not bound to keys: this dashboard sizes one terminal (terminal-size.ts says when). */
  | { type: 'resize-terminal'; name: string; columns: number; rows: number };

export interface CommandContext {
  /** The UI state of the moment; commands run one after another, each seeing what the previous left. */
  ui: UiState;
  dispatch: (action: UiAction) => void;
  control: ProcessControl;
  /** Rows of log text the pane shows now. */
  paneHeight: number;
  /** How the selected process's terminal is shown now: typing into it gives it that size. */
  terminalView?: TerminalView;
}

/**
 * The one bridge from intent to effect: UI changes go to the reducer, process commands to the control.
 * Commands that need the log (scroll, search) ask the control and dispatch its answer; the promise
 * settles once the command is done, so a caller can run the next key against the state it left.
 */
export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  const { ui, dispatch, control } = ctx;
  const names = control.processes().map((p) => p.name);
  const selected = names[ui.selected];
  const send = (type: 'start' | 'stop' | 'restart' | 'kill' | 'interrupt') =>
    selected === undefined ? undefined : control.command({ type, name: selected });
  switch (command.type) {
    case 'scroll':
    case 'scroll-top':
    case 'scroll-bottom':
    case 'search-next':
    case 'line-submit':
      return runLogCommand(command, ctx, selected);
    case 'select':
      return dispatch({ type: 'select', delta: command.delta, count: names.length });
    case 'toggle-view':
      return dispatch({ type: 'toggle-view' });
    case 'search-open':
      return dispatch({ type: 'mode', mode: 'search' });
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
      await control.command({ type: 'clear-logs', name: ui.view === 'process' ? selected : undefined });
      return dispatch({ type: 'cleared' });
    case 'toggle-timestamps':
      return dispatch({ type: 'toggle-timestamps' });
    case 'toggle-zoom':
      return dispatch({ type: 'toggle-zoom' });
    case 'focus':
      return selected === undefined ? undefined : dispatch({ type: 'mode', mode: 'focus' });
    case 'focus-write':
      if (selected === undefined) return;
      // A child on pipes reads lines: Enter must be a newline there, not the terminal's \r.
      return typeInto(ctx, selected, {
        type: 'write',
        name: selected,
        data: control.hasTerminal(selected) ? command.data : command.data.replace(/\r/g, '\n'),
      });
    case 'input-open':
      return dispatch({ type: 'mode', mode: 'input' });
    case 'line-type':
      return dispatch({ type: 'draft', text: ui.draft + command.text });
    case 'line-erase':
      return dispatch({ type: 'draft', text: [...ui.draft].slice(0, -1).join('') });
    case 'line-clear':
      return dispatch({ type: 'draft', text: '' });
    case 'help':
      return dispatch({ type: 'mode', mode: 'help' });
    case 'quit':
      return control.quit();
    case 'stop-all-ask':
      return dispatch({ type: 'mode', mode: 'confirm-stop' });
    case 'stop-all':
      dispatch({ type: 'mode', mode: 'normal' });
      return control.stopAll();
    case 'interrupt':
    case 'restart':
    case 'stop':
    case 'kill':
      return send(command.type);
    case 'toggle-start': {
      const state = control.processes()[ui.selected];
      if (!state) return;
      const up = state.status === 'running' || state.status === 'starting' || state.status === 'backoff';
      return send(up ? 'stop' : 'start');
    }
    case 'restart-all':
      return control.command({ type: 'restart-all' });
    case 'resize-terminal':
      return control.command({ type: 'resize-one', name: command.name, columns: command.columns, rows: command.rows });
  }
}

type LogCommand = Extract<Command, { type: 'scroll' | 'scroll-top' | 'scroll-bottom' | 'search-next' | 'line-submit' }>;

/** Commands answered from the log: asked of the control (the rings live there), the answer dispatched. */
async function runLogCommand(command: LogCommand, ctx: CommandContext, selected: string | undefined): Promise<void> {
  const { ui, dispatch, control, paneHeight } = ctx;
  const scope = scopeOf(ui, selected);
  switch (command.type) {
    case 'scroll': {
      const step =
        command.unit === 'line' ? 1 : command.unit === 'half' ? Math.max(1, Math.floor(paneHeight / 2)) : Math.max(1, paneHeight - 1);
      return dispatch({ type: 'anchor', seq: await control.scroll(scope, ui.anchorSeq, step * command.delta, paneHeight) });
    }
    case 'scroll-top':
      return dispatch({ type: 'anchor', seq: await control.scroll(scope, 0, 0, paneHeight) });
    case 'scroll-bottom':
      return dispatch({ type: 'anchor', seq: null });
    case 'search-next': {
      if (!ui.query) return dispatch({ type: 'notice', text: 'no search yet: press / to search' });
      const found = await control.findMatch(scope, ui.query, ui, command.direction, paneHeight);
      if (!found) return dispatch({ type: 'notice', text: `no ${command.direction} match for "${ui.query}"` });
      return dispatch({ type: 'match', ...found });
    }
    case 'line-submit': {
      if (ui.mode !== 'search') {
        if (selected !== undefined) await typeInto(ctx, selected, { type: 'send-line', name: selected, text: ui.draft });
        return dispatch({ type: 'draft', text: '' });
      }
      dispatch({ type: 'search-commit' });
      if (!ui.draft) return;
      const found = await control.findMatch(scope, ui.draft, { anchorSeq: ui.anchorSeq, matchSeq: null }, 'older', paneHeight);
      return dispatch(found ? { type: 'match', ...found } : { type: 'notice', text: `no match for "${ui.draft}"` });
    }
  }
}

/**
 * Typed input for a process: the terminal typed into takes this dashboard's size first (tmux's
 * "latest"). Both requests are sent at once, in order; a resize to the size it has is a no-op (no
 * SIGWINCH), so every key may carry one.
 */
async function typeInto(ctx: CommandContext, name: string, input: ProcessCommand): Promise<void> {
  const resize = resizeOnTyping(ctx.terminalView, name);
  if (resize === null) return ctx.control.command(input);
  await Promise.all([ctx.control.command({ type: 'resize-one', ...resize }), ctx.control.command(input)]);
}
