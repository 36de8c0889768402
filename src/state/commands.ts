import type { LogScope, ProcessCommand, ProcessControl } from '../control/process-control.js';
import { isUp } from '../engine/process-state.js';
import { describeRestartAll, restartAllPlan } from '../engine/restart-all-plan.js';
import { COPY_TYPES, type CopyCommand, runCopyCommand } from './copy-commands.js';
import { notRunningNotice } from './focus-leave.js';
import { helpLayout } from './help-layout.js';
import { scopeOf } from './pane-model.js';
import { resizeOnTyping, type TerminalView } from './terminal-size.js';
import type { UiAction } from './ui-reducer.js';
import type { Mode, UiState } from './ui-state.js';

/** Every intent a key can express: the keymap maps keys to these, runCommand performs them. */
export type Command =
  | { type: 'select'; delta: number }
  | { type: 'toggle-view' }
  | { type: 'scroll'; unit: 'line' | 'half' | 'page'; delta: number }
  | { type: 'scroll-top' }
  | { type: 'scroll-bottom' }
  | { type: 'search-open' }
  | { type: 'search-next'; direction: 'older' | 'newer' }
  /** ↑/↓ in the search line: an earlier or later query of this session. */
  | { type: 'search-history'; delta: number }
  /** Esc: no highlight, no match. */
  | { type: 'search-clear' }
  /** ↑/↓/PgUp/PgDn in the help overlay, when it is taller than the screen. */
  | { type: 'help-scroll'; unit: 'line' | 'page'; delta: number }
  | { type: 'filter-open' }
  | { type: 'filter-move'; delta: number }
  | { type: 'filter-toggle' }
  | { type: 'close-overlay' }
  | { type: 'clear' }
  | { type: 'toggle-timestamps' }
  | { type: 'toggle-wrap' }
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
  /** Read the Procfile, .env and devrun.yaml again and apply what changed (devrun reload). */
  | { type: 'reload' }
  /** Not bound to keys: raw bytes typed in focus mode, for the selected process. */
  | { type: 'focus-write'; data: string }
  /** Not bound to keys: this dashboard sizes one terminal (terminal-size.ts says when). */
  | { type: 'resize-terminal'; name: string; columns: number; rows: number }
  | CopyCommand;

export interface CommandContext {
  /** The UI state of the moment; commands run one after another, each seeing what the previous left. */
  ui: UiState;
  dispatch: (action: UiAction) => void;
  control: ProcessControl;
  /** Rows of log text the pane shows now. */
  paneHeight: number;
  /** Lines those rows show (fewer when long lines wrap): what a page scrolls by; paneHeight when unknown. */
  pageLines?: number;
  /** The terminal's width (the help overlay's); 80 when not given. */
  columns?: number;
  /** How the selected process's terminal is shown now: typing into it gives it that size. */
  terminalView?: TerminalView;
  /** The seqs of the lines the pane shows, oldest first (copy mode's cursor moves over them). */
  shownSeqs?: readonly number[];
  /** Puts text on the terminal's clipboard (OSC 52). */
  clipboard?: (text: string) => void;
}

/**
 * The one bridge from intent to effect: UI changes go to the reducer, process commands to the control.
 * Commands that need the log (scroll, search) ask the control and dispatch its answer; the promise
 * settles once the command is done, so a caller can run the next key against the state it left.
 */
export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  const selected = ctx.control.processes()[ctx.ui.selected]?.name;
  if (isCopyCommand(command)) return runCopyCommand(command, ctx, selected);
  if (isLogCommand(command)) return runLogCommand(command, ctx, selected);
  if (isProcessCommand(command)) return runProcessCommand(command, ctx, selected);
  return runUiCommand(command, ctx, selected);
}

/** Which function runs a command: the log ones, the process ones, and the rest (the UI's). */
const LOG_TYPES = ['scroll', 'scroll-top', 'scroll-bottom', 'search-next', 'line-submit'] as const;
const PROCESS_TYPES = [
  'interrupt',
  'restart',
  'stop',
  'kill',
  'toggle-start',
  'restart-all',
  'reload',
  'clear',
  'focus-write',
  'quit',
  'stop-all',
  'resize-terminal',
] as const;
type LogCommand = Extract<Command, { type: (typeof LOG_TYPES)[number] }>;
type ProcessIntent = Extract<Command, { type: (typeof PROCESS_TYPES)[number] }>;

