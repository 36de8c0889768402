import { describe, expect, it } from 'vitest';
import type { DependencyCondition, ReadyProbe } from '../../src/config/settings/types.js';
import type { ProcessSpec } from '../../src/config/types.js';
import { Supervisor } from '../../src/engine/supervisor.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeGroups, FakeRunner } from '../helpers/fake-runner.js';
import { waitFor } from '../helpers/wait.js';

interface Entry {
  dependsOn?: Record<string, DependencyCondition>;
  ready?: ReadyProbe['check'];
  depth?: number;
  autostart?: boolean;
  restart?: 'always' | 'never';
}

/** A supervisor over fake children, groups and clock; ports in `open` pass their probe. */
function harness(entries: Record<string, Entry>) {
  const clock = new FakeClock();
  const runner = new FakeRunner();
  const groups = new FakeGroups(runner, clock);
  const open = new Set<number>();
  const specs: ProcessSpec[] = Object.entries(entries).map(([entry, e], index) => ({
    name: `${entry}.1`,
    entry,
    index,
    instance: 1,
    command: `run ${entry}`,
    port: 5000 + index,
    run: {
      restart: e.restart ?? 'never',
      maxRestarts: 5,
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 5000,
      env: {},
      cwd: undefined,
      autostart: e.autostart ?? true,
      dependsOn: e.dependsOn ?? {},
      ready: e.ready && { check: e.ready, intervalMs: 1000, timeoutMs: 60_000, initialDelayMs: 0 },
      depth: e.depth ?? 0,
    },
  }));
  const supervisor = new Supervisor({
    specs,
    env: {},
    cwd: '/',
    runId: 'test',
    runner,
    clock,
    groups,
    stopEscapees: false,
    sampleIntervalMs: 0,
    probeAttempt: async (check) => check.kind === 'port' && open.has(check.port),
  });
  const state = (entry: string) => supervisor.processes().find((p) => p.entry === entry)!;
  const child = (entry: string) => runner.children.filter((c) => c.options.command === `run ${entry}`).at(-1);
  const started = () => runner.children.map((c) => c.options.command.slice(4));
  const waitStatus = (entry: string, want: string) =>
    waitFor(() => state(entry).status === want, { what: `${entry} ${want}, is ${state(entry).status}`, timeoutMs: 2000 });
  /** Lets probe answers and stop completions (promises) run. */
  const settle = () => new Promise((r) => setImmediate(r));
  return { clock, runner, groups, open, supervisor, state, child, started, waitStatus, settle };
}

const STACK: Record<string, Entry> = {
  db: { ready: { kind: 'port', port: 5432 } },
  migrate: { dependsOn: { db: 'ready' }, depth: 1 },
  web: { dependsOn: { db: 'ready', migrate: 'succeeded' }, depth: 2 },
};

describe('supervisor: starts wait for dependencies (fake runner, groups, clock)', () => {
  it('each starts once its dependencies meet their conditions; waiting shows the reason', async () => {
    const h = harness(STACK);
    h.supervisor.startAll();
    expect(h.started()).toEqual(['db']);
    expect(h.state('db')).toMatchObject({ status: 'starting' });
    expect(h.state('migrate')).toMatchObject({ status: 'waiting', reason: 'waiting for db (port 5432)' });
    expect(h.state('web')).toMatchObject({ status: 'waiting', reason: 'waiting for db (port 5432)' });
    h.open.add(5432);
    h.clock.advance(0);
    await h.waitStatus('db', 'ready');
    expect(h.started()).toEqual(['db', 'migrate']);
    expect(h.state('web')).toMatchObject({ status: 'waiting', reason: 'waiting for migrate (to succeed)' });
    h.child('migrate')!.exit({ code: 0, signal: null });
    await h.waitStatus('web', 'running');
    expect(h.started()).toEqual(['db', 'migrate', 'web']);
    // Each reason was said once, as a line of the process.
    const lines = h.supervisor.logs
      .lines('web.1')
      .toArray()
      .map((l) => l.text);
    expect(lines.filter((l) => l.startsWith('waiting'))).toEqual(['waiting for db (port 5432)', 'waiting for migrate (to succeed)']);
  });

  it('a failed dependency blocks its dependents (not started, not active); a successful rerun by hand unblocks them', async () => {
    const h = harness(STACK);
    h.open.add(5432);
    h.supervisor.startAll();
    h.clock.advance(0);
    await h.waitStatus('migrate', 'running');
    h.child('migrate')!.exit({ code: 1, signal: null });
    await h.waitStatus('web', 'blocked');
    expect(h.state('web').reason).toBe('migrate crashed: exit 1');
    expect(h.started()).toEqual(['db', 'migrate']);
    h.supervisor.restart('migrate.1');
    await h.waitStatus('migrate', 'running');
    h.child('migrate')!.exit({ code: 0, signal: null });
    await h.waitStatus('web', 'running');
  });

  it('s on a waiting process starts it at once; a dependent of an autostart: false process waits for s', async () => {
    const h = harness({
      db: { autostart: false },
      web: { dependsOn: { db: 'started' }, depth: 1 },
      other: { dependsOn: { db: 'started' }, depth: 1 },
    });
    h.supervisor.startAll();
    expect(h.state('db').status).toBe('stopped');
    expect(h.state('web')).toMatchObject({ status: 'waiting', reason: 'waiting for db (not started: s starts it)' });
    h.supervisor.start('web.1');
    expect(h.state('web').status).toBe('running');
    expect(h.state('other').status).toBe('waiting');
    h.supervisor.start('db.1');
    expect(h.state('other').status).toBe('running');
    expect(h.started()).toEqual(['web', 'db', 'other']);
  });
});

