// devrun benchmarks: `npm run bench` (all workloads) or `npm run bench -- flood-headless idle` (a subset).
// Builds devrun first, runs each workload with a time budget and cleans up every process it started,
// prints a table and writes BENCHMARKS.md at the repo root.
import { execFileSync } from 'node:child_process';
import { killMarked } from './lib/cleanup.js';
import { MARK, MARK_KEY, REPO, RUNS } from './lib/config.js';
import type { Workload } from './lib/context.js';
import { removeRoot } from './lib/fixtures.js';
import { loadPeers } from './lib/peers.js';
import { textTable, textVerdicts, writeMarkdown } from './lib/report.js';
import { Results } from './lib/results.js';
import { now, watchdog, within } from './lib/wait.js';
import { control } from './workloads/control.js';
import { floodAttached } from './workloads/flood-attached.js';
import { floodHeadless } from './workloads/flood-headless.js';
import { floodTui } from './workloads/flood-tui.js';
import { idle } from './workloads/idle.js';
import { quit } from './workloads/quit.js';
import { scrollback } from './workloads/scrollback.js';
import { sshLink } from './workloads/ssh-link.js';
import { startup } from './workloads/startup.js';
import { stops } from './workloads/stops.js';
import { watchIdle } from './workloads/watch-idle.js';

const WORKLOADS: Workload[] = [floodHeadless, floodTui, idle, startup, quit, scrollback, stops, control, floodAttached, watchIdle, sshLink];

const GENERAL_NOTES = [
  'devrun is rebuilt (`node scripts/build.mjs`) at the start of every bench run and started as `node FLAGS bin/devrun.js` with the node flags of the bin’s shebang.',
  'Timed figures are medians of the runs listed; ratios compare medians from the same bench run. The machine is shared and noisy: single runs can be off by 20% or more.',
  'Dashboards run in a private tmux server (`tmux -L devrun-bench-…`, 120×40) with CI and FORCE_COLOR unset; the screen is read with capture-pane, polled with deadlines.',
  'Every spawned process inherits a marker variable; after each workload /proc/*/environ is scanned and survivors are SIGKILLed. ' +
    'Processes still alive after the program under test exited are reported under Observations.',
  'Peers: concurrently 9.2.5 and mprocs 0.9.6 installed on demand into bench/.peers (git-ignored); ruby foreman used if on PATH. A peer that is missing is reported as skipped.',
];

function pickWorkloads(args: string[]): Workload[] {
  const names = args.filter((a) => a !== '--');
  if (names.length === 0) return WORKLOADS;
  const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
  if (unknown.length) {
    process.stderr.write(`bench: unknown workload ${unknown.join(', ')}; choose from ${WORKLOADS.map((w) => w.name).join(', ')}\n`);
    process.exit(2);
  }
  return WORKLOADS.filter((w) => names.includes(w.name));
}

function sweep(results: Results, after: string): void {
  const left = killMarked(MARK_KEY, MARK);
  if (left.length) results.observe(`bench cleanup after ${after}: killed ${left.length} leftover process(es): ${left.join('; ')}`);
}

/** False when the workload failed or overran its budget. */
async function runWorkload(workload: Workload, results: Results, peers: ReturnType<typeof loadPeers>): Promise<boolean> {
  watchdog.aborted = false;
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      watchdog.aborted = true;
      reject(new Error(`over its ${workload.budgetMs / 1000} s budget`));
    }, workload.budgetMs);
  });
  const work = workload.run({ results, peers });
  try {
    await Promise.race([work, overrun]);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    results.observe(`${workload.name} FAILED: ${message.split('\n')[0]}`);
    results.add({
      workload: workload.name,
      subject: '-',
      metric: 'FAILED',
      unit: '',
      values: [],
      text: 'failed',
      note: message.split('\n')[0] ?? '',
    });
    process.stderr.write(`bench: ${workload.name} failed: ${message}\n`);
    // Let the workload unwind (its polls now throw) so its own finally blocks close tmux and children.
    await within(
      work.catch(() => {}),
      5000,
    );
    return false;
  } finally {
    clearTimeout(timer);
    sweep(results, workload.name);
  }
}

async function main(): Promise<void> {
  const started = now();
  const selected = pickWorkloads(process.argv.slice(2));
  // Set before anything is spawned: every child (tmux, devrun, writers) inherits it.
  process.env[MARK_KEY] = MARK;
  const onSignal = () => {
    killMarked(MARK_KEY, MARK);
    removeRoot();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  process.stderr.write('bench: building devrun (node scripts/build.mjs)\n');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });

  const wants = (k: 'concurrently' | 'mprocs' | 'foreman') => selected.some((w) => w.needs[k]);
  const peers = loadPeers({ concurrently: wants('concurrently'), mprocs: wants('mprocs'), foreman: wants('foreman') });
  for (const [name, why] of peers.skipped) process.stderr.write(`bench: ${name} skipped: ${why}\n`);

  const results = new Results();
  let failures = 0;
  try {
    for (const workload of selected) {
      process.stderr.write(`bench: ${workload.name} (${RUNS} run${RUNS > 1 ? 's' : ''})\n`);
      const t = now();
      if (!(await runWorkload(workload, results, peers))) failures++;
      process.stderr.write(`bench: ${workload.name} took ${((now() - t) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    sweep(results, 'the bench');
    removeRoot();
  }

  const seconds = (now() - started) / 1000;
  process.stdout.write(`\n${textTable(results)}\n\nTargets\n${textVerdicts(results)}\n`);
  if (results.observations.length) process.stdout.write(`\nObservations\n${results.observations.map((o) => `- ${o}`).join('\n')}\n`);
  const file = writeMarkdown(results, {
    workloads: selected.map((w) => w.name),
    seconds,
    notes: [...GENERAL_NOTES, ...selected.flatMap((w) => w.notes)],
  });
  process.stdout.write(`\nwrote ${file} (${seconds.toFixed(0)} s)\n`);
  // Missed targets are results, not errors; a workload that could not run is an error.
  process.exitCode = failures > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
  killMarked(MARK_KEY, MARK);
  removeRoot();
  process.exit(1);
});
