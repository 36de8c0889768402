// Workload 9: the flood-tui flood (4 × 250,000 lines) under a background devrun (`devrun start -D`, processes on
// terminals) watched by 3 `devrun attach` dashboards (each in its own tmux, 120×40) and one `devrun logs -f > /dev/null`,
// against the same flood under `devrun start -D` with nobody attached: the supervisor's CPU and memory, the bytes each
// dashboard pulls over the socket and writes to its terminal, what the logs reader lost, and whether the children slowed.
import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEVRUN_BIN, DONE_KEY, NODE_FLAGS, RUNS } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { headerSays } from '../lib/devrun.js';
import { doneCount, freshDoneDir, makeDir, readDone, shq, writeProcfile, writerCommand, writerSpan } from '../lib/fixtures.js';
import { cpuSeconds, describe, type IoBytes, ioBytes, isRunning, statusKb } from '../lib/procfs.js';
import { median, type Results, withUnit } from '../lib/results.js';
import { spawnToFile } from '../lib/spawn-timed.js';
import { TuiRun, waitGone } from '../lib/tui-run.js';
import { now, pollUntil, within } from '../lib/wait.js';

const W = 'flood-attached';
const WRITERS = ['a', 'b', 'c', 'd'];
const LINES = 250_000;
const CLIENTS = 3;
/** The writers wait for this file: the dashboards and the reader attach first, then the flood starts. */
const GATE = 'GO';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/devrun.js ARGS` in `cwd`, to completion. */
function devrun(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, ...args], { cwd, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface Status {
  pid: number;
  processes: { name: string; state: string }[];
}

async function statusJson(cwd: string): Promise<Status> {
  const r = await devrun(cwd, ['status', '--json']);
  if (r.code !== 0) throw new Error(`devrun status --json exited ${r.code}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as Status;
}

const every = (s: Status, state: string) => s.processes.length === WRITERS.length && s.processes.every((p) => p.state === state);

/** `devrun start -D` with the gate closed; returns the supervisor's pid once every writer waits at the gate. */
async function startBackground(dir: string, doneDir: string): Promise<number> {
  rmSync(path.join(dir, GATE), { force: true });
  const started = await devrun(dir, ['start', '-D'], { ...process.env, [DONE_KEY]: doneDir });
  if (started.code !== 0) throw new Error(`devrun start -D exited ${started.code}: ${started.stderr.trim()}`);
  const pid = Number(started.stdout.match(/pid (\d+)/)?.[1]);
  const status = await pollUntil(
    async () => {
      const s = await statusJson(dir);
      return every(s, 'running') && s;
    },
    { timeoutMs: 20_000, what: 'every writer running (at the gate)' },
  );
  if (status.pid !== pid) throw new Error(`devrun start -D said pid ${pid}, devrun status --json says ${status.pid}`);
  return pid;
}

async function stopBackground(dir: string, pid: number, results: Results): Promise<void> {
  const stopped = await devrun(dir, ['stop']);
  if (stopped.code !== 0) results.observe(`${W}: devrun stop exited ${stopped.code}: ${stopped.stderr.trim()}`);
  if (isRunning(pid)) results.observe(`${W}: the background devrun (pid ${pid}) was still running when devrun stop returned`);
}

const openGate = (dir: string) => {
  writeFileSync(path.join(dir, GATE), '');
  return now();
};

interface RefRun {
  span: number;
  cpu: number;
  rssMb: number;
}

async function referenceRun(dir: string, rep: number, results: Results): Promise<RefRun> {
  const doneDir = freshDoneDir(dir, `ref-${rep}`);
  const pid = await startBackground(dir, doneDir);
  try {
    openGate(dir);
    await pollUntil(() => doneCount(doneDir) === WRITERS.length, { timeoutMs: 120_000, intervalMs: 20, what: 'the writers to finish' });
    await pollUntil(async () => every(await statusJson(dir), 'exited'), { timeoutMs: 30_000, intervalMs: 20, what: 'status: 4 exited' });
    return {
      span: writerSpan(readDone(doneDir)) ?? Number.NaN,
      cpu: cpuSeconds(pid) ?? Number.NaN,
      rssMb: (statusKb(pid, 'VmHWM') ?? Number.NaN) / 1024,
    };
  } finally {
    await stopBackground(dir, pid, results);
  }
}

