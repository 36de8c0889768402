import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/control/target.js';
import { makeProject, runCli } from '../helpers/cli.js';
import { isAlive } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
afterEach(async () => {
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  project?.cleanup();
  project = undefined;
});

type Project = NonNullable<typeof project>;
const cli = (p: Project, args: string[]) => runCli(args, { cwd: p.dir, env: p.env });

async function status(p: Project): Promise<StatusReport> {
  const r = await cli(p, ['status', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as StatusReport;
}

const running = (report: StatusReport) => report.processes.every((x) => x.state === 'running' && x.pid !== null) && report;
const pidOf = (report: StatusReport, name: string) => report.processes.find((p) => p.name === name)?.pid ?? null;

/** The background run's log file (its headless output). */
function runLog(p: Project): string {
  const log = readdirSync(join(p.dir, '.devrun')).find((f) => f.endsWith('.log'))!;
  return readFileSync(join(p.dir, '.devrun', log), 'utf8');
}

async function startDetached(files: Record<string, string>): Promise<Project> {
  const p = makeProject(files);
  project = p;
  const started = await cli(p, ['start', '-D', '--no-pty']);
  expect(started.code, started.stderr).toBe(0);
  await waitFor(async () => running(await status(p)), { what: 'every process running' });
  return p;
}

describe('devrun reload over the control socket of a background run', () => {
  it('adds one, removes one, restarts the changed one and leaves the unchanged one alone', async () => {
    const p = await startDetached({
      Procfile: ['keep: exec sleep 300', 'web: echo "web v1"; exec sleep 301', 'old: exec sleep 302', ''].join('\n'),
    });
    const before = await status(p);
    const oldPid = pidOf(before, 'old.1')!;

    // `keep` stays first, so its PORT (from its position) does not change either.
    writeFileSync(
      join(p.dir, 'Procfile'),
      ['keep: exec sleep 300', 'web: echo "web v2"; exec sleep 301', 'db: exec sleep 303', ''].join('\n'),
    );
    const reloaded = await cli(p, ['reload']);
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(reloaded.stdout).toBe('devrun: reload: added db.1; removed old.1; restarted web.1; 1 unchanged\n');

    const after = await waitFor(
      async () => {
        const r = await status(p);
        return r.processes.map((x) => x.name).join() === 'keep.1,web.1,db.1' && running(r);
      },
      { what: 'keep, web and db running, old gone' },
    );
    expect(pidOf(after, 'keep.1')).toBe(pidOf(before, 'keep.1'));
    expect(pidOf(after, 'web.1')).not.toBe(pidOf(before, 'web.1'));
    expect(after.processes.find((x) => x.name === 'web.1')!.restarts).toBe(0);
    await waitFor(() => !isAlive(oldPid), { what: 'the removed process to be gone' });
    await waitFor(() => runLog(p).includes('web v2'), { what: 'the new command to run' });
    expect(runLog(p)).toMatch(/devrun +\| reload: added db\.1; removed old\.1; restarted web\.1; 1 unchanged/);

    // A second reload with nothing edited touches nothing.
    const again = await cli(p, ['reload']);
    expect(again.stdout).toBe('devrun: reload: 3 unchanged\n');
    const stopped = await cli(p, ['stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(p.survivors()).toEqual([]);
  });

  it('an invalid edit is one line with file and line, exit 1, and nothing is applied', async () => {
    const p = await startDetached({ Procfile: 'web: exec sleep 300\n' });
    const before = await status(p);
    writeFileSync(join(p.dir, 'Procfile'), 'web: exec sleep 300\nnew: exec sleep 301\n');
    writeFileSync(join(p.dir, 'devrun.yaml'), 'processes:\n  web:\n    depends_on: [nothere]\n');
    const reloaded = await cli(p, ['reload']);
    expect(reloaded.code).toBe(1);
    expect(reloaded.stdout).toBe('');
    expect(reloaded.stderr).toMatch(/^devrun: reload: devrun\.yaml:\d+: .*nothere.*; nothing applied\n$/);
    const after = await status(p);
    expect(after.processes.map((x) => [x.name, x.pid])).toEqual(before.processes.map((x) => [x.name, x.pid]));
  });

  it('devrun restart NAME after an invalid devrun.yaml edit: restarted with the settings it had, the edit named, exit 1', async () => {
    const p = await startDetached({
      Procfile: 'web: echo "colour=$COLOUR"; exec sleep 300\n',
      'devrun.yaml': 'processes:\n  web:\n    env:\n      COLOUR: red\n',
    });
    const before = pidOf(await status(p), 'web.1');
    writeFileSync(join(p.dir, 'devrun.yaml'), 'processes:\n  web:\n    env:\n      COLOUR: green\n    stop_timeout: soon\n');
    const restarted = await cli(p, ['restart', 'web']);
    expect(restarted.code).toBe(1);
    expect(restarted.stderr).toMatch(/^devrun: devrun\.yaml:5:\d+: .*stop_timeout.*; restarted web\.1 with the settings they had\n$/);
    await waitFor(
      async () => {
        const now = pidOf(await status(p), 'web.1');
        return now !== null && now !== before;
      },
      { what: 'web.1 restarted' },
    );
    await waitFor(() => runLog(p).split('colour=red').length === 3, { what: 'the second run, with the old env' });
    expect(runLog(p)).not.toContain('colour=green');
  });
});