describe('supervisor: stops and R in dependency order', () => {
  const LAYERS: Record<string, Entry> = {
    db: {},
    api: { dependsOn: { db: 'started' }, depth: 1 },
    worker: { dependsOn: { db: 'started' }, depth: 1 },
    web: { dependsOn: { api: 'started' }, depth: 2 },
  };
  /** Every child takes 100 ms of the clock to end after SIGTERM. */
  const slowToStop = (h: ReturnType<typeof harness>) => {
    for (const c of h.runner.children) c.onTerm = { exitsAfterMs: 100 };
  };
  const termed = (h: ReturnType<typeof harness>) =>
    h.groups.signals.map((s) => h.runner.children.find((c) => `group ${c.pid}` === s.target)!.options.command.slice(4));

  it('stopAll: deepest first, a depth in parallel, the next once those ended; a kill then ends all at once', async () => {
    const h = harness(LAYERS);
    h.supervisor.startAll();
    expect(h.started()).toEqual(['db', 'api', 'worker', 'web']);
    slowToStop(h);
    const done = h.supervisor.stopAll();
    expect(termed(h)).toEqual(['web']);
    h.clock.advance(100);
    await h.waitStatus('web', 'stopped');
    await h.settle();
    expect(termed(h)).toEqual(['web', 'api', 'worker']);
    h.clock.advance(99);
    await h.settle();
    expect(termed(h)).toEqual(['web', 'api', 'worker']);
    h.clock.advance(1);
    await h.waitStatus('worker', 'stopped');
    await h.settle();
    expect(termed(h)).toEqual(['web', 'api', 'worker', 'db']);
    void h.supervisor.killAll();
    await done;
    expect(h.supervisor.allEnded()).toBe(true);
  });

  it('a process that ends by itself while a deeper one is being stopped is not restarted', async () => {
    const h = harness({ db: { restart: 'always' }, web: { dependsOn: { db: 'started' }, depth: 1 } });
    h.supervisor.startAll();
    slowToStop(h);
    const done = h.supervisor.stopAll();
    h.child('db')!.exit({ code: 1, signal: null });
    await h.waitStatus('db', 'crashed');
    h.clock.advance(100);
    await done;
    h.clock.advance(60_000);
    expect(h.started()).toEqual(['db', 'web']);
  });

  it('R: stops in reverse order, then starts in dependency order; nothing starts before every level stopped', async () => {
    const h = harness(LAYERS);
    h.supervisor.startAll();
    slowToStop(h);
    h.supervisor.restartAll();
    expect(termed(h)).toEqual(['web']);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(100);
      await h.settle();
      await h.settle();
    }
    await h.waitStatus('web', 'running');
    expect(termed(h)).toEqual(['web', 'api', 'worker', 'db']);
    expect(h.started()).toEqual(['db', 'api', 'worker', 'web', 'db', 'api', 'worker', 'web']);
    expect(h.supervisor.processes().map((p) => [p.entry, p.status, p.restarts])).toEqual([
      ['db', 'running', 0],
      ['api', 'running', 0],
      ['worker', 'running', 0],
      ['web', 'running', 0],
    ]);
  });
});
