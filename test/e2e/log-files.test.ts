import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(async () => {
  // A devrun left by a failed test: stop it the way a user would, then sweep.
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  project?.cleanup();
  project = undefined;
});
const use = (files: Record<string, string>) => (project = makeProject(files));

const STAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d';
const HEADER = new RegExp(`^=== devrun \\d+\\.\\d+\\.\\d+\\S* · run ([0-9a-f-]{36}) · started ${STAMP} ===$`);
const LINE = new RegExp(`^${STAMP} (.*)$`);
const logDir = (dir: string) => join(dir, '.devrun', 'logs');
const read = (dir: string, name: string) => readFileSync(join(logDir(dir), name), 'utf8');
/** A file's lines without their timestamps; headers as `HEADER <run id>`. */
function body(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const header = HEADER.exec(line);
      if (header) return `HEADER ${header[1]}`;
      const match = LINE.exec(line);
      expect(match, line).not.toBeNull();
      return match![1]!;
    });
}
/** `devrun logs` lines as `name | text`, checking their format. */
function logsLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const match = /^\d\d:\d\d:\d\d (\S+) +\| (.*)$/.exec(line);
      expect(match, line).not.toBeNull();
      return `${match![1]} | ${match![2]}`;
    });
}

describe('log files', () => {
  it("hold each process's history: a header per run, tags, colours stripped, \\r lines final; 0600 in a private .devrun", async () => {
    const script = ["printf '\\033[31mred\\033[0m plain\\n'", 'echo oops >&2', "printf '10%%\\r50%%\\r100%%\\n'", 'echo done'].join('; ');
    const p = use({ 'web.sh': script, Procfile: 'web: sh web.sh\n' });
    for (let run = 0; run < 2; run++) {
      const { code, stderr } = await runCli(['--no-pty'], { cwd: p.dir, env: p.env });
      expect(code, stderr).toBe(0);
    }
    const lines = body(read(p.dir, 'web.1.log'));
    const runs = lines.filter((l) => l.startsWith('HEADER '));
    expect(runs).toHaveLength(2);
    expect(runs[0]).not.toBe(runs[1]);
    const oneRun = lines.slice(0, lines.indexOf(runs[1]!));
    // stdout and stderr are separate pipes: their order between each other is not fixed.
    expect(oneRun[0]).toBe(runs[0]);
    expect(oneRun[1]).toMatch(/^\[devrun\] started with pid \d+$/);
    expect(oneRun.slice(2, -1).sort()).toEqual(['100%', '[err] oops', 'done', 'red plain'].sort());
    expect(oneRun.at(-1)).toBe('[devrun] exited with code 0');
    expect(lines.slice(oneRun.length)).toHaveLength(oneRun.length);

    expect(statSync(join(logDir(p.dir), 'web.1.log')).mode & 0o777).toBe(0o600);
    expect(statSync(logDir(p.dir)).mode & 0o777).toBe(0o700);
    expect(statSync(join(p.dir, '.devrun')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(p.dir, '.devrun', '.gitignore'), 'utf8')).toBe('*\n');

    await runCli(['--no-pty', '--log-colors', '--log-dir', 'coloured'], { cwd: p.dir, env: p.env });
    expect(readFileSync(join(p.dir, 'coloured', 'web.1.log'), 'utf8')).toContain(' \x1b[31mred\x1b[0m plain\n');
  });

  it('rotate by size: a process printing past the limit leaves exactly the kept files', async () => {
    const p = use({ Procfile: "web: seq 1 3000 | sed 's/$/ some padding to make the line longer/'\n" });
    const { code, stderr } = await runCli(['--log-size', '8K', '--log-keep', '2'], { cwd: p.dir, env: p.env });
    expect(code, stderr).toBe(0);
    expect(readdirSync(logDir(p.dir)).sort()).toEqual(['web.1.log', 'web.1.log.1', 'web.1.log.2']);
    for (const name of readdirSync(logDir(p.dir))) expect(statSync(join(logDir(p.dir), name)).size).toBeLessThanOrEqual(8192);
    // The newest lines, whole and in order, end in the current file.
    const kept = [...body(read(p.dir, 'web.1.log.2')), ...body(read(p.dir, 'web.1.log.1')), ...body(read(p.dir, 'web.1.log'))];
    expect(kept.at(-1)).toBe('[devrun] exited with code 0');
    const numbers = kept.slice(0, -1).map((l) => Number(l.split(' ')[0]));
    expect(numbers.at(-1)).toBe(3000);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
  });

  it('a folder that cannot be written gives one warning; devrun runs on without files', async () => {
    const p = use({ Procfile: 'web: echo one; sleep 0.3; echo two\n', blocker: 'a file, not a folder\n' });
    const { code, stdout } = await runCli(['--no-timestamps', '--log-dir', 'blocker/logs'], { cwd: p.dir, env: p.env });
    expect(code).toBe(0);
    const warnings = stdout.split('\n').filter((l) => l.includes('cannot write log files'));
    expect(warnings).toEqual([`devrun | cannot write log files (ENOTDIR: ${join(p.dir, 'blocker', 'logs')}); going on without them`]);
    expect(stdout).toContain('web.1  | one\n');
    expect(stdout).toContain('web.1  | two\n');
    expect(stdout).toContain('web.1  | exited with code 0\n');

    // A folder without write permission, where permissions apply (not as root).
    if (process.getuid?.() === 0) return;
    mkdirSync(join(p.dir, 'locked'), { mode: 0o500 });
    chmodSync(join(p.dir, 'locked'), 0o500);
    const locked = await runCli(['--no-timestamps', '--log-dir', 'locked'], { cwd: p.dir, env: p.env });
    expect(locked.code).toBe(0);
    expect(locked.stdout.split('\n').filter((l) => l.includes('cannot write log files (EACCES'))).toHaveLength(1);
  });

  it('--no-log-files writes none; status and logs say where they are', async () => {
    const p = use({ Procfile: 'web: echo hello; exec sleep 300\n' });
    const run = startCli(['--no-log-files'], { cwd: p.dir, env: p.env });
    await run.waitOutput('hello');
    const status = JSON.parse((await runCli(['status', '--json'], { cwd: p.dir, env: p.env })).stdout);
    expect(status.logDir).toBeNull();
    const logs = await runCli(['logs', 'web'], { cwd: p.dir, env: p.env });
    expect(logsLines(logs.stdout).at(-1)).toBe('web.1 | hello');
    expect(existsSync(logDir(p.dir))).toBe(false);
    await runCli(['stop'], { cwd: p.dir, env: p.env });
    await run.exit;
  });

  it('a detached run writes them too', async () => {
    const p = use({ Procfile: 'web: echo "in the background"; exec sleep 300\n' });
    const started = await runCli(['-D'], { cwd: p.dir, env: p.env });
    expect(started.code, started.stderr).toBe(0);
    await waitFor(() => existsSync(join(logDir(p.dir), 'web.1.log')) && read(p.dir, 'web.1.log').includes(' in the background\n'), {
      what: 'the line in web.1.log',
    });
    const status = JSON.parse((await runCli(['status', '--json'], { cwd: p.dir, env: p.env })).stdout);
    expect(status.logDir).toBe(logDir(p.dir));
    expect((await runCli(['stop'], { cwd: p.dir, env: p.env })).code).toBe(0);
    expect(body(read(p.dir, 'web.1.log')).at(-1)).toMatch(/^\[devrun\] stopped/);
  });
});

