import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/control/target.js';
import { DEVRUN_BIN, makeProject, runCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait.js';

let project: ReturnType<typeof makeProject> | undefined;
const terms: Tmux[] = [];
afterEach(async () => {
  if (project) await runCli(['stop'], { cwd: project.dir, env: project.env });
  for (const term of terms.splice(0)) term.kill();
  project?.cleanup();
  project = undefined;
});

const PROCFILE = [
  'tick: i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.1; done',
  'quiet: echo "quiet up"; exec sleep 300',
  '',
].join('\n');

/** A project with a devrun running in the background (`devrun start -D`). */
async function background() {
  project = makeProject({ Procfile: PROCFILE });
  const started = await runCli(['start', '-D'], { cwd: project.dir, env: project.env });
  expect(started.code, started.stderr).toBe(0);
  return project;
}

async function status(p: NonNullable<typeof project>): Promise<StatusReport> {
  const run = await runCli(['status', '--json'], { cwd: p.dir, env: p.env });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as StatusReport;
}

/** The `devrun attach` processes of the project (its marker is in their environment). */
function attachClients(p: NonNullable<typeof project>): number[] {
  return p.survivors().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('attach');
    } catch {
      return false;
    }
  });
}

const pidOf = (report: StatusReport, name: string) => report.processes.find((p) => p.name === name)?.pid;

/** A terminal in the project with `devrun attach` running in it, its dashboard drawn. */
async function attach(p: NonNullable<typeof project>, width = 120, height = 30): Promise<Tmux> {
  const term = new Tmux(width, height, p.dir, p.env);
  terms.push(term);
  term.run(`node ${DEVRUN_BIN} attach; echo "EXIT=$?"`);
  // The list and the selected process's log: the first frame is up and keys are read.
  await term.waitFor((screen) => screen.includes('quiet.1') && /tick\.1 · running/.test(screen) && /tick \d+/.test(screen));
  return term;
}

