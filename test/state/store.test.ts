import { afterEach, describe, expect, it } from 'vitest';
import type { LogScope } from '../../src/control/process-control.js';
import { DashboardStore, type PaneRequest } from '../../src/state/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeControl, settle } from '../helpers/fake-control.js';
import { waitFor } from '../helpers/wait.js';

const MIN_INTERVAL = 50;
const TICK = 1000;
const web: LogScope = { kind: 'process', name: 'web.1' };
const pane = (scope: LogScope, anchorSeq: number | null = null, height = 3): PaneRequest => ({ scope, anchorSeq, height });

/** A store over a FakeControl on a FakeClock: no processes, no shells, every answer in memory. */
function dashboard(names = ['web.1', 'api.1'], floodIntervalMs?: number) {
  const clock = new FakeClock();
  const control = new FakeControl(names, { startedAt: clock.now() });
  const store = new DashboardStore(control, {
    clock,
    minIntervalMs: MIN_INTERVAL,
    tickMs: TICK,
    ...(floodIntervalMs && { floodIntervalMs }),
  });
  let notifications = 0;
  store.subscribe(() => notifications++);
  const h = {
    clock,
    control,
    store,
    notified() {
      const n = notifications;
      notifications = 0;
      return n;
    },
    async advance(ms: number) {
      clock.advance(ms);
      await settle();
    },
    snapshot: () => store.getSnapshot(),
    texts: () => store.getSnapshot().window?.lines.map((l) => l.text),
  };
  current = h;
  return h;
}

let current: { store: DashboardStore } | undefined;
afterEach(() => {
  current?.store.dispose();
  current = undefined;
});

