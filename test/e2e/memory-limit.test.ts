import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/cli.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

/** Grows by 8 MiB (touched, kept) every 100 ms, up to 192 MiB. */
const GROW = `const keep = []; setInterval(() => { if (keep.length < 24) { const b = Buffer.alloc(8 << 20); b.fill(1); keep.push(b); } }, 100);\n`;

describe.skipIf(!existsSync('/proc/self/smaps_rollup'))('--max-memory in a run', () => {
  it('beats max_memory: the process is stopped with a line saying why, and with --max-restarts 0 gives up', async () => {
    project = makeProject({
      'grow.js': GROW,
      Procfile: 'grow: node grow.js\n',
      'devrun.yaml': 'processes:\n  grow: { max_memory: 8G }\n',
    });
    const run = await runCli(['--no-timestamps', '--max-memory', '64M', '--max-restarts', '0'], { cwd: project.dir, env: project.env });
    expect(run.stdout).toMatch(/^grow\.1 +\| using [\d.]+ MiB \(limit 64 MiB\) 2 samples in a row: restarting$/m);
    expect(run.stdout).toMatch(/^grow\.1 +\| stopped for its memory \(SIGTERM\); gave up after 0 restarts in a row$/m);
    expect(run.stderr).not.toContain('not acted on');
    expect(run.code).not.toBe(0);
  });
});