describe('devrun logs from the files', () => {
  /**
   * Two processes taking turns: each prints its line only once the other's last line is in its log
   * file, then 10 ms later; so their lines interleave in a known order, however loaded the machine.
   */
  const turn = (me: string, other: string, numbers: number[]) =>
    numbers
      .map((n) =>
        n === 0
          ? `echo "${me} ${n}"`
          : `until grep -q "${other} ${n - 1}$" .devrun/logs/${other}.1.log 2>/dev/null; do sleep 0.01; done; sleep 0.01; echo "${me} ${n}"`,
      )
      .join('; ');

  it('with no devrun running: merged in time order across processes, -n, NAMES, --since, unknown names', async () => {
    const p = use({
      'a.sh': turn('a', 'b', [0, 2, 4, 6, 8]),
      'b.sh': turn('b', 'a', [1, 3, 5, 7, 9]),
      Procfile: 'a: sh a.sh\nb: sh b.sh\n',
    });
    const { code, stderr } = await runCli([], { cwd: p.dir, env: p.env });
    expect(code, stderr).toBe(0);
    const expected = Array.from({ length: 10 }, (_, n) => `${n % 2 === 0 ? 'a' : 'b'}.1 | ${n % 2 === 0 ? 'a' : 'b'} ${n}`);

    const all = await runCli(['logs', '-n', '100'], { cwd: p.dir, env: p.env });
    expect(all.code, all.stderr).toBe(0);
    const printed = logsLines(all.stdout).filter((l) => !l.includes('[devrun]'));
    expect(printed).toEqual(expected);
    // -n counts lines of the merged output (devrun's own lines included).
    const lastFour = logsLines((await runCli(['logs', '-n', '4'], { cwd: p.dir, env: p.env })).stdout);
    expect(lastFour).toEqual(logsLines(all.stdout).slice(-4));
    // Without -n: the last 10.
    expect(logsLines((await runCli(['logs'], { cwd: p.dir, env: p.env })).stdout)).toEqual(logsLines(all.stdout).slice(-10));
    const onlyB = logsLines((await runCli(['logs', 'b', '-n', '2'], { cwd: p.dir, env: p.env })).stdout);
    expect(onlyB).toEqual(['b.1 | b 9', 'b.1 | [devrun] exited with code 0']);

    // --since: a while ago covers everything; from now on, nothing.
    const since = await runCli(['logs', '--since', '10m'], { cwd: p.dir, env: p.env });
    expect(logsLines(since.stdout)).toEqual(logsLines(all.stdout));
    const future = await runCli(['logs', '--since', '2099-01-01'], { cwd: p.dir, env: p.env });
    expect(future.stdout).toBe('');
    const bad = await runCli(['logs', '--since', 'soon'], { cwd: p.dir, env: p.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toMatch(/^devrun: --since must be a time ago like 30s/);

    const typo = await runCli(['logs', 'bb'], { cwd: p.dir, env: p.env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('devrun: no log files for "bb" in .devrun/logs: did you mean "b"?\n');
  });

  it('another Procfile beside the first writes (and `-f FILE logs` reads) a folder of its own', async () => {
    const p = use({ Procfile: 'web: echo from Procfile\n', 'Procfile.dev': 'web: echo from Procfile.dev\n' });
    for (const args of [[], ['-f', 'Procfile.dev']]) {
      const { code, stderr } = await runCli(args, { cwd: p.dir, env: p.env });
      expect(code, stderr).toBe(0);
    }
    expect(body(read(p.dir, 'web.1.log'))).toContain('from Procfile');
    expect(body(read(p.dir, 'Procfile.dev/web.1.log'))).toContain('from Procfile.dev');
    expect(body(read(p.dir, 'web.1.log'))).not.toContain('from Procfile.dev');
    const dev = await runCli(['-f', 'Procfile.dev', 'logs', '-n', '100'], { cwd: p.dir, env: p.env });
    expect(logsLines(dev.stdout)).toContain('web.1 | from Procfile.dev');
    expect(logsLines(dev.stdout)).not.toContain('web.1 | from Procfile');
  });

  it('with no devrun running and no files: exit 3 with one line', async () => {
    const p = use({ Procfile: 'web: true\n' });
    const none = await runCli(['logs'], { cwd: p.dir, env: p.env });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/^devrun: no devrun runs here \(looked in .*\); no log files in \.devrun\/logs\n$/);
  });

  it('with a devrun running: lines older than its memory come from the files, in one unbroken run', async () => {
    // A headless devrun keeps 1000 lines per process in memory.
    const p = use({ Procfile: 'web: seq 1 3000; echo end; exec sleep 300\n' });
    const run = startCli([], { cwd: p.dir, env: p.env });
    await run.waitOutput(/web\.1 +\| end/);
    const last = logsLines((await runCli(['logs', 'web', '-n', '2500'], { cwd: p.dir, env: p.env })).stdout);
    expect(last).toHaveLength(2500);
    expect(last.at(-1)).toBe('web.1 | end');
    expect(last.slice(0, -1)).toEqual(Array.from({ length: 2499 }, (_, i) => `web.1 | ${502 + i}`));
    const since = logsLines((await runCli(['logs', 'web', '--since', '1h'], { cwd: p.dir, env: p.env })).stdout);
    expect(since).toHaveLength(3002);
    expect(since[0]).toMatch(/^web\.1 \| \[devrun\] started with pid/);
    expect(since.slice(1, 3001)).toEqual(Array.from({ length: 3000 }, (_, i) => `web.1 | ${i + 1}`));
    await runCli(['stop'], { cwd: p.dir, env: p.env });
    await run.exit;
  });

  it('-f with no devrun running follows the files: a devrun started later shows up', async () => {
    const p = use({ Procfile: 'web: echo "run $RUN"\n' });
    await runCli([], { cwd: p.dir, env: { ...p.env, RUN: 'one' } });
    const follow = startCli(['logs', '-f', '-n', '1'], { cwd: p.dir, env: p.env });
    await follow.waitOutput(/web\.1 +\| \[devrun\] exited with code 0\n/);
    const second = await runCli([], { cwd: p.dir, env: { ...p.env, RUN: 'two' } });
    expect(second.code).toBe(0);
    await follow.waitOutput(/web\.1 +\| run two\n/);
    await follow.waitOutput(/run two\n.*web\.1 +\| \[devrun\] exited with code 0\n/);
    follow.child.kill('SIGINT');
    expect((await follow.exit).code).toBe(130);
    expect(follow.stdout()).not.toContain('run one');
    // Each line once.
    expect(follow.stdout().match(/run two/g)).toHaveLength(1);
  });
});