describe('DashboardStore over a fake control', () => {
  it('pulls the pane window at once when the pane changes, and publishes it in the snapshot', async () => {
    const h = dashboard();
    h.control.print('web.1', 'one', 'two', 'three', 'four');
    h.control.print('api.1', 'api line');
    h.store.showPane(pane(web));
    expect(h.notified()).toBe(0); // the answer is on its way
    await settle();
    expect(h.notified()).toBe(1);
    expect(h.texts()).toEqual(['two', 'three', 'four']);
    expect(h.snapshot().window).toMatchObject({ following: true, below: 0, request: pane(web) });

    h.store.showPane(pane(web, 3)); // scrolled up: the line with seq 3 at the bottom
    await settle();
    expect(h.texts()).toEqual(['one', 'two', 'three']);
    expect(h.snapshot().window).toMatchObject({ following: false, below: 1 });
    h.store.showPane(pane(web, 3)); // the same pane: no request
    expect(h.control.requests.filter((r) => r.kind === 'window')).toHaveLength(2);
  });

  it('lines of processes the pane does not show cause no snapshot and no request', async () => {
    const h = dashboard();
    h.store.showPane(pane(web));
    await settle();
    h.notified();
    const asked = h.control.requests.length;
    h.control.print('api.1', 'not shown');
    await h.advance(MIN_INTERVAL * 3);
    expect(h.notified()).toBe(0);
    expect(h.control.requests.length).toBe(asked);

    h.store.showPane(pane({ kind: 'merged', only: ['web.1'] }));
    await settle();
    h.notified();
    h.control.print('api.1', 'filtered out');
    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(0);
    h.control.print('web.1', 'shown');
    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(1);
    expect(h.texts()).toEqual(['shown']);
  });

  it('a flood gives one pull and one snapshot per minIntervalMs, never one per line', async () => {
    const h = dashboard();
    h.store.showPane(pane(web));
    await settle();
    h.notified();
    const pulls = () => h.control.requests.filter((r) => r.kind === 'window').length;
    const before = pulls();
    for (let i = 1; i <= 500; i++) h.control.print('web.1', `line ${i}`);
    await settle();
    expect(h.notified()).toBe(0);
    await h.advance(MIN_INTERVAL - 1);
    expect(h.notified()).toBe(0);
    await h.advance(1);
    expect(h.notified()).toBe(1);
    expect(pulls()).toBe(before + 1);
    expect(h.texts()).toEqual(['line 498', 'line 499', 'line 500']);
    await h.advance(MIN_INTERVAL * 2); // nothing new: no pull, no snapshot
    expect(h.notified()).toBe(0);
    expect(pulls()).toBe(before + 1);
  });

  it('with floodIntervalMs, a pane that floods is pulled that much less often; a trickle or a key is not held back', async () => {
    const FLOOD = 4 * MIN_INTERVAL;
    const h = dashboard(['web.1', 'api.1'], FLOOD);
    h.store.showPane(pane(web));
    await settle();
    const pulls = () => h.control.requests.filter((r) => r.kind === 'window').length;
    const flood = (from: number) => h.control.print('web.1', ...Array.from({ length: 10 }, (_, i) => `line ${from + i}`));
    flood(0);
    await h.advance(MIN_INTERVAL);
    expect(h.texts()).toEqual(['line 7', 'line 8', 'line 9']); // the first window after one: not a flood yet
    flood(10); // more than the pane since the last window: flooding
    await h.advance(MIN_INTERVAL);
    expect(h.texts()).toEqual(['line 17', 'line 18', 'line 19']);
    const flooding = pulls();
    flood(20);
    await h.advance(MIN_INTERVAL);
    h.control.setUsage(new Map([['web.1', { cpu: 50, rss: 1 }]]));
    await h.advance(FLOOD - MIN_INTERVAL - 1);
    expect(pulls()).toBe(flooding); // the rest was published meanwhile, the window waits
    expect(h.snapshot().totals).toContain('CPU 50%');
    await h.advance(1);
    expect(pulls()).toBe(flooding + 1);
    expect(h.texts()).toEqual(['line 27', 'line 28', 'line 29']);

    h.control.print('web.1', 'a trickle'); // shares lines with the window: back to minIntervalMs
    await h.advance(FLOOD);
    expect(h.texts()).toEqual(['line 28', 'line 29', 'a trickle']);
    h.control.print('web.1', 'next');
    await h.advance(MIN_INTERVAL);
    expect(h.texts()).toEqual(['line 29', 'a trickle', 'next']);

    flood(30);
    await h.advance(MIN_INTERVAL);
    flood(40);
    await h.advance(MIN_INTERVAL); // flooding again
    const before = pulls();
    h.store.showPane(pane(web, 35)); // a key: pulled at once
    await settle();
    expect(pulls()).toBe(before + 1);
    expect(h.snapshot().window).toMatchObject({ following: false, request: pane(web, 35) });
  });

  it('a flooding pane that ends shows its last lines in the same snapshot as the exit, not a flood interval later', async () => {
    const FLOOD = 4 * MIN_INTERVAL;
    const h = dashboard(['web.1', 'api.1'], FLOOD);
    h.store.showPane(pane(web));
    await settle();
    const flood = (from: number) => h.control.print('web.1', ...Array.from({ length: 10 }, (_, i) => `line ${from + i}`));
    flood(0);
    await h.advance(MIN_INTERVAL);
    flood(10);
    await h.advance(MIN_INTERVAL); // flooding: the next pull waits FLOOD
    flood(20);
    h.control.setState('web.1', { status: 'exited', pid: undefined, lastExit: { code: 0, signal: null, at: 0, byUser: false } });
    await h.advance(MIN_INTERVAL);
    expect(h.snapshot().rows[0]!.statusText).toContain('exited');
    expect(h.texts()).toEqual(['line 27', 'line 28', 'line 29']);
  });

  it('one pull at a time: lines arriving while an answer is on its way cause one more pull after it', async () => {
    const h = dashboard();
    h.control.holdAnswers = true;
    h.store.showPane(pane(web));
    h.control.print('web.1', 'a');
    await h.advance(MIN_INTERVAL);
    h.control.print('web.1', 'b');
    await h.advance(MIN_INTERVAL);
    expect(h.control.requests.filter((r) => r.kind === 'window')).toHaveLength(1);
    h.control.release();
    await settle();
    expect(h.notified()).toBe(1);
    await h.advance(MIN_INTERVAL);
    expect(h.control.requests.filter((r) => r.kind === 'window')).toHaveLength(2);
    h.control.release();
    await settle();
    expect(h.texts()).toEqual(['a', 'b']);
  });

  it('an answer for a pane the user has left is dropped, and the current pane is asked for', async () => {
    const h = dashboard();
    h.control.print('web.1', 'web line');
    h.control.print('api.1', 'api line');
    h.control.holdAnswers = true;
    h.store.showPane(pane(web));
    h.store.showPane(pane({ kind: 'process', name: 'api.1' }));
    h.control.release();
    await settle();
    expect(h.snapshot().window).toBeNull(); // the web answer was not published
    h.control.release();
    await settle();
    expect(h.texts()).toEqual(['api line']);
  });

  it('a cleared log is pulled again at once', async () => {
    const h = dashboard();
    h.control.print('web.1', 'old');
    h.store.showPane(pane(web));
    await settle();
    await h.control.command({ type: 'clear-logs', name: 'web.1' });
    await settle();
    expect(h.texts()).toEqual([]);
  });

  it('a tick with nothing visible changed does not notify; a backoff countdown does', async () => {
    const h = dashboard(['once.1']);
    h.control.setState('once.1', { status: 'exited', pid: undefined, lastExit: { code: 0, signal: null, at: 0, byUser: false } });
    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(1);
    const snapshot = h.snapshot();
    await h.advance(5 * TICK);
    expect(h.notified()).toBe(0);
    expect(h.snapshot()).toBe(snapshot);

    h.control.setState('once.1', { status: 'backoff', restartAt: h.clock.now() + 3200 });
    await h.advance(MIN_INTERVAL);
    expect(h.snapshot().rows[0]!.statusText).toBe('restarting in 4s');
    h.notified();
    await h.advance(TICK);
    expect(h.notified()).toBe(1);
    expect(h.snapshot().rows[0]!.statusText).toBe('restarting in 3s');
  });

  it('reads usage, the state reason and shutdown progress from the control', async () => {
    const h = dashboard(['web.1']);
    h.control.setUsage(new Map([['web.1', { cpu: 12.5, rss: 64 * 1024 * 1024 }]]));
    h.control.setShutdown({ remaining: 1, total: 1 });
    h.control.setState('web.1', { status: 'failed', pid: undefined, reason: 'command not found: bundle' });
    await h.advance(MIN_INTERVAL);
    expect(h.snapshot().shutdown).toEqual({ remaining: 1, total: 1 });
    expect(h.snapshot().rows[0]!.statusText).toBe('failed (command not found: bundle)');
  });

  it('a process appearing and one disappearing (a reload) change the rows in the next snapshot, in the new order', async () => {
    const h = dashboard(['web.1', 'old.1']);
    h.store.showPane(pane({ kind: 'merged', only: null }));
    await h.advance(MIN_INTERVAL);
    h.notified();
    h.control.setProcesses(['db.1', 'web.1']);
    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(1);
    expect(h.snapshot().rows.map((r) => r.name)).toEqual(['db.1', 'web.1']);
    // Lines of the new process reach a pane that shows it; the one that left is no longer listed.
    h.control.print('db.1', 'db up');
    await h.advance(MIN_INTERVAL);
    expect(h.texts()).toContain('db up');
    h.control.setProcesses(['web.1']);
    await h.advance(MIN_INTERVAL);
    expect(h.snapshot().rows.map((r) => r.name)).toEqual(['web.1']);
  });

  it('attachScreen replays the recent raw output, then follows it; dispose stops everything', async () => {
    const h = dashboard(['vim.1']);
    h.control.terminalOutput('vim.1', 'hello');
    h.store.attachScreen('vim.1', 20, 3);
    h.control.terminalOutput('vim.1', ' world');
    // The emulator parses asynchronously: wait (with a deadline) until a snapshot shows both parts.
    await waitFor(
      async () => {
        await h.advance(MIN_INTERVAL);
        return h.snapshot().screen?.lines[0]?.includes('hello world');
      },
      { what: 'the screen to show the replayed and the live output' },
    );

    h.store.dispose();
    h.notified();
    h.control.print('vim.1', 'after dispose');
    expect(h.clock.pendingDelays()).toEqual([]);
    await h.advance(5 * TICK);
    expect(h.notified()).toBe(0);
  });
});
