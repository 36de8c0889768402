import { afterEach, describe, expect, it } from 'vitest';
import { LocalControl } from '../../src/control/local-control.js';
import { type Command, runCommand } from '../../src/state/commands.js';
import { uiReducer } from '../../src/state/ui-reducer.js';
import { initialUiState, type UiState } from '../../src/state/ui-state.js';
import { makeSupervisor } from '../helpers/supervisor.js';

const PANE = 6;

/** A real supervisor behind LocalControl, and the UI state the reducer keeps. */
function app(commands: Record<string, string>, ui: Partial<UiState> = {}) {
  const h = makeSupervisor(commands);
  const control = new LocalControl(h.supervisor, () => a.quits++);
  const a = {
    ...h,
    control,
    ui: { ...initialUiState, ...ui } as UiState,
    quits: 0,
    /** Runs a command the way App does: with the UI state of the moment, dispatching into the reducer. */
    run(command: Command) {
      return runCommand(command, { ui: a.ui, dispatch: (action) => (a.ui = uiReducer(a.ui, action)), control, paneHeight: PANE });
    },
    async cleanup() {
      control.dispose();
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

describe('runCommand over LocalControl and a real supervisor', () => {
  it('restart: the selected process gets a new pid', async () => {
    const a = use({ web: 'exec sleep 30', api: 'exec sleep 30' }, { selected: 1 });
    a.supervisor.startAll();
    const web = await a.waitState('web.1', running, 'running');
    const api = await a.waitState('api.1', running, 'running');
    await a.run({ type: 'restart' });
    const again = await a.waitState('api.1', (s) => running(s) && s.pid !== api.pid, 'running with a new pid');
    expect(again.restarts).toBe(0); // asked for: not counted in ↻
    expect(a.state('web.1')).toMatchObject({ pid: web.pid, restarts: 0 }); // only the selected one
  });

  it('toggle-start: stops a running process, then starts it again', async () => {
    const a = use({ web: 'exec sleep 30' });
    a.supervisor.startAll();
    const first = await a.waitState('web.1', running, 'running');
    await a.run({ type: 'toggle-start' });
    expect(a.state('web.1').status).toBe('stopping');
    const stopped = await a.waitState('web.1', (s) => s.status === 'stopped', 'stopped');
    expect(stopped.lastExit?.byUser).toBe(true);
    await a.run({ type: 'toggle-start' });
    const second = await a.waitState('web.1', running, 'running again');
    expect(second.pid).not.toBe(first.pid);
  });

  it('toggle-start on a process waiting to restart cancels the restart', async () => {
    const a = use({ flaky: 'exit 1' });
    a.supervisor.startAll();
    await a.waitState('flaky.1', (s) => s.status === 'backoff', 'in backoff');
    await a.run({ type: 'toggle-start' });
    expect(a.state('flaky.1').status).toBe('stopped');
  });

  it('input mode: typed text is sent with Enter, echoed as an input line, and the draft empties', async () => {
    const a = use({ echo: 'while read line; do echo "got [$line]"; done' });
    a.supervisor.startAll();
    await a.waitState('echo.1', running, 'running');
    await a.run({ type: 'input-open' });
    for (const text of ['he', 'llo', ' wor', 'ldX']) await a.run({ type: 'line-type', text });
    await a.run({ type: 'line-erase' });
    expect(a.ui).toMatchObject({ mode: 'input', draft: 'hello world' });
    await a.run({ type: 'line-submit' });
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
    await a.run({ type: 'interrupt' });
    await a.waitLine('trap.1', 'got INT');
    expect(a.state('trap.1')).toMatchObject({ status: 'running', pid });
    expect(a.quits).toBe(0); // Ctrl-C in input mode is the child's, not devrun's
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

    await a.run({ type: 'clear' }); // process view, one.1 selected
    expect(texts('one.1')).toEqual([]);
    expect(texts('two.1')).toContain('two b');
    expect(texts().some((t) => t.startsWith('one '))).toBe(false);
    expect(texts()).toContain('two b');
    expect(a.ui).toMatchObject({ anchorSeq: null, matchSeq: null, query: 'a' }); // the search stays, its match is gone

    await a.run({ type: 'toggle-view' });
    a.ui = { ...a.ui, anchorSeq: 1 };
    await a.run({ type: 'clear' }); // merged view
    expect(texts()).toEqual([]);
    expect(texts('two.1')).toEqual([]);
    expect(a.ui.anchorSeq).toBeNull();
  });
});
