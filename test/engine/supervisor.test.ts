import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, pgidOf } from '../helpers/procs.js';
import { makeSupervisor } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

type Harness = ReturnType<typeof makeSupervisor>;
let harness: Harness | undefined;
const use = (...args: Parameters<typeof makeSupervisor>) => (harness = makeSupervisor(...args));
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('supervisor on real processes', () => {
  it('restarts a process that crashes, with a new pid and a growing restart count', async () => {
    const h = use({ web: 'echo "up $$"; sleep 0.2; exit 3' });
    h.supervisor.startAll();
    const first = await h.waitState('web.1', (s) => s.pid !== undefined, 'running');
    await h.waitLine('web.1', /crashed \(exit 3\), restarting in 50ms/);
    const second = await h.waitState('web.1', (s) => s.restarts >= 1 && s.pid !== undefined && s.pid !== first.pid, 'restarted');
    expect(second.status).toBe('running');
    await h.waitLine('web.1', 'restarting in 100ms');
  });

  it('gives up after max restarts of short-lived runs and says so', async () => {
    const h = use({ bad: 'exit 2' }, { policy: { maxRestarts: 2 } });
    h.supervisor.startAll();
    const failed = await h.waitState('bad.1', (s) => s.status === 'failed', 'failed');
    expect(failed.restarts).toBe(2);
    expect(failed.lastExit?.code).toBe(2);
    await h.waitLine('bad.1', 'gave up after 2 restarts in a row');
  });

  it('a one-off that exits 0 ends alone and never stops the others', async () => {
    const h = use({ task: 'echo migrated', web: 'sleep 30' });
    h.supervisor.startAll();
    await h.waitState('task.1', (s) => s.status === 'exited', 'exited');
    expect(h.state('task.1').lastExit?.code).toBe(0);
    expect(h.state('web.1').status).toBe('running');
    expect(h.supervisor.allEnded()).toBe(false);
  });

  it('stop escalates to SIGKILL for a child that traps SIGTERM, and kills the whole group', async () => {
    const h = use({ stubborn: "trap 'echo got TERM' TERM; echo ready; while :; do sleep 0.05; done" }, { stopTimeoutMs: 400 });
    h.supervisor.startAll();
    await h.waitLine('stubborn.1', 'ready');
    const started = Date.now();
    h.supervisor.stop('stubborn.1');
    expect(h.state('stubborn.1').status).toBe('stopping');
    const stopped = await h.waitState('stubborn.1', (s) => s.status === 'stopped', 'stopped');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(stopped.lastExit).toMatchObject({ signal: 'SIGKILL', byUser: true });
    await h.waitLine('stubborn.1', 'did not stop within 400ms of SIGTERM: sent SIGKILL');
    expect(h.survivors()).toEqual([]);
  });

  it('signals go to the process group: grandchildren die with the shell', async () => {
    const h = use({ tree: 'sh -c "sleep 300 & sleep 300" & sleep 300' });
    h.supervisor.startAll();
    const { pid } = await h.waitState('tree.1', (s) => s.pid !== undefined, 'running');
    await waitFor(() => h.survivors().length >= 4, { what: 'the grandchildren to start' });
    expect(h.survivors().every((p) => pgidOf(p) === pid)).toBe(true);
    h.supervisor.stop('tree.1');
    await h.waitState('tree.1', (s) => s.status === 'stopped', 'stopped');
    expect(h.survivors()).toEqual([]);
  });

  it('when the leader exits by itself, what it left in its group is stopped before the restart', async () => {
    const h = use({ leaky: 'sleep 300 & echo "left $!"; exit 1' }, { policy: { maxRestarts: 0 } });
    h.supervisor.startAll();
    const line = await h.waitLine('leaky.1', /^left \d+/);
    const orphan = Number(line.split(' ')[1]);
    await h.waitState('leaky.1', (s) => s.status === 'failed', 'failed');
    expect(isAlive(orphan)).toBe(false);
    expect(h.survivors()).toEqual([]);
  });

  it('R restarts what runs and leaves a process the user stopped and a one-shot that finished', async () => {
    const h = use({ web: 'echo "pid $$"; exec sleep 300', once: 'echo done', admin: 'exec sleep 300' });
    h.supervisor.startAll();
    const web = await h.waitState('web.1', (s) => s.status === 'running', 'running');
    await h.waitState('once.1', (s) => s.status === 'exited', 'finished');
    await h.waitState('admin.1', (s) => s.status === 'running', 'running');
    h.supervisor.stop('admin.1');
    await h.waitState('admin.1', (s) => s.status === 'stopped', 'stopped');
    h.supervisor.restartAll();
    await h.waitState('web.1', (s) => s.status === 'running' && s.pid !== web.pid, 'restarted');
    expect([h.state('once.1').status, h.state('admin.1').status]).toEqual(['exited', 'stopped']);
    expect(h.lines('once.1').filter((l) => l === 'done')).toHaveLength(1);
    expect(h.state('web.1').restarts).toBe(0);
  });

  it('the state carries the first URL the current run printed', async () => {
    const h = use({ web: 'echo booting; echo "Local: http://localhost:$PORT/ ready"; echo "also https://other.test"; exec sleep 300' });
    h.supervisor.startAll();
    const { port } = h.state('web.1');
    const state = await h.waitState('web.1', (s) => s.url !== undefined, 'a URL');
    expect(state.url).toBe(`http://localhost:${port}/`);
  });

  it('restart while running stops the old run first; a restart asked for is not counted', async () => {
    const h = use({ web: 'echo "pid $$"; exec sleep 300' });
    h.supervisor.startAll();
    const first = await h.waitState('web.1', (s) => s.status === 'running', 'running');
    h.supervisor.restart('web.1');
    const second = await h.waitState('web.1', (s) => s.status === 'running' && s.pid !== first.pid, 'running again');
    expect(second.restarts).toBe(0);
    expect(isAlive(first.pid!)).toBe(false);
  });

  it('restarting one process stops what its run left outside its group, not what another process left', async () => {
    const escaping = (name: string) => `setsid sleep 300 & echo "${name} escaped $!"; exec sleep 301`;
    const h = use({ web: escaping('web'), worker: escaping('worker') });
    h.supervisor.startAll();
    const pidOf = async (name: string) => {
      const pid = Number((await h.waitLine(`${name}.1`, /escaped \d+/)).split(' ')[2]);
      // Until setsid ran, a stop of its group would still reach it.
      await waitFor(() => pgidOf(pid) === pid, { what: `${name}'s escapee to leave its group` });
      return pid;
    };
    const [web, worker] = [await pidOf('web'), await pidOf('worker')];
    h.supervisor.restart('web.1');
    await h.waitLine('web.1', `stopped 1 process that left its group: sleep 300 (pid ${web})`);
    expect(isAlive(web)).toBe(false);
    expect(isAlive(worker)).toBe(true);
  });

  it('is well-defined in backoff: stop cancels the restart, restart starts now', async () => {
    const h = use({ flaky: 'exit 1' }, { policy: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    h.supervisor.startAll();
    const backoff = await h.waitState('flaky.1', (s) => s.status === 'backoff', 'in backoff');
    expect(backoff.restartAt! - Date.now()).toBeGreaterThan(50_000);
    h.supervisor.restart('flaky.1');
    await h.waitState('flaky.1', (s) => s.restarts === 1 || s.status === 'running', 'restarted at once');
    await h.waitState('flaky.1', (s) => s.status === 'backoff', 'back in backoff');
    h.supervisor.stop('flaky.1');
    expect(h.state('flaky.1').status).toBe('stopped');
    expect(h.supervisor.allEnded()).toBe(true);
  });

  it('stop while starting, then start again, ends running', async () => {
    const h = use({ web: 'exec sleep 300' });
    h.supervisor.startAll();
    const first = h.state('web.1').pid;
    h.supervisor.stop('web.1');
    h.supervisor.start('web.1');
    await h.waitState('web.1', (s) => s.status === 'running' && s.pid !== first, 'running after stop+start');
    expect(h.state('web.1').restarts).toBe(0);
  });

  it('kill sends SIGKILL at once, even to a process that ignores SIGTERM', async () => {
    const h = use({ stubborn: "trap '' TERM; echo ready; exec sleep 300" }, { stopTimeoutMs: 60_000 });
    h.supervisor.startAll();
    await h.waitLine('stubborn.1', 'ready');
    h.supervisor.kill('stubborn.1');
    const s = await h.waitState('stubborn.1', (p) => p.status === 'stopped', 'stopped', 3000);
    expect(s.lastExit?.signal).toBe('SIGKILL');
  });

  it('forwards input to stdin and reads the answer', async () => {
    const h = use({ echo: 'while read line; do echo "got $line"; done' });
    h.supervisor.startAll();
    await h.waitState('echo.1', (s) => s.status === 'running', 'running');
    h.supervisor.write('echo.1', 'hello\n');
    await h.waitLine('echo.1', 'got hello');
  });

  it('stopAll stops everything in parallel and resolves when all groups are gone', async () => {
    const h = use(
      { a: "trap 'exit 0' TERM; while :; do sleep 0.05; done", b: "trap 'exit 0' TERM; while :; do sleep 0.05; done", c: 'sleep 300' },
      { stopTimeoutMs: 5000 },
    );
    h.supervisor.startAll();
    await waitFor(() => h.supervisor.processes().every((p) => p.status === 'running'), { what: 'all running' });
    await h.supervisor.stopAll();
    expect(h.supervisor.processes().map((p) => p.status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(h.survivors()).toEqual([]);
    h.supervisor.start('a.1');
    expect(h.state('a.1').status).toBe('stopped');
  });

  it('samples CPU and memory over the whole process tree', async () => {
    const h = use({ busy: 'sh -c "while :; do :; done" & sleep 300' }, { sampleIntervalMs: 200 });
    h.supervisor.startAll();
    const usage = await waitFor(
      () => {
        const u = h.supervisor.resourceUsage().get('busy.1');
        return u && u.cpu > 5 && u.rss > 0 && u;
      },
      { what: 'a sample showing the busy grandchild' },
    );
    expect(usage.rss).toBeGreaterThan(100_000);
  });
});
