// Workload 1: 4 writers × 250,000 lines, merged to a file: devrun --no-tui vs the bare writers, concurrently, foreman.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DEVRUN_BIN, DONE_KEY, NODE_FLAGS, RUNS } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { countWriterLines } from '../lib/count-lines.js';
import { freshDoneDir, makeDir, readDone, writeProcfile, writerCommand, writerSpan } from '../lib/fixtures.js';
import { median, withUnit } from '../lib/results.js';
import { runTimed, type TimedResult } from '../lib/spawn-timed.js';

const WRITERS = ['a', 'b', 'c', 'd'];
const LINES = 250_000;
const TOTAL = WRITERS.length * LINES;
/** devrun without its log files (on by default): the cost of writing them is devrun's wall over this one's. */
const FILES_OFF = 'devrun --no-log-files';

interface Subject {
  name: string;
  run(out: string, err: string, env: NodeJS.ProcessEnv): Promise<TimedResult>;
}

interface Tally {
  wall: number[];
  lines: number[];
  outOfOrder: number[];
  mangled: number[];
  rss: number[];
  span: number[];
  codes: (number | string)[];
}

export const floodHeadless: Workload = {
  name: 'flood-headless',
  needs: { concurrently: true, foreman: true },
  budgetMs: 300_000,
  notes: [
    `flood-headless: ${WRITERS.length} writers (node, ${LINES.toLocaleString('en')} lines of 71 bytes each, 1000-line chunks, waiting for 'drain') merged into a file. ` +
      'devrun writes its log files (the default: .devrun/logs, 10 MB, 3 kept, so they rotate); `devrun --no-log-files` is the same run without them. ' +
      "Baseline: `sh -c 'a & b & c & d & wait' > file`. Subjects run interleaved within each repetition; the ratio is median(subject) / median(baseline) of the same bench run. " +
      "Lines received = output lines matching the writer's pattern (prefix allowed); devrun's peak RSS is VmHWM of the devrun process, sampled every 25 ms until it exits.",
  ],
  async run({ results, peers }: Context) {
    const dir = makeDir('flood-headless');
    const entries = WRITERS.map((id) => ({ name: id, command: writerCommand(id, LINES) }));
    const procfile = writeProcfile(dir, entries);
    const opts = (out: string, err: string, env: NodeJS.ProcessEnv) => ({ cwd: dir, env, stdout: out, stderr: err, timeoutMs: 120_000 });
    const subjects: Subject[] = [
      {
        name: 'baseline',
        run: (o, e, env) => runTimed('sh', ['-c', `${entries.map((x) => x.command).join(' & ')} & wait`], opts(o, e, env)),
      },
      {
        name: 'devrun',
        run: (o, e, env) =>
          runTimed(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '-f', procfile, '--no-tui'], { ...opts(o, e, env), monitor: true }),
      },
      {
        name: FILES_OFF,
        run: (o, e, env) =>
          runTimed(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '-f', procfile, '--no-tui', '--no-log-files'], {
            ...opts(o, e, env),
            monitor: true,
          }),
      },
    ];
    const { concurrently, foreman } = peers;
    if (concurrently) {
      subjects.push({
        name: 'concurrently',
        run: (o, e, env) =>
          runTimed(process.execPath, [concurrently, '-n', WRITERS.join(','), ...entries.map((x) => x.command)], opts(o, e, env)),
      });
    }
    if (foreman)
      subjects.push({ name: 'foreman', run: (o, e, env) => runTimed(foreman, ['start', '-f', procfile, '-d', dir], opts(o, e, env)) });

    const tally = new Map<string, Tally>(
      subjects.map((s) => [s.name, { wall: [], lines: [], outOfOrder: [], mangled: [], rss: [], span: [], codes: [] }]),
    );
    for (let rep = 0; rep < RUNS; rep++) {
      for (const subject of subjects) {
        const t = tally.get(subject.name) as Tally;
        const out = path.join(dir, `${subject.name}.out`);
        const err = path.join(dir, `${subject.name}.err`);
        const done = freshDoneDir(dir, subject.name);
        const result = await subject.run(out, err, { ...process.env, [DONE_KEY]: done });
        const count = await countWriterLines(out);
        rmSync(out, { force: true });
        t.wall.push(result.wallMs / 1000);
        t.lines.push(count.total);
        t.outOfOrder.push(count.outOfOrder);
        t.mangled.push(count.mangled);
        t.codes.push(result.timedOut ? 'timeout' : (result.code ?? `signal ${result.signal}`));
        if (result.peakRssKb) t.rss.push(result.peakRssKb / 1024);
        const span = writerSpan(readDone(done));
        if (span !== undefined) t.span.push(span);
        process.stderr.write(
          `  ${subject.name} run ${rep + 1}: ${(result.wallMs / 1000).toFixed(2)} s, ${count.total} lines, exit ${t.codes.at(-1)}\n`,
        );
      }
    }

    const base = median((tally.get('baseline') as Tally).wall);
    for (const subject of subjects) {
      const t = tally.get(subject.name) as Tally;
      const w = 'flood-headless';
      results.add({ workload: w, subject: subject.name, metric: 'wall', unit: 's', values: t.wall });
      if (subject.name !== 'baseline')
        results.add({ workload: w, subject: subject.name, metric: 'ratio to baseline', unit: '×', values: [median(t.wall) / base] });
      const minLines = Math.min(...t.lines);
      const problems = [
        t.outOfOrder.some((n) => n > 0) && `${Math.max(...t.outOfOrder)} out-of-order`,
        t.mangled.some((n) => n > 0) && `${Math.max(...t.mangled)} split/mangled lines`,
      ].filter(Boolean);
      results.add({
        workload: w,
        subject: subject.name,
        metric: 'lines received',
        unit: '',
        values: t.lines,
        text: `${minLines === Math.max(...t.lines) ? minLines : `${minLines}..${Math.max(...t.lines)}`} / ${TOTAL}`,
        note: [minLines === TOTAL ? 'all, every run' : 'not all intact', ...problems].join('; '),
      });
      if (t.rss.length) results.add({ workload: w, subject: subject.name, metric: 'peak RSS', unit: 'MB', values: t.rss });
      if (subject.name === 'baseline' || subject.name === 'devrun' || subject.name === FILES_OFF)
        results.add({
          workload: w,
          subject: subject.name,
          metric: "writers' span",
          unit: 's',
          values: t.span,
          note: 'first writer start → last writer done',
        });
      const badCodes = t.codes.filter((c) => c !== 0);
      if (badCodes.length)
        results.observe(
          `flood-headless: ${subject.name} exited with ${badCodes.join(', ')} (expected 0) in ${badCodes.length} of ${RUNS} runs`,
        );
      if (minLines !== TOTAL)
        results.observe(
          `flood-headless: ${subject.name} delivered ${t.lines.join(', ')} of ${TOTAL} writer lines (runs); ${problems.join(', ') || 'no mangled lines'}`,
        );
      else if (problems.length) results.observe(`flood-headless: ${subject.name}: ${problems.join(', ')}`);
    }
    for (const [name, why] of peers.skipped)
      if (name !== 'mprocs')
        results.add({ workload: 'flood-headless', subject: name, metric: 'wall', unit: 's', values: [], text: 'skipped', note: why });

    const devrun = tally.get('devrun') as Tally;
    const filesOff = median((tally.get(FILES_OFF) as Tally).wall);
    results.verdict({
      target: 'log files cost ≤ 10% in the headless flood',
      value: `${withUnit(median(devrun.wall) / filesOff, '×')} (files on ${withUnit(median(devrun.wall), 's')} vs off ${withUnit(filesOff, 's')})`,
      met: median(devrun.wall) <= filesOff * 1.1,
    });
    const ratio = median(devrun.wall) / base;
    results.verdict({
      target: 'headless flood ≤ 1.2× baseline',
      value: `${withUnit(ratio, '×')} (${withUnit(median(devrun.wall), 's')} vs ${withUnit(base, 's')})`,
      met: ratio <= 1.2 && Math.min(...devrun.lines) === TOTAL,
      ...(concurrently && { note: `concurrently: ${withUnit(median((tally.get('concurrently') as Tally).wall) / base, '×')}` }),
    });
  },
};
