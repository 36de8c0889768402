import { afterEach, describe, expect, it } from 'vitest';
import { type Command, runCommand } from '../../src/state/commands.js';
import { DashboardStore } from '../../src/state/store.js';
import { uiReducer } from '../../src/state/ui-reducer.js';
import { initialUiState, type UiState } from '../../src/state/ui-state.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeSupervisor } from '../helpers/supervisor.js';

const PANE = 6;

/** A real supervisor, a store on a fake clock (it never fires here) and the UI state the reducer keeps. */
function app(commands: Record<string, string>, ui: Partial<UiState> = {}) {
  const h = makeSupervisor(commands);
  const store = new DashboardStore(h.supervisor, { clock: new FakeClock() });
  const a = {
    ...h,
    store,
    ui: { ...initialUiState, ...ui } as UiState,
    quits: 0,
    /** Runs a command the way App does: with the UI state of the moment, dispatching into the reducer. */
    run(command: Command) {
      runCommand(command, {
        ui: a.ui,
        dispatch: (action) => (a.ui = uiReducer(a.ui, action)),
        supervisor: h.supervisor,
        store,
        paneHeight: PANE,
        quit: () => a.quits++,
      });
    },
    /** The text of the line a seq names. */
    text: (seq: number | null) =>
      seq === null
        ? null
        : h.supervisor.logs
            .lines()
            .toArray()
            .find((l) => l.seq === seq)?.text,
    async cleanup() {
      store.dispose();
      await h.cleanup();
    },
  };
  return a;
}

let current: ReturnType<typeof app> | undefined;
const use = (...args: Parameters<typeof app>) => (current = app(...args));
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const running = (s: { status: string; pid: number | undefined }) => s.status === 'running' && s.pid !== undefined;

