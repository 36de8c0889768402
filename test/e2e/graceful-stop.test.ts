import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

// An app with an async SIGTERM handler: it needs a second to drain. A SIGHUP (the terminal hung up
// because the wrapping shell died first) kills it before "drained".
const APP = `
process.on('SIGTERM', () => {
  console.log('got TERM');
  setTimeout(() => {
    console.log('drained');
    process.exit(0);
  }, 1000);
});
console.log('ready pid=' + process.pid + ' greeting=' + (process.env.GREETING ?? '-'));
setInterval(() => {}, 1000);
`;

// Shapes of Procfile commands: exec'd single commands and compound ones behind the TERM trap.
const SHAPES: Record<string, string> = {
  plain: 'node app.js',
  envprefix: 'GREETING=env node app.js',
  andand: 'test -f app.js && node app.js && echo after-andand',
  semi: 'echo before-semi; node app.js; echo after-semi',
  cdand: 'cd sub && node ../app.js',
  exportfirst: 'export GREETING=exported; node app.js',
  dotfirst: '. ./env.sh && node app.js',
};

const line = (name: string, text: string) => new RegExp(`^${name}\\.1 +\\| ${text}$`, 'm');

describe('stopping lets the app finish its SIGTERM handler', () => {
  it.each([
    ['--pty', Object.keys(SHAPES)],
    ['--no-pty', ['plain', 'andand', 'exportfirst']],
  ])('%s: every shape prints "got TERM" and "drained", then nothing is left', async (mode, names) => {
    const procfile = names.map((name) => `${name}: ${SHAPES[name]}\n`).join('');
    const p = makeProject({ Procfile: procfile, 'app.js': APP, 'env.sh': 'export GREETING=dotted\n' });
    project = p;
    mkdirSync(join(p.dir, 'sub'));
    const run = startCli(['--no-tui', mode, '--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    for (const name of names) await run.waitOutput(line(name, 'ready pid=\\d+ .*'));

    run.child.kill('SIGINT');
    const { code } = await run.exit;
    const out = run.stdout();
    expect(code, out).toBe(130);
    for (const name of names) {
      expect(out, name).toMatch(line(name, 'got TERM'));
      expect(out, name).toMatch(line(name, 'drained'));
      expect(out, name).toMatch(line(name, 'stopped \\(exit 0\\)'));
    }
    expect(out).not.toContain('after-andand');
    expect(out).not.toContain('after-semi');
    if (names.includes('semi')) expect(out).toMatch(line('semi', 'before-semi'));
    // exec'd: the pid devrun shows is the app's own.
    for (const name of ['plain', 'envprefix'].filter((n) => names.includes(n))) {
      const shown = out.match(line(name, 'started with pid (\\d+)'))?.[1];
      expect(shown, name).toBeDefined();
      expect(out, name).toMatch(line(name, `ready pid=${shown} .*`));
    }
    if (names.includes('envprefix')) expect(out).toMatch(line('envprefix', 'ready pid=\\d+ greeting=env'));
    if (names.includes('dotfirst')) expect(out).toMatch(line('dotfirst', 'ready pid=\\d+ greeting=dotted'));
    await waitFor(() => p.survivors().length === 0, { what: 'no process of the test left', timeoutMs: 2000 });
  });

  it('--pty: jobs started with & (`a & b & wait`) all finish their handler before the shell ends', async () => {
    const p = makeProject({ Procfile: 'both: node app.js & node app.js & wait\n', 'app.js': APP });
    project = p;
    const run = startCli(['--no-tui', '--pty', '--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await run.waitOutput(/ready pid=[\s\S]*ready pid=/);
    run.child.kill('SIGINT');
    expect((await run.exit).code).toBe(130);
    expect(run.stdout().match(/^both\.1 +\| drained$/gm)).toHaveLength(2);
    await waitFor(() => p.survivors().length === 0, { what: 'no process of the test left', timeoutMs: 2000 });
  });
});
