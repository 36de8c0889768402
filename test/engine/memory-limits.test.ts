import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeMemory, type MemoryStreak } from '../../src/engine/memory-verdict.js';
import { treeOf } from '../../src/engine/proc-tree.js';
import { parsePss, readPss, treePss } from '../../src/engine/pss.js';
import { isAlive } from '../helpers/procs.js';
import { makeSettingsSupervisor } from '../helpers/settings-supervisor.js';
import { waitFor } from '../helpers/wait.js';

const MiB = 1024 ** 2;
const hasSmaps = existsSync('/proc/self/smaps_rollup');

describe('memory verdict: over the limit two samples in a row restarts (pure)', () => {
  const limit = 100;
  /** Feeds samples of one pid (or [pid, bytes]) and returns the restarts decided. */
  function run(samples: Array<number | [number, number]>): boolean[] {
    let streak: MemoryStreak | undefined;
    return samples.map((s) => {
      const [pid, bytes] = typeof s === 'number' ? [1, s] : s;
      const verdict = judgeMemory(streak, { pid, bytes, limit });
      streak = verdict.streak;
      return verdict.restart;
    });
  }

  it.each([
    ['under the limit', [50, 100, 99], [false, false, false]],
    ['once over is a spike', [150, 50, 150, 50], [false, false, false, false]],
    ['twice over in a row', [150, 150], [false, true]],
    ['the count starts over after a restart', [150, 150, 150, 150], [false, true, false, true]],
    [
      'a new run starts over',
      [
        [1, 150],
        [2, 150],
        [2, 150],
      ],
      [false, false, true],
    ],
  ] as const)('%s', (_name, samples, restarts) => {
    expect(run([...samples] as Array<number | [number, number]>)).toEqual(restarts);
  });
});

describe('PSS of a process tree', () => {
  it('reads the Pss line of smaps_rollup in bytes, not Pss_Anon or SwapPss', () => {
    const text = 'Rss:                1768 kB\nPss:                 610 kB\nPss_Anon:            156 kB\nSwapPss:               0 kB\n';
    expect(parsePss(text)).toBe(610 * 1024);
    expect(parsePss('Rss: 5 kB\n')).toBeUndefined();
  });

  it('sums the tree and skips a pid it cannot read', () => {
    const pss: Record<number, number> = { 10: 1, 11: 10, 12: 100, 20: 1000 };
    expect(treePss([10, 11, 12, 13], (pid) => pss[pid])).toBe(111);
  });

  it.skipIf(!hasSmaps)('reads a live process', () => {
    expect(readPss(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(readPss(2 ** 22 + 1)).toBeUndefined();
  });
});

/** A node process that grows by 8 MiB (touched, kept) every 100 ms, up to 192 MiB. */
const GROW = `const keep = []; console.log('growing'); setInterval(() => { if (keep.length < 24) { const b = Buffer.alloc(8 << 20); b.fill(1); keep.push(b); } }, 100);`;
const CALM = `console.log('calm-up'); setInterval(() => {}, 1000);`;

describe.skipIf(!hasSmaps)('memory limits on real processes', () => {
  let h: ReturnType<typeof makeSettingsSupervisor> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('restarts a process whose grandchild grows past the limit, as a failure (backoff), even with restart: never', async () => {
    h = makeSettingsSupervisor(
      {
        // sh (devrun's) → sh → node: the node that grows is a grandchild.
        grow: {
          command: `echo parent; sh -c 'node -e "$GROW"; echo inner done'`,
          run: { restart: 'never', maxMemory: 96 * MiB, env: { GROW } },
        },
        calm: { command: `node -e "$CALM"`, run: { maxMemory: 96 * MiB, env: { CALM } } },
      },
      { memorySampleIntervalMs: 100 },
    );
    h.supervisor.startAll();
    await h.waitLine('calm.1', 'calm-up');
    const calm = h.state('calm.1');
    await h.waitLine('grow.1', 'growing');
    const first = h.state('grow.1');
    const firstTree = treeOf(first.pid!);
    expect(firstTree.length).toBeGreaterThanOrEqual(3);

    const line = await h.waitLine('grow.1', /using [\d.]+ MiB \(limit 96 MiB\) 2 samples in a row: restarting/);
    const used = Number(/using ([\d.]+) MiB/.exec(line)![1]);
    expect(used).toBeGreaterThan(96);
    await h.waitLine('grow.1', /stopped for its memory \([^)]+\), restarting in 50ms/);
    const second = await h.waitState('grow.1', (s) => s.pid !== undefined && s.pid !== first.pid, 'restarted');
    expect(second.restarts).toBeGreaterThanOrEqual(1);
    // The old tree is gone, grandchild included.
    await waitFor(() => firstTree.every((pid) => !isAlive(pid)), { what: 'the first tree to be gone' });

    // It grows again: the second restart backs off longer (a failure in a row, counted like a crash).
    await h.waitLine('grow.1', /stopped for its memory \([^)]+\), restarting in 100ms/);
    // Sampled all along (two restarts of its neighbour since it was up), the calm one was never touched.
    expect(h.state('calm.1')).toMatchObject({ pid: calm.pid, restarts: 0, status: 'running' });
    expect(h.logLines('calm.1').some((l) => l.text.includes('using'))).toBe(false);
  }, 60_000);

  it("is measured by the resource sampler's rounds when sampling is on (no timer of its own)", async () => {
    h = makeSettingsSupervisor(
      { grow: { command: `node -e "$GROW"`, run: { maxMemory: 96 * MiB, env: { GROW } } } },
      // Its own timer would first fire after 10 minutes: only the sampler's rounds can measure it.
      { sampleIntervalMs: 100, memorySampleIntervalMs: 600_000 },
    );
    h.supervisor.startAll();
    await h.waitLine('grow.1', /using [\d.]+ MiB \(limit 96 MiB\) 2 samples in a row: restarting/);
    expect(h.supervisor.resourceUsage().get('grow.1')?.rss).toBeGreaterThan(0);
  }, 60_000);
});
