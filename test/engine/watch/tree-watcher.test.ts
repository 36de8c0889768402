import { mkdirSync, mkdtempSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TreeWatcher, type WatchFolder } from '../../../src/engine/watch/tree-watcher.js';
import { WatchPlan } from '../../../src/engine/watch/watch-plan.js';
import { inotifyWatches } from '../../helpers/inotify.js';
import { waitFor } from '../../helpers/wait.js';

const dirs: string[] = [];
const watchers: TreeWatcher[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project folder with these files (their folders made). */
function project(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'devrun-watch-'));
  dirs.push(root);
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  return root;
}

function start(root: string, globs: string[], ignore: string[] = [], watchFolder?: WatchFolder) {
  const changes: string[] = [];
  const problems: string[] = [];
  const tree = new TreeWatcher({
    root,
    plan: new WatchPlan({ globs, ignore }),
    onChange: (path) => changes.push(path),
    onProblem: (text) => problems.push(text),
    watch: watchFolder,
  });
  watchers.push(tree);
  tree.start();
  return { tree, changes, problems };
}

/** Inodes of these folders that this process holds an inotify watch on. */
const watchedAmong = (root: string, folders: string[]) => {
  const held = new Set(inotifyWatches().map((w) => w.ino));
  return folders.filter((f) => held.has(statSync(join(root, f)).ino));
};

describe('tree watcher (real folders, real inotify)', () => {
  it('watches only the folders that could hold a match: no inotify watch under node_modules, .git or an ignored folder', () => {
    const deps = Array.from({ length: 30 }, (_, i) => `node_modules/dep${i}/lib/index.ts`);
    const root = project(['src/app.ts', 'src/lib/util.ts', 'docs/a.ts', '.git/objects/x', 'src/gen/out.ts', ...deps]);
    const before = inotifyWatches().length;
    const { tree } = start(root, ['src/**/*.ts'], ['src/gen']);
    expect(tree.size).toBe(2);
    expect(inotifyWatches().length - before).toBe(2);
    expect(watchedAmong(root, ['src', 'src/lib'])).toEqual(['src', 'src/lib']);
    expect(watchedAmong(root, ['.', 'node_modules', 'node_modules/dep0', 'node_modules/dep0/lib', '.git', 'docs', 'src/gen'])).toEqual([]);
    tree.close();
    expect(inotifyWatches().length).toBe(before);
  });

  it('with a glob over the whole tree, node_modules content adds no watch', () => {
    const plain = project(['a.ts', 'lib/b.ts']);
    const withDeps = project(['a.ts', 'lib/b.ts', ...Array.from({ length: 20 }, (_, i) => `node_modules/d${i}/x/i.ts`)]);
    const before = inotifyWatches().length;
    start(plain, ['**/*.ts']);
    const one = inotifyWatches().length - before;
    start(withDeps, ['**/*.ts']);
    expect(inotifyWatches().length - before - one).toBe(one);
    expect(one).toBe(2);
  });

  it('reports changed files that match, watches new folders (and what they already hold), releases removed ones', async () => {
    const root = project(['src/app.ts', 'src/notes.md']);
    const { tree, changes } = start(root, ['src/**/*.ts']);
    writeFileSync(join(root, 'src/notes.md'), 'x');
    writeFileSync(join(root, 'src/app.ts'), 'x');
    await waitFor(() => changes.includes('src/app.ts'), { what: 'src/app.ts reported' });
    expect(changes).not.toContain('src/notes.md');

    mkdirSync(join(root, 'src/feature/deep'), { recursive: true });
    writeFileSync(join(root, 'src/feature/deep/new.ts'), '');
    await waitFor(() => tree.size === 3, { what: 'the new folders watched' });
    await waitFor(() => changes.includes('src/feature/deep/new.ts'), { what: 'the new file reported' });
    writeFileSync(join(root, 'src/feature/deep/new.ts'), 'y');
    const count = changes.length;
    await waitFor(() => changes.length > count, { what: 'a write in the new folder reported' });

    const held = inotifyWatches().length;
    rmSync(join(root, 'src/feature'), { recursive: true });
    await waitFor(() => tree.size === 1, { what: 'the removed folders released' });
    await waitFor(() => inotifyWatches().length === held - 2, { what: 'their inotify watches gone' });
  });

  it('running out of inotify watches (ENOSPC) gives one line naming fs.inotify.max_user_watches and keeps what it has', async () => {
    const root = project(['src/a/x.ts', 'src/b/x.ts', 'src/c/x.ts', 'src/d/x.ts']);
    let calls = 0;
    const limited: WatchFolder = (path, listener) => {
      calls += 1;
      if (calls > 2)
        throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${path}'`), { code: 'ENOSPC' });
      return watch(path, { persistent: false }, listener);
    };
    const { tree, problems, changes } = start(root, ['src/**/*.ts'], [], limited);
    expect(tree.size).toBe(2);
    expect(calls).toBe(3);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/inotify watches is reached \(raise fs\.inotify\.max_user_watches/);
    writeFileSync(join(root, 'src/a/x.ts'), 'x');
    await waitFor(() => changes.includes('src/a/x.ts'), { what: 'a change in a folder it could watch' });
  });
});
