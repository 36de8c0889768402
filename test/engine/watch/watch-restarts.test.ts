import { describe, expect, it } from 'vitest';
import type { ProcessStatus } from '../../../src/engine/process-state.js';
import { onChangeIn, WATCH_DEBOUNCE_MS, WATCH_PAUSE, WatchRestarts } from '../../../src/engine/watch/watch-restarts.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A process the test moves by hand: restart() puts it in `stopping`, as the real one does. */
function harness(status: ProcessStatus = 'running') {
  const clock = new FakeClock();
  const proc = { status, startedAt: clock.now() as number | undefined };
  const said: string[] = [];
  let restarts = 0;
  const watch = new WatchRestarts({
    clock,
    state: () => proc,
    say: (text) => said.push(text),
    restart: () => {
      restarts += 1;
      proc.status = 'stopping';
    },
  });
  /** The new run is spawned (starting) and then up (running), each a state change the supervisor reports. */
  const spawned = () => {
    proc.status = 'starting';
    proc.startedAt = clock.now();
    watch.settled();
  };
  const up = () => {
    proc.status = 'running';
    watch.settled();
  };
  return { clock, proc, said, watch, spawned, up, restarts: () => restarts };
}

describe('watch restarts (fake clock)', () => {
  it('debounces: a burst of changes is one restart, WATCH_DEBOUNCE_MS after the last, naming the first path', () => {
    const h = harness();
    h.clock.advance(1000);
    h.watch.changed('src/a.ts');
    h.clock.advance(WATCH_DEBOUNCE_MS - 10);
    h.watch.changed('src/b.ts');
    h.watch.changed('src/a.ts');
    h.clock.advance(WATCH_DEBOUNCE_MS - 10);
    expect(h.restarts()).toBe(0);
    h.clock.advance(10);
    expect(h.restarts()).toBe(1);
    expect(h.said).toEqual(['src/a.ts and 1 more changed: restarting']);
  });

  it('changes while the restart is under way fold into it when they came before the new run started', () => {
    const h = harness();
    h.clock.advance(1000);
    h.watch.changed('src/a.ts');
    h.clock.advance(WATCH_DEBOUNCE_MS);
    expect(h.restarts()).toBe(1);
    // Still stopping: more saves come in and their debounce ends while it stops.
    h.watch.changed('src/b.ts');
    h.clock.advance(WATCH_DEBOUNCE_MS);
    h.clock.advance(50);
    h.spawned();
    h.up();
    expect(h.restarts()).toBe(1);
    expect(h.said).toEqual(['src/a.ts changed: restarting']);
  });

  it('a change while it is starting (its probe not passed) waits, then restarts it once it is up', () => {
    const h = harness('starting');
    h.clock.advance(1000);
    h.watch.changed('src/a.ts');
    h.watch.changed('src/c.ts');
    h.clock.advance(WATCH_DEBOUNCE_MS * 5);
    expect(h.restarts()).toBe(0);
    h.up();
    expect(h.restarts()).toBe(1);
    expect(h.said).toEqual(['src/a.ts and 1 more changed: restarting']);
  });

  it('a change restarts an ended process (crashed, exited one-shot) but not one stopped by hand or not started', () => {
    expect(['running', 'ready', 'crashed', 'exited', 'failed', 'backoff'].map((s) => onChangeIn(s as ProcessStatus))).toEqual(
      Array(6).fill('restart'),
    );
    expect(['stopped', 'pending', 'waiting', 'blocked'].map((s) => onChangeIn(s as ProcessStatus))).toEqual(Array(4).fill('ignore'));
    expect(['starting', 'stopping'].map((s) => onChangeIn(s as ProcessStatus))).toEqual(['fold', 'fold']);
    const h = harness('crashed');
    h.proc.startedAt = undefined;
    h.watch.changed('src/fix.ts');
    h.clock.advance(WATCH_DEBOUNCE_MS);
    expect(h.restarts()).toBe(1);
    const stopped = harness('stopped');
    stopped.watch.changed('src/a.ts');
    stopped.clock.advance(WATCH_DEBOUNCE_MS);
    stopped.up();
    expect(stopped.restarts()).toBe(0);
  });

  it(`${WATCH_PAUSE.restarts} watch restarts within ${WATCH_PAUSE.withinMs / 1000} s pause the watch, naming the path that keeps changing; r resumes`, () => {
    const h = harness();
    const cycle = (path: string, gap: number) => {
      h.clock.advance(gap);
      h.watch.changed(path);
      h.clock.advance(WATCH_DEBOUNCE_MS);
      h.spawned();
      h.up();
    };
    cycle('src/a.ts', 1000);
    cycle('out/build.js', 5000);
    cycle('out/build.js', 5000);
    expect(h.restarts()).toBe(3);
    expect(h.said.at(-1)).toBe('watch paused: 3 restarts within 30 s, out/build.js keeps changing (r restarts it and watches again)');
    cycle('out/build.js', 5000);
    expect(h.restarts()).toBe(3);
    h.watch.resume();
    cycle('src/a.ts', 1000);
    expect(h.restarts()).toBe(4);
  });

  it('restarts spread over more than the window do not pause it', () => {
    const h = harness();
    for (let i = 0; i < 6; i++) {
      h.clock.advance(WATCH_PAUSE.withinMs / 2);
      h.watch.changed('src/a.ts');
      h.clock.advance(WATCH_DEBOUNCE_MS);
      h.spawned();
      h.up();
    }
    expect(h.restarts()).toBe(6);
    expect(h.said.some((l) => l.includes('paused'))).toBe(false);
  });

  it('close() drops a pending change', () => {
    const h = harness();
    h.clock.advance(1000);
    h.watch.changed('src/a.ts');
    h.watch.close();
    h.clock.advance(WATCH_DEBOUNCE_MS * 2);
    expect(h.restarts()).toBe(0);
    expect(h.clock.pendingDelays()).toEqual([]);
  });
});
