// Workload 6: 10 processes × 20,000 lines, then idle: devrun's RSS with every ring full (default --scrollback 10000).
import path from 'node:path';
import { DEVRUN_BIN, DONE_KEY, NODE_FLAGS, RUNS, TAG_KEY } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { countWriterLines } from '../lib/count-lines.js';
import { openDevrunTui, quitDevrun } from '../lib/devrun.js';
import { doneCount, freshDoneDir, makeDir, writeProcfile, writerCommand } from '../lib/fixtures.js';
import { cpuSeconds, describe, pidsWithEnv, statusKb } from '../lib/procfs.js';
import { median, type Results, withUnit } from '../lib/results.js';
import { spawnToFile } from '../lib/spawn-timed.js';
import { pollUntil, sleep, within } from '../lib/wait.js';

const IDS = 'abcdefghij'.split('');
const LINES = 20_000;
const SETTLE_MS = 3000;

/** Resolves once the process has used less than 50 ms of CPU over the last second: it has digested its input. */
async function quiet(pid: number): Promise<void> {
  let last = cpuSeconds(pid) ?? 0;
  let calm = 0;
  await pollUntil(
    () => {
      const cpu = cpuSeconds(pid) ?? 0;
      calm = cpu - last < 0.025 ? calm + 1 : 0;
      last = cpu;
      return calm >= 2;
    },
    { timeoutMs: 60_000, intervalMs: 500, what: 'devrun to go quiet after the output' },
  );
}

interface Memory {
  rss: number;
  hwm: number;
}

const memory = (pid: number): Memory => ({
  rss: (statusKb(pid, 'VmRSS') ?? Number.NaN) / 1024,
  hwm: (statusKb(pid, 'VmHWM') ?? Number.NaN) / 1024,
});

async function dashboard(results: Results, lines: number, label: string): Promise<Memory> {
  const dir = makeDir(`scrollback-tui-${lines}`);
  const doneDir = freshDoneDir(dir, 'w');
  const procfile = writeProcfile(
    dir,
    IDS.map((id) => ({ name: id, command: writerCommand(id, lines, true) })),
  );
  const run = await openDevrunTui({ dir, procfile, doneDir });
  try {
    run.launch();
    const pid = await run.findDevrun();
    await pollUntil(() => doneCount(doneDir) === IDS.length, { timeoutMs: 60_000, intervalMs: 50, what: 'the writers to finish' });
    await run.tmux.waitFor(new RegExp(`a ${String(lines).padStart(8, '0')} `), { timeoutMs: 60_000, what: "a.1's last line on screen" });
    await quiet(pid);
    await sleep(SETTLE_MS);
    const m = memory(pid);
    const q = await quitDevrun(run, pid);
    process.stderr.write(
      `  dashboard ${label} (${lines} lines each): RSS ${m.rss.toFixed(1)} MB (peak ${m.hwm.toFixed(1)}), exit ${q.code}\n`,
    );
    if (q.code !== 0) results.observe(`scrollback (dashboard) ${label}: devrun exited with ${q.code} after q`);
    if (q.leftovers.length) results.observe(`scrollback (dashboard) ${label}: left behind: ${q.leftovers.join('; ')}`);
    return m;
  } finally {
    run.close();
  }
}

