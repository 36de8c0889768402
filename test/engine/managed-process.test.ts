import { describe, expect, it } from 'vitest';
import type { ReadyProbe } from '../../src/config/settings/types.js';
import type { Escapee } from '../../src/engine/escapees.js';
import { lineText } from '../../src/engine/line-batch.js';
import { ManagedProcess } from '../../src/engine/managed-process.js';
import type { ProbeAttempt } from '../../src/engine/probes/attempt.js';
import { defaultRestartPolicy, type RestartPolicy } from '../../src/engine/restart-policy.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeGroups, FakeRunner } from '../helpers/fake-runner.js';
import { waitFor } from '../helpers/wait.js';

/** The state machine with a fake runner, fake groups and one fake clock: no real process, no real time. */
function harness(
  options: {
    command?: string;
    policy?: Partial<RestartPolicy>;
    escapees?: Escapee[];
    ready?: ReadyProbe;
    probeAttempt?: ProbeAttempt;
  } = {},
) {
  const clock = new FakeClock();
  const runner = new FakeRunner();
  const groups = new FakeGroups(runner, clock);
  const lines: string[] = [];
  let scans = 0;
  const proc = new ManagedProcess({
    spec: { name: 'web.1', entry: 'web', index: 0, instance: 1, command: options.command ?? 'node server.js', port: 5000 },
    env: {},
    cwd: '/',
    runner,
    groups,
    clock,
    policy: { ...defaultRestartPolicy, ...options.policy },
    stopTimeoutMs: 2000,
    ready: options.ready,
    probeAttempt: options.probeAttempt,
    terminalSize: () => ({ columns: 80, rows: 24 }),
    onChange: () => undefined,
    onLines: (_stream, batch) => lines.push(...batch.texts.map((_, i) => lineText(batch, i))),
    findEscapees: () => {
      scans += 1;
      const found = options.escapees ?? [];
      for (const e of found) groups.escaped.add(e.pid);
      return found;
    },
  });
  const status = () => proc.state().status;
  const waitStatus = (want: string) => waitFor(() => status() === want, { what: `status ${want}, is ${status()}`, timeoutMs: 2000 });
  return { clock, runner, groups, lines, proc, status, waitStatus, scans: () => scans };
}