describe('devrun attach', () => {
  it('is the dashboard of a background devrun: j selects, r restarts, Tab merges, q detaches and the processes keep running', async () => {
    const p = await background();
    const before = await status(p);
    const term = await attach(p);

    term.keys('j');
    await term.waitFor(/quiet\.1 · running/);
    await term.waitFor('quiet up');

    term.keys('r');
    const after = await waitFor(
      async () => {
        const report = await status(p);
        const pid = pidOf(report, 'quiet.1');
        return pid !== undefined && pid !== pidOf(before, 'quiet.1') && report.processes.every((x) => x.state === 'running') && report;
      },
      { what: 'quiet.1 to run with a new pid', timeoutMs: 15_000 },
    );
    expect(after.processes.find((x) => x.name === 'quiet.1')!.restarts).toBe(0); // r: asked for, not counted
    // The restart is seen in the attached dashboard too (its log says so).
    await term.waitFor(`started with pid ${pidOf(after, 'quiet.1')}`);

    term.keys('Tab');
    await term.waitFor((screen) => screen.includes('all processes') && /tick\.1 +tick \d+/.test(screen));

    term.keys('q');
    const screen = await term.waitFor('EXIT=0');
    expect(screen).toMatch(/EXIT=0\nPROMPT\$ *$/m);
    const still = await status(p);
    expect(still.processes.map((x) => [x.name, x.state, x.pid])).toEqual(after.processes.map((x) => [x.name, 'running', x.pid]));
  });

  it('two dashboards at once, each with its own selection; closing one terminal leaves devrun and the other working', async () => {
    const p = await background();
    const one = await attach(p);
    const two = await attach(p, 100, 25);
    two.keys('j');
    await two.waitFor(/quiet\.1 · running/);
    // The first keeps its own selection.
    expect(one.screen()).toMatch(/tick\.1 · running/);
    const pids = (await status(p)).processes.map((x) => x.pid);

    expect(attachClients(p)).toHaveLength(2);
    one.hangUp();
    // That client ends (by the hang-up); devrun and the other one do not.
    await waitFor(() => attachClients(p).length === 1, { what: 'the hung-up client to end' });
    // The other dashboard still answers keys and shows live lines.
    two.keys('k');
    await two.waitFor(/tick\.1 · running/);
    const seen = /tick (\d+)/g;
    const last = (screen: string) => Math.max(...[...screen.matchAll(seen)].map((m) => Number(m[1])));
    const now = last(two.screen());
    await two.waitFor((screen) => last(screen) > now);
    expect((await status(p)).processes.map((x) => [x.state, x.pid])).toEqual(pids.map((pid) => ['running', pid]));

    // Ctrl-C detaches too.
    two.keys('C-c');
    await two.waitFor('EXIT=0');
    expect(attachClients(p)).toEqual([]);
    expect((await status(p)).processes.every((x) => x.state === 'running')).toBe(true);
  });

  it('says so and exits 0 when the devrun ends; exits 3 when none runs', async () => {
    const p = await background();
    const term = await attach(p);
    const stop = await runCli(['stop'], { cwd: p.dir, env: p.env });
    expect(stop.code, stop.stderr).toBe(0);
    const screen = await term.waitFor('EXIT=0');
    expect(screen).toContain('devrun: the devrun you were attached to ended\nEXIT=0');

    const none = await runCli(['attach'], { cwd: p.dir, env: p.env });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/^devrun: no devrun runs here/);
  });

  it('Q asks to stop everything: n (any key) cancels, y shuts the devrun down and the client says it ended', async () => {
    const p = await background();
    const before = await status(p);
    const term = await attach(p);

    term.keys('Q');
    await term.waitFor('Stop every process and devrun? y/n');
    term.keys('n');
    await term.waitFor((screen) => !screen.includes('Stop every process') && screen.includes('Q stop all'));
    // Nothing happened: same processes, still running, the dashboard still answers keys.
    expect((await status(p)).processes.map((x) => [x.state, x.pid])).toEqual(before.processes.map((x) => ['running', x.pid]));
    term.keys('j');
    await term.waitFor(/quiet\.1 · running/);

    term.keys('Q');
    await term.waitFor('Stop every process and devrun? y/n');
    term.keys('y');
    const screen = await term.waitFor('EXIT=0', 20_000);
    expect(screen).toContain('devrun: the devrun you were attached to ended\nEXIT=0');
    const none = await runCli(['status'], { cwd: p.dir, env: p.env });
    expect(none.code).toBe(3);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(before.processes.map((x) => x.pid).filter((pid) => typeof pid === 'number' && alive(pid))).toEqual([]);
  });

  it('attaches to a foreground devrun too: a clear there empties its own pane, q detaches and leaves it running', async () => {
    project = makeProject({ Procfile: 'quiet: echo "quiet up"; exec sleep 300\nloud: echo "loud up"; exec sleep 300\n' });
    const p = project;
    const host = new Tmux(120, 30, p.dir, p.env);
    terms.push(host);
    host.run(`node ${DEVRUN_BIN}`);
    await host.waitFor((screen) => /quiet\.1 · running/.test(screen) && screen.includes('quiet up'));
    const term = new Tmux(120, 30, p.dir, p.env);
    terms.push(term);
    term.run(`node ${DEVRUN_BIN} attach; echo "EXIT=$?"`);
    await term.waitFor((screen) => /quiet\.1 · running/.test(screen) && screen.includes('quiet up'));

    // c in the attached dashboard clears quiet.1's logs: the foreground dashboard's pane empties too.
    term.keys('c');
    await host.waitFor((screen) => !screen.includes('quiet up'));
    await term.waitFor((screen) => !screen.includes('quiet up'));

    term.keys('q');
    await term.waitFor('EXIT=0');
    const report = await status(p);
    expect(report.processes.map((x) => x.state)).toEqual(['running', 'running']);
    // The foreground dashboard still answers its keys.
    host.keys('j');
    await host.waitFor(/loud\.1 · running/);
  });
});

