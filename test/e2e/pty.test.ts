import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject, runCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
let tempDirs: string[] = [];
afterEach(() => {
  term?.kill();
  project?.cleanup();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  term = undefined;
  project = undefined;
  tempDirs = [];
});

const devrun = (args = '') => `node ${DEVRUN_BIN} ${args}`;

describe('processes on terminals (PTY runner)', () => {
  it('a child sees a TTY and prints colours without FORCE_COLOR', async () => {
    project = makeProject({
      Procfile: `tty: node -e "console.log('isatty', process.stdout.isTTY, process.stdout.isTTY && process.stdout.hasColors() ? '\\\\x1b[32mcolour\\\\x1b[0m' : 'plain')"\n`,
    });
    // devrun's own output is a pipe here, so terminals for children are asked for explicitly.
    const { code, stdout } = await runCli(['--pty', '--color', '--no-timestamps', '--restart', 'never'], {
      cwd: project.dir,
      env: project.env,
    });
    expect(code).toBe(0);
    // console.log colours `true` itself, because it sees a terminal.
    expect(stdout).toContain('isatty \x1b[33mtrue\x1b[39m \x1b[32mcolour');
    const piped = await runCli(['--color', '--no-timestamps', '--restart', 'never', '--no-pty'], { cwd: project.dir, env: project.env });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/isatty (\x1b\[\d+m)?undefined/);
  });

  it('a process that prints a burst and exits at once loses none of it (devrun holds the slave until the exit)', async () => {
    // Without the held slave, the terminal hangs up when the process exits and unread output is dropped.
    project = makeProject({ Procfile: 'one: seq 1 20000\ntwo: seq 1 20000\nthree: seq 1 20000\n' });
    const { code, stdout } = await runCli(['--pty', '--no-timestamps', '--restart', 'never'], { cwd: project.dir, env: project.env });
    expect(code).toBe(0);
    for (const name of ['one', 'two', 'three']) {
      const lines = stdout.match(new RegExp(`^${name}\\.1 +\\| \\d+\\r?$`, 'gm')) ?? [];
      expect({ name, lines: lines.length, last: lines.at(-1)?.replace(/\r$/, '').split('| ')[1] }).toEqual({
        name,
        lines: 20000,
        last: '20000',
      });
    }
  });

  it('focus: a node REPL computes 6*7, Ctrl-C interrupts a busy loop, devrun and the others keep running', async () => {
    project = makeProject({ Procfile: 'repl: node -i\nother: echo other-up; exec sleep 300\n' });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun());
    await term.waitFor((s) => /repl\.1 +running/.test(s) && s.includes('Type ".help"'));
    // Typed right behind Ctrl-], before the screen says FOCUS: the keys are the process's already.
    term.keys('C-]');
    term.type('6*7');
    term.keys('Enter');
    await term.waitFor(/│ 42\s*$/m);
    term.type('while(1){}');
    term.keys('Enter');
    await term.waitFor((s) => /repl\.1 +running +0 +\d{2,3}%/.test(s)); // busy
    term.keys('C-c');
    const screen = await term.waitFor('Script execution was interrupted');
    expect(screen).toMatch(/^devrun 2 running/);
    expect(screen).toMatch(/other\.1 +running/);
    term.keys('C-]');
    await term.waitFor((s) => !s.includes('FOCUS') && /Tab merged /.test(s));
    term.keys('q');
    await term.waitFor(/^PROMPT\$\s*$/m);
  });

  it('pdb at its prompt: `p 6*7` shows 42 with the typed text echoed', async () => {
    project = makeProject({ Procfile: 'pdb: python3 -c "import pdb; pdb.set_trace()"\n' });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun());
    await term.waitFor('(Pdb)');
    term.keys('C-]');
    await term.waitFor('FOCUS pdb.1');
    term.type('p 6*7');
    term.keys('Enter');
    const screen = await term.waitFor(/│ 42\s*$/m);
    expect(screen).toMatch(/\(Pdb\) p 6\*7/);
  });

  it('zoom shows a full-screen child as drawn, its terminal size follows, and the dashboard is intact after', async () => {
    // A tiny full-screen program: alternate screen, cursor addressing, redraw on resize, any key quits.
    const app = [
      'const out = process.stdout;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the child's source code
      'const draw = () => out.write(`\\x1b[2J\\x1b[1;1Htop-left ${out.columns}x${out.rows}\\x1b[5;10HALT-SCREEN-APP`);',
      "out.write('\\x1b[?1049h'); draw(); out.on('resize', draw);",
      'process.stdin.setRawMode(true);',
      "process.stdin.once('data', () => { out.write('\\x1b[?1049l'); console.log('\\napp-done'); setInterval(() => {}, 1000); });",
    ].join('\n');
    project = makeProject({ 'app.js': app, Procfile: 'app: node app.js\n' });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun());
    await term.waitFor(/app\.1 +running/);
    term.keys('z');
    // Zoomed: no process list; the app's row 1 is the pane's first row (after the title line). Its
    // terminal is the pane less its padding and the last column (which Ink's line erase would take).
    const drawn = (size: string) => (s: string) => {
      const lines = s.split('\n');
      return s.includes('· zoom') && (lines[2] ?? '').startsWith(` top-left ${size}`) && /^ {10}ALT-SCREEN-APP/.test(lines[6] ?? '');
    };
    await term.waitFor(drawn('118x36'));
    term.resize(100, 30);
    await term.waitFor(drawn('98x26'));
    term.keys('C-]');
    await term.waitFor('FOCUS app.1');
    term.keys('x');
    await term.waitFor('app-done');
    term.keys('C-]');
    term.keys('z');
    await term.waitFor((s) => /^devrun 1 running/.test(s) && /app\.1 +running/.test(s) && s.includes('app-done') && /Tab merged /.test(s));
  });

  it('falls back to pipes with a one-line notice when the native module cannot load', async () => {
    // dist/cli.js bundles everything but node-pty: a copy with no node_modules cannot load it.
    const lonely = mkdtempSync(join(tmpdir(), 'devrun-nopty-'));
    tempDirs.push(lonely);
    cpSync(resolve(DEVRUN_BIN, '../../dist'), join(lonely, 'dist'), { recursive: true });
    cpSync(resolve(DEVRUN_BIN, '..'), join(lonely, 'bin'), { recursive: true });
    cpSync(resolve(DEVRUN_BIN, '../../package.json'), join(lonely, 'package.json'));
    project = makeProject({ Procfile: 'tty: test -t 1 && echo on-a-tty || echo on-a-pipe\n' });
    const { code, stdout, stderr } = await runCli(['--pty', '--no-timestamps'], {
      cwd: project.dir,
      env: project.env,
      bin: join(lonely, 'bin', 'devrun.js'),
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^devrun: no terminals for processes here \(.*\); using pipes\n$/);
    expect(stdout).toContain('tty.1  | on-a-pipe');
  });
});
