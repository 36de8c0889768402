// Workload 2: the same 4 × 250,000-line flood into devrun's dashboard (and mprocs) in a 120×40 tmux
// window under `script -f`: time until the UI shows everything finished, bytes written to the
// terminal, devrun's CPU and peak RSS, and how long a key takes to show its effect mid-flood.
import path from 'node:path';
import { DEVRUN_BIN, DONE_KEY, NODE_FLAGS, RUNS } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { headerSays, openDevrunTui } from '../lib/devrun.js';
import {
  doneCount,
  freshDoneDir,
  makeDir,
  readDone,
  shq,
  writeMprocsConfig,
  writeProcfile,
  writerCommand,
  writerSpan,
} from '../lib/fixtures.js';
import { ProcMonitor } from '../lib/monitor.js';
import { cpuSeconds, describe, exeName, statusKb } from '../lib/procfs.js';
import { median, withUnit } from '../lib/results.js';
import { runTimed } from '../lib/spawn-timed.js';
import { TuiRun, waitGone } from '../lib/tui-run.js';
import { now, pollUntil } from '../lib/wait.js';

const WRITERS = ['a', 'b', 'c', 'd'];
const LINES = 250_000;
/** The key is pressed once the pane shows writer a past this line: well inside the flood. */
const PRESS_AT_LINE = 25_000;
/** The same dashboard run without log files (on by default), in each repetition: what writing them costs. */
const NO_LOG_FILES = '--no-log-files';

interface DevrunTuiRun {
  wall: number;
  span: number;
  lagAfterWriters: number;
  bytes: number;
  cpu: number;
  rssMb: number;
  keyMs?: number;
  keyMidFlood: boolean;
  writersLeftAtPress: number;
  lastLineShown: boolean;
  code: number;
  leftovers: string[];
}

interface MprocsRun {
  wall: number;
  span: number;
  bytes: number;
  cpu: number;
  rssMb: number;
  code: number;
}

const maxCounter = (screen: string, id: string) => {
  let max = 0;
  for (const m of screen.matchAll(new RegExp(`(?:^|│ ?)${id} (\\d{8}) x`, 'gm'))) max = Math.max(max, Number(m[1]));
  return max;
};

async function devrunRun(dir: string, procfile: string, rep: number, extra: string[] = []): Promise<DevrunTuiRun> {
  const label = `devrun${extra.join('')}-${rep}`;
  const doneDir = freshDoneDir(dir, label);
  const typescript = path.join(dir, `${label}.typescript`);
  const run = await openDevrunTui({ dir, procfile, typescript, doneDir, extra });
  try {
    const t0 = run.launch();
    const pid = await run.findDevrun();
    // Mid-flood key probe: `j` moves the selection from a.1 to b.1; the pane title follows.
    await run.tmux.waitFor((s) => maxCounter(s, 'a') >= PRESS_AT_LINE || doneCount(doneDir) === WRITERS.length, {
      timeoutMs: 60_000,
      what: `the pane to show line ${PRESS_AT_LINE} of a.1`,
    });
    const writersLeftAtPress = WRITERS.length - doneCount(doneDir);
    run.tmux.keys('j');
    const pressed = now();
    let keyMs: number | undefined;
    let keyMidFlood = false;
    try {
      const { at, screen } = await run.tmux.waitFor(/b\.1 · /, {
        timeoutMs: 15_000,
        intervalMs: 10,
        what: 'the pane title to switch to b.1 after j',
      });
      keyMs = at - pressed;
      keyMidFlood = !headerSays(WRITERS.length, 'exited').test(screen) && writersLeftAtPress > 0;
    } catch {
      keyMs = undefined;
    }
    // The end: every writer has written everything, then the header says so.
    await pollUntil(() => doneCount(doneDir) === WRITERS.length, { timeoutMs: 120_000, intervalMs: 20, what: 'the writers to finish' });
    const { at: shown, screen } = await run.tmux.waitFor(headerSays(WRITERS.length, 'exited'), {
      timeoutMs: 60_000,
      intervalMs: 10,
      what: 'the header to say 4 exited',
    });
    const cpu = cpuSeconds(pid) ?? Number.NaN;
    const rssMb = (statusKb(pid, 'VmHWM') ?? Number.NaN) / 1024;
    const bytes = run.terminalBytes();
    const done = readDone(doneDir);
    const lastWriterEnd = Math.max(...done.map((d) => d.end));
    const lastLineShown =
      screen.includes(`b ${String(LINES).padStart(8, '0')} `) ||
      (keyMs === undefined && screen.includes(`a ${String(LINES).padStart(8, '0')} `));
    run.tmux.keys('q');
    await waitGone(pid, 30_000, 20);
    const code = await run.exitCode();
    const leftovers = run.leftovers().map(describe);
    return {
      wall: (shown - t0) / 1000,
      span: writerSpan(done) ?? Number.NaN,
      lagAfterWriters: (shown - lastWriterEnd) / 1000,
      bytes,
      cpu,
      rssMb,
      keyMidFlood,
      writersLeftAtPress,
      lastLineShown,
      code,
      leftovers,
      ...(keyMs !== undefined && { keyMs }),
    };
  } finally {
    run.close();
  }
}