const isCopyCommand = (command: Command): command is CopyCommand => (COPY_TYPES as readonly string[]).includes(command.type);
const isLogCommand = (command: Command): command is LogCommand => (LOG_TYPES as readonly string[]).includes(command.type);
const isProcessCommand = (command: Command): command is ProcessIntent => (PROCESS_TYPES as readonly string[]).includes(command.type);

type UiCommand = Exclude<Command, LogCommand | ProcessIntent | CopyCommand>;

/** Commands that only change what this dashboard shows: straight to the reducer. */
function runUiCommand(
  command: UiCommand,
  { ui, dispatch, control, paneHeight, columns }: CommandContext,
  selected: string | undefined,
): void {
  const names = control.processes().map((p) => p.name);
  switch (command.type) {
    case 'select':
      return dispatch({ type: 'select', delta: command.delta, count: names.length });
    case 'filter-move':
      return dispatch({ type: 'filter-move', delta: command.delta, count: names.length });
    case 'filter-toggle': {
      const name = names[ui.filterCursor];
      return name === undefined ? undefined : dispatch({ type: 'filter-toggle', name, all: names });
    }
    case 'search-history':
      return dispatch({ type: 'history', delta: command.delta });
    case 'search-clear':
      return dispatch({ type: 'search-clear' });
    case 'help-scroll': {
      const { viewRows, maxOffset } = helpLayout(columns ?? 80, paneHeight);
      const step = command.unit === 'line' ? 1 : Math.max(1, viewRows - 1);
      return dispatch({ type: 'help-offset', offset: Math.max(0, Math.min(maxOffset, ui.helpOffset + step * command.delta)) });
    }
    case 'toggle-view':
    case 'toggle-timestamps':
    case 'toggle-wrap':
    case 'toggle-zoom':
      return dispatch({ type: command.type });
    case 'focus':
      return selected === undefined ? undefined : dispatch({ type: 'mode', mode: 'focus' });
    case 'line-type':
      return dispatch({ type: 'draft', text: ui.draft + command.text });
    case 'line-erase':
      return dispatch({ type: 'draft', text: [...ui.draft].slice(0, -1).join('') });
    case 'line-clear':
      return dispatch({ type: 'draft', text: '' });
    default:
      return dispatch({ type: 'mode', mode: MODE_OF[command.type] });
  }
}

/** The commands that only enter a mode (and leave the one they are in). */
type ModeCommand = Extract<
  Command,
  { type: 'search-open' | 'filter-open' | 'input-open' | 'help' | 'stop-all-ask' | 'close-overlay' | 'line-cancel' }
>;

const MODE_OF: Record<ModeCommand['type'], Mode> = {
  'search-open': 'search',
  'filter-open': 'filter',
  'input-open': 'input',
  help: 'help',
  'stop-all-ask': 'confirm-stop',
  'close-overlay': 'normal',
  'line-cancel': 'normal',
};

/** What a shutdown makes moot: the supervisor starts nothing once it is stopping. */
const STARTS = new Set<Command['type']>(['restart', 'restart-all', 'toggle-start']);