interface Client {
  /** Gate → this dashboard's header says 4 exited (NaN when it never did). */
  wall: number;
  shownExited: boolean;
  /** Socket bytes in: rchar over the flood (the dashboard reads nothing else then: no keys, no files). */
  received: number;
  /** Bytes that reached its terminal (tmux pipe-pane) and everything it wrote (wchar: terminal + requests on the socket). */
  terminal: number;
  written: number;
  cpu: number;
  code: number;
  lastLineShown: boolean;
}

interface AttachedRun {
  span: number;
  cpu: number;
  rssMb: number;
  clients: Client[];
  /** logs -f: socket bytes in, bytes it wrote to /dev/null, the lines that makes, the lines missing. */
  readerReceived: number;
  readerWritten: number;
  readerLines: number;
  readerMissing: number;
  readerCode: number | null;
  /** CPU-s the reader used from the gate until it stopped writing. */
  readerCpu: number;
  leftovers: string[];
}

const delta = (after: IoBytes | undefined, before: IoBytes | undefined, key: keyof IoBytes) =>
  after && before ? after[key] - before[key] : Number.NaN;

const fileSize = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

const link = (file: string) => {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
};

/** Connected: the process holds a socket (node opens none before it connects to devrun's). */
const hasSocket = (pid: number) => {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => link(`/proc/${pid}/fd/${fd}`).startsWith('socket:'));
  } catch {
    return false;
  }
};

/** Polls `value` until it has not changed for `quietMs`. */
async function settled(value: () => number, quietMs: number, timeoutMs: number, what: string): Promise<number> {
  let last = value();
  let since = now();
  return pollUntil(
    () => {
      const v = value();
      if (v !== last) {
        last = v;
        since = now();
        return false;
      }
      return now() - since >= quietMs && { v };
    },
    { timeoutMs, intervalMs: 50, what },
  ).then((r) => r.v);
}