describe('ManagedProcess stops (fake runner, groups and clock)', () => {
  it('stop sends SIGTERM to the group and ends as stopped by the user', async () => {
    const h = harness();
    h.proc.start();
    expect(h.status()).toBe('running');
    h.proc.stop();
    expect(h.status()).toBe('stopping');
    expect(h.groups.signals).toEqual([{ target: 'group 1000', signal: 'SIGTERM' }]);
    await h.waitStatus('stopped');
    expect(h.proc.state().lastExit).toMatchObject({ signal: 'SIGTERM', byUser: true });
  });

  it('allows the whole timeout for a slow handler, then SIGKILL and its notice on the same clock', async () => {
    const h = harness();
    h.proc.start();
    h.runner.last.onTerm = 'ignores';
    h.proc.stop();
    h.clock.advance(1999);
    expect(h.groups.signals.map((s) => s.signal)).toEqual(['SIGTERM']);
    expect(h.lines.join('\n')).not.toContain('SIGKILL');
    h.clock.advance(1);
    expect(h.groups.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(h.lines).toContain('did not stop within 2s of SIGTERM: sent SIGKILL');
    await h.waitStatus('stopped');
  });

  it('a handler that finishes within the timeout is never killed', async () => {
    const h = harness();
    h.proc.start();
    h.runner.last.onTerm = { exitsAfterMs: 1500 };
    h.proc.stop();
    h.clock.advance(1500);
    await h.waitStatus('stopped');
    h.clock.advance(5000);
    expect(h.groups.signals.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  it('kill while stopping sends SIGKILL at once', async () => {
    const h = harness();
    h.proc.start();
    h.runner.last.onTerm = 'ignores';
    h.proc.stop();
    h.proc.kill();
    expect(h.groups.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    await h.waitStatus('stopped');
    expect(h.lines.join('\n')).not.toContain('did not stop');
  });

  it('restart stops the old run, then starts a new child; a restart asked for is not counted in restarts', async () => {
    const h = harness();
    h.proc.start();
    h.proc.restart();
    await waitFor(() => h.runner.children.length === 2, { what: 'a second child' });
    expect(h.status()).toBe('running');
    expect(h.proc.state().restarts).toBe(0);
  });
});

describe('ManagedProcess and what escaped its group', () => {
  const sleeper: Escapee = { pid: 4242, command: 'sleep 300', process: 'web.1' };

  it('a stop also stops what left the group, and names it in one line', async () => {
    const h = harness({ escapees: [sleeper] });
    h.proc.start();
    h.proc.stop();
    await h.waitStatus('stopped');
    expect(h.groups.signals).toContainEqual({ target: 'pid 4242', signal: 'SIGTERM' });
    expect(h.lines).toContain('stopped 1 process that left its group: sleep 300 (pid 4242)');
  });

  it('a crash stops them before the restart', async () => {
    const h = harness({ escapees: [sleeper] });
    h.proc.start();
    h.runner.last.exit({ code: 1, signal: null });
    await h.waitStatus('backoff');
    expect(h.scans()).toBe(1);
    expect(h.groups.signals).toContainEqual({ target: 'pid 4242', signal: 'SIGTERM' });
  });

  it('a one-off that exits 0 leaves its daemon running (devrun stops it when it ends)', async () => {
    const h = harness({ escapees: [sleeper] });
    h.proc.start();
    h.runner.last.exit({ code: 0, signal: null });
    await h.waitStatus('exited');
    expect(h.scans()).toBe(0);
  });

  it('a stop while the escapees of a crashed run are being stopped ends as stopped, never restarted', async () => {
    const h = harness({ escapees: [sleeper] });
    h.groups.escapedTermMs = 1000;
    h.proc.start();
    h.runner.last.exit({ code: 1, signal: null });
    await waitFor(() => h.groups.signals.some((s) => s.target === 'pid 4242'), { what: 'the escapee stop' });
    h.proc.stop();
    h.clock.advance(1000);
    await h.waitStatus('stopped');
    h.clock.advance(60_000);
    expect(h.runner.children).toHaveLength(1);
  });

  it('kill during that phase kills the escapees at once and cancels a restart asked for meanwhile', async () => {
    const h = harness({ escapees: [sleeper] });
    h.groups.escapedTermMs = 1000;
    h.proc.start();
    h.runner.last.exit({ code: 1, signal: null });
    await waitFor(() => h.groups.signals.some((s) => s.target === 'pid 4242'), { what: 'the escapee stop' });
    h.proc.restart();
    h.proc.kill();
    expect(h.groups.signals).toContainEqual({ target: 'pid 4242', signal: 'SIGKILL' });
    await h.waitStatus('stopped');
    expect(h.runner.children).toHaveLength(1);
  });

  it('kill sends SIGKILL to them too', async () => {
    const h = harness({ escapees: [sleeper] });
    h.proc.start();
    h.proc.kill();
    await h.waitStatus('stopped');
    expect(h.groups.signals).toContainEqual({ target: 'pid 4242', signal: 'SIGKILL' });
    expect(h.groups.signals).not.toContainEqual({ target: 'pid 4242', signal: 'SIGTERM' });
  });
});

describe('ManagedProcess and commands that cannot run', () => {
  it.each([
    [127, 'bundle exec rails s', 'command not found: bundle'],
    [126, './bin/server --port 3000', 'command not executable: ./bin/server'],
    [127, 'cd web && npm start', 'command not found'],
  ])('exit %i soon after the start fails at once: %s', async (code, command, reason) => {
    const h = harness({ command });
    h.proc.start();
    h.clock.advance(300);
    h.runner.last.exit({ code, signal: null });
    await h.waitStatus('failed');
    expect(h.proc.state().reason).toBe(reason);
    expect(h.lines).toContain(`${reason} (exit ${code}); not restarting it`);
    expect(h.clock.pendingDelays()).toEqual([]);
    // r tries again, and a good run clears the reason.
    h.proc.restart();
    expect(h.runner.children).toHaveLength(2);
    expect(h.proc.state().reason).toBeUndefined();
  });

  it('a 127 after a long run is an ordinary crash, restarted with backoff', async () => {
    const h = harness({ command: 'bundle exec rails s' });
    h.proc.start();
    h.clock.advance(60_000);
    h.runner.last.exit({ code: 127, signal: null });
    await h.waitStatus('backoff');
    expect(h.proc.state().reason).toBeUndefined();
  });
});

describe('ManagedProcess terminal size', () => {
  it('starts at the default size until given one; a restart starts at the size it was last given', async () => {
    const h = harness();
    h.proc.start();
    expect(h.runner.last.options).toMatchObject({ columns: 80, rows: 24 });
    h.proc.resize(100, 30);
    h.proc.restart();
    await waitFor(() => h.runner.children.length === 2, { what: 'the second run', timeoutMs: 2000 });
    expect(h.runner.last.options).toMatchObject({ columns: 100, rows: 30 });
  });
});

describe('ManagedProcess readiness and waiting (fake runner, groups and clock)', () => {
  const probe = (check: ReadyProbe['check']): ReadyProbe => ({ check, intervalMs: 1000, timeoutMs: 2000, initialDelayMs: 0 });

  it('with a probe: starting (with its pid) until it passes, then ready, with a line saying so', async () => {
    let open = false;
    const h = harness({ ready: probe({ kind: 'port', port: 5432 }), probeAttempt: async () => open });
    h.proc.start();
    expect(h.proc.state()).toMatchObject({ status: 'starting', pid: 1000 });
    h.clock.advance(0);
    await new Promise((r) => setImmediate(r));
    expect(h.status()).toBe('starting');
    open = true;
    h.clock.advance(1000);
    await h.waitStatus('ready');
    expect(h.lines.at(-1)).toBe('ready: port 5432 after 1s');
    h.proc.restart();
    await h.waitStatus('starting');
    expect(h.proc.state().pid).toBe(1001);
  });

  it('a log probe matches a line written in two chunks', async () => {
    const h = harness({ ready: probe({ kind: 'log', pattern: 'listening on port \\d+' }) });
    h.proc.start();
    h.runner.last.print('Server listening on ');
    h.clock.advance(10);
    expect(h.status()).toBe('starting');
    h.runner.last.print('port 3000\nmore\n');
    expect(h.status()).toBe('ready');
    expect(h.lines.slice(-3)).toEqual(['Server listening on port 3000', 'more', 'ready: log /listening on port \\d+/ after 10ms']);
  });

  it('not ready before the timeout: stopped, then failed with the reason (not by the user, not restarted)', async () => {
    const h = harness({ ready: probe({ kind: 'log', pattern: 'never' }), policy: { mode: 'always' } });
    h.proc.start();
    h.clock.advance(2000);
    expect(h.status()).toBe('stopping');
    expect(h.groups.signals).toEqual([{ target: 'group 1000', signal: 'SIGTERM' }]);
    await h.waitStatus('failed');
    expect(h.proc.state()).toMatchObject({ reason: 'not ready after 2 s', lastExit: { signal: 'SIGTERM', byUser: false } });
    expect(h.lines.slice(-2)).toEqual([
      'not ready after 2 s (log /never/): stopping it',
      'not ready after 2 s (SIGTERM); not restarting it',
    ]);
    h.clock.advance(60_000);
    expect(h.runner.children).toHaveLength(1);
  });

  it('wait and block: a line once per reason; only from pending, waiting or blocked; stop and start from there', () => {
    const h = harness();
    h.proc.wait('waiting for db (port 5432)');
    h.proc.wait('waiting for db (port 5432)');
    h.proc.block('db crashed: exit 1');
    expect(h.lines).toEqual(['waiting for db (port 5432)', 'not started: db crashed: exit 1']);
    expect(h.proc.state()).toMatchObject({ status: 'blocked', reason: 'db crashed: exit 1' });
    h.proc.stop();
    expect(h.proc.state()).toMatchObject({ status: 'stopped', reason: undefined });
    h.proc.wait('waiting for db (to start)');
    expect(h.status()).toBe('stopped');
    h.proc.start();
    expect(h.status()).toBe('running');
  });

  it('hold: the run is stopped and it waits to be started again, not counted as a restart (the user asked)', async () => {
    const h = harness();
    h.proc.start();
    h.proc.hold();
    expect(h.status()).toBe('stopping');
    await h.waitStatus('waiting');
    expect(h.proc.state().restarts).toBe(0);
    expect(h.runner.children).toHaveLength(1);
    h.proc.start();
    expect(h.status()).toBe('running');
  });
});