/** Commands for the processes (or the whole run): to the control. */
async function runProcessCommand(command: ProcessIntent, ctx: CommandContext, selected: string | undefined): Promise<void> {
  const { ui, dispatch, control } = ctx;
  if (control.shutdownProgress() !== null && STARTS.has(command.type))
    return dispatch({ type: 'notice', text: 'devrun is stopping: nothing starts again' });
  switch (command.type) {
    case 'interrupt':
    case 'restart':
    case 'stop':
    case 'kill':
      return selected === undefined ? undefined : control.command({ type: command.type, name: selected });
    case 'toggle-start': {
      const state = control.processes()[ui.selected];
      if (!state) return;
      // A waiting or blocked process is not up: s starts it now, without waiting for its dependencies.
      const up = isUp(state.status) || state.status === 'backoff';
      return control.command({ type: up ? 'stop' : 'start', name: state.name });
    }
    case 'restart-all': {
      // The plan the supervisor follows, from the same states: the notice says what R did.
      const plan = restartAllPlan(control.processes());
      await control.command({ type: 'restart-all' });
      return dispatch({ type: 'notice', text: describeRestartAll(plan) });
    }
    case 'reload':
      return control.command({ type: command.type });
    case 'clear':
      // What the view shows: that process, every log, or (filtered merged view) the processes shown only.
      await Promise.all(clearedNames(ui, selected).map((name) => control.command({ type: 'clear-logs', name })));
      return dispatch({ type: 'cleared' });
    case 'focus-write':
      if (selected === undefined) return;
      // A child on pipes reads lines: Enter must be a newline there, not the terminal's \r.
      return typeInto(ctx, selected, {
        type: 'write',
        name: selected,
        data: control.hasTerminal(selected) ? command.data : command.data.replace(/\r/g, '\n'),
      });
    case 'quit':
      return control.quit();
    case 'stop-all':
      dispatch({ type: 'mode', mode: 'normal' });
      return control.stopAll();
    case 'resize-terminal':
      return control.command({ type: 'resize-one', name: command.name, columns: command.columns, rows: command.rows });
  }
}

/** The logs `c` clears: the process shown, every log (undefined), or each process a filtered merged view shows. */
function clearedNames(ui: UiState, selected: string | undefined): Array<string | undefined> {
  if (ui.view === 'process') return selected === undefined ? [] : [selected];
  return ui.filter === null ? [undefined] : [...ui.filter];
}

/** Commands answered from the log: asked of the control (the rings live there), the answer dispatched. */
async function runLogCommand(command: LogCommand, ctx: CommandContext, selected: string | undefined): Promise<void> {
  const { ui, dispatch, control, paneHeight } = ctx;
  const scope = scopeOf(ui, selected);
  switch (command.type) {
    case 'scroll': {
      const page = ctx.pageLines ?? paneHeight;
      const step = command.unit === 'line' ? 1 : command.unit === 'half' ? Math.max(1, Math.floor(page / 2)) : Math.max(1, page - 1);
      return dispatch({ type: 'anchor', seq: await control.scroll(scope, ui.anchorSeq, step * command.delta, paneHeight) });
    }
    case 'scroll-top':
      return dispatch({ type: 'anchor', seq: await control.scroll(scope, 0, 0, paneHeight), top: true });
    case 'scroll-bottom':
      return dispatch({ type: 'anchor', seq: null });
    case 'search-next': {
      if (!ui.query) return dispatch({ type: 'notice', text: 'no search yet: press / to search' });
      const found = await control.findMatch(scope, ui.query, ui, command.direction, paneHeight);
      if (!found) return dispatch({ type: 'notice', text: `no ${command.direction} match for "${ui.query}"` });
      return dispatch({ type: 'match', ...found, count: await matchCount(control, scope, ui.query, found.matchSeq) });
    }
    case 'line-submit': {
      if (ui.mode !== 'search') {
        if (selected === undefined) return;
        // The line stays in the editor: start the process (s after Esc) and send it again.
        if (!isUp(control.processes()[ui.selected]!.status)) return dispatch({ type: 'notice', text: notRunningNotice(selected) });
        await typeInto(ctx, selected, { type: 'send-line', name: selected, text: ui.draft });
        return dispatch({ type: 'draft', text: '' });
      }
      dispatch({ type: 'search-commit' });
      if (!ui.draft) return;
      const found = await control.findMatch(scope, ui.draft, { anchorSeq: ui.anchorSeq, matchSeq: null }, 'older', paneHeight);
      if (!found) return dispatch({ type: 'notice', text: `no match for "${ui.draft}"` });
      return dispatch({ type: 'match', ...found, count: await matchCount(control, scope, ui.draft, found.matchSeq) });
    }
  }
}

/** Which match `matchSeq` is (1 = the oldest) of every match in the scope: the pane title's "match 3 of 12". */
async function matchCount(control: ProcessControl, scope: LogScope, query: string, matchSeq: number) {
  const { count, seqs } = await control.matches(scope, query);
  const at = seqs.indexOf(matchSeq);
  return at < 0 ? null : { index: at + 1, count };
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
