// Workload: a watched 30k-file tree. One `sleep` process with `watch: src/**/*.js` over 300 folders × 100
// files, next to the same run without `watch`: devrun's RSS difference and its idle CPU (headless, both at
// the same time, each reading only its own CPU time).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEVRUN_BIN, NODE_FLAGS, TAG_KEY } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { makeDir, writeProcfile } from '../lib/fixtures.js';
import { cpuSeconds, describe, pidsWithEnv, statusKb } from '../lib/procfs.js';
import { withUnit } from '../lib/results.js';
import { spawnToFile } from '../lib/spawn-timed.js';
import { pollUntil, sleep, within } from '../lib/wait.js';

const FOLDERS = 300;
const FILES = 100;
const SETTLE_MS = 2000;
const WINDOW_S = 10;
const TARGET_MB = 10;

interface Sample {
  watched: boolean;
  cpuPct: number;
  rssMb: number;
  /** inotify watches devrun holds (one per watched folder). */
  watches: number;
  /** From spawn to the "started" line: the walk of the tree happens before it. */
  startMs: number;
  exit: string;
  leftovers: string[];
}

/** FOLDERS folders of FILES empty files under src/. */
function makeTree(dir: string): void {
  for (let f = 0; f < FOLDERS; f++) {
    const folder = path.join(dir, 'src', `m${String(f).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < FILES; i++) writeFileSync(path.join(folder, `f${i}.js`), '');
  }
}

function inotifyWatches(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      count += (readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').match(/^inotify wd:/gm) ?? []).length;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

/** The project folder, tree and all: made before either run starts (it blocks the bench for a while). */
function prepare(watched: boolean): { dir: string; procfile: string } {
  const dir = makeDir(watched ? 'watch-idle-watched' : 'watch-idle-plain');
  makeTree(dir);
  const procfile = writeProcfile(dir, [{ name: 'web', command: 'sleep 3600' }]);
  // Both have a devrun.yaml, so the difference is the watch alone (not loading the settings file).
  writeFileSync(path.join(dir, 'devrun.yaml'), `processes:\n  web: { ${watched ? 'watch: "src/**/*.js"' : 'restart: on-failure'} }\n`);
  return { dir, procfile };
}

async function run(watched: boolean, { dir, procfile }: { dir: string; procfile: string }): Promise<Sample> {
  const tag = `${path.basename(dir)}-${process.pid}`;
  const out = path.join(dir, 'out.txt');
  const spawnedAt = performance.now();
  const { child, exited } = spawnToFile(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '-f', procfile, '--no-tui'], {
    cwd: dir,
    env: { ...process.env, [TAG_KEY]: tag },
    stdout: out,
    stderr: path.join(dir, 'err.txt'),
  });
  try {
    const pid = child.pid as number;
    await pollUntil(() => readFileSync(out, 'utf8').includes('started with pid'), {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: 'the start line',
    });
    const startMs = performance.now() - spawnedAt;
    await sleep(SETTLE_MS);
    const cpu0 = cpuSeconds(pid) ?? Number.NaN;
    await sleep(WINDOW_S * 1000);
    const cpu1 = cpuSeconds(pid) ?? Number.NaN;
    const rssMb = (statusKb(pid, 'VmRSS') ?? Number.NaN) / 1024;
    const watches = inotifyWatches(pid);
    child.kill('SIGTERM');
    const end = await within(exited, 30_000);
    return {
      watched,
      cpuPct: ((cpu1 - cpu0) / WINDOW_S) * 100,
      rssMb,
      watches,
      startMs,
      exit: end ? String(end.code ?? end.signal) : 'still running after 30 s',
      leftovers: pidsWithEnv(TAG_KEY, tag).map(describe),
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export const watchIdle: Workload = {
  name: 'watch-idle',
  needs: {},
  budgetMs: 120_000,
  notes: [
    `watch-idle: one \`sleep 3600\` process, headless, in a folder with ${FOLDERS} folders × ${FILES} empty files under src/, with \`watch: "src/**/*.js"\` in devrun.yaml, ` +
      `next to the same run without it (a devrun.yaml too, without watch; both at once). After the start line, ${SETTLE_MS / 1000} s to settle, then a ${WINDOW_S} s window: ` +
      'CPU % = Δ(utime+stime) of devrun / window, RSS = VmRSS at the end, inotify watches counted in /proc/PID/fdinfo; start = spawn to the "started" line (the tree is walked before it).',
  ],
  async run({ results }: Context) {
    const folders = [prepare(true), prepare(false)];
    const settled = await Promise.allSettled([run(true, folders[0]!), run(false, folders[1]!)]);
    const samples: Sample[] = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') samples.push(s.value);
      else results.observe(`watch-idle: a variant failed: ${(s.reason as Error).message.split('\n')[0]}`);
    }
    const w = 'watch-idle';
    for (const s of samples) {
      const subject = s.watched ? `devrun --no-tui, watching ${FOLDERS * FILES} files` : 'devrun --no-tui, no watch';
      results.add({ workload: w, subject, metric: `CPU over ${WINDOW_S} s`, unit: '%', values: [s.cpuPct], note: '% of one core' });
      results.add({ workload: w, subject, metric: 'RSS', unit: 'MB', values: [s.rssMb] });
      results.add({ workload: w, subject, metric: 'inotify watches', unit: '', values: [s.watches] });
      results.add({ workload: w, subject, metric: 'start', unit: 'ms', values: [s.startMs], note: 'spawn to the started line' });
      if (s.exit !== '143') results.observe(`watch-idle: ${subject} exited with ${s.exit} (expected 143: stopped by SIGTERM)`);
      if (s.leftovers.length) results.observe(`watch-idle: ${subject} left behind: ${s.leftovers.join('; ')}`);
    }
    const watched = samples.find((s) => s.watched);
    const plain = samples.find((s) => !s.watched);
    const more = watched && plain ? watched.rssMb - plain.rssMb : Number.NaN;
    results.verdict({
      target: `watching ${FOLDERS * FILES} files in ${FOLDERS} folders costs ≤ ${TARGET_MB} MB more RSS`,
      value: watched && plain ? `${withUnit(more, 'MB')} more (${withUnit(watched.rssMb, 'MB')} vs ${withUnit(plain.rssMb, 'MB')})` : 'n/a',
      met: watched && plain ? more <= TARGET_MB : undefined,
      note: watched
        ? `idle CPU ${withUnit(watched.cpuPct, '%')} watching, ${plain ? withUnit(plain.cpuPct, '%') : 'n/a'} not; ${watched.watches} inotify watches`
        : '',
    });
  },
};
