// Workload 7: every way of stopping devrun (or one of its processes), on terminals and on pipes: how long
// it takes, whether a process with a 1 s SIGTERM handler drains, what is left alive, devrun's exit status.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { killMarked } from '../lib/cleanup.js';
import { DEVRUN_BIN, NODE_FLAGS, RUNS, TAG_KEY } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { devrunCommand, headerSays } from '../lib/devrun.js';
import { makeDir, shq, writeProcfile } from '../lib/fixtures.js';
import { cmdline, describe, isRunning, pidsWithEnv } from '../lib/procfs.js';
import { median, type Results, type Row } from '../lib/results.js';
import { spawnToFile } from '../lib/spawn-timed.js';
import { isDevrunProcess, TuiRun, waitGone } from '../lib/tui-run.js';
import { now, pollUntil, sleep, within } from '../lib/wait.js';

const TIMEOUT_S = 5;
const DRAIN_MS = 1000;
/** After kill -9 of devrun, how long its children get to die of the hang-up before they are counted. */
const KILL9_WAIT_MS = 2000;
/** `sleep 300` processes once everything is up: tree's exec'd shell, its two grandchildren, plain. */
const SLEEPS = 4;
const W = 'stops';

/** On SIGTERM: waits DRAIN_MS, appends `drained <pid>` to the file named by argv[2], exits 0. */
const APP = `'use strict';
const fs = require('node:fs');
const file = process.argv[2];
process.on('SIGTERM', () => setTimeout(() => {
  fs.appendFileSync(file, 'drained ' + process.pid + '\\n');
  process.exit(0);
}, ${DRAIN_MS}));
process.stdout.write('app up ' + process.pid + '\\n');
setInterval(() => {}, 1 << 30);
`;

/**
 * `node status.cjs STATUS_FILE CMD ARGS...`: runs CMD on the same terminal and writes {code, signal, ms, end}
 * when it exits. It outlives the hang-up with a SIGHUP handler (a handler, unlike SIG_IGN, is not inherited by CMD).
 */
const STATUS = `'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [file, command, ...args] = process.argv.slice(2);
process.on('SIGHUP', () => {});
const start = performance.timeOrigin + performance.now();
const child = spawn(command, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => {
  const end = performance.timeOrigin + performance.now();
  fs.writeFileSync(file, JSON.stringify({ code, signal, ms: end - start, end }));
  process.exit(0);
});
`;

interface Files {
  app: string;
  status: string;
}

interface Setup {
  dir: string;
  procfile: string;
  drained: string;
}

