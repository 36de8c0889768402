import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../src/engine/managed-process.js';
import { pipeRunner } from '../../src/engine/pipe-runner.js';
import { SystemProcessGroups } from '../../src/engine/process-groups.js';
import type { ProcessStatus } from '../../src/engine/process-state.js';
import { decideRestart, defaultRestartPolicy, type RestartPolicy } from '../../src/engine/restart-policy.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { waitFor } from '../helpers/wait.js';

const policy: RestartPolicy = defaultRestartPolicy;

describe('decideRestart', () => {
  it.each([
    // mode, success, uptime, streak -> restart?, delay, new streak
    ['on-failure', false, 100, 0, true, 1000, 1],
    ['on-failure', false, 100, 1, true, 2000, 2],
    ['on-failure', false, 100, 4, true, 16_000, 5],
    ['on-failure', false, 100, 5, true, 30_000, 6], // 32 s capped at 30 s
    ['on-failure', false, 100, 9, true, 30_000, 10],
    ['on-failure', false, 10_000, 9, true, 1000, 1], // a stable run resets the backoff
    ['on-failure', true, 100, 3, false, undefined, 3], // exit 0 under on-failure: a one-off, done
    ['always', true, 100, 0, true, 1000, 1],
    ['never', false, 100, 0, false, undefined, 0],
  ] as const)('%s success=%s uptime=%ims streak=%i', (mode, success, uptimeMs, streak, restart, delayMs, newStreak) => {
    const decision = decideRestart({ ...policy, mode }, { success, uptimeMs, streak });
    expect(decision.restart).toBe(restart);
    expect(decision.streak).toBe(newStreak);
    if (decision.restart) expect(decision.delayMs).toBe(delayMs);
  });

  it('gives up once max restarts short-lived runs happened in a row', () => {
    expect(decideRestart(policy, { success: false, uptimeMs: 100, streak: 10 })).toEqual({ restart: false, reason: 'gave-up', streak: 10 });
    expect(decideRestart({ ...policy, maxRestarts: 0 }, { success: false, uptimeMs: 100, streak: 0 })).toMatchObject({ reason: 'gave-up' });
  });
});

describe('backoff on a real crashing process, with a fake clock', () => {
  let proc: ManagedProcess | undefined;
  afterEach(() => proc?.kill());

  it('waits 1, 2, 4, 8, 16, 30, 30 s between quick crashes, then resets after a stable run', async () => {
    const clock = new FakeClock();
    let status: ProcessStatus = 'pending';
    // Each run waits for a line on stdin and then crashes: the test moves the fake clock to set its uptime.
    proc = new ManagedProcess({
      spec: { name: 'crash.1', entry: 'crash', index: 0, instance: 1, command: 'read line; exit 1', port: 5000 },
      env: { PATH: process.env.PATH ?? '', DEVRUN_RUN_ID: randomUUID() },
      cwd: process.cwd(),
      runner: pipeRunner,
      // The children are real, so their stops are too (on the real clock: they poll real processes).
      groups: new SystemProcessGroups(),
      clock,
      policy: { ...policy, maxRestarts: 100 },
      stopTimeoutMs: 1000,
      terminalSize: () => ({ columns: 80, rows: 24 }),
      onChange: () => {
        status = proc!.state().status;
      },
      onLines: () => undefined,
    });
    const delays: number[] = [];
    const crashAfter = async (uptimeMs: number) => {
      await waitFor(() => status === 'running', { what: 'a run' });
      clock.advance(uptimeMs);
      proc!.write('crash now\n');
      await waitFor(() => status === 'backoff', { what: 'backoff' });
      const pending = clock.pendingDelays().at(-1)!;
      delays.push(pending);
      clock.advance(pending);
    };
    proc.start();
    for (let i = 0; i < 7; i++) await crashAfter(0);
    await crashAfter(10_000);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 1000]);
    expect(proc.state().restarts).toBe(8);
  });
});