async function noTui(results: Results, lines: number, label: string): Promise<Memory> {
  const dir = makeDir(`scrollback-headless-${lines}`);
  const doneDir = freshDoneDir(dir, 'w');
  const procfile = writeProcfile(
    dir,
    IDS.map((id) => ({ name: id, command: writerCommand(id, lines, true) })),
  );
  const tag = `${path.basename(dir)}-${process.pid}`;
  const out = path.join(dir, 'out.txt');
  const { child, exited } = spawnToFile(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '-f', procfile, '--no-tui'], {
    cwd: dir,
    env: { ...process.env, [TAG_KEY]: tag, [DONE_KEY]: doneDir },
    stdout: out,
    stderr: path.join(dir, 'err.txt'),
  });
  try {
    const pid = child.pid as number;
    await pollUntil(() => doneCount(doneDir) === IDS.length, { timeoutMs: 60_000, intervalMs: 50, what: 'the writers to finish' });
    await quiet(pid);
    await sleep(SETTLE_MS);
    const m = memory(pid);
    child.kill('SIGTERM');
    const end = await within(exited, 30_000);
    const count = await countWriterLines(out);
    process.stderr.write(
      `  --no-tui ${label}: RSS ${m.rss.toFixed(1)} MB (peak ${m.hwm.toFixed(1)}), ${count.total} lines, exit ${end?.code ?? end?.signal ?? 'none'}\n`,
    );
    if (count.total !== IDS.length * lines)
      results.observe(`scrollback (--no-tui) ${label}: ${count.total} of ${IDS.length * lines} lines in the output`);
    if (!end) results.observe(`scrollback (--no-tui) ${label}: devrun still running 30 s after SIGTERM`);
    else if (end.code !== 143)
      results.observe(`scrollback (--no-tui) ${label}: exit ${end.code ?? end.signal} after SIGTERM (README: 143)`);
    const left = pidsWithEnv(TAG_KEY, tag).map(describe);
    if (left.length) results.observe(`scrollback (--no-tui) ${label}: left behind: ${left.join('; ')}`);
    return m;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export const scrollback: Workload = {
  name: 'scrollback',
  needs: {},
  budgetMs: 240_000,
  notes: [
    `scrollback: ${IDS.length} writers × ${LINES.toLocaleString('en')} lines (then they stay alive, idle), default --scrollback (10000 lines per process and in the merged log). ` +
      `After every writer is done and devrun has gone quiet (< 50 ms CPU per second, twice), ${SETTLE_MS / 1000} s more, then VmRSS (now) and VmHWM (peak) of the devrun process. ` +
      'Dashboard in tmux 120×40; --no-tui writes to a file (its line count is checked). ' +
      `Bound check: one more dashboard run with 3× the lines (${(LINES * 3).toLocaleString('en')} per process): with bounded rings its RSS should stay close (V8 heap slack aside).`,
  ],
  async run({ results }: Context) {
    const tui: Memory[] = [];
    const headless: Memory[] = [];
    for (let rep = 0; rep < RUNS; rep++) {
      tui.push(await dashboard(results, LINES, `run ${rep + 1}`));
      headless.push(await noTui(results, LINES, `run ${rep + 1}`));
    }
    // Bounded rings: 3× the input must not mean (much) more memory.
    const more = await dashboard(results, LINES * 3, 'bound check');
    const w = 'scrollback';
    results.add({ workload: w, subject: 'devrun TUI', metric: 'RSS, full rings, idle', unit: 'MB', values: tui.map((m) => m.rss) });
    results.add({ workload: w, subject: 'devrun TUI', metric: 'peak RSS', unit: 'MB', values: tui.map((m) => m.hwm) });
    results.add({
      workload: w,
      subject: 'devrun --no-tui',
      metric: 'RSS, full rings, idle',
      unit: 'MB',
      values: headless.map((m) => m.rss),
    });
    results.add({ workload: w, subject: 'devrun --no-tui', metric: 'peak RSS', unit: 'MB', values: headless.map((m) => m.hwm) });
    results.add({
      workload: w,
      subject: 'devrun TUI',
      metric: `RSS after ${IDS.length} × ${(LINES * 3).toLocaleString('en')} lines`,
      unit: 'MB',
      values: [more.rss],
      note: `1 run; ${withUnit(more.rss / median(tui.map((m) => m.rss)), '×')} the ${LINES.toLocaleString('en')}-line figure, peak ${withUnit(more.hwm, 'MB')}`,
    });
    const worst = Math.max(median(tui.map((m) => m.rss)), median(headless.map((m) => m.rss)));
    results.verdict({
      target: 'RSS ≤ 120 MB with 10 full scrollbacks',
      value: `dashboard ${withUnit(median(tui.map((m) => m.rss)), 'MB')}, --no-tui ${withUnit(median(headless.map((m) => m.rss)), 'MB')}`,
      met: worst <= 120,
      note: `peaks ${withUnit(median(tui.map((m) => m.hwm)), 'MB')} / ${withUnit(median(headless.map((m) => m.hwm)), 'MB')}`,
    });
  },
};