async function attachedRun(dir: string, rep: number, results: Results): Promise<AttachedRun> {
  const doneDir = freshDoneDir(dir, `attached-${rep}`);
  const pid = await startBackground(dir, doneDir);
  const clients: TuiRun[] = [];
  let reader: ReturnType<typeof spawnToFile> | undefined;
  try {
    for (let i = 0; i < CLIENTS; i++) {
      const run = await TuiRun.open({ cwd: dir, command: `node ${NODE_FLAGS.join(' ')} ${shq(DEVRUN_BIN)} attach` });
      clients.push(run);
      run.launch();
    }
    const pids = await Promise.all(clients.map((c) => c.findDevrun()));
    await Promise.all(
      clients.map((c) =>
        c.tmux.waitFor(headerSays(WRITERS.length, 'running'), { timeoutMs: 20_000, what: 'a dashboard to say 4 running' }),
      ),
    );
    reader = spawnToFile(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, 'logs', '-f'], {
      cwd: dir,
      stdout: '/dev/null',
      stderr: path.join(dir, `logs-${rep}.err`),
    });
    const readerPid = reader.child.pid as number;
    await pollUntil(() => hasSocket(readerPid), { timeoutMs: 15_000, what: 'devrun logs -f to connect' });
    // Connected, asked for the status, subscribed: then it reads nothing until the flood.
    await settled(() => ioBytes(readerPid)?.rchar ?? 0, 300, 15_000, 'devrun logs -f to settle');
    const pipes = clients.map((c, i) => {
      const file = path.join(dir, `attach-${rep}-${i}.out`);
      c.tmux.pipeTo(file);
      return file;
    });
    const before = pids.map((p) => ioBytes(p));
    const cpuBefore = pids.map((p) => cpuSeconds(p) ?? Number.NaN);
    const readerBefore = ioBytes(readerPid);
    const readerCpuBefore = cpuSeconds(readerPid) ?? Number.NaN;

    const t0 = openGate(dir);
    const shown = await Promise.all(
      clients.map((c, i) =>
        c.tmux
          .waitFor(headerSays(WRITERS.length, 'exited'), { timeoutMs: 90_000, intervalMs: 20, what: 'a dashboard to say 4 exited' })
          .then(
            ({ at, screen }) => ({ at, screen, io: ioBytes(pids[i] as number), cpu: cpuSeconds(pids[i] as number) ?? Number.NaN }),
            () => ({
              at: Number.NaN,
              screen: c.tmux.screen(),
              io: ioBytes(pids[i] as number),
              cpu: cpuSeconds(pids[i] as number) ?? Number.NaN,
            }),
          ),
      ),
    );
    await pollUntil(() => doneCount(doneDir) === WRITERS.length, { timeoutMs: 30_000, intervalMs: 20, what: 'the writers to finish' });
    const cpu = cpuSeconds(pid) ?? Number.NaN;
    const rssMb = (statusKb(pid, 'VmHWM') ?? Number.NaN) / 1024;
    // The reader may still be writing out its backlog: wait until its output stops growing.
    await settled(() => ioBytes(readerPid)?.wchar ?? 0, 1000, 60_000, 'devrun logs -f to stop writing');
    const readerAfter = ioBytes(readerPid);
    const readerCpu = (cpuSeconds(readerPid) ?? Number.NaN) - readerCpuBefore;
    // pipe-pane's cat lags the pane a little: let the files settle too.
    for (const file of pipes) await settled(() => fileSize(file), 300, 10_000, 'the pipe-pane file to settle');
    const sample = await devrun(dir, ['logs', '-n', '20', 'a']);
    const perLine = Buffer.byteLength(sample.stdout.split('\n').find((l) => / a \d{8} x{60}$/.test(l)) ?? '') + 1;
    const readerWritten = delta(readerAfter, readerBefore, 'wchar');
    const readerLines = perLine > 1 ? Math.round(readerWritten / perLine) : Number.NaN;

    const out: Client[] = [];
    for (const [i, c] of clients.entries()) {
      const s = shown[i] as (typeof shown)[number];
      c.tmux.keys('q');
      await waitGone(pids[i] as number, 15_000, 20);
      const code = await c.exitCode();
      out.push({
        wall: (s.at - t0) / 1000,
        shownExited: Number.isFinite(s.at),
        received: delta(s.io, before[i], 'rchar'),
        written: delta(s.io, before[i], 'wchar'),
        terminal: fileSize(pipes[i] as string),
        cpu: s.cpu - (cpuBefore[i] as number),
        code,
        lastLineShown: s.screen.includes(`a ${String(LINES).padStart(8, '0')} `),
      });
    }
    const done = readDone(doneDir);
    await stopBackground(dir, pid, results);
    const end = await within(reader.exited, 15_000);
    return {
      span: writerSpan(done) ?? Number.NaN,
      cpu,
      rssMb,
      clients: out,
      readerReceived: delta(readerAfter, readerBefore, 'rchar'),
      readerWritten,
      readerLines,
      readerMissing: Math.max(0, WRITERS.length * LINES - readerLines),
      readerCode: end ? end.code : null,
      readerCpu,
      leftovers: clients.flatMap((c) => c.leftovers().map(describe)),
    };
  } finally {
    for (const c of clients) c.close();
    if (isRunning(pid)) await stopBackground(dir, pid, results);
    if (reader && reader.child.exitCode === null && reader.child.signalCode === null) reader.child.kill('SIGKILL');
  }
}

/** CPU-s of every client over the flood: the dashboards' (gate → 4 exited) and the reader's (gate → it stopped writing). */
const clientsCpu = (r: AttachedRun) => r.clients.reduce((sum, c) => sum + c.cpu, 0) + r.readerCpu;

