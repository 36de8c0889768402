import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject } from '../helpers/cli.js';
import { endSession, Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

// Every way the dashboard stops a process, pressed as keys in a real terminal. The app needs a second
// to drain on SIGTERM and writes "drained PID" to drained.log only when its handler ran to the end;
// SIGINT (^C) it reports and survives. It reports its start once both handlers are in place: a stop
// sent earlier would kill it outright.
const APP = `
const fs = require('node:fs');
const name = process.argv[2];
process.on('SIGINT', () => console.log('got INT'));
process.on('SIGTERM', () => {
  console.log('got TERM');
  setTimeout(() => {
    fs.appendFileSync('drained.log', 'drained ' + process.pid + '\\n');
    process.exit(0);
  }, 1000);
});
fs.appendFileSync('started.log', name + ' ' + process.pid + '\\n');
console.log('ready ' + name + ' pid=' + process.pid);
setInterval(() => {}, 1000);
`;
const DRAIN_MS = 1000;

// a is exec'd by the shell wrapper; b is compound, so its shell stays and waits behind the TERM trap.
const PROCFILE = 'a: node app.cjs a\nb: echo b-shell; node app.cjs b\n';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(() => endSession(term, project));

// -t 3: an escalation to SIGKILL would come well after the drain, never hiding a stop that did not wait.
const devrun = (args: string) => `node ${DEVRUN_BIN} -t 3 ${args}`;

const read = (file: string) => {
  const path = join(project!.dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
};
/** Pids of `name`'s runs, oldest first. */
const started = (name: string) => [...read('started.log').matchAll(new RegExp(`^${name} (\\d+)$`, 'gm'))].map((m) => Number(m[1]));
const latest = (name: string) => started(name).at(-1);
/** The SIGTERM handler of `pid` ran to the end. */
const drained = (pid: number) => read('drained.log').split('\n').includes(`drained ${pid}`);

const row = (name: string, status: string) => new RegExp(`${name}\\.1 +${status}`);
/** A line in the log pane (the selected process's log). */
const paneLine = (text: string) => new RegExp(`│ ${text}\\s*$`, 'm');
const PROMPT = /^PROMPT\$\s*$/m;

/** The dashboard is up and whole: title line, list, status bar; `running` processes running. */
function expectDashboard(screen: string, running: number) {
  expect(screen).toMatch(new RegExp(`^devrun ${running} running`));
  expect(screen).toMatch(/NAME +STATUS/);
  expect(screen).toMatch(/Tab merged /);
}

/** devrun in a 120x40 terminal, a and b running their apps; the pids of their first runs. */
async function startDashboard(args = '') {
  project = makeProject({ Procfile: PROCFILE, 'app.cjs': APP });
  term = new Tmux(120, 40, project.dir, project.env);
  term.run(devrun(args));
  await term.waitFor((s) => /^devrun 2 running/.test(s) && row('a', 'running').test(s) && row('b', 'running').test(s));
  const [a, b] = await waitFor(() => started('a').length === 1 && started('b').length === 1 && [latest('a')!, latest('b')!], {
    what: 'both apps to start',
  });
  return { term, a, b };
}

/** Presses `keys`, then waits for `done`; the milliseconds from the key press. */
async function timed(keys: string[], done: () => Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  term!.keys(...keys);
  await done();
  return Date.now() - t0;
}

/** Waits for a new run of `name` (a pid other than `old`) shown running with `restarts` restarts (↻ counts failures only); its pid. */
async function restarted(name: string, old: number, restarts: number): Promise<number> {
  await term!.waitFor(row(name, `running +${restarts} `));
  return waitFor(() => latest(name) !== old && latest(name), { what: `a new run of ${name}` });
}

/** Running (a zombie waiting for its reaper has ended). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

/** devrun gave the shell back: the prompt, the alternate screen left. */
const backAtPrompt = () => term!.waitFor((s) => PROMPT.test(s) && !/Tab merged /.test(s));

/** The test's processes but the pane's shell (which carries the marker too). */
const survivors = () => {
  const shell = term!.shellPid();
  return project!.survivors().filter((pid) => pid !== shell);
};
const noSurvivors = () => waitFor(() => survivors().length === 0, { what: 'no process of the test left', timeoutMs: 2000 });

describe.each([['--pty'], ['--no-pty']])('%s: stops from the dashboard let the SIGTERM handler finish', (mode) => {
  it('r restarts the selected process after its handler ran; q quits after every handler ran', async () => {
    const { term, a, b } = await startDashboard(mode);
    const restart = await timed(['r'], () => restarted('a', a, 0));
    const a2 = latest('a')!;
    expect(a2).not.toBe(a);
    expect(drained(a)).toBe(true);
    expect(restart).toBeGreaterThanOrEqual(DRAIN_MS);
    const screen = await term.waitFor(paneLine('stopped \\(exit 0\\)'));
    expect(screen).toMatch(paneLine('got TERM'));
    expectDashboard(screen, 2);
    expect(screen).toMatch(row('b', 'running +0 '));
    expect(started('b')).toEqual([b]);

    const quit = await timed(['q'], backAtPrompt);
    expect(drained(a2)).toBe(true);
    expect(drained(b)).toBe(true);
    expect(quit).toBeGreaterThanOrEqual(DRAIN_MS);
    await noSurvivors();
  });
});

describe('--pty: more stop paths', () => {
  it('R restarts both after their handlers ran; Ctrl-C in the dashboard quits like q', async () => {
    const { term, a, b } = await startDashboard();
    term.keys('R');
    const [a2, b2] = await Promise.all([restarted('a', a, 0), restarted('b', b, 0)]);
    expect(drained(a)).toBe(true);
    expect(drained(b)).toBe(true);
    expectDashboard(term.screen(), 2);

    const quit = await timed(['C-c'], backAtPrompt);
    expect(drained(a2)).toBe(true);
    expect(drained(b2)).toBe(true);
    expect(quit).toBeGreaterThanOrEqual(DRAIN_MS);
    await noSurvivors();
  });

  it('s stops it after its handler ran and s starts it again; x stops it after its handler ran', async () => {
    const { term, a, b } = await startDashboard();
    const stop = await timed(['s'], () => term.waitFor(row('a', 'stopped')));
    expect(drained(a)).toBe(true);
    expect(stop).toBeGreaterThanOrEqual(DRAIN_MS);
    let screen = await term.waitFor(paneLine('stopped \\(exit 0\\)'));
    expectDashboard(screen, 1);

    term.keys('s');
    const a2 = await restarted('a', a, 0);
    expectDashboard(term.screen(), 2);

    const x = await timed(['x'], () => term.waitFor(row('a', 'stopped')));
    expect(drained(a2)).toBe(true);
    expect(x).toBeGreaterThanOrEqual(DRAIN_MS);
    screen = term.screen();
    expectDashboard(screen, 1);
    expect(screen).toMatch(row('b', 'running +0 '));
    expect(started('b')).toEqual([b]);
    expect(started('a')).toEqual([a, a2]);

    term.keys('q');
    await backAtPrompt();
    expect(drained(b)).toBe(true);
    await noSurvivors();
  });

  it('X kills at once; q then q again kills at once', async () => {
    const { term, a, b } = await startDashboard();
    const kill = await timed(['X'], () => term.waitFor(row('a', 'stopped')));
    expect(drained(a)).toBe(false);
    expect(kill).toBeLessThan(DRAIN_MS);
    const screen = await term.waitFor(paneLine('stopped \\(SIGKILL\\)'));
    expect(screen).not.toMatch(paneLine('got TERM'));
    expectDashboard(screen, 1);
    expect(started('a')).toEqual([a]); // stopped by hand: not restarted

    // b's pane: the first q reaches its handler, the second ends it before the drain.
    term.keys('j');
    await term.waitFor('b.1 · running');
    const t0 = Date.now();
    term.keys('q');
    await term.waitFor(paneLine('got TERM'));
    term.keys('q');
    // Timed to b's end (the kill), not to the prompt (the dashboard's close comes after).
    await waitFor(() => !alive(b), { what: 'b to be killed', timeoutMs: 2000 });
    const quit = Date.now() - t0;
    await backAtPrompt();
    await noSurvivors();
    // Nothing is left to drain later: the handler was cut short.
    expect(drained(b)).toBe(false);
    expect(quit).toBeLessThan(DRAIN_MS);
  });

  it('Ctrl-C in input mode and in focus mode is ^C for the process, not a stop', async () => {
    const { term, a, b } = await startDashboard();
    // b too: its shell gets the SIGINT as well, and must keep waiting for the app.
    for (const [name, pid] of [
      ['a', a],
      ['b', b],
    ] as const) {
      term.keys('i');
      await term.waitFor(`${name}.1>`);
      term.keys('C-c');
      await term.waitFor(paneLine('\\^Cgot INT')); // the terminal echoes ^C
      term.keys('Escape');
      await term.waitFor((s) => !s.includes(`${name}.1>`));

      // In one write: the Ctrl-C right behind Ctrl-] is the process's already.
      term.keys('C-]', 'C-c');
      await term.waitFor((s) => (s.match(/got INT/g) ?? []).length === 2);
      term.keys('C-]');
      const screen = await term.waitFor((s) => !s.includes('FOCUS') && /Tab merged /.test(s));
      expectDashboard(screen, 2);
      expect(screen).toMatch(row(name, 'running +0 '));
      expect(screen).not.toMatch(/got TERM/);
      expect(started(name)).toEqual([pid]);
      expect(survivors()).toContain(pid);
      term.keys('j');
    }
    expect(read('drained.log')).toBe('');

    // b's shell saw the ^C too, but the app handled it: after a graceful stop the run ends with the app's
    // own status, not as a SIGINT (b is still selected: j stops at the last process).
    term.keys('x');
    await term.waitFor(paneLine('stopped \\(exit 0\\)'));
    expect(drained(b)).toBe(true);

    // a is still stoppable gracefully afterwards.
    term.keys('q');
    await backAtPrompt();
    expect(drained(a)).toBe(true);
    expect(drained(b)).toBe(true);
    await noSurvivors();
  });
});
