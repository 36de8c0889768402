// Workload 3: 10 processes that sleep (and 10 that print a line every 2 s): devrun's CPU and RSS over
// an idle window, dashboard and headless, with resource sampling on (the default); mprocs for reference.
// The six variants run side by side (their CPU is each one's own utime+stime, not wall time).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Bystanders } from '../lib/bystanders.js';
import { DEVRUN_BIN, IDLE_SECONDS, NODE_FLAGS, TAG_KEY } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { headerSays, openDevrunTui, quitDevrun } from '../lib/devrun.js';
import { type Entry, makeDir, shq, writeMprocsConfig, writeProcfile } from '../lib/fixtures.js';
import { cpuSeconds, describe, exeName, pidsWithEnv, statusKb } from '../lib/procfs.js';
import { withUnit } from '../lib/results.js';
import { spawnToFile } from '../lib/spawn-timed.js';
import { TuiRun, waitGone } from '../lib/tui-run.js';
import { now, pollUntil, sleep, within } from '../lib/wait.js';

const COUNT = 10;
/** Unrelated processes alive during the window, as on a developer's machine (BENCH_BYSTANDERS=0: none). */
const BYSTANDERS = Number(process.env.BENCH_BYSTANDERS ?? 1000);
const SETTLE_MS = 2000;
/** A second window for the dashboard with sleepers, past its first minute (BENCH_LATE_IDLE=0 skips it). */
const LATE = process.env.BENCH_LATE_IDLE !== '0';
const LATE_FROM_S = 62;
const LATE_SECONDS = 10;
type Kind = 'sleep' | 'tick';
const COMMANDS: Record<Kind, string> = { sleep: 'sleep 3600', tick: 'while :; do echo tick; sleep 2; done' };

const entries = (kind: Kind): Entry[] =>
  Array.from({ length: COUNT }, (_, i) => ({ name: `p${String(i + 1).padStart(2, '0')}`, command: COMMANDS[kind] }));

interface Sample {
  subject: string;
  kind: Kind;
  cpuPct: number;
  rssMb: number;
  /** Terminal bytes per second in the first and second half of the window (dashboards only). */
  rates?: [number, number];
  /** The late window (LATE_FROM_S after launch): CPU % and terminal bytes per second. */
  late?: { cpuPct: number; rate: number };
  exit?: string;
  leftovers: string[];
}

/** CPU% of one core and RSS of `pid` over the idle window; terminal bytes per half window. */
async function measure(pid: number, bytes?: () => number, seconds = IDLE_SECONDS) {
  const half = (seconds * 1000) / 2;
  const cpu0 = cpuSeconds(pid) ?? Number.NaN;
  const b0 = bytes?.() ?? 0;
  await sleep(half);
  const b1 = bytes?.() ?? 0;
  await sleep(half);
  const b2 = bytes?.() ?? 0;
  const cpu1 = cpuSeconds(pid) ?? Number.NaN;
  return {
    cpuPct: ((cpu1 - cpu0) / seconds) * 100,
    rssMb: (statusKb(pid, 'VmRSS') ?? Number.NaN) / 1024,
    rates: [(b1 - b0) / (half / 1000), (b2 - b1) / (half / 1000)] as [number, number],
  };
}

async function devrunTui(kind: Kind): Promise<Sample> {
  const dir = makeDir(`idle-tui-${kind}`);
  const procfile = writeProcfile(dir, entries(kind));
  const run = await openDevrunTui({ dir, procfile, typescript: path.join(dir, 'typescript') });
  try {
    const launched = run.launch();
    const pid = await run.findDevrun();
    await run.tmux.waitFor(headerSays(COUNT, 'running'), { timeoutMs: 30_000, what: `the header to say ${COUNT} running` });
    await sleep(SETTLE_MS);
    const m = await measure(pid, () => run.terminalBytes());
    let late: Sample['late'];
    if (LATE && kind === 'sleep') {
      await sleep(Math.max(0, launched + LATE_FROM_S * 1000 - now()));
      const l = await measure(pid, () => run.terminalBytes(), LATE_SECONDS);
      late = { cpuPct: l.cpuPct, rate: (l.rates[0] + l.rates[1]) / 2 };
    }
    const quit = await quitDevrun(run, pid);
    return { subject: 'devrun TUI', kind, ...m, ...(late && { late }), exit: String(quit.code), leftovers: quit.leftovers };
  } finally {
    run.close();
  }
}

