import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject, runCli } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

const devrun = (args = '') => `node ${DEVRUN_BIN} ${args}`;

/** An SGR wheel-up report at column 60, row 10: over the pane at 120x40 and at 80x24. */
const WHEEL_UP = '\x1b[<64;60;10M';

/** Prints what it reads, in hex, one line per read; MOUSE=1: asks its terminal for SGR mouse reports first. */
const HEX_ECHO = `
if (process.env.MOUSE) process.stdout.write('\\x1b[?1000h\\x1b[?1006h');
process.stdin.setRawMode(true);
process.stdin.on('data', (d) => console.log('got ' + d.toString('hex')));
console.log('ready');
`;

describe('mouse in the dashboard', () => {
  it.each([
    [120, 40],
    [80, 24],
  ])('the wheel over the pane scrolls it by 3 lines (paused) at %ix%i', async (width, height) => {
    project = makeProject({ Procfile: 'lines: seq 1 200; sleep 600\n' });
    term = new Tmux(width, height, project.dir, project.env);
    term.run(devrun('--no-log-files'));
    await term.waitFor((s) => s.includes('following') && s.includes('200'));
    term.type(WHEEL_UP);
    const screen = await term.waitFor('paused');
    // Three lines up: the newest line shown is 197.
    expect(screen).toMatch(/\b197\s*\n/);
    expect(screen).not.toMatch(/\b198\b/);
  });

  it('the attached dashboard has the same filter: the wheel scrolls its pane', async () => {
    project = makeProject({ Procfile: 'lines: seq 1 200; exec sleep 600\n' });
    const p = project;
    const started = await runCli(['start', '-D'], { cwd: p.dir, env: p.env });
    expect(started.code, started.stderr).toBe(0);
    try {
      term = new Tmux(120, 40, p.dir, p.env);
      term.run(devrun('attach'));
      await term.waitFor((s) => s.includes('following') && s.includes('200'));
      term.type(WHEEL_UP);
      expect(await term.waitFor('paused')).toMatch(/\b197\s*\n/);
    } finally {
      await runCli(['stop'], { cwd: p.dir, env: p.env });
    }
  });

  it('a click selects a process; in focus, a process that did not ask for the mouse gets none of its bytes; one that asked gets them at its cell', async () => {
    project = makeProject({ Procfile: 'plain: node hex.js\nmouse: MOUSE=1 node hex.js\n', 'hex.js': HEX_ECHO });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(devrun('--no-log-files'));
    await term.waitFor('ready');
    term.keys('C-]');
    await term.waitFor('FOCUS plain');
    term.type(`${WHEEL_UP}a`);
    let screen = await term.waitFor('got 61');
    expect(screen).not.toContain('1b5b3c');
    term.keys('C-]');
    await term.waitFor((s) => !s.includes('FOCUS'));
    // A click on the second process's row of the list (row 1 the header line, 2 the list's header) selects it.
    term.type('\x1b[<0;5;4M\x1b[<0;5;4m');
    await term.waitFor(/mouse\.1 · running[\s\S]*ready/);
    term.keys('C-]');
    await term.waitFor('FOCUS mouse');
    term.type(WHEEL_UP);
    // ESC [ < 6 4 ; then the column and row in its own pane.
    screen = await term.waitFor('got 1b5b3c36343b');
    expect(screen).not.toContain('got 1b5b3c36343b36303b3130'); // not the dashboard's own 60;10
  });
});

describe('copy mode and the bytes devrun writes to the terminal', () => {
  /** devrun under script(1) in tmux: what it writes to its terminal is also in `out.bin`. */
  function recorded(args: string) {
    project = makeProject({ Procfile: "words: printf 'alpha\\nbeta\\ngamma\\n'; exec sleep 600\n" });
    term = new Tmux(120, 40, project.dir, project.env);
    term.run(`script -q -f -c '${devrun(`--no-log-files ${args}`)}' out.bin`);
    const file = join(project.dir, 'out.bin');
    return () => readFileSync(file, 'latin1');
  }

  it('v, V, k, y puts the two whole lines on the clipboard by OSC 52; mouse modes on at start, off at the end', async () => {
    const bytes = recorded('');
    await term!.waitFor((s) => s.includes('gamma') && s.includes('following'));
    term!.keys('v');
    await term!.waitFor('V select');
    term!.keys('V', 'k', 'y');
    await term!.waitFor('copied 2 lines');
    expect(bytes()).toContain(`\x1b]52;c;${Buffer.from('beta\ngamma').toString('base64')}\x07`);
    expect(bytes()).toContain('\x1b[?1000h\x1b[?1006h\x1b[?1007l');
    expect(bytes()).not.toMatch(/\x1b\[\?100[23]h/); // no motion reports
    term!.keys('q');
    await waitFor(() => bytes().includes('\x1b[?1000l\x1b[?1006l'), { what: 'mouse modes off at the end' });
  });

  it('--no-mouse asks the terminal for no mouse reports', async () => {
    const bytes = recorded('--no-mouse');
    await term!.waitFor((s) => s.includes('gamma') && s.includes('following'));
    expect(bytes()).not.toContain('\x1b[?1000h');
    expect(bytes()).not.toContain('\x1b[?1006h');
  });
});