async function mprocsRun(dir: string, mprocs: string, config: string, rep: number): Promise<MprocsRun> {
  const doneDir = freshDoneDir(dir, `mprocs-${rep}`);
  const typescript = path.join(dir, `mprocs-${rep}.typescript`);
  const command = `${shq(mprocs)} --config ${shq(config)} --on-all-finished ${shq('{c: quit}')}`;
  const run = await TuiRun.open({ cwd: dir, command, typescript, doneDir });
  try {
    const t0 = run.launch();
    const pid = await run.findPid((p) => exeName(p) === 'mprocs');
    const monitor = new ProcMonitor(pid, 50);
    let usage: { peakRssKb: number; cpu: number };
    let gone: number;
    try {
      // mprocs quits by itself once every process finished (--on-all-finished): its exit is "the UI shows it".
      gone = await waitGone(pid, 180_000, 10);
    } finally {
      usage = monitor.stop();
    }
    const code = await run.exitCode();
    return {
      wall: (gone - t0) / 1000,
      span: writerSpan(readDone(doneDir)) ?? Number.NaN,
      bytes: run.terminalBytes(),
      cpu: usage.cpu,
      rssMb: usage.peakRssKb / 1024,
      code,
    };
  } finally {
    run.close();
  }
}

export const floodTui: Workload = {
  name: 'flood-tui',
  needs: { mprocs: true },
  budgetMs: 540_000,
  notes: [
    'flood-tui: the same 4 × 250,000-line writers; devrun writes its log files (the default) and, right after in each repetition, runs again with --no-log-files; the UI runs in a private tmux server (120×40, CI unset) under `script -q -f -e`; ' +
      "terminal bytes = the typescript's size minus script's own header/trailer lines. Wall = Enter → the header says `4 exited` (devrun) / mprocs exits by itself " +
      '(`--on-all-finished "{c: quit}"`). CPU = utime+stime of the devrun node process read at that moment; peak RSS = its VmHWM. ' +
      `Key latency: once the pane shows line ${PRESS_AT_LINE.toLocaleString('en')} of a.1, \`j\` is pressed and capture-pane is polled every 10 ms until the pane title reads \`b.1 · \`. ` +
      "Throttling: the writers' own span (first start → last write done) under the dashboard vs under `devrun --no-tui --pty > /dev/null` in the same repetition (same reading path: the dashboard gives children terminals, so the reference does too; no screen).",
  ],
  async run({ results, peers }: Context) {
    const dir = makeDir('flood-tui');
    const entries = WRITERS.map((id) => ({ name: id, command: writerCommand(id, LINES) }));
    const procfile = writeProcfile(dir, entries);
    const config = writeMprocsConfig(dir, entries);
    const refSpan: number[] = [];
    const devrun: DevrunTuiRun[] = [];
    const filesOff: DevrunTuiRun[] = [];
    const mprocs: MprocsRun[] = [];
    for (let rep = 0; rep < RUNS; rep++) {
      const doneDir = freshDoneDir(dir, `ref-${rep}`);
      const ref = await runTimed(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '-f', procfile, '--no-tui', '--pty'], {
        cwd: dir,
        env: { ...process.env, [DONE_KEY]: doneDir },
        stdout: '/dev/null',
        stderr: path.join(dir, 'ref.err'),
        timeoutMs: 120_000,
      });
      const span = writerSpan(readDone(doneDir));
      if (span !== undefined && ref.code === 0) refSpan.push(span);
      const d = await devrunRun(dir, procfile, rep);
      devrun.push(d);
      process.stderr.write(
        `  devrun run ${rep + 1}: ${d.wall.toFixed(2)} s, ${d.bytes} B, key ${d.keyMs?.toFixed(0) ?? 'NO EFFECT'} ms, exit ${d.code}\n`,
      );
      const off = await devrunRun(dir, procfile, rep, [NO_LOG_FILES]);
      filesOff.push(off);
      process.stderr.write(`  devrun ${NO_LOG_FILES} run ${rep + 1}: ${off.wall.toFixed(2)} s, exit ${off.code}\n`);
      if (peers.mprocs) {
        const m = await mprocsRun(dir, peers.mprocs, config, rep);
        mprocs.push(m);
        process.stderr.write(`  mprocs run ${rep + 1}: ${m.wall.toFixed(2)} s, ${m.bytes} B, exit ${m.code}\n`);
      }
    }

    const w = 'flood-tui';
    const col = <T>(runs: T[], f: (r: T) => number) => runs.map(f).filter((v) => Number.isFinite(v));
    const add = (subject: string, metric: string, unit: string, values: number[], note?: string) =>
      results.add({ workload: w, subject, metric, unit, values, ...(note && { note }) });
    add(
      'devrun',
      'wall until UI shows 4 exited',
      's',
      col(devrun, (r) => r.wall),
    );
    add(
      `devrun ${NO_LOG_FILES}`,
      'wall until UI shows 4 exited',
      's',
      col(filesOff, (r) => r.wall),
    );
    add(
      `devrun ${NO_LOG_FILES}`,
      'CPU',
      'cpu-s',
      col(filesOff, (r) => r.cpu),
    );
    add(
      'devrun',
      "writers' span",
      's',
      col(devrun, (r) => r.span),
      `--no-tui --pty reference: ${withUnit(median(refSpan), 's')}`,
    );
    add(
      'devrun',
      'UI lag after last writer',
      's',
      col(devrun, (r) => r.lagAfterWriters),
    );
    add(
      'devrun',
      'terminal bytes',
      'KB',
      col(devrun, (r) => r.bytes / 1024),
    );
    add(
      'devrun',
      'terminal rate',
      'KB/s',
      col(devrun, (r) => r.bytes / 1024 / r.wall),
    );
    add(
      'devrun',
      'CPU',
      'cpu-s',
      col(devrun, (r) => r.cpu),
    );
    add(
      'devrun',
      'peak RSS',
      'MB',
      col(devrun, (r) => r.rssMb),
    );
    const keys = col(devrun, (r) => r.keyMs ?? Number.NaN);
    add(
      'devrun',
      'key j → pane switched',
      'ms',
      keys,
      `${devrun.filter((r) => r.keyMidFlood).length}/${devrun.length} mid-flood, ${devrun.filter((r) => r.keyMs === undefined).length} no effect`,
    );
    if (peers.mprocs) {
      add(
        'mprocs',
        'wall until it quits',
        's',
        col(mprocs, (r) => r.wall),
      );
      add(
        'mprocs',
        "writers' span",
        's',
        col(mprocs, (r) => r.span),
      );
      add(
        'mprocs',
        'terminal bytes',
        'KB',
        col(mprocs, (r) => r.bytes / 1024),
      );
      add(
        'mprocs',
        'terminal rate',
        'KB/s',
        col(mprocs, (r) => r.bytes / 1024 / r.wall),
      );
      add(
        'mprocs',
        'CPU',
        'cpu-s',
        col(mprocs, (r) => r.cpu),
      );
      add(
        'mprocs',
        'peak RSS',
        'MB',
        col(mprocs, (r) => r.rssMb),
      );
    } else {
      results.add({
        workload: w,
        subject: 'mprocs',
        metric: 'wall',
        unit: 's',
        values: [],
        text: 'skipped',
        note: peers.skipped.get('mprocs') ?? '',
      });
    }

    devrun.forEach((r, i) => {
      if (r.keyMs === undefined)
        results.observe(
          `flood-tui run ${i + 1}: pressing j (with ${r.writersLeftAtPress} writers still writing) never switched the pane to b.1 within 15 s`,
        );
      else if (!r.keyMidFlood)
        results.observe(`flood-tui run ${i + 1}: the key probe did not land mid-flood (${r.writersLeftAtPress} writers left at the press)`);
      if (r.code !== 0) results.observe(`flood-tui run ${i + 1}: devrun exited with ${r.code} after q (expected 0)`);
      if (r.leftovers.length) results.observe(`flood-tui run ${i + 1}: left behind after devrun exited: ${r.leftovers.join('; ')}`);
      if (!r.lastLineShown)
        results.observe(`flood-tui run ${i + 1}: after "4 exited" the selected pane did not show the writer's last line (${LINES})`);
    });
    for (const [i, r] of mprocs.entries()) if (r.code !== 0) results.observe(`flood-tui run ${i + 1}: mprocs exited with ${r.code}`);

    const wall = median(col(devrun, (r) => r.wall));
    const wallOff = median(col(filesOff, (r) => r.wall));
    results.verdict({
      target: 'log files cost ≤ 10% in the TUI flood',
      value: `${withUnit(wall / wallOff, '×')} (files on ${withUnit(wall, 's')} vs off ${withUnit(wallOff, 's')})`,
      met: wall <= wallOff * 1.1,
    });
    results.verdict({
      target: 'TUI flood ≤ 2.5 s for the 1M lines',
      value: withUnit(wall, 's'),
      met: wall <= 2.5,
      ...(peers.mprocs && { note: `mprocs: ${withUnit(median(col(mprocs, (r) => r.wall)), 's')}` }),
    });
    const span = median(col(devrun, (r) => r.span));
    const ref = median(refSpan);
    results.verdict({
      target: 'children never throttled by the screen',
      value: `writers' span ${withUnit(span, 's')} under the dashboard vs ${withUnit(ref, 's')} under --no-tui --pty (${withUnit(span / ref, '×')})`,
      met: Number.isFinite(ref) ? span <= ref * 1.25 : undefined,
      note: 'met when within 1.25× of the headless reference',
    });
    const rate = median(col(devrun, (r) => r.bytes / 1024 / r.wall));
    results.verdict({ target: 'terminal output ≤ 50 KB/s during a flood', value: withUnit(rate, 'KB/s'), met: rate <= 50 });
    const peak = median(col(devrun, (r) => r.rssMb));
    results.verdict({
      target: 'peak RSS ≤ 120 MB during the dashboard flood (issue 12)',
      value: withUnit(peak, 'MB'),
      met: Number.isFinite(peak) ? peak <= 120 : undefined,
      ...(peers.mprocs && { note: `mprocs: ${withUnit(median(col(mprocs, (r) => r.rssMb)), 'MB')}` }),
    });
    const key = median(keys);
    results.verdict({
      target: "keys work during the flood (not in the issue's list; measured)",
      value: keys.length ? `j took effect in ${withUnit(key, 'ms')} (median)` : 'no effect',
      met: keys.length === devrun.length && devrun.every((r) => r.keyMidFlood) ? true : keys.length === devrun.length ? undefined : false,
    });
  },
};
