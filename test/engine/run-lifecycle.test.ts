import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { defaultRestartPolicy } from '../../src/engine/restart-policy.js';
import { RunLifecycle, type StopCause } from '../../src/engine/run-lifecycle.js';
import { Supervisor } from '../../src/engine/supervisor.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeGroups, FakeRunner } from '../helpers/fake-runner.js';
import { waitFor } from '../helpers/wait.js';

/** A real supervisor over fake children, fake groups and one fake clock; signals come from an emitter. */
function harness(commands: string[], options: { waitForStop?: boolean } = {}) {
  const clock = new FakeClock();
  const runner = new FakeRunner();
  const groups = new FakeGroups(runner, clock);
  const supervisor = new Supervisor({
    specs: commands.map((command, index) => ({ name: `p${index}.1`, entry: `p${index}`, index, instance: 1, command, port: 5000 })),
    env: {},
    cwd: '/',
    runId: 'test-run',
    runner,
    groups,
    clock,
    stopTimeoutMs: 5000,
    sampleIntervalMs: 0,
    stopEscapees: false,
    policy: { ...defaultRestartPolicy, mode: 'never' },
  });
  const signals = new EventEmitter();
  const stops: StopCause['kind'][] = [];
  const lifecycle = new RunLifecycle(supervisor, {
    signals,
    waitForStop: options.waitForStop ?? false,
    onStop: (cause) => stops.push(cause.kind),
  });
  const outcome = lifecycle.run();
  let ended = false;
  void outcome.then(() => (ended = true));
  const notes = () =>
    supervisor.logs
      .lines('devrun')
      .toArray()
      .map((l) => l.text);
  const sent = () => groups.signals.map((s) => s.signal);
  return { clock, runner, groups, supervisor, signals, lifecycle, outcome, stops, notes, sent, ended: () => ended };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunLifecycle: stop requests', () => {
  it('SIGINT stops every process gracefully and ends with 130', async () => {
    const h = harness(['a', 'b']);
    h.signals.emit('SIGINT', 'SIGINT');
    expect(h.sent()).toEqual(['SIGTERM', 'SIGTERM']);
    expect(h.notes()).toEqual(['SIGINT received, stopping all processes']);
    const outcome = await h.outcome;
    expect(outcome).toMatchObject({ exitCode: 130, hungUp: false, internalError: false });
    expect(outcome.processes.map((p) => p.status)).toEqual(['stopped', 'stopped']);
  });

  it('a second SIGINT or quit kills at once; a SIGINT after q still makes it 130', async () => {
    const h = harness(['a']);
    h.runner.last.onTerm = 'ignores';
    h.lifecycle.requestStop({ kind: 'user', why: 'quit requested' });
    await settle();
    expect(h.sent()).toEqual(['SIGTERM']);
    h.signals.emit('SIGINT', 'SIGINT');
    expect(h.sent()).toEqual(['SIGTERM', 'SIGKILL']);
    expect(h.notes()).toContain('SIGINT received again: killing every process now');
    expect((await h.outcome).exitCode).toBe(130);
  });

  it('a hang-up is one graceful stop: SIGHUP and the terminal failing never escalate', async () => {
    const h = harness(['a', 'b']);
    for (const child of h.runner.children) child.onTerm = { exitsAfterMs: 4000 };
    h.signals.emit('SIGHUP', 'SIGHUP');
    h.lifecycle.requestStop({ kind: 'hangup', why: 'terminal closed' });
    h.signals.emit('SIGHUP', 'SIGHUP');
    h.lifecycle.requestStop({ kind: 'output-closed' });
    await settle();
    h.clock.advance(3999);
    expect(h.sent()).toEqual(['SIGTERM', 'SIGTERM']);
    h.clock.advance(1);
    const outcome = await h.outcome;
    expect(outcome).toMatchObject({ exitCode: 129, hungUp: true });
    expect(h.sent()).not.toContain('SIGKILL');
    expect(h.notes()).toEqual(['SIGHUP received, stopping all processes']);
  });

  it('a hang-up during a quit keeps the stop graceful and ends as a hang-up', async () => {
    const h = harness(['a']);
    h.runner.last.onTerm = { exitsAfterMs: 1000 };
    h.lifecycle.requestStop({ kind: 'user', why: 'quit requested' });
    h.lifecycle.requestStop({ kind: 'hangup', why: 'terminal closed' });
    expect(h.stops).toEqual(['user', 'hangup']);
    h.clock.advance(1000);
    const outcome = await h.outcome;
    expect(outcome.hungUp).toBe(true);
    expect(h.sent()).toEqual(['SIGTERM']);
  });

  it('an internal error stops gracefully and ends with 70', async () => {
    const h = harness(['a']);
    h.lifecycle.requestStop({ kind: 'internal-error', error: new Error('boom') });
    expect((await h.outcome).exitCode).toBe(70);
  });

  it('stops listening to signals once the run ended', async () => {
    const h = harness(['a']);
    expect(h.signals.listenerCount('SIGHUP')).toBe(1);
    h.signals.emit('SIGTERM', 'SIGTERM');
    expect((await h.outcome).exitCode).toBe(143);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(h.signals.listenerCount(signal)).toBe(0);
  });
});

describe('RunLifecycle: when a run ends', () => {
  it('headless: when every process ended by itself, with the first failure', async () => {
    const h = harness(['a', 'b']);
    h.runner.children[0]!.exit({ code: 0, signal: null });
    h.runner.children[1]!.exit({ code: 3, signal: null });
    expect((await h.outcome).exitCode).toBe(3);
  });

  it('a dashboard stays after every process ended, until someone quits', async () => {
    const h = harness(['a'], { waitForStop: true });
    h.runner.last.exit({ code: 0, signal: null });
    await waitFor(() => h.supervisor.allEnded(), { what: 'the process to end' });
    await settle();
    expect(h.ended()).toBe(false);
    h.lifecycle.requestStop({ kind: 'user', why: 'quit requested' });
    expect((await h.outcome).exitCode).toBe(0);
  });
});
