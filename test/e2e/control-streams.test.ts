import { afterEach, describe, expect, it } from 'vitest';
import { DEVRUN_BIN, makeProject, runCli, startCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(async () => {
  // A devrun left by a failed test: stop it the way a user would, then sweep.
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  term?.kill();
  project?.cleanup();
  project = undefined;
  term = undefined;
});

function use(files: Record<string, string>) {
  project = makeProject(files);
  return project;
}

const PROCFILE = [
  'tick: i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.05; done',
  'quiet: echo "quiet up"; exec sleep 300',
  '',
].join('\n');
const LINE = /^\d\d:\d\d:\d\d (\S+) +\| (.*)$/;

/** The numbers of the `tick N` lines in `devrun logs` output, checking each line's format. */
function ticks(stdout: string): number[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const match = LINE.exec(line);
      expect(match, line).not.toBeNull();
      expect(match![1]).toBe('tick.1');
      return Number(match![2]!.replace('tick ', ''));
    });
}

const consecutive = (numbers: number[]) => numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);

describe('devrun logs', () => {
  it('-n N prints the last N lines (of NAMES) and exits; unknown names exit 1; no devrun exits 3', async () => {
    const p = use({ Procfile: PROCFILE });
    const none = await runCli(['logs'], { cwd: p.dir, env: p.env });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/^devrun: no devrun runs here/);

    const run = startCli(['--no-tui'], { cwd: p.dir, env: p.env });
    await run.waitOutput('tick 12');
    const five = await runCli(['logs', 'tick', '-n', '5'], { cwd: p.dir, env: p.env });
    expect(five.code, five.stderr).toBe(0);
    const numbers = ticks(five.stdout);
    expect(numbers).toHaveLength(5);
    expect(consecutive(numbers)).toBe(true);
    expect(numbers[0]).toBeGreaterThanOrEqual(8);

    const quiet = await runCli(['logs', 'quiet', '-n', '5'], { cwd: p.dir, env: p.env });
    // Its own lines and devrun's about it ("started with pid N").
    expect(quiet.stdout).toMatch(/^(\d\d:\d\d:\d\d quiet\.1 +\| .*\n)*\d\d:\d\d:\d\d quiet\.1 +\| quiet up\n$/);
    // Without NAMES: every process merged; without -n: the last 10.
    const merged = await runCli(['logs'], { cwd: p.dir, env: p.env });
    expect(merged.stdout.split('\n').filter(Boolean)).toHaveLength(10);

    const typo = await runCli(['logs', 'tik', '-n', '1'], { cwd: p.dir, env: p.env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('devrun: no process named "tik": did you mean "tick"?\n');
    const bad = await runCli(['logs', '-n', 'lots'], { cwd: p.dir, env: p.env });
    expect(bad.code).toBe(2);
  });

  it('-f follows the new lines, after -n N of history, with no gap and no repeat; Ctrl-C ends it (130)', async () => {
    const p = use({ Procfile: PROCFILE });
    const run = startCli(['--no-tui'], { cwd: p.dir, env: p.env });
    await run.waitOutput('tick 5');
    const follow = startCli(['logs', 'tick', '-n', '3', '-f'], { cwd: p.dir, env: p.env });
    // 3 lines of history, then at least 20 live ones.
    await follow.waitOutput(/(.*\n){23}/);
    follow.child.kill('SIGINT');
    const { code } = await follow.exit;
    expect(code).toBe(130);
    const numbers = ticks(follow.stdout());
    expect(numbers.length).toBeGreaterThanOrEqual(23);
    expect(consecutive(numbers), numbers.join(' ')).toBe(true);

    // Its reader gone (`| head`), it ends too.
    const piped = startCli(['logs', '-f'], { cwd: p.dir, env: p.env });
    await piped.waitOutput('tick');
    piped.child.stdout!.destroy();
    expect((await piped.exit).code).toBe(0);
  });

  it('-f says so and ends when devrun ends', async () => {
    const p = use({ Procfile: PROCFILE });
    const run = startCli(['--no-tui'], { cwd: p.dir, env: p.env });
    await run.waitOutput('quiet up');
    const follow = startCli(['logs', '-f'], { cwd: p.dir, env: p.env });
    await follow.waitOutput('tick');
    const stopped = await runCli(['stop'], { cwd: p.dir, env: p.env });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect((await follow.exit).code).toBe(0);
    expect(follow.stderr()).toBe('devrun: the devrun ended\n');
    // The shutdown's own lines came through before the end.
    expect(follow.stdout()).toMatch(/devrun +\| .*stop/);
    await run.exit;
  });
});

/** The size of the repl's terminal, as it says when asked with `devrun send` (read back with `devrun logs`). */
async function sizeOf(p: ReturnType<typeof makeProject>, tag: string): Promise<string> {
  const sent = await runCli(['send', 'repl', `"${tag} " + process.stdout.columns + "x" + process.stdout.rows`], { cwd: p.dir, env: p.env });
  expect(sent.code, sent.stderr).toBe(0);
  const answer = new RegExp(`'${tag} (\\d+x\\d+)'`);
  const said = await waitFor(
    async () => answer.exec((await runCli(['logs', 'repl', '-n', '20'], { cwd: p.dir, env: p.env })).stdout)?.[1],
    { what: `the repl to say its size (${tag})`, intervalMs: 100 },
  );
  return said;
}

describe('devrun connect', () => {
  it("uses a process's terminal from the user's terminal; Ctrl-] gives the shell back", async () => {
    const p = use({ Procfile: 'repl: node -i\nquiet: exec sleep 300\n' });
    const started = await runCli(['-D'], { cwd: p.dir, env: p.env });
    expect(started.code, started.stderr).toBe(0);
    const before = await sizeOf(p, 'before');
    expect(before).not.toBe('100x30');
    term = new Tmux(100, 30, p.dir, p.env);
    term.run(`node ${DEVRUN_BIN} connect repl`);
    // The banner, then the process's screen as it was (node's prompt).
    await term.waitFor((screen) => /^>\s*$/m.test(screen.split('connected to repl.1; Ctrl-] detaches')[1] ?? ''));
    term.type('6*7');
    term.keys('Enter');
    await term.waitFor(/^42$/m);
    // The terminal's size is the process's.
    term.type('[process.stdout.columns, process.stdout.rows].join("x")');
    term.keys('Enter');
    await term.waitFor("'100x30'");
    term.keys('C-]');
    await term.waitFor((screen) => /devrun: detached from repl\.1\n+PROMPT\$ $/.test(screen.trimEnd().concat(' ')));
    // Detached, the process's terminal has the size it had before connect again.
    expect(await sizeOf(p, 'after')).toBe(before);
    // The shell's terminal is back to normal: a command line is echoed and runs.
    term.run('echo "back $((6*7))"');
    await term.waitFor(/^back 42$/m);

    // The process ending ends the connection, with one line.
    term.run(`node ${DEVRUN_BIN} connect repl`);
    await term.waitFor((screen) => screen.split('connected to repl.1').length === 3);
    term.type('.exit');
    term.keys('Enter');
    await term.waitFor('devrun: repl.1 exited (exit 0)');
    const status = await runCli(['status'], { cwd: p.dir, env: p.env });
    expect(status.stdout).toMatch(/^repl\.1 +exited/m);
    const again = await runCli(['connect', 'repl'], { cwd: p.dir, env: p.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('devrun: repl.1 is not running (exited)');
  });

  it('refuses a process on pipes, with a hint', async () => {
    const p = use({ Procfile: 'web: echo "web up"; exec sleep 300\n' });
    const run = startCli(['--no-tui', '--no-pty'], { cwd: p.dir, env: p.env });
    await run.waitOutput('web up');
    const refused = await runCli(['connect', 'web'], { cwd: p.dir, env: p.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('devrun: web.1 runs on pipes: use `devrun send` or `devrun logs -f`\n');
  });
});