function setup(files: Files, label: string): Setup {
  const dir = makeDir(label);
  const drained = path.join(dir, 'drained.txt');
  const procfile = writeProcfile(dir, [
    { name: 'app', command: `node ${shq(files.app)} ${shq(drained)}` },
    { name: 'tree', command: "sh -c 'sleep 300 & sleep 300' & exec sleep 300" },
    { name: 'plain', command: 'sleep 300' },
  ]);
  return { dir, procfile, drained };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const hasDrained = (s: Setup, pid: number) => readText(s.drained).includes(`drained ${pid}\n`);

/** The app's pid once everything is up: the app said so (its handler is installed) and the tree's grandchildren exist. */
function ready(files: Files, tag: string, saidUp: (pid: number) => boolean): Promise<number> {
  return pollUntil(
    () => {
      const pids = pidsWithEnv(TAG_KEY, tag);
      const app = pids.find((p) => cmdline(p).includes(files.app));
      const sleeps = pids.filter((p) => cmdline(p).join(' ') === 'sleep 300').length;
      return app !== undefined && sleeps >= SLEEPS && saidUp(app) && app;
    },
    { timeoutMs: 20_000, intervalMs: 20, what: `the app to say it is up and ${SLEEPS} sleeps` },
  );
}

interface Trial {
  /** Key or signal → devrun gone (q, Ctrl-C, hang-up, signals), → new pid shown (r), → shown stopped (x, X). */
  ms: number;
  /** The app pid stopped ran its SIGTERM handler to the end. */
  drained: boolean;
  /** Tagged processes alive once devrun exited (r, x, X: the old app if still alive, then what q left). */
  survivors: string[];
  status: string;
  /** r: key → the drained line written. */
  drainMs?: number;
}

type DashboardWay = 'q' | 'ctrl-c' | 'r' | 'x' | 'X' | 'hangup';

const DASHBOARD: { way: DashboardWay; metric: string; graceful: boolean }[] = [
  { way: 'q', metric: 'q → exit', graceful: true },
  { way: 'ctrl-c', metric: 'Ctrl-C → exit', graceful: true },
  { way: 'r', metric: 'r on app → new pid shown', graceful: true },
  { way: 'x', metric: 'x on app → shown stopped', graceful: true },
  { way: 'X', metric: 'X on app → shown stopped', graceful: false },
  { way: 'hangup', metric: 'tmux kill-session (hang-up) → exit', graceful: true },
];

const TMUX_KEYS: Record<DashboardWay, string> = { q: 'q', 'ctrl-c': 'C-c', r: 'r', x: 'x', X: 'X', hangup: '' };

/** q, then devrun's exit code and what it left (r, x, X end this way). */
async function quitAfter(run: TuiRun, pid: number): Promise<{ status: string; survivors: string[] }> {
  run.tmux.keys('q');
  await waitGone(pid, 30_000);
  const code = await run.exitCode();
  return { status: String(code), survivors: run.leftovers().map(describe) };
}

async function dashboardTrial(files: Files, way: DashboardWay, rep: number): Promise<Trial> {
  const s = setup(files, `stops-tui-${way}-${rep}`);
  const statusFile = path.join(s.dir, 'status.json');
  const devrun = devrunCommand(s.procfile, ['-t', String(TIMEOUT_S)]);
  const command = way === 'hangup' ? `node ${shq(files.status)} ${shq(statusFile)} ${devrun}` : devrun;
  const run = await TuiRun.open({ cwd: s.dir, command });
  try {
    run.launch();
    const pid = await run.findPid((p) => isDevrunProcess(p) && !cmdline(p).includes(files.status));
    await run.tmux.waitFor(headerSays(3, 'running'), { timeoutMs: 20_000, what: 'the header to say 3 running' });
    // app.1 is selected first: its log (right pane) shows the app's "up" line.
    const app = await ready(files, run.tag, (p) => {
      const screen = run.tmux.screen();
      return /›app\.1/.test(screen) && screen.includes(`app up ${p}`);
    });

    if (way === 'q' || way === 'ctrl-c') {
      run.tmux.keys(TMUX_KEYS[way]);
      const pressed = now();
      const gone = await waitGone(pid, 30_000);
      const code = await run.exitCode();
      return { ms: gone - pressed, drained: hasDrained(s, app), survivors: run.leftovers().map(describe), status: String(code) };
    }

    if (way === 'hangup') {
      const wrapper = await run.findPid((p) => cmdline(p).includes(files.status));
      run.tmux.killSession();
      const hungUp = now();
      const gone = await waitGone(pid, 30_000);
      const survivors = run
        .leftovers()
        .filter((p) => p !== wrapper)
        .map(describe);
      const recorded = await pollUntil(() => readText(statusFile), { timeoutMs: 10_000, what: "the wrapper's status file" });
      const st = JSON.parse(recorded) as { code: number | null; signal: string | null };
      return { ms: gone - hungUp, drained: hasDrained(s, app), survivors, status: st.signal ?? String(st.code) };
    }

    run.tmux.keys(TMUX_KEYS[way]);
    const pressed = now();
    let drainMs: number | undefined;
    let shownAt: number;
    if (way === 'r') {
      const newPid = (screen: string) => [...screen.matchAll(/started with pid (\d+)/g)].some((m) => Number(m[1]) !== app);
      const [shown, drainedAt] = await Promise.all([
        run.tmux.waitFor(newPid, { timeoutMs: 20_000, intervalMs: 10, what: 'a new app pid on screen' }),
        pollUntil(() => hasDrained(s, app) && now(), { timeoutMs: 20_000, intervalMs: 10, what: 'the drained line' }),
      ]);
      shownAt = shown.at;
      drainMs = drainedAt - pressed;
    } else {
      const shown = await run.tmux.waitFor(/app\.1\s+stopped\b/, { timeoutMs: 20_000, intervalMs: 10, what: 'app.1 shown stopped' });
      shownAt = shown.at;
    }
    const stale = isRunning(app) ? [describe(app)] : [];
    const drained = hasDrained(s, app);
    const q = await quitAfter(run, pid);
    return {
      ms: shownAt - pressed,
      drained,
      survivors: [...stale, ...q.survivors],
      status: q.status,
      ...(drainMs !== undefined && { drainMs }),
    };
  } finally {
    run.close();
  }
}

type Mode = 'pty' | 'pipes';
type Way = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL';

const SUBJECTS: Record<Mode, { subject: string; flag: string }> = {
  pty: { subject: 'devrun --no-tui --pty', flag: '--pty' },
  pipes: { subject: 'devrun --no-tui --no-pty (pipes)', flag: '--no-pty' },
};

interface Reap {
  /** What the killed run left alive, after KILL9_WAIT_MS. */
  left: number;
  /** Spawn of the next devrun → every one of them gone. */
  ms: number;
  /** The next start said so on stderr. */
  told: boolean;
  /** The killed run's app ran its handler when the next start stopped it. */
  drainedOnReap: boolean;
  /** The next run's own exit status after SIGTERM, and what it left. */
  status: string;
  survivors: string[];
}

function startHeadless(files: Files, s: Setup, mode: Mode, tag: string, label: string) {
  const out = path.join(s.dir, `${label}.out`);
  const started = spawnToFile(
    process.execPath,
    [...NODE_FLAGS, DEVRUN_BIN, '-f', s.procfile, '-t', String(TIMEOUT_S), '--no-tui', SUBJECTS[mode].flag],
    {
      cwd: s.dir,
      env: { ...process.env, [TAG_KEY]: tag },
      stdout: out,
      stderr: path.join(s.dir, `${label}.err`),
    },
  );
  const app = () => ready(files, tag, (p) => readText(out).includes(`app up ${p}`));
  return { ...started, app, err: path.join(s.dir, `${label}.err`) };
}

const statusOf = (end: { code: number | null; signal: NodeJS.Signals | null }) => end.signal ?? String(end.code);

/** devrun again in the folder a kill -9 left: how long until the leftovers are gone; then SIGTERM it. */
async function nextStart(files: Files, s: Setup, mode: Mode, tag: string, killedApp: number): Promise<Reap> {
  const left = pidsWithEnv(TAG_KEY, tag);
  const tag2 = `${tag}-next`;
  const next = startHeadless(files, s, mode, tag2, 'next');
  const t0 = now();
  try {
    const reapedAt = await pollUntil(() => left.every((p) => !isRunning(p)) && now(), {
      timeoutMs: 20_000,
      intervalMs: 10,
      what: 'the next start to stop what the killed run left',
    });
    await next.app();
    next.child.kill('SIGTERM');
    const end = await within(next.exited, 30_000);
    if (!end) throw new Error('the next devrun did not exit within 30 s of SIGTERM');
    return {
      left: left.length,
      ms: reapedAt - t0,
      told: readText(next.err).includes('a previous devrun was killed'),
      drainedOnReap: hasDrained(s, killedApp),
      status: statusOf(end),
      survivors: pidsWithEnv(TAG_KEY, tag2).map(describe),
    };
  } finally {
    if (next.child.exitCode === null && next.child.signalCode === null) next.child.kill('SIGKILL');
    killMarked(TAG_KEY, tag2);
  }
}

interface Kill9 {
  reap?: Reap;
  /** Processes of the run (devrun excluded) just before the kill, and those of them that died within KILL9_WAIT_MS. */
  children?: number;
  died?: string[];
}

async function headlessTrial(files: Files, mode: Mode, way: Way, rep: number): Promise<Trial & Kill9> {
  const s = setup(files, `stops-${mode}-${way}-${rep}`);
  const tag = `${path.basename(s.dir)}-${process.pid}`;
  const run = startHeadless(files, s, mode, tag, 'devrun');
  try {
    const app = await run.app();
    const before = new Map(
      pidsWithEnv(TAG_KEY, tag)
        .filter((p) => p !== run.child.pid)
        .map((p) => [p, describe(p)]),
    );
    run.child.kill(way);
    const sent = now();
    const end = await within(run.exited, 30_000);
    if (!end) throw new Error(`devrun ${SUBJECTS[mode].flag} did not exit within 30 s of ${way}`);
    if (way !== 'SIGKILL')
      return { ms: end.at - sent, drained: hasDrained(s, app), survivors: pidsWithEnv(TAG_KEY, tag).map(describe), status: statusOf(end) };
    await sleep(KILL9_WAIT_MS);
    const alive = pidsWithEnv(TAG_KEY, tag);
    const died = [...before].filter(([p]) => !alive.includes(p)).map(([, d]) => d);
    const drained = hasDrained(s, app);
    const reap = await nextStart(files, s, mode, tag, app);
    return { ms: end.at - sent, drained, survivors: alive.map(describe), status: statusOf(end), reap, children: before.size, died };
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    killMarked(TAG_KEY, tag);
  }
}

const list = (values: (string | number)[]) => [...new Set(values)].join(', ');
/** "0" when every run left nothing, else the count per run. */
const counts = (trials: Trial[]) =>
  trials.every((t) => t.survivors.length === 0) ? '0' : trials.map((t) => t.survivors.length).join(', ');
const drainedOf = (trials: Trial[]) => `drained ${trials.filter((t) => t.drained).length}/${trials.length}`;

function report(results: Results, subject: string, metric: string, graceful: boolean, trials: Trial[], note: string): void {
  const row: Row = { workload: W, subject, metric, unit: 'ms', values: trials.map((t) => t.ms), note };
  results.add(row);
  const label = `${subject}, ${metric}`;
  if (graceful && trials.some((t) => !t.drained))
    results.observe(
      `${W} (${label}): the app's SIGTERM handler did not finish in ${trials.filter((t) => !t.drained).length} of ${trials.length} runs`,
    );
  trials.forEach((t, i) => {
    if (t.survivors.length) results.observe(`${W} (${label}) run ${i + 1}: alive after the stop: ${t.survivors.join('; ')}`);
  });
}

export const stops: Workload = {
  name: 'stops',
  needs: {},
  budgetMs: 240_000,
  notes: [
    `stops: a Procfile of \`app\` (node; on SIGTERM waits ${DRAIN_MS / 1000} s, appends \`drained <pid>\` to a file, exits 0), ` +
      "`tree: sh -c 'sleep 300 & sleep 300' & exec sleep 300` (grandchildren in its group) and `plain: sleep 300`, devrun run with " +
      `\`-t ${TIMEOUT_S}\`; a fresh devrun per run, once the app said it is up and all ${SLEEPS} sleeps exist. ` +
      'Dashboard (tmux, processes on terminals): the key is sent and the clock stops when the devrun pid is gone (polled every 5 ms), ' +
      'or for r when a new app pid shows in its log and for x/X when app.1 shows stopped (screen polled every 10 ms); those end with q, ' +
      'whose status is the one shown. The hang-up is `tmux kill-session` with devrun under a small node wrapper that survives SIGHUP (a handler) ' +
      'and records how devrun ended. Headless runs get the signal from the bench (their parent); status is the exit code or the signal. ' +
      "Drained: the app pid being stopped wrote its line. Survivors: processes still carrying the run's tag once devrun exited " +
      `(the wrapper excluded); after kill -9 they are counted ${KILL9_WAIT_MS / 1000} s later, then devrun is started again in that folder ` +
      'and the clock runs from its spawn until every one of them is gone.',
  ],
  async run({ results }: Context) {
    const dir = makeDir('stops');
    const files: Files = { app: path.join(dir, 'app.cjs'), status: path.join(dir, 'status.cjs') };
    writeFileSync(files.app, APP);
    writeFileSync(files.status, STATUS);

    for (const { way, metric, graceful } of DASHBOARD) {
      const trials: Trial[] = [];
      for (let rep = 0; rep < RUNS; rep++) {
        const t = await dashboardTrial(files, way, rep);
        trials.push(t);
        process.stderr.write(
          `  dashboard ${metric} run ${rep + 1}: ${t.ms.toFixed(0)} ms, drained ${t.drained}, survivors ${t.survivors.length}, status ${t.status}\n`,
        );
      }
      const stays = way === 'r' || way === 'x' || way === 'X';
      const drainNote = way === 'r' ? ` (line written after ${median(trials.map((t) => t.drainMs ?? Number.NaN)).toFixed(0)} ms)` : '';
      const note = stays
        ? `${drainedOf(trials)}${drainNote}, survivors (old app, then after q) ${counts(trials)}, status after q ${list(trials.map((t) => t.status))}`
        : `${drainedOf(trials)}, survivors ${counts(trials)}, status ${list(trials.map((t) => t.status))}`;
      report(results, 'devrun dashboard (pty)', metric, graceful, trials, note);
    }

    for (const mode of ['pty', 'pipes'] as Mode[]) {
      const { subject } = SUBJECTS[mode];
      for (const way of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as Way[]) {
        const trials: (Trial & Kill9)[] = [];
        for (let rep = 0; rep < RUNS; rep++) {
          const t = await headlessTrial(files, mode, way, rep);
          trials.push(t);
          const reap = t.reap
            ? `; ${t.died?.length} of ${t.children} died; next start: ${t.reap.left} left, gone after ${t.reap.ms.toFixed(0)} ms`
            : '';
          process.stderr.write(
            `  ${subject} ${way} run ${rep + 1}: ${t.ms.toFixed(0)} ms, drained ${t.drained}, survivors ${t.survivors.length}, status ${t.status}${reap}\n`,
          );
        }
        const statuses = list(trials.map((t) => t.status));
        if (way !== 'SIGKILL') {
          report(results, subject, `${way} → exit`, true, trials, `${drainedOf(trials)}, survivors ${counts(trials)}, status ${statuses}`);
          continue;
        }
        const reaps = trials.map((t) => t.reap as Reap);
        results.add({
          workload: W,
          subject,
          metric: `kill -9 → survivors after ${KILL9_WAIT_MS / 1000} s`,
          unit: '',
          values: trials.map((t) => t.survivors.length),
          text: counts(trials),
          note:
            `of ${list(trials.map((t) => t.children ?? 0))} processes; ` +
            `${drainedOf(trials)}, status ${statuses}` +
            (reaps.every((r) => r.left === 0)
              ? `; next start: nothing to stop${reaps.some((r) => r.told) ? `, yet it said it stopped something in ${reaps.filter((r) => r.told).length}/${reaps.length}` : ', said nothing'}`
              : ''),
        });
        if (reaps.some((r) => r.left > 0)) {
          const reaped = reaps.filter((r) => r.left > 0);
          results.add({
            workload: W,
            subject,
            metric: 'kill -9 → next start reaped them',
            unit: 'ms',
            values: reaped.map((r) => r.ms),
            note:
              `next start named them ${reaped.filter((r) => r.told).length}/${reaped.length}, ` +
              `old app drained on reap ${reaped.filter((r) => r.drainedOnReap).length}/${reaped.length}; ` +
              `next run: SIGTERM status ${list(reaped.map((r) => r.status))}, survivors ${reaped.every((r) => r.survivors.length === 0) ? '0' : reaped.map((r) => r.survivors.length).join(', ')}`,
          });
        }
        // On terminals every child should die of the hang-up; on pipes every one should outlive devrun.
        trials.forEach((t, i) => {
          if (mode === 'pty' && t.survivors.length)
            results.observe(`${W} (${subject}, kill -9) run ${i + 1}: alive ${KILL9_WAIT_MS / 1000} s later: ${t.survivors.join('; ')}`);
          if (mode === 'pipes' && t.died?.length)
            results.observe(
              `${W} (${subject}, kill -9) run ${i + 1}: ${t.died.length} of ${t.children} processes died within ${KILL9_WAIT_MS / 1000} s: ${t.died.join('; ')}`,
            );
        });
        reaps.forEach((r, i) => {
          if (r.survivors.length)
            results.observe(`${W} (${subject}, next start after kill -9) run ${i + 1}: left behind: ${r.survivors.join('; ')}`);
        });
      }
    }
  },
};
