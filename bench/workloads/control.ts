// Workload 8: the control verbs against a background devrun (`devrun start -D`): how long `devrun status`
// takes from spawn to exit, and a `devrun restart web` round trip until the new pid shows in `status --json`.
import { execFile } from 'node:child_process';
import { DEVRUN_BIN, NODE_FLAGS } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { makeDir, writeProcfile } from '../lib/fixtures.js';
import { isRunning } from '../lib/procfs.js';
import { median, withUnit } from '../lib/results.js';
import { now, pollUntil, sleep } from '../lib/wait.js';

const STATUS_RUNS = 10;
const RESTART_RUNS = 5;
const W = 'control';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node bin/devrun.js ARGS` in `cwd`, to completion: spawn → exit. */
function devrun(cwd: string, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const t0 = now();
    execFile(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, ...args], { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, ms: now() - t0 });
    });
  });
}

interface Status {
  pid: number;
  processes: { name: string; state: string; pid: number | null }[];
}

async function statusJson(cwd: string): Promise<Status> {
  const r = await devrun(cwd, ['status', '--json']);
  if (r.code !== 0) throw new Error(`devrun status --json exited ${r.code}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as Status;
}

const webPid = (s: Status) => {
  const web = s.processes.find((p) => p.name === 'web.1');
  return web?.state === 'running' ? web.pid : null;
};

export const control: Workload = {
  name: W,
  needs: {},
  budgetMs: 120_000,
  notes: [
    'control: a background devrun (`devrun start -D`, processes on terminals as in any background run) with `web: sleep 3600` and `worker: sleep 3600`; ' +
      'verbs run as `node bin/devrun.js …` from the project folder. ' +
      `status: \`devrun status\` timed from spawn to exit, ${STATUS_RUNS} runs (the first is a warm-up, not counted). ` +
      `restart round trip: from spawning \`devrun restart web\` until \`devrun status --json\`, run again and again, shows web.1 running with a new pid; ${RESTART_RUNS} runs. ` +
      'Most of either figure is starting node and loading the bundle (see `node bin/devrun.js --version` under startup).',
  ],
  async run({ results }: Context) {
    const dir = makeDir('control');
    writeProcfile(dir, [
      { name: 'web', command: 'sleep 3600' },
      { name: 'worker', command: 'sleep 3600' },
    ]);
    const started = await devrun(dir, ['start', '-D']);
    if (started.code !== 0) throw new Error(`devrun start -D exited ${started.code}: ${started.stderr.trim()}`);
    const supervisor = Number(started.stdout.match(/pid (\d+)/)?.[1]);
    try {
      const first = await pollUntil(
        async () => {
          const s = await statusJson(dir);
          return s.processes.every((p) => p.state === 'running') && s;
        },
        { timeoutMs: 20_000, what: 'every process running' },
      );
      let pid = webPid(first);

      const status: number[] = [];
      for (let rep = 0; rep <= STATUS_RUNS; rep++) {
        const r = await devrun(dir, ['status']);
        if (r.code !== 0) throw new Error(`devrun status exited ${r.code}: ${r.stderr.trim()}`);
        if (rep > 0) status.push(r.ms);
      }
      process.stderr.write(`  status: ${status.map((ms) => ms.toFixed(0)).join(', ')} ms\n`);

      const restart: number[] = [];
      const verb: number[] = [];
      for (let rep = 0; rep < RESTART_RUNS; rep++) {
        const before = pid;
        const t0 = now();
        const r = await devrun(dir, ['restart', 'web']);
        if (r.code !== 0) throw new Error(`devrun restart web exited ${r.code}: ${r.stderr.trim()}`);
        verb.push(r.ms);
        pid = await pollUntil(
          async () => {
            const next = webPid(await statusJson(dir));
            return next !== null && next !== before && next;
          },
          { timeoutMs: 20_000, intervalMs: 0, what: 'web.1 running with a new pid' },
        );
        restart.push(now() - t0);
        process.stderr.write(`  restart run ${rep + 1}: verb ${r.ms.toFixed(0)} ms, new pid seen after ${(now() - t0).toFixed(0)} ms\n`);
        await sleep(200);
      }

      results.add({
        workload: W,
        subject: 'devrun -D',
        metric: '`devrun status`, spawn → exit',
        unit: 'ms',
        values: status,
        note: `${status.length} runs after a warm-up`,
      });
      results.add({
        workload: W,
        subject: 'devrun -D',
        metric: '`devrun restart web` → new pid in `status --json`',
        unit: 'ms',
        values: restart,
        note: `${restart.length} runs; the verb alone (spawn → exit) ${withUnit(median(verb), 'ms')}`,
      });
    } finally {
      const stopped = await devrun(dir, ['stop']);
      if (stopped.code !== 0) results.observe(`${W}: devrun stop exited ${stopped.code}: ${stopped.stderr.trim()}`);
      if (Number.isInteger(supervisor) && isRunning(supervisor))
        results.observe(`${W}: the background devrun (pid ${supervisor}) was still running when devrun stop returned`);
    }
  },
};
