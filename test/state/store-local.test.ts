import { afterEach, describe, expect, it } from 'vitest';
import { LocalControl } from '../../src/control/local-control.js';
import { defaultRestartPolicy, type RestartPolicy } from '../../src/engine/restart-policy.js';
import { DashboardStore } from '../../src/state/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { settle } from '../helpers/fake-control.js';
import { makeSupervisor } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

const MIN_INTERVAL = 50;
const TICK = 1000;

/**
 * Real `sh` children under a supervisor and a store that share one FakeClock: the store's countdowns
 * and uptimes compare the supervisor's timestamps with the store's clock, so both must read the same
 * time. Only devrun's own timers run on the fake clock: output, exits and stop escalation are real.
 */
function dashboard(commands: Record<string, string>, options: { policy?: Partial<RestartPolicy>; stopTimeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const policy = { ...defaultRestartPolicy, ...options.policy };
  const h = makeSupervisor(commands, { policy, stopTimeoutMs: options.stopTimeoutMs, clock });
  const control = new LocalControl(h.supervisor, () => {});
  const store = new DashboardStore(control, { clock, minIntervalMs: MIN_INTERVAL, tickMs: TICK });
  store.showPane({ scope: { kind: 'merged', only: null }, anchorSeq: null, height: 5 });
  let notifications = 0;
  store.subscribe(() => notifications++);
  return {
    ...h,
    clock,
    store,
    /** Moves the clock, then lets the store's window requests be answered. */
    async advance(ms: number) {
      clock.advance(ms);
      await settle();
    },
    /** Notifications since the last call. */
    notified() {
      const n = notifications;
      notifications = 0;
      return n;
    },
    row: (name: string) => store.getSnapshot().rows.find((r) => r.name === name)!,
    waitLines: (name: string, count: number) =>
      waitFor(() => h.supervisor.logs.lines(name).size >= count, { what: `${name} to have ${count} lines` }),
    async cleanup() {
      store.dispose();
      control.dispose();
      await h.cleanup();
    },
  };
}

let current: ReturnType<typeof dashboard> | undefined;
const use = (...args: Parameters<typeof dashboard>) => (current = dashboard(...args));
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

describe('DashboardStore over LocalControl and a real supervisor', () => {
  it('lines of processes the pane does not show cause no new snapshot', async () => {
    const h = use({ shown: 'exec sleep 30', other: 'read x; echo "other line"; exec sleep 30' });
    h.supervisor.startAll();
    await h.waitState('other.1', (s) => s.status === 'running', 'running');
    await h.waitLines('other.1', 1);
    h.store.showPane({ scope: { kind: 'process', name: 'shown.1' }, anchorSeq: null, height: 5 });
    await h.advance(TICK);
    h.notified();
    h.supervisor.write('other.1', 'go\n');
    await h.waitLines('other.1', 2);
    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(0);
    h.store.showPane({ scope: { kind: 'merged', only: null }, anchorSeq: null, height: 5 });
    await settle(); // a new pane is pulled at once
    expect(h.notified()).toBe(1);
    expect(h.store.getSnapshot().window!.lines.at(-1)!.text).toBe('other line');
  });

  it('a burst of log lines gives one notification after minIntervalMs, not one per line', async () => {
    const h = use({ burst: 'i=1; while [ $i -le 300 ]; do echo "line $i"; i=$((i+1)); done; exec sleep 30' });
    await settle();
    h.notified(); // the first (empty) window
    h.supervisor.startAll();
    // started-with-pid + 300 lines: they arrive in several chunks, each an event the store must coalesce.
    await h.waitLines('burst.1', 301);
    await h.waitState('burst.1', (s) => s.status === 'running', 'running');
    expect(h.notified()).toBe(0); // nothing is pushed synchronously, per event or per line
    const before = h.store.getSnapshot();

    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(1);
    const after = h.store.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.window!.lines.map((l) => l.text)).toEqual(['line 296', 'line 297', 'line 298', 'line 299', 'line 300']);
    expect(h.row('burst.1')).toMatchObject({ statusText: 'running', uptime: '<1m' });

    await h.advance(MIN_INTERVAL * 2); // nothing new: no timer left, no notification
    expect(h.notified()).toBe(0);
    expect(h.store.getSnapshot()).toBe(after);
  });

  it('a backoff countdown changes the snapshot at each tick', async () => {
    const h = use({ flaky: 'exit 1' }, { policy: { initialDelayMs: 3200, maxDelayMs: 3200 } });
    await settle();
    h.notified(); // the first (empty) window
    h.supervisor.startAll();
    await h.waitState('flaky.1', (s) => s.status === 'backoff', 'in backoff');
    await h.advance(MIN_INTERVAL); // the first snapshot, 3.2 s before the restart
    expect(h.notified()).toBe(1);
    expect(h.row('flaky.1').statusText).toBe('restarting in 4s');
    expect(h.store.getSnapshot().totals).toBe('1 restarting');

    await h.advance(TICK / 2); // no tick yet
    expect(h.notified()).toBe(0);
    await h.advance(TICK / 2 - MIN_INTERVAL); // the first tick, 2.2 s left
    expect(h.notified()).toBe(1);
    expect(h.row('flaky.1').statusText).toBe('restarting in 3s');
    await h.advance(TICK); // the next tick, 1.2 s left
    expect(h.notified()).toBe(1);
    expect(h.row('flaky.1').statusText).toBe('restarting in 2s');
  });

  it('shows shutdown progress after stopAll, counting down to 0 of the total', async () => {
    const h = use({ fast: 'exec sleep 30', slow: "trap '' TERM; echo ready; while :; do sleep 0.05; done" }, { stopTimeoutMs: 3000 });
    h.supervisor.startAll();
    await h.waitLines('slow.1', 2);
    await h.waitState('fast.1', (s) => s.status === 'running', 'running');
    await h.advance(MIN_INTERVAL);
    expect(h.store.getSnapshot().shutdown).toBeNull();
    h.notified();

    const stopped = h.supervisor.stopAll();
    await h.advance(MIN_INTERVAL);
    expect(h.notified()).toBe(1);
    expect(h.store.getSnapshot().shutdown).toEqual({ remaining: 2, total: 2 });
    expect(h.row('fast.1').statusText).toBe('stopping…');

    // fast stops on SIGTERM; slow ignores it and waits for the SIGKILL 3 s later.
    await h.waitState('fast.1', (s) => s.status === 'stopped', 'stopped');
    expect(h.supervisor.processes().find((p) => p.name === 'slow.1')!.status).toBe('stopping');
    await h.advance(MIN_INTERVAL);
    expect(h.store.getSnapshot().shutdown).toEqual({ remaining: 1, total: 2 });
    expect(h.store.getSnapshot().totals).toBe('1 stopping · 1 stopped');

    await stopped;
    await h.advance(MIN_INTERVAL);
    expect(h.store.getSnapshot().shutdown).toEqual({ remaining: 0, total: 2 });
    expect(h.store.getSnapshot().totals).toBe('2 stopped');
  });
});
