import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
const use = (files: Record<string, string>) => (project = makeProject(files));
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

describe('headless mode (stdout is not a terminal)', () => {
  it('prints foreman-style merged lines and exits 0 when everything exited 0', async () => {
    const p = use({ Procfile: 'web: echo "hello on $PORT"\nworker: echo "from $PS"\n' });
    const { code, stdout } = await runCli([], { cwd: p.dir, env: p.env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d web\.1 {4}\| hello on 5000$/m);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d worker\.1 \| from worker\.1$/m);
    expect(stdout).toMatch(/^\d\d:\d\d:\d\d web\.1 {4}\| exited with code 0$/m);
    expect(stdout).not.toContain('\x1b');
  });

  it("exits with the first failure's code, and keeps others running after a one-off", async () => {
    const p = use({ Procfile: 'first: sleep 0.2; exit 3\nlater: sleep 0.6; exit 5\nok: true\n' });
    const { code, stdout } = await runCli(['--restart', 'never', '--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(code).toBe(3);
    expect(stdout).toContain('first.1 | crashed (exit 3)');
    expect(stdout).toContain('later.1 | crashed (exit 5)');
    expect(stdout).toMatch(/^ok\.1 {4}\| exited with code 0$/m);
  });

  it('shows restarts with their backoff', async () => {
    const p = use({ Procfile: 'flaky: echo try; exit 1\n' });
    const { code, stdout } = await runCli(['--max-restarts', '1', '--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(code).toBe(1);
    expect(stdout).toContain('flaky.1 | crashed (exit 1), restarting in 1s');
    expect(stdout.match(/flaky\.1 \| try/g)).toHaveLength(2);
    expect(stdout).toContain('flaky.1 | crashed (exit 1); gave up after 1 restart in a row');
  });

  it('colours prefixes with FORCE_COLOR, keeps child colours, and strips them when colour is off', async () => {
    const p = use({ Procfile: "web: printf '\\033[31mred\\033[0m\\n'\n" });
    const coloured = await runCli(['--no-timestamps'], { cwd: p.dir, env: { ...p.env, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\x1b[36mweb.1  | \x1b[0m\x1b[31mred\x1b[0m');
    const off = await runCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: { ...p.env, FORCE_COLOR: '1' } });
    expect(off.stdout).toContain('web.1  | red\n');
    expect(off.stdout).not.toContain('\x1b');
  });

  it('hostile output: control sequences removed, a 1 MB line cut, binary survives, devrun exits cleanly', async () => {
    const script = [
      "printf 'a\\033[2J\\033[Hb\\033]0;evil title\\007c\\a\\033[5;5Hd\\n'",
      "head -c 1048576 /dev/zero | tr '\\0' x; echo",
      'head -c 20000 /dev/urandom',
      "printf '\\nprogress 10%%\\rprogress 50%%\\rprogress 100%%\\n'",
      // Plain lines (the byte path) between the others, one of them after a colour left on.
      "printf 'plain ünïcode\\n\\033[31mred\\nstill red\\n\\033[0m\\n'",
      'echo end',
    ].join('; ');
    const p = use({ 'hostile.sh': script, Procfile: 'hostile: sh hostile.sh\n' });
    const { code, stdout } = await runCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    expect(code).toBe(0);
    expect(stdout).toContain('hostile.1 | abcd\n');
    expect(stdout).toContain('[line truncated]');
    expect(stdout).toContain('hostile.1 | progress 100%\n');
    expect(stdout).toContain('hostile.1 | plain ünïcode\nhostile.1 | red\nhostile.1 | still red\n');
    expect(stdout).toContain('hostile.1 | end\n');
    expect(stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    const longest = Math.max(...stdout.split('\n').map((l) => Buffer.byteLength(l)));
    expect(longest).toBeLessThan(17_000);
  });

  it('`check` lists what would run; `run` runs one command with .env and returns its code', async () => {
    const p = use({ Procfile: 'web: serve\nworker: work\n', '.env': 'GREETING=hi from env\n' });
    const checked = await runCli(['check', '-m', 'web=2'], { cwd: p.dir, env: p.env });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/web\.1 +PORT=5000 +serve/);
    expect(checked.stdout).toMatch(/web\.2 +PORT=5001 +serve/);
    expect(checked.stdout).toMatch(/worker\.1 +PORT=5100 +work/);
    const ran = await runCli(['run', 'sh', '-c', 'echo "$GREETING"; exit 4'], { cwd: p.dir, env: p.env });
    expect(ran.stdout).toBe('hi from env\n');
    expect(ran.code).toBe(4);
  });

  it('`check` warns, in one line each, about entries named like a verb; still valid (exit 0)', async () => {
    const p = use({ Procfile: 'web: serve\nstatus: ./status.sh\n\nstop: ./stop.sh\n' });
    const checked = await runCli(['check'], { cwd: p.dir, env: p.env });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/status\.1 +PORT=5100 +\.\/status\.sh/);
    expect(checked.stderr).toBe(
      'devrun: Procfile:2: entry "status" has a verb\'s name: `devrun status` runs the verb; use `devrun start status` to run only this entry\n' +
        'devrun: Procfile:4: entry "stop" has a verb\'s name: `devrun stop` runs the verb; use `devrun start stop` to run only this entry\n',
    );
  });

  it('NAMES select entries; an unknown name is an error and nothing starts', async () => {
    const p = use({ Procfile: 'web: echo web\nworker: echo worker\n' });
    const only = await runCli(['web', '--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(only.stdout).toContain('web.1  | web');
    expect(only.stdout).not.toContain('worker');
    const bad = await runCli(['nope'], { cwd: p.dir, env: p.env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no process named "nope"/);
    expect(bad.stdout).toBe('');
  });

  it('a second Ctrl-C kills at once a process that ignores SIGTERM', async () => {
    const p = use({ Procfile: "stubborn: trap '' TERM INT; echo ready; while :; do sleep 0.1; done\n" });
    const run = startCli(['-t', '60'], { cwd: p.dir, env: p.env });
    await run.waitOutput('ready');
    run.child.kill('SIGINT');
    await run.waitOutput('SIGINT received, stopping all processes');
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(run.stdout()).toContain('SIGINT received again: killing every process now');
    await waitFor(() => p.survivors().length === 0, { what: 'no survivors' });
  });

  it('stops everything and exits when the reader of its output goes away (`devrun | head`)', async () => {
    const p = use({ Procfile: 'chatty: while :; do echo line; sleep 0.01; done\nquiet: sleep 300\n' });
    const run = startCli([], { cwd: p.dir, env: p.env });
    await run.waitOutput('chatty.1 | line');
    run.child.stdout!.destroy();
    const { code } = await run.exit;
    expect(code).toBe(0);
    expect(p.survivors()).toEqual([]);
  });

  it('a process the system refuses to start fails at once; the others still start and devrun waits for them', async () => {
    // One argument over Linux's 128 KiB limit: exec fails with E2BIG.
    const p = use({ Procfile: `huge: echo ${'x'.repeat(140_000)}\nother: sleep 0.5; echo other-done\n` });
    const { code, stdout } = await runCli(['--restart', 'never', '--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(stdout).toMatch(/huge\.1 +\| failed to start: .{0,200}$/m);
    expect(stdout).toMatch(/huge\.1 +\| failed to start \(exit 127\); not restarting it/);
    expect(stdout).toContain('other.1 | other-done');
    expect(code).toBe(127);
    expect(p.survivors()).toEqual([]);
  });

  it('a folder where .devrun cannot be written costs a warning for the pid file and one for the verbs, not the run', async () => {
    const p = use({ Procfile: 'web: echo hi\n', '.devrun': 'a file where the folder should be' });
    const { code, stdout, stderr } = await runCli(['--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(code).toBe(0);
    expect(stdout).toContain('web.1  | hi');
    expect(stderr).toMatch(
      /^devrun: cannot record process groups in .*pids-\w+\.json \(\w+\); a later run cannot clean up after a crash\ndevrun: .*\.devrun is not a folder; devrun status and the other verbs cannot find this run\n$/,
    );
  });
});
