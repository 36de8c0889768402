import { describe, expect, it } from 'vitest';
import { type Command, runCommand } from '../../src/state/commands.js';
import { searchTitle } from '../../src/state/search-title.js';
import { uiReducer } from '../../src/state/ui-reducer.js';
import { initialUiState, type UiState } from '../../src/state/ui-state.js';
import { FakeControl } from '../helpers/fake-control.js';

const PANE = 6;

/** runCommand against a FakeControl: commands are recorded, log questions answered from memory. */
function app(names: string[], ui: Partial<UiState> = {}, pageLines?: number) {
  const control = new FakeControl(names);
  const a = {
    control,
    ui: { ...initialUiState, ...ui } as UiState,
    run: (command: Command) =>
      runCommand(command, { ui: a.ui, dispatch: (action) => (a.ui = uiReducer(a.ui, action)), control, paneHeight: PANE, pageLines }),
    /** The text of the line a seq names. */
    text: (seq: number | null) =>
      seq === null
        ? null
        : control.logs
            .lines()
            .toArray()
            .find((l) => l.seq === seq)?.text,
  };
  return a;
}

describe('runCommand over a fake control', () => {
  it('process commands go to the selected process; restart-all to every one', async () => {
    const a = app(['web.1', 'api.1'], { selected: 1 });
    for (const type of ['restart', 'stop', 'kill', 'interrupt', 'restart-all'] as const) await a.run({ type });
    expect(a.control.commands).toEqual([
      { type: 'restart', name: 'api.1' },
      { type: 'stop', name: 'api.1' },
      { type: 'kill', name: 'api.1' },
      { type: 'interrupt', name: 'api.1' },
      { type: 'restart-all' },
    ]);
  });

  it.each([
    ['running', 'stop'],
    ['starting', 'stop'],
    ['backoff', 'stop'],
    ['stopped', 'start'],
    ['crashed', 'start'],
    ['failed', 'start'],
  ] as const)('toggle-start on a %s process: %s', async (status, expected) => {
    const a = app(['web.1']);
    a.control.setState('web.1', { status });
    await a.run({ type: 'toggle-start' });
    expect(a.control.commands).toEqual([{ type: expected, name: 'web.1' }]);
  });

  it('Q asks in the footer; y stops everything (stopAll), anything else only cancels', async () => {
    const a = app(['web.1']);
    await a.run({ type: 'stop-all-ask' });
    expect(a.ui.mode).toBe('confirm-stop');
    await a.run({ type: 'close-overlay' });
    expect(a.ui.mode).toBe('normal');
    expect([a.control.stopAlls, a.control.quits, a.control.commands]).toEqual([0, 0, []]);

    await a.run({ type: 'stop-all-ask' });
    await a.run({ type: 'stop-all' });
    expect(a.ui.mode).toBe('normal');
    expect([a.control.stopAlls, a.control.quits, a.control.commands]).toEqual([1, 0, []]);
  });

  it('input mode: the typed line is sent with send-line and the draft empties', async () => {
    const a = app(['echo.1']);
    await a.run({ type: 'input-open' });
    for (const text of ['he', 'llo', 'X']) await a.run({ type: 'line-type', text });
    await a.run({ type: 'line-erase' });
    await a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'input', draft: '' });
    expect(a.control.commands).toEqual([{ type: 'send-line', name: 'echo.1', text: 'hello' }]);
  });

  it('input mode on a process that is not running: says so, sends nothing, keeps the line', async () => {
    const a = app(['echo.1']);
    a.control.setState('echo.1', { status: 'crashed', pid: undefined });
    await a.run({ type: 'input-open' });
    await a.run({ type: 'line-type', text: 'hello' });
    await a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'input', draft: 'hello', notice: 'echo.1 is not running: s starts it' });
    expect(a.control.commands).toEqual([]);
  });

  it('a page is the lines the pane shows (fewer when long lines wrap), and Home pins the oldest line to the top', async () => {
    const a = app(['log.1'], {}, 3);
    for (let i = 1; i <= 20; i++) a.control.print('log.1', `line ${i}`);
    await a.run({ type: 'scroll', unit: 'page', delta: -1 });
    expect(a.text(a.ui.anchorSeq)).toBe('line 18');
    expect(a.ui.fromTop).toBe(false);
    await a.run({ type: 'scroll-top' });
    expect(a.ui.fromTop).toBe(true);
    await a.run({ type: 'scroll', unit: 'line', delta: 1 });
    expect(a.ui.fromTop).toBe(false);
  });

  it('focus writes go to the selected process: Enter becomes a newline on pipes, stays \\r on a terminal', async () => {
    const a = app(['pipe.1', 'tty.1']);
    await a.run({ type: 'focus-write', data: 'ls\r' });
    a.control.terminalOutput('tty.1', '$ ');
    a.ui = { ...a.ui, selected: 1 };
    await a.run({ type: 'focus-write', data: 'ls\r' });
    expect(a.control.commands).toEqual([
      { type: 'write', name: 'pipe.1', data: 'ls\n' },
      { type: 'write', name: 'tty.1', data: 'ls\r' },
    ]);
  });

  it('resizes go through the same door, one terminal at a time', async () => {
    const a = app(['web.1']);
    await a.run({ type: 'resize-terminal', name: 'web.1', columns: 100, rows: 30 });
    expect(a.control.commands).toEqual([{ type: 'resize-one', name: 'web.1', columns: 100, rows: 30 }]);
  });

  it('typing into a terminal gives it the size this dashboard shows it at, first (tmux "latest")', async () => {
    const control = new FakeControl(['tty.1', 'pipe.1']);
    control.terminalOutput('tty.1', '$ ');
    let ui: UiState = { ...initialUiState, mode: 'input', draft: 'ls' };
    const view = { name: 'tty.1', screen: false, inPane: true, columns: 70, rows: 20 };
    const run = (command: Command, terminalView = view as typeof view | undefined) =>
      runCommand(command, { ui, dispatch: (action) => (ui = uiReducer(ui, action)), control, paneHeight: PANE, terminalView });
    await run({ type: 'line-submit' });
    ui = { ...ui, mode: 'focus' };
    await run({ type: 'focus-write', data: 'x' }, { ...view, screen: true, columns: 90, rows: 30 });
    expect(control.commands).toEqual([
      { type: 'resize-one', name: 'tty.1', columns: 70, rows: 20 },
      { type: 'send-line', name: 'tty.1', text: 'ls' },
      { type: 'resize-one', name: 'tty.1', columns: 90, rows: 30 },
      { type: 'write', name: 'tty.1', data: 'x' },
    ]);
    // No terminal (pipes): nothing to size.
    control.commands.length = 0;
    ui = { ...ui, selected: 1 };
    await run({ type: 'focus-write', data: 'y' }, undefined);
    expect(control.commands).toEqual([{ type: 'write', name: 'pipe.1', data: 'y' }]);
  });

  it('scroll asks the control for the anchor of the scope shown, and dispatches it', async () => {
    const a = app(['log.1', 'other.1']);
    for (let i = 1; i <= 20; i++) a.control.print('log.1', `line ${i}`);
    a.control.print('other.1', 'other');
    await a.run({ type: 'scroll', unit: 'page', delta: -1 });
    expect(a.text(a.ui.anchorSeq)).toBe('line 15');
    await a.run({ type: 'scroll', unit: 'line', delta: -1 });
    expect(a.text(a.ui.anchorSeq)).toBe('line 14');
    await a.run({ type: 'scroll-top' });
    expect(a.text(a.ui.anchorSeq)).toBe('line 6');
    await a.run({ type: 'scroll-bottom' });
    expect(a.ui.anchorSeq).toBeNull();
    expect(a.control.requests.map((r) => r.scope)).toEqual(Array(3).fill({ kind: 'process', name: 'log.1' }));

    await a.run({ type: 'toggle-view' });
    await a.run({ type: 'filter-toggle' }); // hides log.1 (the filter cursor is on it)
    await a.run({ type: 'scroll', unit: 'line', delta: -1 });
    expect(a.control.requests.at(-1)!.scope).toEqual({ kind: 'merged', only: ['other.1'] });
  });

  it('search: Enter jumps to the newest match, n walks to older ones, then says there are none', async () => {
    const a = app(['log.1']);
    a.control.print('log.1', 'alpha', 'needle one', 'beta', 'NEEDLE two', 'gamma');
    await a.run({ type: 'search-open' });
    await a.run({ type: 'line-type', text: 'needle' });
    await a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'normal', query: 'needle', draft: '', notice: null });
    expect(a.text(a.ui.matchSeq)).toBe('NEEDLE two');
    await a.run({ type: 'search-next', direction: 'older' });
    expect(a.text(a.ui.matchSeq)).toBe('needle one');
    await a.run({ type: 'search-next', direction: 'older' });
    expect(a.ui.notice).toBe('no older match for "needle"');
    await a.run({ type: 'search-next', direction: 'newer' });
    expect(a.text(a.ui.matchSeq)).toBe('NEEDLE two');

    await a.run({ type: 'search-open' });
    expect(a.ui).toMatchObject({ mode: 'search', draft: '' });
    await a.run({ type: 'line-type', text: 'zebra' });
    await a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'normal', query: 'zebra', matchSeq: null, notice: 'no match for "zebra"' });
    await a.run({ type: 'line-clear' });
  });

  it('the title counts matches: "match 2 of 3" after Enter, then n and N move it', async () => {
    const a = app(['log.1', 'other.1']);
    a.control.print('log.1', 'needle a', 'x', 'needle b', 'y', 'NEEDLE c', 'z');
    a.control.print('other.1', 'needle elsewhere');
    await a.run({ type: 'search-open' });
    await a.run({ type: 'line-type', text: 'needle' });
    await a.run({ type: 'line-submit' });
    expect(a.ui.matchCount).toEqual({ index: 3, count: 3 });
    expect(searchTitle(a.ui)).toBe('/needle · match 3 of 3');
    await a.run({ type: 'search-next', direction: 'older' });
    expect(searchTitle(a.ui)).toBe('/needle · match 2 of 3');
    await a.run({ type: 'search-next', direction: 'newer' });
    expect(searchTitle(a.ui)).toBe('/needle · match 3 of 3');
    // The merged view counts every process's lines.
    await a.run({ type: 'toggle-view' });
    expect(searchTitle(a.ui)).toBe('/needle');
    await a.run({ type: 'search-next', direction: 'older' });
    expect(searchTitle(a.ui)).toBe('/needle · match 4 of 4');
  });

  it('/ opens empty; ↑/↓ recall earlier queries of the session; Esc (normal mode) clears the highlight', async () => {
    const a = app(['log.1']);
    a.control.print('log.1', 'alpha', 'beta');
    for (const query of ['alpha', 'beta', 'alpha']) {
      await a.run({ type: 'search-open' });
      expect(a.ui.draft).toBe('');
      await a.run({ type: 'line-type', text: query });
      await a.run({ type: 'line-submit' });
    }
    expect(a.ui.history).toEqual(['beta', 'alpha']);
    await a.run({ type: 'search-open' });
    await a.run({ type: 'search-history', delta: -1 });
    expect(a.ui.draft).toBe('alpha');
    await a.run({ type: 'search-history', delta: -1 });
    expect(a.ui.draft).toBe('beta');
    await a.run({ type: 'search-history', delta: -1 });
    expect(a.ui.draft).toBe('beta');
    await a.run({ type: 'search-history', delta: 1 });
    expect(a.ui.draft).toBe('alpha');
    await a.run({ type: 'search-history', delta: 1 });
    expect(a.ui.draft).toBe('');
    await a.run({ type: 'line-cancel' });
    expect(a.ui).toMatchObject({ mode: 'normal', query: 'alpha' });
    expect(a.ui.matchSeq).not.toBeNull();
    await a.run({ type: 'search-clear' });
    expect(a.ui).toMatchObject({ query: '', matchSeq: null, matchCount: null });
    expect(searchTitle(a.ui)).toBe('');
  });

  it('n without a search says how to start one, and asks nothing', async () => {
    const a = app(['log.1']);
    await a.run({ type: 'search-next', direction: 'older' });
    expect(a.ui.notice).toBe('no search yet: press / to search');
    expect(a.control.requests).toEqual([]);
  });

  it('clear: the process view clears that process, the merged view everything; then n finds the newest again', async () => {
    const a = app(['one.1', 'two.1'], { anchorSeq: 2, matchSeq: 2, query: 'said' });
    a.control.print('one.1', 'said a');
    a.control.print('two.1', 'said b');
    await a.run({ type: 'clear' });
    expect(a.control.commands).toEqual([{ type: 'clear-logs', name: 'one.1' }]);
    expect(a.ui).toMatchObject({ anchorSeq: null, matchSeq: null, query: 'said' });
    a.control.print('one.1', 'said c');
    await a.run({ type: 'search-next', direction: 'older' });
    expect(a.ui.notice).toBeNull();
    expect(a.text(a.ui.matchSeq)).toBe('said c');

    await a.run({ type: 'toggle-view' });
    await a.run({ type: 'clear' });
    expect(a.control.commands.at(-1)).toEqual({ type: 'clear-logs', name: undefined });
    expect(a.control.logs.lines().size).toBe(0);
  });

  it('while devrun is stopping, keys that would start something say so and send nothing', async () => {
    const a = app(['web.1']);
    a.control.setState('web.1', { status: 'stopped' });
    a.control.setShutdown({ remaining: 1, total: 1 });
    for (const type of ['restart', 'restart-all', 'toggle-start'] as const) await a.run({ type });
    expect(a.control.commands).toEqual([]);
    expect(a.ui.notice).toBe('devrun is stopping: nothing starts again');
    await a.run({ type: 'kill' });
    expect(a.control.commands).toEqual([{ type: 'kill', name: 'web.1' }]);
  });

  it('R says what it restarted and what it left (stopped by the user, one-shots that finished)', async () => {
    const a = app(['web.1', 'migrate.1', 'admin.1', 'worker.1']);
    a.control.setState('migrate.1', { status: 'exited' });
    a.control.setState('admin.1', { status: 'stopped' });
    await a.run({ type: 'restart-all' });
    expect(a.control.commands).toEqual([{ type: 'restart-all' }]);
    expect(a.ui.notice).toBe('restarted 2; left migrate.1 (finished), admin.1 (stopped)');
  });

  it('c in a filtered merged view clears the processes it shows, not the hidden ones', async () => {
    const a = app(['one.1', 'two.1', 'three.1'], { view: 'merged', filter: new Set(['one.1', 'three.1']) });
    a.control.print('one.1', 'from one');
    a.control.print('two.1', 'from two');
    a.control.print('three.1', 'from three');
    await a.run({ type: 'clear' });
    expect(a.control.commands).toEqual([
      { type: 'clear-logs', name: 'one.1' },
      { type: 'clear-logs', name: 'three.1' },
    ]);
    expect(
      a.control.logs
        .lines()
        .toArray()
        .map((l) => l.text),
    ).toEqual(['from two']);
    expect(a.control.logs.lines('two.1').size).toBe(1);
  });

  it('quit is handed to the control (whoever owns the engine decides)', async () => {
    const a = app(['web.1']);
    await a.run({ type: 'quit' });
    await a.run({ type: 'quit' });
    expect(a.control.quits).toBe(2);
  });
});