async function devrunHeadless(kind: Kind): Promise<Sample> {
  const dir = makeDir(`idle-headless-${kind}`);
  const procfile = writeProcfile(dir, entries(kind));
  const tag = `${path.basename(dir)}-${process.pid}`;
  const out = path.join(dir, 'out.txt');
  const { child, exited } = spawnToFile(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '-f', procfile, '--no-tui'], {
    cwd: dir,
    env: { ...process.env, [TAG_KEY]: tag },
    stdout: out,
    stderr: path.join(dir, 'err.txt'),
  });
  try {
    const pid = child.pid as number;
    await pollUntil(() => (readFileSync(out, 'utf8').match(/started with pid/g) ?? []).length >= COUNT, {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: `${COUNT} "started" lines`,
    });
    await sleep(SETTLE_MS);
    const m = await measure(pid);
    child.kill('SIGTERM');
    const end = await within(exited, 30_000);
    const leftovers = pidsWithEnv(TAG_KEY, tag).map(describe);
    return {
      subject: 'devrun --no-tui',
      kind,
      cpuPct: m.cpuPct,
      rssMb: m.rssMb,
      exit: end ? String(end.code ?? end.signal) : 'still running after 30 s',
      leftovers,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function mprocs(kind: Kind, bin: string): Promise<Sample> {
  const dir = makeDir(`idle-mprocs-${kind}`);
  const config = writeMprocsConfig(dir, entries(kind));
  const run = await TuiRun.open({ cwd: dir, command: `${shq(bin)} --config ${shq(config)}`, typescript: path.join(dir, 'typescript') });
  try {
    run.launch();
    const pid = await run.findPid((p) => exeName(p) === 'mprocs');
    await run.tmux.waitFor((s) => (s.match(/\bUP\b/g) ?? []).length >= COUNT, { timeoutMs: 30_000, what: `${COUNT} processes UP` });
    await sleep(SETTLE_MS);
    const m = await measure(pid, () => run.terminalBytes());
    run.tmux.keys('q');
    await waitGone(pid, 30_000, 20);
    return { subject: 'mprocs', kind, ...m, exit: String(await run.exitCode()), leftovers: run.leftovers().map(describe) };
  } finally {
    run.close();
  }
}

export const idle: Workload = {
  name: 'idle',
  needs: { mprocs: true },
  budgetMs: 240_000,
  notes: [
    `idle: ${COUNT} × \`${COMMANDS.sleep}\`, and a variant of ${COUNT} × \`${COMMANDS.tick}\`. Once all ${COUNT} run, ${SETTLE_MS / 1000} s to settle, then a ${IDLE_SECONDS} s window ` +
      '(`BENCH_IDLE_SECONDS`): CPU % = Δ(utime+stime) of the devrun (or mprocs) process / window, RSS = VmRSS at the end, terminal bytes per second for each half of the window ' +
      '(typescript growth; dashboards run under script in tmux 120×40). The six variants (devrun TUI, devrun --no-tui, mprocs; × sleep/tick) run at the same time, once (a window, not a timing: ' +
      'each reads only its own CPU time). ' +
      `${BYSTANDERS} unrelated \`sleep\` processes (\`BENCH_BYSTANDERS\`) are alive meanwhile, started and reaped by the bench. ` +
      'Resource sampling is on (devrun samples every 2 s, in both modes). The dashboard with sleepers is also measured over ' +
      `${LATE_SECONDS} s starting ${LATE_FROM_S} s after launch, when its uptime column turns from <1m to 1m (\`BENCH_LATE_IDLE=0\` skips that window).`,
  ],
  async run({ results, peers }: Context) {
    const kinds: Kind[] = ['sleep', 'tick'];
    const bystanders = Bystanders.start(BYSTANDERS);
    const jobs: Promise<Sample>[] = [
      ...kinds.map((k) => devrunTui(k)),
      ...kinds.map((k) => devrunHeadless(k)),
      ...(peers.mprocs ? kinds.map((k) => mprocs(k, peers.mprocs as string)) : []),
    ];
    const settled = await Promise.allSettled(jobs);
    await bystanders.stop();
    const samples: Sample[] = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') samples.push(s.value);
      else results.observe(`idle: a variant failed: ${(s.reason as Error).message.split('\n')[0]}`);
    }
    const w = 'idle';
    for (const s of samples) {
      const subject = `${s.subject}, ${COUNT}×${s.kind}`;
      results.add({ workload: w, subject, metric: `CPU over ${IDLE_SECONDS} s`, unit: '%', values: [s.cpuPct], note: '% of one core' });
      results.add({ workload: w, subject, metric: 'RSS', unit: 'MB', values: [s.rssMb] });
      if (s.rates) {
        results.add({ workload: w, subject, metric: `terminal rate, 0–${IDLE_SECONDS / 2} s`, unit: 'B/s', values: [s.rates[0]] });
        results.add({
          workload: w,
          subject,
          metric: `terminal rate, ${IDLE_SECONDS / 2}–${IDLE_SECONDS} s`,
          unit: 'B/s',
          values: [s.rates[1]],
        });
      }
      if (s.late) {
        const span = `${LATE_FROM_S}–${LATE_FROM_S + LATE_SECONDS} s after launch`;
        results.add({
          workload: w,
          subject,
          metric: `CPU, ${span}`,
          unit: '%',
          values: [s.late.cpuPct],
          note: 'uptime column in minutes by then',
        });
        results.add({ workload: w, subject, metric: `terminal rate, ${span}`, unit: 'B/s', values: [s.late.rate] });
      }
      const expected = s.subject === 'devrun --no-tui' ? '143' : '0';
      if (s.exit !== expected)
        results.observe(
          `idle: ${subject} exited with ${s.exit} (expected ${expected}${expected === '143' ? ': stopped by SIGTERM' : ' after q'})`,
        );
      if (s.leftovers.length) results.observe(`idle: ${subject} left behind: ${s.leftovers.join('; ')}`);
    }
    if (!peers.mprocs)
      results.add({
        workload: w,
        subject: 'mprocs',
        metric: 'CPU',
        unit: '%',
        values: [],
        text: 'skipped',
        note: peers.skipped.get('mprocs') ?? '',
      });

    const find = (subject: string, kind: Kind) => samples.find((s) => s.subject === subject && s.kind === kind);
    const tui = find('devrun TUI', 'sleep');
    const headless = find('devrun --no-tui', 'sleep');
    const worst = Math.max(tui?.cpuPct ?? Number.NaN, headless?.cpuPct ?? Number.NaN);
    results.verdict({
      target: '10 idle processes ≤ 0.5% CPU with sampling on',
      value: `dashboard ${tui ? withUnit(tui.cpuPct, '%') : 'n/a'}, --no-tui ${headless ? withUnit(headless.cpuPct, '%') : 'n/a'}`,
      met: tui && headless ? worst <= 0.5 : undefined,
      note: [
        `${IDLE_SECONDS} s window in the first minute`,
        tui?.late && `dashboard ${withUnit(tui.late.cpuPct, '%')} ${LATE_FROM_S}–${LATE_FROM_S + LATE_SECONDS} s after launch`,
        find('devrun TUI', 'tick') && `with a line every 2 s: dashboard ${withUnit(find('devrun TUI', 'tick')?.cpuPct ?? Number.NaN, '%')}`,
      ]
        .filter(Boolean)
        .join('; '),
    });
    results.verdict({
      target: '10 idle processes ≤ 70 MB RSS with the dashboard (issue 12)',
      value: `dashboard ${tui ? withUnit(tui.rssMb, 'MB') : 'n/a'}, --no-tui ${headless ? withUnit(headless.rssMb, 'MB') : 'n/a'}`,
      met: tui ? tui.rssMb <= 70 : undefined,
    });
    const tuiTick = find('devrun TUI', 'tick');
    const headlessTick = find('devrun --no-tui', 'tick');
    results.verdict({
      target: `quiet but not idle: ${COUNT}×tick ≤ 1.0% CPU with the dashboard and ≤ headless + 0.3% (issue 12)`,
      value: `dashboard ${tuiTick ? withUnit(tuiTick.cpuPct, '%') : 'n/a'}, --no-tui ${headlessTick ? withUnit(headlessTick.cpuPct, '%') : 'n/a'}`,
      met: tuiTick && headlessTick ? tuiTick.cpuPct <= 1 && tuiTick.cpuPct <= headlessTick.cpuPct + 0.3 : undefined,
      note: `${BYSTANDERS} unrelated processes on the machine`,
    });
    const early = tui?.rates
      ? `${withUnit(tui.rates[0], 'B/s')} / ${withUnit(tui.rates[1], 'B/s')} in the two halves of the first window`
      : 'n/a';
    results.verdict({
      target: '0 B/s of terminal output when nothing changes',
      value: tui?.late ? `${withUnit(tui.late.rate, 'B/s')} ${LATE_FROM_S}–${LATE_FROM_S + LATE_SECONDS} s after launch; ${early}` : early,
      met: tui?.late ? tui.late.rate === 0 : tui?.rates ? tui.rates[1] === 0 : undefined,
      note: tui?.late ? 'judged on the late window (the first window is shown too)' : 'first minute only (BENCH_LATE_IDLE=0)',
    });
  },
};
