import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Follower, followersOf, RunStarts } from '../../src/engine/dependency-restarts.js';
import type { ProcessState } from '../../src/engine/process-state.js';
import { makeSettingsSupervisor } from '../helpers/settings-supervisor.js';

describe('which processes follow a dependency restart (pure)', () => {
  const follower = (name: string, status: Follower['status'], onDependencyRestart?: 'restart' | 'keep'): Follower => ({
    name,
    dependsOn: { db: 'ready' },
    onDependencyRestart,
    status,
  });

  it.each([
    ['running, restart', follower('web.1', 'running', 'restart'), true],
    ['ready, restart', follower('web.1', 'ready', 'restart'), true],
    ['starting, restart', follower('web.1', 'starting', 'restart'), true],
    ['waiting to restart (backoff), restart', follower('web.1', 'backoff', 'restart'), true],
    ['running, keep', follower('web.1', 'running', 'keep'), false],
    ['running, unset (keep)', follower('web.1', 'running'), false],
    ['stopped by hand', follower('web.1', 'stopped', 'restart'), false],
    ['exited', follower('web.1', 'exited', 'restart'), false],
    ['failed', follower('web.1', 'failed', 'restart'), false],
    ['still waiting (starts when it may anyway)', follower('web.1', 'waiting', 'restart'), false],
    ['already stopping', follower('web.1', 'stopping', 'restart'), false],
  ] as const)('%s', (_name, p, follows) => {
    expect(followersOf('db', [p])).toEqual(follows ? ['web.1'] : []);
  });

  it('only what depends on that entry', () => {
    const other: Follower = { name: 'worker.1', dependsOn: { web: 'started' }, onDependencyRestart: 'restart', status: 'running' };
    expect(followersOf('db', [follower('web.1', 'running', 'restart'), other])).toEqual(['web.1']);
  });

  it('a first run is not a restart; a new pid after it is', () => {
    const runs = new RunStarts();
    const state = (pid: number | undefined) => ({ name: 'db.1', pid }) as ProcessState;
    expect([state(undefined), state(10), state(10), state(undefined), state(11), state(11)].map((s) => runs.isRestart(s))).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
  });
});

describe('on_dependency_restart on real processes', () => {
  let h: ReturnType<typeof makeSettingsSupervisor> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it("r on db: web (restart) gets a new pid after db's new run; api (keep, the default) keeps its pid", async () => {
    h = makeSettingsSupervisor({
      db: { command: 'echo db up; sleep 60' },
      web: { command: 'echo web up; sleep 60', run: { dependsOn: { db: 'started' }, onDependencyRestart: 'restart', depth: 1 } },
      api: { command: 'echo api up; sleep 60', run: { dependsOn: { db: 'started' }, depth: 1 } },
    });
    h.supervisor.startAll();
    const up = (s: ProcessState) => s.status === 'running' && s.pid !== undefined;
    const db = await h.waitState('db.1', up, 'running');
    const web = await h.waitState('web.1', up, 'running');
    const api = await h.waitState('api.1', up, 'running');

    h.supervisor.restart('db.1');
    const db2 = await h.waitState('db.1', (s) => up(s) && s.pid !== db.pid, 'running again');
    const web2 = await h.waitState('web.1', (s) => up(s) && s.pid !== web.pid, 'running again');
    await h.waitLine('web.1', 'db.1 restarted: restarting it too (on_dependency_restart: restart)');
    // Following its dependency is not a failure of its own: ↻ does not count it.
    expect(web2.restarts).toBe(0);
    // web's new run began after db's new one: its start line comes later in the log.
    const startLine = (name: string, pid: number) => h!.logLines(name).find((l) => l.text === `started with pid ${pid}`)!;
    expect(startLine('web.1', web2.pid!).seq).toBeGreaterThan(startLine('db.1', db2.pid!).seq);
    expect(h.state('api.1')).toMatchObject({ pid: api.pid, restarts: 0, status: 'running' });
  });

  it("a follower waits for its dependency's condition again: ready means the new run's probe passed", async () => {
    const go = join(mkdtempSync(join(tmpdir(), 'devrun-deps-')), 'go');
    writeFileSync(go, '');
    h = makeSettingsSupervisor({
      // db says it listens once the file exists: the test decides when a run of db is ready.
      db: {
        command: 'echo db up; while [ ! -e "$GO" ]; do sleep 0.05; done; echo listening; sleep 60',
        run: {
          env: { GO: go },
          ready: { check: { kind: 'log', pattern: 'listening' }, intervalMs: 100, timeoutMs: 30_000, initialDelayMs: 0 },
        },
      },
      web: { command: 'echo web up; sleep 60', run: { dependsOn: { db: 'ready' }, onDependencyRestart: 'restart', depth: 1 } },
    });
    h.supervisor.startAll();
    await h.waitState('db.1', (s) => s.status === 'ready', 'ready');
    const web = await h.waitState('web.1', (s) => s.status === 'running' && s.pid !== undefined, 'running');

    rmSync(go);
    h.supervisor.restart('db.1');
    const waiting = await h.waitState('web.1', (s) => s.status === 'waiting', 'waiting again');
    expect(waiting).toMatchObject({ pid: undefined, reason: 'waiting for db (log /listening/)' });
    expect(h.state('db.1').status).toBe('starting');

    writeFileSync(go, '');
    await h.waitState('db.1', (s) => s.status === 'ready', 'ready again');
    const web2 = await h.waitState('web.1', (s) => s.status === 'running' && s.pid !== undefined, 'running again');
    expect(web2.pid).not.toBe(web.pid);
  });
});
