// Workload 4: from Enter to the first frame that names all 10 processes, and to the header saying 10 running.
import { DEVRUN_BIN, NODE_FLAGS, RUNS } from '../lib/config.js';
import type { Context, Workload } from '../lib/context.js';
import { headerSays, openDevrunTui, quitDevrun } from '../lib/devrun.js';
import { makeDir, writeProcfile } from '../lib/fixtures.js';
import { median, withUnit } from '../lib/results.js';
import { runTimed } from '../lib/spawn-timed.js';

const COUNT = 10;
const NAMES = Array.from({ length: COUNT }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);

export const startup: Workload = {
  name: 'startup',
  needs: {},
  budgetMs: 120_000,
  notes: [
    `startup: ${COUNT} × \`sleep 3600\`, devrun typed into a bash in tmux 120×40 (no script). Clock starts when Enter is sent; capture-pane is polled every 10 ms ` +
      'for a frame with the `devrun` header and every `pNN.1` name, then for the header saying `10 running`. ' +
      'For context, `node bin/devrun.js --version` is timed too (loading the bundle, no UI).',
  ],
  async run({ results }: Context) {
    const first: number[] = [];
    const running: number[] = [];
    const load: number[] = [];
    for (let rep = 0; rep < RUNS; rep++) {
      const dir0 = makeDir(`startup-version-${rep}`);
      const v = await runTimed(process.execPath, [...NODE_FLAGS, DEVRUN_BIN, '--version'], {
        cwd: dir0,
        stdout: '/dev/null',
        stderr: '/dev/null',
        timeoutMs: 10_000,
      });
      if (v.code === 0) load.push(v.wallMs);
      const dir = makeDir(`startup-${rep}`);
      const procfile = writeProcfile(
        dir,
        NAMES.map((name) => ({ name, command: 'sleep 3600' })),
      );
      const run = await openDevrunTui({ dir, procfile });
      try {
        const t0 = run.launch();
        const frame = await run.tmux.waitFor((s) => /^devrun /m.test(s) && NAMES.every((n) => s.includes(`${n}.1`)), {
          timeoutMs: 15_000,
          intervalMs: 10,
          what: 'a frame naming every process',
        });
        const all = await run.tmux.waitFor(headerSays(COUNT, 'running'), {
          timeoutMs: 15_000,
          intervalMs: 10,
          what: `the header to say ${COUNT} running`,
        });
        first.push(frame.at - t0);
        running.push(all.at - t0);
        process.stderr.write(
          `  run ${rep + 1}: first frame ${(frame.at - t0).toFixed(0)} ms, all running ${(all.at - t0).toFixed(0)} ms\n`,
        );
        const pid = await run.findDevrun();
        const quit = await quitDevrun(run, pid);
        if (quit.code !== 0) results.observe(`startup run ${rep + 1}: devrun exited with ${quit.code} after q`);
        if (quit.leftovers.length) results.observe(`startup run ${rep + 1}: left behind: ${quit.leftovers.join('; ')}`);
      } finally {
        run.close();
      }
    }
    results.add({ workload: 'startup', subject: 'devrun', metric: 'Enter → first frame with all names', unit: 'ms', values: first });
    results.add({ workload: 'startup', subject: 'devrun', metric: `Enter → header says ${COUNT} running`, unit: 'ms', values: running });
    results.add({ workload: 'startup', subject: 'devrun', metric: '`devrun --version` (bundle load only)', unit: 'ms', values: load });
    const m = median(first);
    results.verdict({
      target: 'first frame ≤ 400 ms',
      value: withUnit(m, 'ms'),
      met: m <= 400,
      note: `all ${COUNT} running after ${withUnit(median(running), 'ms')}`,
    });
  },
};