export const floodAttached: Workload = {
  name: W,
  needs: {},
  budgetMs: 480_000,
  notes: [
    `${W}: the flood-tui writers (4 × ${LINES.toLocaleString('en')} lines), each behind a gate (\`while [ ! -e GO ]; do sleep 0.02; done; exec node writer.cjs …\`) ` +
      'so that everyone is attached before the first line; `devrun start -D` (processes on terminals) with ' +
      `${CLIENTS} \`devrun attach\` dashboards, each in its own private tmux (120×40, CI unset), all showing \`4 running\`, and one \`devrun logs -f > /dev/null\` ` +
      '(connected, then quiet for 300 ms), then the gate opens. Reference: the same under `devrun start -D` with no client, in the same repetition. ' +
      "Supervisor CPU (utime+stime) and peak RSS (VmHWM) from /proc of the pid `start -D` printed, read once every dashboard says `4 exited` (reference: once `status --json` says so); they include the supervisor's start. " +
      'Per dashboard: socket bytes = rchar of the `devrun attach` process from the gate until its header says `4 exited` (no keys are sent, it reads no file then), ' +
      'rate = that over the same interval; terminal bytes = what tmux pipe-pane saw from the gate on; wchar (terminal + its requests on the socket) is in the note. ' +
      'The per-run figure is the worst of the 3 dashboards; the medians of the runs are shown. ' +
      'logs -f: lines delivered ≈ its wchar over the flood (until it stops writing for 1 s) / the byte length of one formatted line (`devrun logs -n 20 a`); ' +
      "missing = 1,000,000 − that (a skipped marker is written to /dev/null, so it is inferred, not read). Children: the writers' own span, first start → last write done. " +
      "Clients' CPU: utime+stime of the 3 dashboards (gate → 4 exited) and of the reader (gate → it stopped writing): on this 2-core machine the writers and the supervisor share the cores with it, " +
      "so the writers' slowdown is the supervisor's extra CPU (attached − reference) plus this contention (the tmux servers drawing the dashboards are not counted).",
  ],
  async run({ results }: Context) {
    const dir = makeDir(W);
    writeProcfile(
      dir,
      WRITERS.map((id) => ({ name: id, command: `while [ ! -e ${GATE} ]; do sleep 0.02; done; exec ${writerCommand(id, LINES)}` })),
    );
    const refs: RefRun[] = [];
    const runs: AttachedRun[] = [];
    for (let rep = 0; rep < RUNS; rep++) {
      const ref = await referenceRun(dir, rep, results);
      refs.push(ref);
      process.stderr.write(
        `  reference run ${rep + 1}: span ${ref.span.toFixed(2)} s, cpu ${ref.cpu.toFixed(2)} s, rss ${ref.rssMb.toFixed(0)} MB\n`,
      );
      const r = await attachedRun(dir, rep, results);
      runs.push(r);
      process.stderr.write(
        `  attached run ${rep + 1}: span ${r.span.toFixed(2)} s, cpu ${r.cpu.toFixed(2)} s, rss ${r.rssMb.toFixed(0)} MB; dashboards ` +
          r.clients
            .map((c) => `${c.wall.toFixed(2)} s ${(c.received / 1024).toFixed(0)} KB in ${(c.terminal / 1024).toFixed(0)} KB out`)
            .join(', ') +
          `; logs -f ${r.readerLines} lines (${r.readerMissing} missing), ${(r.readerReceived / 1024 / 1024).toFixed(1)} MB in, ` +
          `${r.readerCpu.toFixed(2)} cpu-s; clients ${clientsCpu(r).toFixed(2)} cpu-s\n`,
      );
    }

    const col = <T>(xs: T[], f: (x: T) => number) => xs.map(f).filter((v) => Number.isFinite(v));
    const worst = (f: (c: Client) => number) => col(runs, (r) => Math.max(...r.clients.map(f)));
    const all = (f: (c: Client) => number) => runs.flatMap((r) => col(r.clients, f));
    const range = (values: number[], unit: string) =>
      values.length ? `all ${values.length}: ${withUnit(Math.min(...values), unit)} – ${withUnit(Math.max(...values), unit)}` : 'none';
    const rate = (c: Client) => c.received / 1024 / c.wall;
    const termRate = (c: Client) => c.terminal / 1024 / c.wall;
    const add = (subject: string, metric: string, unit: string, values: number[], note?: string) =>
      results.add({ workload: W, subject, metric, unit, values, ...(note && { note }) });
    const attached = `devrun -D + ${CLIENTS} attach + logs -f`;
    const alone = 'devrun -D, no clients';

    add(
      attached,
      "writers' span",
      's',
      col(runs, (r) => r.span),
    );
    add(
      alone,
      "writers' span",
      's',
      col(refs, (r) => r.span),
    );
    add(
      attached,
      'supervisor CPU',
      'cpu-s',
      col(runs, (r) => r.cpu),
    );
    add(
      alone,
      'supervisor CPU',
      'cpu-s',
      col(refs, (r) => r.cpu),
    );
    add(
      attached,
      'supervisor peak RSS',
      'MB',
      col(runs, (r) => r.rssMb),
    );
    add(
      alone,
      'supervisor peak RSS',
      'MB',
      col(refs, (r) => r.rssMb),
    );
    add(
      'devrun attach (worst of 3)',
      'gate → shows 4 exited',
      's',
      worst((c) => c.wall),
      range(
        all((c) => c.wall),
        's',
      ),
    );
    add(
      'devrun attach (worst of 3)',
      'socket bytes in',
      'KB',
      worst((c) => c.received / 1024),
      range(
        all((c) => c.received / 1024),
        'KB',
      ),
    );
    add('devrun attach (worst of 3)', 'socket rate in', 'KB/s', worst(rate), range(all(rate), 'KB/s'));
    add(
      'devrun attach (worst of 3)',
      'terminal bytes',
      'KB',
      worst((c) => c.terminal / 1024),
      `${range(
        all((c) => c.terminal / 1024),
        'KB',
      )}; wchar (terminal + socket requests) ${range(
        all((c) => c.written / 1024),
        'KB',
      )}`,
    );
    add('devrun attach (worst of 3)', 'terminal rate', 'KB/s', worst(termRate), range(all(termRate), 'KB/s'));
    add(
      'devrun attach (worst of 3)',
      'CPU over the flood',
      'cpu-s',
      worst((c) => c.cpu),
      range(
        all((c) => c.cpu),
        'cpu-s',
      ),
    );
    add(
      'devrun logs -f > /dev/null',
      'socket bytes in',
      'MB',
      col(runs, (r) => r.readerReceived / 1024 / 1024),
      `wrote ${withUnit(median(col(runs, (r) => r.readerWritten / 1024 / 1024)), 'MB')}`,
    );
    add(
      'devrun logs -f > /dev/null',
      'CPU over the flood',
      'cpu-s',
      col(runs, (r) => r.readerCpu),
    );
    add(
      `${CLIENTS} attach + logs -f`,
      'clients CPU over the flood',
      'cpu-s',
      col(runs, clientsCpu),
      'the 4 client processes together: CPU the writers and the supervisor compete with on this machine',
    );
    add(
      'devrun logs -f > /dev/null',
      'lines missing (≈ skipped)',
      'lines',
      col(runs, (r) => r.readerMissing),
      `of ${(WRITERS.length * LINES).toLocaleString('en')}; delivered ≈ ${runs.map((r) => r.readerLines).join(', ')}; exit ${[...new Set(runs.map((r) => r.readerCode))].join(', ')} after devrun stop`,
    );

    runs.forEach((r, i) => {
      r.clients.forEach((c, j) => {
        if (!c.shownExited) results.observe(`${W} run ${i + 1}: dashboard ${j + 1} never said 4 exited within 90 s of the gate`);
        else if (!c.lastLineShown)
          results.observe(`${W} run ${i + 1}: dashboard ${j + 1} said 4 exited without showing a.1's last line (${LINES})`);
        if (c.code !== 0) results.observe(`${W} run ${i + 1}: dashboard ${j + 1} exited ${c.code} after q (expected 0)`);
      });
      if (r.leftovers.length) results.observe(`${W} run ${i + 1}: left behind by the dashboards: ${r.leftovers.join('; ')}`);
      if (r.readerCode !== 0)
        results.observe(`${W} run ${i + 1}: devrun logs -f ended with ${r.readerCode} after devrun stop (expected 0)`);
    });

    const r30 = median(worst(rate));
    results.verdict({
      target: 'attached dashboard ≤ 30 KB/s from the socket during a flood',
      value: `${withUnit(r30, 'KB/s')} (worst dashboard, median of runs)`,
      met: Number.isFinite(r30) ? r30 <= 30 : undefined,
    });
    const span = median(col(runs, (r) => r.span));
    const ref = median(col(refs, (r) => r.span));
    results.verdict({
      target: 'children not slowed by attached clients',
      value: `writers' span ${withUnit(span, 's')} with ${CLIENTS} dashboards + logs -f vs ${withUnit(ref, 's')} with none (${withUnit(span / ref, '×')})`,
      met: Number.isFinite(ref) && Number.isFinite(span) ? span <= ref * 1.1 : undefined,
      note: 'met when within 1.1×',
    });
    const shownAll = runs.every((r) => r.clients.every((c) => c.shownExited));
    results.verdict({
      target: 'every attached dashboard ends showing 4 exited',
      value: `${runs.reduce((n, r) => n + r.clients.filter((c) => c.shownExited).length, 0)}/${runs.length * CLIENTS} dashboards`,
      met: runs.length === RUNS ? shownAll : undefined,
    });
  },
};
