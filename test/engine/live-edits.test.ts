import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReloadOptions, reloadProject } from '../../src/config/run-specs.js';
import { SystemProcessGroups } from '../../src/engine/process-groups.js';
import { Supervisor } from '../../src/engine/supervisor.js';
import { makeProject } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

type Project = ReturnType<typeof makeProject>;
let project: Project | undefined;
let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.killAll();
  project?.cleanup();
  project = supervisor = undefined;
});

/** A supervisor over a real project folder, built as `devrun start` builds it: r reads the files again. */
function run(files: Record<string, string>, flags: Partial<ReloadOptions> = {}) {
  const p = makeProject(files);
  project = p;
  const options: ReloadOptions = {
    procfile: undefined,
    config: undefined,
    env: undefined,
    root: p.dir,
    formation: 'all=1',
    port: undefined,
    envOverride: false,
    names: [],
    ...flags,
  };
  const shell = { ...process.env, ...p.env };
  const first = reloadProject(options, shell);
  if (!first.ok) throw new Error(first.error);
  const sup = new Supervisor({
    specs: first.project.specs,
    env: first.project.env,
    cwd: p.dir,
    runId: randomUUID(),
    sampleIntervalMs: 0,
    stopTimeoutMs: 2000,
    groups: new SystemProcessGroups(),
    reload: () => reloadProject(options, shell),
  });
  supervisor = sup;
  const lines = (name: string) =>
    sup.logs
      .lines(name)
      .toArray()
      .map((l) => l.text);
  const waitLine = (name: string, text: string | RegExp) =>
    waitFor(() => lines(name).find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l))), {
      what: `${name} to print ${text}`,
    });
  const write = (name: string, text: string) => writeFileSync(join(p.dir, name), text);
  return { sup, lines, waitLine, write };
}

describe('r re-reads the Procfile, .env and devrun.yaml for the process', () => {
  it('a live edit of .env is picked up: the new run prints the new value', async () => {
    const { sup, waitLine, write } = run({ Procfile: 'web: echo "greeting=$GREETING"; exec sleep 300\n', '.env': 'GREETING=hello\n' });
    sup.startAll();
    await waitLine('web.1', 'greeting=hello');
    write('.env', 'GREETING=bonjour\n');
    expect(sup.restart('web.1')).toBeUndefined();
    await waitLine('web.1', 'greeting=bonjour');
  });

  it('a new command and devrun.yaml env and cwd are taken by the next run; a flag still beats the file', async () => {
    const { sup, waitLine, write } = run(
      { Procfile: 'web: echo "one"; exec sleep 300\n', 'devrun.yaml': 'processes:\n  web:\n    restart: never\n' },
      { restart: 'always' },
    );
    sup.startAll();
    await waitLine('web.1', 'one');
    write('Procfile', 'web: echo "two $COLOUR $(basename "$PWD")"; exit 0\n');
    write('devrun.yaml', 'processes:\n  web:\n    restart: never\n    env:\n      COLOUR: blue\n    cwd: /tmp\n');
    sup.restart('web.1');
    await waitLine('web.1', 'two blue tmp');
    // --restart always beats the file's never: the run that exits 0 is started again.
    await waitFor(() => sup.processes()[0]!.restarts >= 2, { what: 'web.1 restarted by policy' });
  });

  it('an invalid devrun.yaml edit is said with file and line, and the process restarts with the settings it had', async () => {
    const { sup, lines, waitLine, write } = run({
      Procfile: 'web: echo "colour=$COLOUR"; exec sleep 300\n',
      'devrun.yaml': 'processes:\n  web:\n    env:\n      COLOUR: red\n',
    });
    sup.startAll();
    await waitLine('web.1', 'colour=red');
    const pid = sup.processes()[0]!.pid;
    write('devrun.yaml', 'processes:\n  web:\n    env:\n      COLOUR: green\n    restart: sometimes\n');
    const problem = sup.restart('web.1');
    expect(problem).toMatch(/devrun\.yaml:5:\d+: .*restart/);
    await waitLine('web.1', /devrun\.yaml:5:\d+: .*: restarting with the settings it had/);
    await waitFor(() => sup.processes()[0]!.pid !== pid && sup.processes()[0]!.status === 'running', { what: 'a new run' });
    await waitFor(() => lines('web.1').filter((l) => l === 'colour=red').length === 2, { what: 'the new run with the old env' });
    expect(lines('web.1')).not.toContain('colour=green');
  });
});

describe('reload applies the files to the running supervisor', () => {
  it('added processes start in dependency order; an unchanged one keeps its run; the summary is a devrun line', async () => {
    const { sup, lines, waitLine, write } = run({ Procfile: 'keep: exec sleep 300\n' });
    sup.startAll();
    await waitLine('keep.1', 'started with pid');
    const keepPid = sup.processes()[0]!.pid;
    write(
      'Procfile',
      'keep: exec sleep 300\nsetup: echo "setting up"; sleep 0.3; echo "set up"\nweb: echo "web after setup"; exec sleep 300\n',
    );
    write('devrun.yaml', 'processes:\n  setup:\n    restart: never\n  web:\n    depends_on: { setup: succeeded }\n');
    const result = sup.reload();
    expect(result).toEqual({ ok: true, summary: 'reload: added setup.1, web.1; 1 unchanged' });
    expect(lines('devrun')).toContain('reload: added setup.1, web.1; 1 unchanged');
    await waitLine('web.1', 'web after setup');
    const setupEnded = sup.logs
      .lines('setup.1')
      .toArray()
      .find((l) => l.text.startsWith('exited with code 0'))!;
    const webStarted = sup.logs
      .lines('web.1')
      .toArray()
      .find((l) => l.text.startsWith('started with pid'))!;
    expect(setupEnded.seq).toBeLessThan(webStarted.seq);
    expect(sup.processes().map((p) => p.name)).toEqual(['keep.1', 'setup.1', 'web.1']);
    expect(sup.processes()[0]!.pid).toBe(keepPid);
  });

  it('an invalid edit applies nothing and says why in one devrun line', async () => {
    const { sup, lines, waitLine, write } = run({ Procfile: 'web: exec sleep 300\n' });
    sup.startAll();
    await waitLine('web.1', 'started with pid');
    write('Procfile', 'web: exec sleep 300\nweb: exec sleep 301\n');
    const result = sup.reload();
    expect(result.ok).toBe(false);
    expect(lines('devrun').at(-1)).toMatch(/^reload: \S*Procfile:2: .*; nothing applied$/);
    expect(sup.processes().map((p) => [p.name, p.status])).toEqual([['web.1', 'running']]);
  });
});
