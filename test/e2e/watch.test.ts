import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, startCli } from '../helpers/cli.js';
import { inotifyWatches } from '../helpers/inotify.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

describe('watch in a run (the built CLI, headless)', () => {
  it('a touched file restarts the process with a new pid; node_modules gets no inotify watch; devrun runs on', async () => {
    const p = makeProject({
      Procfile: 'web: sleep 300\n',
      'devrun.yaml': 'processes:\n  web: { watch: "**/*.js", watch_ignore: [dist] }\n',
    });
    project = p;
    const file = (path: string) => {
      mkdirSync(join(p.dir, path, '..'), { recursive: true });
      writeFileSync(join(p.dir, path), String(Date.now()));
    };
    for (const f of ['src/app.js', 'src/lib/util.js', 'dist/out.js']) file(f);
    for (let i = 0; i < 20; i++) file(`node_modules/dep${i}/lib/index.js`);
    const run = startCli(['--no-timestamps'], { cwd: p.dir, env: p.env });
    const devrun = run.child.pid!;
    await run.waitOutput(/^web\.1 +\| started with pid (\d+)$/m);
    // The root, src and src/lib: neither dist nor anything under node_modules.
    await waitFor(() => inotifyWatches(devrun).length === 3, { what: `3 inotify watches, has ${inotifyWatches(devrun).length}` });
    const held = new Set(inotifyWatches(devrun).map((w) => w.ino));
    for (const dir of ['node_modules', 'node_modules/dep0', 'node_modules/dep0/lib', 'dist'])
      expect(held.has(statSync(join(p.dir, dir)).ino), dir).toBe(false);

    file('node_modules/dep3/lib/index.js');
    file('dist/out.js');
    file('src/lib/util.js');
    await run.waitOutput(/^web\.1 +\| src\/lib\/util\.js changed: restarting$/m);
    const pids = await waitFor(
      () => [...run.stdout().matchAll(/^web\.1 +\| started with pid (\d+)$/gm)].map((m) => m[1]).length === 2 && run.stdout(),
      {
        what: 'a second start',
      },
    );
    const [first, second] = [...pids.matchAll(/started with pid (\d+)$/gm)].map((m) => m[1]);
    expect(second).not.toBe(first);
    expect(run.stdout()).not.toMatch(/node_modules|dist\/out/);
    // A lone process's restart was not the end of the run: devrun still watches, and restarts it again.
    file('src/app.js');
    await run.waitOutput(/^web\.1 +\| src\/app\.js changed: restarting$/m);
    await run.waitOutput(/(started with pid \d+[\s\S]*){3}/);

    run.child.kill('SIGTERM');
    await run.exit;
    expect(p.survivors()).toEqual([]);
  });
});
