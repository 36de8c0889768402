import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WatchSettings } from '../../src/config/types.js';
import type { WatchFolder } from '../../src/engine/watch/tree-watcher.js';
import { inotifyWatches } from '../helpers/inotify.js';
import { makeSettingsSupervisor } from '../helpers/settings-supervisor.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real supervisor over real `sh` children in a fresh project folder; `watch` per entry. */
function harness(files: string[], entries: Record<string, { command: string; watch?: WatchSettings }>, watchFolder?: WatchFolder) {
  const root = mkdtempSync(join(tmpdir(), 'devrun-sup-watch-'));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  const h = makeSettingsSupervisor(
    Object.fromEntries(
      Object.entries(entries).map(([entry, e]) => [entry, { command: e.command, run: { stopTimeoutMs: 2000, watch: e.watch } }]),
    ),
    { cwd: root, watchFolder },
  );
  const { supervisor, state } = h;
  cleanups.push(async () => {
    await h.cleanup();
    rmSync(root, { recursive: true, force: true });
  });
  const lines = (name: string) => h.logLines(name).map((l) => l.text);
  const running = (name: string) => waitFor(() => state(name).status === 'running' && state(name).pid, { what: `${name} running` });
  return { root, supervisor, state, lines, running, touch: (f: string) => writeFileSync(join(root, f), String(Date.now())) };
}

describe('supervisor: watch restarts real processes', () => {
  it('touching a watched file restarts the process (a new pid) with a line naming the path; one under node_modules does not', async () => {
    const h = harness(['src/app.ts', 'node_modules/lib/index.ts'], {
      web: { command: 'sleep 300', watch: { globs: ['**/*.ts'], ignore: [] } },
      other: { command: 'sleep 300' },
    });
    const before = inotifyWatches().length;
    h.supervisor.startAll();
    const first = await h.running('web.1');
    // src and the root: nothing under node_modules is watched.
    expect(inotifyWatches().length - before).toBe(2);
    const held = new Set(inotifyWatches().map((w) => w.ino));
    for (const dir of ['node_modules', 'node_modules/lib']) expect(held.has(statSync(join(h.root, dir)).ino), dir).toBe(false);

    h.touch('node_modules/lib/index.ts');
    h.touch('src/app.ts');
    await waitFor(() => h.state('web.1').pid !== first && h.state('web.1').status === 'running', { what: 'web.1 running again, new pid' });
    expect(h.lines('web.1').filter((l) => l.endsWith('changed: restarting'))).toEqual(['src/app.ts changed: restarting']);
    // A restart the files asked for is not a failure: ↻ counts only those.
    expect(h.state('web.1').restarts).toBe(0);
    expect(h.lines('other.1').filter((l) => l.startsWith('started with pid'))).toHaveLength(1);

    await h.supervisor.stopAll();
    // Every watch is released when the run stops.
    expect(inotifyWatches().length).toBe(before);
  });

  it('a change while a restart is under way folds into it: one restart for a burst of saves around a slow stop', async () => {
    // The process takes a while to stop (it traps TERM): saves during the stop need no second restart.
    const h = harness(['src/a.ts', 'src/b.ts'], {
      web: { command: "trap 'sleep 0.5; exit 0' TERM; while :; do sleep 0.1; done", watch: { globs: ['src/*.ts'], ignore: [] } },
    });
    h.supervisor.startAll();
    const first = await h.running('web.1');
    h.touch('src/a.ts');
    await waitFor(() => h.state('web.1').status === 'stopping', { what: 'web.1 stopping' });
    h.touch('src/b.ts');
    await waitFor(() => h.state('web.1').pid !== first && h.state('web.1').status === 'running', { what: 'web.1 running again' });
    const second = h.state('web.1').pid;
    // A save after the new run started restarts it once more, alone: the save during the stop was not kept for later.
    h.touch('src/c.ts');
    await waitFor(() => h.state('web.1').pid !== second && h.state('web.1').status === 'running', { what: 'web.1 restarted again' });
    expect(h.lines('web.1').filter((l) => l.endsWith('changed: restarting'))).toEqual([
      'src/a.ts changed: restarting',
      'src/c.ts changed: restarting',
    ]);
  });

  it('out of inotify watches (ENOSPC): one line for the run naming fs.inotify.max_user_watches, and the processes run on', async () => {
    const full: WatchFolder = (path) => {
      throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${path}'`), { code: 'ENOSPC' });
    };
    const watch = { globs: ['src/**/*.ts'], ignore: [] };
    const h = harness(['src/a.ts'], { web: { command: 'sleep 300', watch }, api: { command: 'sleep 300', watch } }, full);
    h.supervisor.startAll();
    await h.running('web.1');
    await h.running('api.1');
    const lines = h.lines('devrun').filter((l) => l.includes('fs.inotify.max_user_watches'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cannot watch src and what is left: the system's limit of inotify watches is reached/);
  });
});