describe('runCommand over a real supervisor', () => {
  it('restart: the selected process gets a new pid', async () => {
    const a = use({ web: 'exec sleep 30', api: 'exec sleep 30' }, { selected: 1 });
    a.supervisor.startAll();
    const web = await a.waitState('web.1', running, 'running');
    const api = await a.waitState('api.1', running, 'running');
    a.run({ type: 'restart' });
    const again = await a.waitState('api.1', (s) => running(s) && s.pid !== api.pid, 'running with a new pid');
    expect(again.restarts).toBe(1);
    expect(a.state('web.1')).toMatchObject({ pid: web.pid, restarts: 0 }); // only the selected one
  });

  it('toggle-start: stops a running process, then starts it again', async () => {
    const a = use({ web: 'exec sleep 30' });
    a.supervisor.startAll();
    const first = await a.waitState('web.1', running, 'running');
    a.run({ type: 'toggle-start' });
    expect(a.state('web.1').status).toBe('stopping');
    const stopped = await a.waitState('web.1', (s) => s.status === 'stopped', 'stopped');
    expect(stopped.lastExit?.byUser).toBe(true);
    a.run({ type: 'toggle-start' });
    const second = await a.waitState('web.1', running, 'running again');
    expect(second.pid).not.toBe(first.pid);
  });

  it('toggle-start on a process waiting to restart cancels the restart', async () => {
    const a = use({ flaky: 'exit 1' });
    a.supervisor.startAll();
    await a.waitState('flaky.1', (s) => s.status === 'backoff', 'in backoff');
    a.run({ type: 'toggle-start' });
    expect(a.state('flaky.1').status).toBe('stopped');
  });

  it('input mode: typed text is sent with Enter, echoed as an input line, and the draft empties', async () => {
    const a = use({ echo: 'while read line; do echo "got [$line]"; done' });
    a.supervisor.startAll();
    await a.waitState('echo.1', running, 'running');
    a.run({ type: 'input-open' });
    for (const text of ['he', 'llo', ' wor', 'ldX']) a.run({ type: 'line-type', text });
    a.run({ type: 'line-erase' });
    expect(a.ui).toMatchObject({ mode: 'input', draft: 'hello world' });
    a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'input', draft: '' }); // stays in input mode for the next line
    await a.waitLine('echo.1', 'got [hello world]');
    const lines = a.supervisor.logs.lines('echo.1').toArray();
    const echoed = lines.findIndex((l) => l.stream === 'input' && l.text === 'hello world');
    const answer = lines.findIndex((l) => l.stream === 'stdout' && l.text === 'got [hello world]');
    expect(echoed).toBeGreaterThanOrEqual(0);
    expect(answer).toBeGreaterThan(echoed);
  });

  it('interrupt: SIGINT reaches a child that traps INT, which keeps running', async () => {
    const a = use({ trap: "trap 'echo got INT' INT; echo ready; while :; do sleep 0.05; done" }, { mode: 'input' });
    a.supervisor.startAll();
    await a.waitLine('trap.1', 'ready');
    const { pid } = a.state('trap.1');
    a.run({ type: 'interrupt' });
    await a.waitLine('trap.1', 'got INT');
    expect(a.state('trap.1')).toMatchObject({ status: 'running', pid });
    expect(a.quits).toBe(0); // Ctrl-C in input mode is the child's, not devrun's
  });

  it('search: Enter jumps to the newest match, n walks to older ones, then says there are none', async () => {
    const lines = ['alpha', 'needle one', 'beta', 'NEEDLE two', 'gamma'];
    const a = use({ log: `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')}` });
    a.supervisor.startAll();
    await a.waitState('log.1', (s) => s.status === 'exited', 'exited');
    a.run({ type: 'search-open' });
    a.run({ type: 'line-type', text: 'needle' });
    a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'normal', query: 'needle', draft: '', notice: null });
    expect(a.text(a.ui.matchSeq)).toBe('NEEDLE two');

    a.run({ type: 'search-next', direction: 'older' });
    expect(a.text(a.ui.matchSeq)).toBe('needle one');
    a.run({ type: 'search-next', direction: 'older' });
    expect(a.text(a.ui.matchSeq)).toBe('needle one');
    expect(a.ui.notice).toBe('no older match for "needle"');
    a.run({ type: 'search-next', direction: 'newer' });
    expect(a.text(a.ui.matchSeq)).toBe('NEEDLE two');

    a.run({ type: 'search-open' });
    expect(a.ui).toMatchObject({ mode: 'search', draft: 'needle', notice: null }); // starts from the last query
    a.run({ type: 'line-clear' });
    a.run({ type: 'line-type', text: 'zebra' });
    a.run({ type: 'line-submit' });
    expect(a.ui).toMatchObject({ mode: 'normal', query: 'zebra', matchSeq: null, notice: 'no match for "zebra"' });
  });

  it('search jumps far enough back to show the match: the anchor puts it in the pane', async () => {
    const a = use({ log: `echo 'the needle'; i=0; while [ $i -lt 30 ]; do echo "line $i"; i=$((i+1)); done` });
    a.supervisor.startAll();
    await a.waitState('log.1', (s) => s.status === 'exited', 'exited');
    a.run({ type: 'search-open' });
    a.run({ type: 'line-type', text: 'needle' });
    a.run({ type: 'line-submit' });
    expect(a.text(a.ui.matchSeq)).toBe('the needle');
    expect(a.ui.anchorSeq).not.toBeNull(); // scrolled up from the end
    a.run({ type: 'scroll-bottom' });
    expect(a.ui.anchorSeq).toBeNull();
  });

  it('clear in the process view clears only that process; in the merged view, everything', async () => {
    const a = use({ one: "echo 'one a'; echo 'one b'", two: "echo 'two a'; echo 'two b'" }, { anchorSeq: 2, matchSeq: 2, query: 'a' });
    a.supervisor.startAll();
    await a.waitState('one.1', (s) => s.status === 'exited', 'exited');
    await a.waitState('two.1', (s) => s.status === 'exited', 'exited');
    const texts = (proc?: string) =>
      a.supervisor.logs
        .lines(proc)
        .toArray()
        .map((l) => l.text);
    expect(texts()).toEqual(expect.arrayContaining(['one a', 'one b', 'two a', 'two b']));

    const version = () => a.store.getSnapshot().logVersion;
    let before = version();
    a.run({ type: 'clear' }); // process view, one.1 selected
    expect(texts('one.1')).toEqual([]);
    expect(texts('two.1')).toContain('two b');
    expect(texts().some((t) => t.startsWith('one '))).toBe(false);
    expect(texts()).toContain('two b');
    expect(a.ui).toMatchObject({ anchorSeq: null, matchSeq: null, query: 'a' }); // the search stays, its match is gone
    expect(version()).toBeGreaterThan(before); // refreshed at once

    a.run({ type: 'toggle-view' });
    a.ui = { ...a.ui, anchorSeq: 1 };
    before = version();
    a.run({ type: 'clear' }); // merged view
    expect(texts()).toEqual([]);
    expect(texts('two.1')).toEqual([]);
    expect(a.ui.anchorSeq).toBeNull();
    expect(version()).toBeGreaterThan(before);
  });

  it('after a clear, n finds the newest match again (not "no older match" from the cleared one)', async () => {
    const a = use({ echo: 'while read line; do echo "said $line"; done' });
    a.supervisor.startAll();
    await a.waitState('echo.1', running, 'running');
    a.supervisor.sendLine('echo.1', 'one');
    await a.waitLine('echo.1', 'said one');
    a.run({ type: 'search-open' });
    a.run({ type: 'line-type', text: 'said' });
    a.run({ type: 'line-submit' });
    expect(a.text(a.ui.matchSeq)).toBe('said one');

    a.run({ type: 'clear' });
    a.supervisor.sendLine('echo.1', 'two');
    await a.waitLine('echo.1', 'said two');
    a.run({ type: 'search-next', direction: 'older' });
    expect(a.ui.notice).toBeNull();
    expect(a.text(a.ui.matchSeq)).toBe('said two');
  });

  it('quit is handed to whoever owns the engine', () => {
    const a = use({ web: 'exec sleep 30' });
    a.run({ type: 'quit' });
    a.run({ type: 'quit' });
    expect(a.quits).toBe(2);
  });
});
