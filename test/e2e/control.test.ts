import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/control/target.js';
import { makeProject, runCli, startCli } from '../helpers/cli.js';
import { isAlive } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(async () => {
  // A background supervisor left by a failed test: stop it the way a user would, then sweep.
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  project?.cleanup();
  project = undefined;
});

const PROCFILE = ['web: echo "web up $$"; exec sleep 300', 'echo: while read line; do echo "got $line"; done', ''].join('\n');

function use(extra: Record<string, string> = {}) {
  project = makeProject({ Procfile: PROCFILE, ...extra });
  mkdirSync(join(project.dir, 'sub', 'deeper'), { recursive: true });
  return project;
}

async function status(p: NonNullable<typeof project>, cwd = p.dir): Promise<StatusReport> {
  const r = await runCli(['status', '--json'], { cwd, env: p.env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as StatusReport;
}

const pidOf = (report: StatusReport, name: string) => report.processes.find((p) => p.name === name)?.pid ?? null;

describe('a background devrun, driven by verbs from any terminal', () => {
  it('start -D, status --json from a subfolder, restart, send, stop: nothing is left when stop returns', async () => {
    const p = use();
    const started = await runCli(['start', '-D'], { cwd: p.dir, env: p.env });
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(
      /^devrun: running in the background \(pid (\d+)\); `devrun status` shows it, `devrun stop` stops it; log: .*\.log\n$/,
    );
    const supervisor = Number(started.stdout.match(/pid (\d+)/)![1]);

    const report = await waitFor(
      async () => {
        const r = await status(p, join(p.dir, 'sub', 'deeper'));
        return r.processes.every((x) => x.state === 'running') && r;
      },
      { what: 'both running' },
    );
    expect(report).toMatchObject({
      version: 1,
      pid: supervisor,
      processes: [{ name: 'web.1', state: 'running', restarts: 0 }, { name: 'echo.1' }],
    });
    expect(Date.parse(report.startedAt)).toBeGreaterThan(0);

    const before = pidOf(report, 'web.1');
    expect((await runCli(['restart', 'web'], { cwd: p.dir, env: p.env })).code).toBe(0);
    await waitFor(
      async () => {
        const r = await status(p);
        const now = pidOf(r, 'web.1');
        return now !== null && now !== before && r.processes[0]!.restarts === 0;
      },
      { what: 'web.1 restarted with a new pid' },
    );

    const sent = await runCli(['send', 'echo', 'hello', 'there'], { cwd: p.dir, env: p.env });
    expect(sent.code, sent.stderr).toBe(0);

    const stopped = await runCli(['stop'], { cwd: p.dir, env: p.env });
    expect(stopped.code, stopped.stderr).toBe(0);
    // The instant stop returns: the supervisor and every process are gone, and so is the socket.
    expect(isAlive(supervisor)).toBe(false);
    expect(p.survivors()).toEqual([]);
    expect(readdirSync(join(p.dir, '.devrun')).filter((f) => f.endsWith('.sock'))).toEqual([]);
    const log = readdirSync(join(p.dir, '.devrun')).find((f) => f.endsWith('.log'))!;
    expect(readFileSync(join(p.dir, '.devrun', log), 'utf8')).toMatch(/echo\.1 +\| got hello there/);
  });

  it('unknown names say "did you mean" (exit 1); no devrun running says so (exit 3)', async () => {
    const p = use();
    const none = await runCli(['status'], { cwd: p.dir, env: p.env });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/^devrun: no devrun runs here \(looked in .*\)\n$/);

    const run = startCli(['--no-tui'], { cwd: p.dir, env: p.env });
    await run.waitOutput('web up');
    const typo = await runCli(['restart', 'wbe'], { cwd: p.dir, env: p.env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(`devrun: no process named "wbe": did you mean "web"?\n`);
    // `devrun start NAMES` while this instance runs: starts them in it.
    expect((await runCli(['stop', 'web'], { cwd: p.dir, env: p.env })).code).toBe(0);
    await run.waitOutput(/web\.1 +\| stopped/);
    const again = await runCli(['start', 'web'], { cwd: p.dir, env: p.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^devrun: started web\.1 in the devrun running here \(pid \d+\)\n$/);
    await waitFor(() => (run.stdout().match(/web up/g) ?? []).length === 2, { what: 'web to start again' });
    const text = await runCli(['status'], { cwd: p.dir, env: p.env });
    expect(text.stdout).toMatch(/^web\.1 +running +\d+ +0 /m);
    run.child.kill('SIGTERM');
    await run.exit;
  });

  it('verbs against a foreground devrun: stop NAMES, kill, and a -f Procfile beside it is its own instance', async () => {
    const p = use({ 'Procfile.test': 'unit: echo "unit up"; exec sleep 300\n' });
    const dev = startCli(['--no-tui'], { cwd: p.dir, env: p.env });
    await dev.waitOutput('web up');
    const test = startCli(['--no-tui', '-f', 'Procfile.test'], { cwd: p.dir, env: p.env });
    await test.waitOutput('unit up');

    const both = await runCli(['status'], { cwd: p.dir, env: p.env });
    expect(both.code).toBe(3);
    expect(both.stderr).toMatch(/-f/);
    expect((await runCli(['stop', 'web', '-f', 'Procfile'], { cwd: p.dir, env: p.env })).code).toBe(0);
    await dev.waitOutput(/web\.1 +\| stopped/);
    expect((await runCli(['kill', 'unit', '-f', 'Procfile.test'], { cwd: p.dir, env: p.env })).code).toBe(0);
    await test.waitOutput(/unit\.1 +\| stopped \(SIGKILL\)/);

    // Its only process is gone: a headless devrun ends with it, as foreman does.
    expect((await test.exit).code).toBe(0);
    expect((await runCli(['stop', '-f', 'Procfile'], { cwd: p.dir, env: p.env })).code).toBe(0);
    expect((await dev.exit).code).toBe(0);
    expect(existsSync(join(p.dir, '.devrun', 'instances')) && readdirSync(join(p.dir, '.devrun', 'instances'))).toEqual([]);
  });
});
