import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/control/target.js';
import type { RunSummary } from '../../src/engine/run-summary.js';
import { DEVRUN_BIN, makeProject, runCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
let term: Tmux | undefined;
afterEach(async () => {
  term?.kill();
  // A background supervisor left by a failed test: stop it the way a user would, then sweep.
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  project?.cleanup();
  term = undefined;
  project = undefined;
});

const use = (files: Record<string, string>) => (project = makeProject(files));

function lastRun(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, '.devrun', 'last-run.json'), 'utf8')) as RunSummary;
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** Six lines, so the summary's five are the last ones; then exit 3. */
const FAILING = 'web: for i in 1 2 3 4 5; do echo "line $i"; done; echo "Error: no database" >&2; exit 3';

describe('the exit summary', () => {
  it('a headless run where a process exits 3: stderr names it with its last lines; last-run.json keeps it', async () => {
    const p = use({ Procfile: `${FAILING}\nok: echo fine\n` });
    const { code, stderr, stdout } = await runCli(['--restart', 'never', '--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(code).toBe(3);
    expect(stdout).toMatch(/web\.1 +\| crashed \(exit 3\)/);
    expect(stderr).toBe(
      [
        'devrun: 1 of 2 processes did not end cleanly (exit code 3)',
        'web.1 crashed (exit 3): not restarted (restart: never)',
        '  | line 2',
        '  | line 3',
        '  | line 4',
        '  | line 5',
        '  | Error: no database',
        `logs: ${p.dir}/.devrun/logs`,
        '',
      ].join('\n'),
    );

    const summary = lastRun(p.dir);
    expect(summary).toMatchObject({
      version: 1,
      mode: 'headless',
      exitCode: 3,
      failed: true,
      hungUp: false,
      internalError: false,
      processCount: 2,
      logDir: join(p.dir, '.devrun', 'logs'),
      unclean: [
        {
          name: 'web.1',
          state: 'crashed',
          exit: { code: 3, signal: null },
          restarts: 0,
          why: 'not restarted (restart: never)',
          lastLines: ['line 2', 'line 3', 'line 4', 'line 5', 'Error: no database'],
        },
      ],
    });
    expect(Date.parse(summary.endedAt)).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    expect(mode(join(p.dir, '.devrun', 'last-run.json'))).toBe(0o600);
    expect(mode(join(p.dir, '.devrun'))).toBe(0o700);
  });

  it('a clean headless run to a pipe prints nothing, and still keeps its summary', async () => {
    const p = use({ Procfile: 'web: echo hello\nworker: true\n' });
    const { code, stderr } = await runCli(['--no-timestamps'], { cwd: p.dir, env: p.env });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lastRun(p.dir)).toMatchObject({ failed: false, exitCode: 0, processCount: 2, unclean: [] });
  });

  it('the dashboard: after q the shell shows the summary, below the restored screen', async () => {
    const p = use({ Procfile: `${FAILING}\nidle: exec sleep 300\n` });
    term = new Tmux(80, 24, p.dir, p.env);
    term.run('echo BEFORE-DEVRUN');
    term.run(`node ${DEVRUN_BIN} --restart never; echo "devrun-exit=$?"`);
    await term.waitFor(/web\.1 +crashed/);
    term.keys('q');
    const screen = await term.waitFor('devrun-exit=3');
    const lines = screen.split('\n');
    const start = lines.findIndex((l) => l.startsWith('devrun: 1 of 2 processes'));
    expect(lines.slice(start, start + 9)).toEqual([
      'devrun: 1 of 2 processes did not end cleanly (exit code 3)',
      'web.1 crashed (exit 3): not restarted (restart: never)',
      '  | line 2',
      '  | line 3',
      '  | line 4',
      '  | line 5',
      '  | Error: no database',
      `logs: ${p.dir}/.devrun/logs`,
      'devrun-exit=3',
    ]);
    // The normal screen is back: what was typed before devrun is above the summary.
    expect(lines.indexOf('BEFORE-DEVRUN')).toBeLessThan(start);
    expect(lastRun(p.dir)).toMatchObject({ mode: 'dashboard', exitCode: 3, unclean: [{ name: 'web.1' }] });
  });

  it('start -D, a process crashes for good, then `devrun stop` prints the summary the run kept', async () => {
    const p = use({ Procfile: 'web: echo "web failing"; exit 4\nidle: exec sleep 300\n' });
    const started = await runCli(['start', '-D', '--max-restarts', '0'], { cwd: p.dir, env: p.env });
    expect(started.code, started.stderr).toBe(0);
    const supervisor = Number(started.stdout.match(/pid (\d+)/)![1]);
    await waitFor(
      async () => {
        const r = await runCli(['status', '--json'], { cwd: p.dir, env: p.env });
        return r.code === 0 && (JSON.parse(r.stdout) as StatusReport).processes[0]?.state === 'failed';
      },
      { what: 'web.1 failed' },
    );

    const stopped = await runCli(['stop'], { cwd: p.dir, env: p.env });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toBe(
      [
        'devrun: 1 of 2 processes did not end cleanly (exit code 4)',
        'web.1 failed (exit 4): not restarted (max restarts: 0)',
        '  | web failing',
        `logs: ${p.dir}/.devrun/logs`,
        '',
      ].join('\n'),
    );
    expect(lastRun(p.dir)).toMatchObject({ mode: 'background', pid: supervisor, exitCode: 4 });
  });
});