describe('terminal sizes with two dashboards (tmux "latest")', () => {
  it("an attached dashboard showing a process leaves its size; focusing it takes it; the foreground's typing takes it back", async () => {
    const sz = [
      "const show = () => console.log('size ' + process.stdout.columns + 'x' + process.stdout.rows);",
      "show(); process.stdout.on('resize', show); process.stdin.on('data', () => {});",
    ].join('\n');
    project = makeProject({ 'sz.js': sz, Procfile: 'sz: node sz.js\n' });
    const p = project;
    const sizes = async () => {
      const logs = await runCli(['logs', 'sz', '-n', '100'], { cwd: p.dir, env: p.env });
      return [...logs.stdout.matchAll(/\| size (\d+x\d+)$/gm)].map((m) => m[1]!);
    };
    const host = new Tmux(120, 30, p.dir, p.env);
    terms.push(host);
    host.run(`node ${DEVRUN_BIN}`);
    // The foreground dashboard shows sz.1 first: its terminal gets that pane's size (it was spawned at
    // 80x24; the resize may come before node listens, so 80x24 may not be printed).
    const hostSize = (await waitFor(async () => (await sizes()).find((size) => size !== '80x24') ?? false, { what: 'the first show' }))!;
    await host.waitFor(`size ${hostSize}`);
    const before = (await sizes()).length;

    const term = new Tmux(100, 25, p.dir, p.env);
    terms.push(term);
    term.run(`node ${DEVRUN_BIN} attach; echo "EXIT=$?"`);
    await term.waitFor((screen) => /sz\.1 · running/.test(screen) && screen.includes(`size ${hostSize}`));
    term.keys('Tab');
    await term.waitFor('all processes');
    term.keys('Tab');
    term.keys('C-]');
    await term.waitFor('FOCUS sz.1');
    const attachedSize = (await waitFor(async () => (await sizes())[before] ?? false, { what: 'the focus to size it' }))!;
    expect(attachedSize).not.toBe(hostSize);
    term.keys('C-]');
    await term.waitFor((screen) => !screen.includes('FOCUS'));

    // The foreground dashboard types into it: its size again.
    host.keys('i');
    await host.waitFor('sz.1>');
    host.type('hello');
    host.keys('Enter');
    await waitFor(async () => (await sizes()).length === before + 2, { what: 'the typing to size it' });
    // Nothing else resized it: showing, Tab, leaving focus (the attached pane's size is its screen's).
    expect((await sizes()).slice(before - 1)).toEqual([hostSize, attachedSize, hostSize]);
    term.keys('q');
    await term.waitFor('EXIT=0');
  });
});

describe('plain devrun while one runs here', () => {
  it('in a terminal attaches and says so; with a run flag it refuses in one line', async () => {
    const p = await background();
    const term = new Tmux(120, 30, p.dir, p.env);
    terms.push(term);
    term.run(`node ${DEVRUN_BIN}; echo "EXIT=$?"`);
    await term.waitFor((screen) => screen.includes('quiet.1') && /tick\.1 · running/.test(screen));
    term.keys('q');
    const screen = await term.waitFor('EXIT=0');
    expect(screen).toMatch(/devrun: already running here \(pid \d+\): attaching; q detaches/);
    expect((await status(p)).processes.every((x) => x.state === 'running')).toBe(true);

    term.run(`node ${DEVRUN_BIN} --no-pty; echo "EXIT=$?"`);
    const refused = await term.waitFor('EXIT=1');
    expect(refused).toMatch(/devrun: already running in \S+ \(pid \d+\); stop it first/);
  });
});

describe('devrun attach with TERM=dumb', () => {
  it('says the dashboard cannot be drawn and exits 1; plain devrun too; the run goes on', async () => {
    const p = await background();
    const term = new Tmux(120, 30, p.dir, { ...p.env, TERM: 'dumb' });
    terms.push(term);
    term.run(`node ${DEVRUN_BIN} attach; echo "EXIT=$?"`);
    expect(await term.waitFor('EXIT=1')).toContain('devrun: TERM=dumb cannot draw the dashboard (try `devrun status` or `devrun logs -f`)');
    term.run(`node ${DEVRUN_BIN}; echo "PLAIN=$?"`);
    expect(await term.waitFor('PLAIN=1')).toMatch(/attaching; q detaches\n.*TERM=dumb cannot draw the dashboard/);
    expect((await status(p)).processes.every((x) => x.state === 'running')).toBe(true);
  });
});
