import { describe, expect, it } from 'vitest';
import type { ProbeCheck, ReadyProbe } from '../../src/config/settings/types.js';
import type { PolledCheck } from '../../src/engine/probes/attempt.js';
import { ReadinessWatcher } from '../../src/engine/readiness.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** A watcher on a fake clock whose tries the test answers one by one. */
function harness(check: ProbeCheck, timing: Partial<ReadyProbe> = {}) {
  const clock = new FakeClock();
  const start = clock.now();
  const tries: Array<{ at: number; timeoutMs: number; answer: (ok: boolean) => Promise<void> }> = [];
  const events: string[] = [];
  const watcher = new ReadinessWatcher({
    probe: { check, intervalMs: 1000, timeoutMs: 10_000, initialDelayMs: 0, ...timing },
    clock,
    attempt: (_check: PolledCheck, timeoutMs: number) =>
      new Promise((resolve) =>
        tries.push({
          at: clock.now() - start,
          timeoutMs,
          // Resolves, then lets the watcher's continuation run.
          answer: async (ok) => {
            resolve(ok);
            await new Promise((r) => setImmediate(r));
          },
        }),
      ),
    onReady: () => events.push(`ready at ${clock.now() - start}`),
    onTimeout: () => events.push(`timeout at ${clock.now() - start}`),
  });
  return { clock, tries, events, watcher };
}

const PORT: ProbeCheck = { kind: 'port', port: 5432 };

describe('readiness watcher (fake clock, tries answered by the test)', () => {
  it('tries after initial_delay, then every interval after the previous try ended, until one passes', async () => {
    const h = harness(PORT, { initialDelayMs: 500 });
    h.clock.advance(499);
    expect(h.tries).toHaveLength(0);
    h.clock.advance(1);
    expect(h.tries.map((t) => t.at)).toEqual([500]);
    // A slow try: the next one is an interval after it ended, never overlapping.
    h.clock.advance(3000);
    expect(h.tries).toHaveLength(1);
    await h.tries[0]!.answer(false);
    h.clock.advance(999);
    expect(h.tries).toHaveLength(1);
    h.clock.advance(1);
    expect(h.tries.map((t) => t.at)).toEqual([500, 4500]);
    await h.tries[1]!.answer(true);
    expect(h.events).toEqual(['ready at 4500']);
    h.clock.advance(60_000);
    expect(h.tries).toHaveLength(2);
    expect(h.events).toEqual(['ready at 4500']);
  });

  it('times out once at the deadline, counted from the start; a late answer is ignored', async () => {
    const h = harness(PORT, { timeoutMs: 2500 });
    h.clock.advance(0);
    await h.tries[0]!.answer(false);
    h.clock.advance(1000);
    await h.tries[1]!.answer(false);
    h.clock.advance(1000);
    expect(h.tries).toHaveLength(3);
    // The last try may not run past the deadline.
    expect(h.tries[2]!.timeoutMs).toBe(500);
    h.clock.advance(500);
    expect(h.events).toEqual(['timeout at 2500']);
    await h.tries[2]!.answer(true);
    h.clock.advance(10_000);
    expect(h.events).toEqual(['timeout at 2500']);
    expect(h.tries).toHaveLength(3);
  });

  it('cancel ends it silently: no more tries, no timeout, a pending answer ignored', async () => {
    const h = harness(PORT);
    h.clock.advance(0);
    h.watcher.cancel();
    await h.tries[0]!.answer(true);
    h.clock.advance(60_000);
    expect(h.events).toEqual([]);
    expect(h.tries).toHaveLength(1);
  });

  it('a log probe tests each line (colours stripped) from the start, without polling', () => {
    const h = harness({ kind: 'log', pattern: 'listening on \\d+$' }, { initialDelayMs: 5000 });
    h.watcher.lines(['booting', 'listening on']);
    h.clock.advance(100);
    h.watcher.lines(['\x1b[32mlistening on \x1b[1m8080\x1b[0m']);
    expect(h.events).toEqual(['ready at 100']);
    h.watcher.lines(['listening on 9090']);
    expect(h.events).toEqual(['ready at 100']);
    expect(h.tries).toHaveLength(0);
  });

  it('a log probe that never matches times out', () => {
    const h = harness({ kind: 'log', pattern: 'ready' }, { timeoutMs: 3000 });
    h.watcher.lines(['not yet']);
    h.clock.advance(3000);
    expect(h.events).toEqual(['timeout at 3000']);
  });
});
