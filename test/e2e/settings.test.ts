import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, runCli, startCli } from '../helpers/cli.js';

let project: ReturnType<typeof makeProject> | undefined;
const use = (files: Record<string, string>) => (project = makeProject(files));
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const line = (name: string, text: string) => new RegExp(`^${name.replace('.', '\\.')} +\\| ${text}$`, 'm');

describe('devrun.yaml in a run', () => {
  it('env, cwd, restart and autostart per process; cmd defines a process; a flag beats the file', async () => {
    const p = use({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
      Procfile: 'web: echo "A=$A PORT=$PORT in ${PWD##*/}"; exit 2\nother: echo other; exit 2\n',
      'devrun.yaml': [
        'processes:',
        '  web: { env: { A: from-yaml, PORT: 9999 }, cwd: sub, restart: never }',
        '  db: { cmd: echo db defined here }',
        '  later: { cmd: echo never printed, autostart: false }',
        '',
      ].join('\n'),
      '.env': 'A=from-env\n',
    });
    mkdirSync(join(p.dir, 'sub'));
    const run = await runCli(['--no-timestamps', '--max-restarts', '0'], { cwd: p.dir, env: p.env });
    expect(run.stdout).toMatch(line('web.1', 'A=from-yaml PORT=9999 in sub'));
    expect(run.stdout).toMatch(line('web.1', 'crashed \\(exit 2\\)'));
    expect(run.stdout).toMatch(line('db.1', 'db defined here'));
    expect(run.stdout).not.toContain('never printed');
    // --max-restarts 0 beats the default for other, and nothing restarted web (restart: never).
    expect(run.stdout.match(/^web\.1 +\| A=/gm)).toHaveLength(1);
    expect(run.stdout.match(/^other\.1 +\| other$/gm)).toHaveLength(1);
    expect(run.code).toBe(2);
    // Only the exit summary (web.1 and other.1 crashed).
    expect(run.stderr).toMatch(/^devrun: 2 of 4 processes did not end cleanly/);

    // restart: always in the file; --restart never on the command line wins.
    const q = use({ Procfile: 'once: echo once\n', 'devrun.yaml': 'processes:\n  once: { restart: always }\n' });
    const flagged = await runCli(['--no-timestamps', '--restart', 'never'], { cwd: q.dir, env: q.env });
    expect(flagged.stdout.match(/^once\.1 +\| once$/gm)).toHaveLength(1);
    expect(flagged.code).toBe(0);
  });

  it('stop_signal and stop_timeout: the graceful stop sends that signal', async () => {
    const p = use({
      Procfile: "quitter: trap 'echo got QUIT; exit 0' QUIT; echo ready; while :; do sleep 0.1; done\n",
      'devrun.yaml': 'processes:\n  quitter: { stop_signal: QUIT, stop_timeout: 3s }\n',
    });
    const run = startCli(['--no-timestamps', '--no-color'], { cwd: p.dir, env: p.env });
    await run.waitOutput(line('quitter.1', 'ready'));
    run.child.kill('SIGTERM');
    await run.exit;
    expect(run.stdout()).toMatch(line('quitter.1', 'got QUIT'));
    expect(run.stdout()).toMatch(line('quitter.1', 'stopped \\(exit 0\\)'));
    expect(p.survivors()).toEqual([]);
  });
});

describe('devrun check with devrun.yaml', () => {
  it('lists each process with its effective settings', async () => {
    const p = use({
      Procfile: 'web: serve\n',
      'devrun.yaml':
        'processes:\n  web: { depends_on: { db: ready }, restart: always }\n  db: { cmd: postgres, ready: { port: 5432 }, stop_signal: INT }\n',
    });
    const checked = await runCli(['check'], { cwd: p.dir, env: p.env });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('settings: devrun.yaml\n');
    expect(checked.stdout).toMatch(
      /^ {2}web\.1 +PORT=5000 +serve\n {9}after db ready · restart always \(max 10\) · stop TERM, kill after 5s$/m,
    );
    expect(checked.stdout).toMatch(
      /^ {2}db\.1 +PORT=5100 +postgres\n {9}ready: port 5432 \(every 1s, up to 60s\) · restart on-failure \(max 10\) · stop INT, kill after 5s$/m,
    );
  });

  it('a bad file: one line per problem with file, line and column, exit 1, nothing starts', async () => {
    const p = use({ Procfile: 'web: echo started\n', 'devrun.yaml': 'processes:\n  web:\n    depends_on: [web]\n    restrat: always\n' });
    const checked = await runCli(['check'], { cwd: p.dir, env: p.env });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toBe(
      'devrun: devrun.yaml:4:5: processes.web.restrat: unknown key (did you mean restart?); allowed: cmd, depends_on, ready, restart, max_restarts, stop_signal, stop_timeout, env, cwd, autostart, max_memory, watch, watch_ignore, on_dependency_restart\n',
    );
    const cycle = use({
      Procfile: 'a: echo a\nb: echo b\n',
      'devrun.yaml': 'processes:\n  a: { depends_on: [b] }\n  b: { depends_on: [a] }\n',
    });
    const ran = await runCli([], { cwd: cycle.dir, env: cycle.env });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe('devrun: devrun.yaml:2: processes.a: dependency cycle: a → b → a\n');
    expect(ran.stdout).toBe('');
  });
});
