import { describe, expect, it } from 'vitest';
import { lineText } from '../../src/engine/line-batch.js';
import { ManagedProcess } from '../../src/engine/managed-process.js';
import { MemoryLimits } from '../../src/engine/memory-limits.js';
import { defaultRestartPolicy, type RestartMode } from '../../src/engine/restart-policy.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeGroups, FakeRunner } from '../helpers/fake-runner.js';
import { waitFor } from '../helpers/wait.js';

/** One process on a fake runner, groups and clock. */
function harness(mode: RestartMode, maxRestarts = 10) {
  const clock = new FakeClock();
  const runner = new FakeRunner();
  const groups = new FakeGroups(runner, clock);
  const lines: string[] = [];
  const proc = new ManagedProcess({
    spec: { name: 'web.1', entry: 'web', index: 0, instance: 1, command: 'node server.js', port: 5000 },
    env: {},
    cwd: '/',
    runner,
    groups,
    clock,
    policy: { ...defaultRestartPolicy, mode, maxRestarts },
    stopTimeoutMs: 2000,
    terminalSize: () => ({ columns: 80, rows: 24 }),
    onChange: () => undefined,
    onLines: (_stream, batch) => lines.push(...batch.texts.map((_, i) => lineText(batch, i))),
  });
  const status = () => proc.state().status;
  const waitStatus = (want: string) => waitFor(() => status() === want, { what: `status ${want}, is ${status()}`, timeoutMs: 2000 });
  return { clock, runner, groups, lines, proc, status, waitStatus };
}

describe('a memory restart (fake runner, groups and clock)', () => {
  it('is a graceful stop with its stop signal, then a restart by backoff, even under restart: never', async () => {
    const h = harness('never');
    h.proc.start();
    h.proc.restartForMemory('using 612 MiB (limit 512 MiB) 2 samples in a row: restarting');
    expect(h.groups.signals).toEqual([{ target: 'group 1000', signal: 'SIGTERM' }]);
    await h.waitStatus('backoff');
    expect(h.lines).toEqual([
      'started with pid 1000',
      'using 612 MiB (limit 512 MiB) 2 samples in a row: restarting',
      'stopped for its memory (SIGTERM), restarting in 1s',
    ]);
    expect(h.proc.state().lastExit).toMatchObject({ byUser: false });
    h.clock.advance(1000);
    expect(h.proc.state()).toMatchObject({ status: 'running', pid: 1001, restarts: 1 });
  });

  it('counts as a failure: quick ones in a row back off longer, then give up after max restarts', async () => {
    const h = harness('always', 2);
    h.proc.start();
    h.proc.restartForMemory('over');
    await h.waitStatus('backoff');
    h.clock.advance(1000);
    h.proc.restartForMemory('over');
    await h.waitStatus('backoff');
    expect(h.lines.at(-1)).toBe('stopped for its memory (SIGTERM), restarting in 2s');
    h.clock.advance(2000);
    h.proc.restartForMemory('over');
    await h.waitStatus('failed');
    expect(h.lines.at(-1)).toBe('stopped for its memory (SIGTERM); gave up after 2 restarts in a row');
  });

  it('a stop by hand meanwhile wins: it ends stopped', async () => {
    const h = harness('always');
    h.proc.start();
    h.runner.last.onTerm = { exitsAfterMs: 500 };
    h.proc.restartForMemory('over');
    h.proc.stop();
    h.clock.advance(500);
    await h.waitStatus('stopped');
    expect(h.proc.state().lastExit).toMatchObject({ byUser: true });
  });

  it('does nothing to a process that is not up', () => {
    const h = harness('always');
    h.proc.restartForMemory('over');
    expect(h.status()).toBe('pending');
    expect(h.lines).toEqual([]);
  });
});

describe('memory limits: measures what is up, restarts after two samples over', () => {
  it('only processes with a run; one over twice in a row gets the line', () => {
    const restarted: string[] = [];
    const measured: number[] = [];
    const bytes = new Map([
      [10, 700 * 1024 ** 2],
      [20, 100 * 1024 ** 2],
    ]);
    const limited = (name: string, pid: number | undefined) => ({
      name,
      limit: 512 * 1024 ** 2,
      pid: () => pid,
      restartForMemory: (line: string) => restarted.push(`${name}: ${line}`),
    });
    const limits = new MemoryLimits({
      clock: new FakeClock(),
      processes: () => [limited('big', 10), limited('small', 20), limited('down', undefined)],
      treeBytes: ([leader]) => {
        measured.push(leader!);
        return bytes.get(leader!)!;
      },
    });
    const trees = (leader: number) => [leader, leader + 1];
    limits.sample(trees);
    expect(restarted).toEqual([]);
    limits.sample(trees);
    expect(restarted).toEqual(['big: using 700 MiB (limit 512 MiB) 2 samples in a row: restarting']);
    expect(measured).toEqual([10, 20, 10, 20]);
  });
});
