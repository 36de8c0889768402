import { afterEach, describe, expect, it } from 'vitest';
import { FrameGate } from '../../src/state/frame-gate.js';
import { REPLY_TIMEOUT_MS } from '../../src/state/frame-pacing.js';
import { DashboardStore } from '../../src/state/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeControl, settle } from '../helpers/fake-control.js';

const MIN_INTERVAL = 50;
const EXITED = { status: 'exited', pid: undefined, lastExit: { code: 0, signal: null, at: 0, byUser: false } } as const;

/** A store behind a gate, over a FakeControl on a FakeClock; `frame()` stands for Ink writing a frame. */
function gated() {
  const clock = new FakeClock();
  const gate = new FrameGate(clock);
  const control = new FakeControl(['web.1'], { startedAt: clock.now() });
  const store = new DashboardStore(control, { clock, gate, minIntervalMs: MIN_INTERVAL, tickMs: 60_000 });
  const drawn: string[] = [];
  store.subscribe(() => drawn.push(store.getSnapshot().rows[0]!.statusText));
  current = { store, gate };
  return { clock, gate, control, store, drawn };
}

let current: { store: DashboardStore; gate: FrameGate } | undefined;
afterEach(() => {
  current?.store.dispose();
  current?.gate.dispose();
  current = undefined;
});

describe('FrameGate', () => {
  it('commits at once while no frame is in flight, and holds the next commit until the terminal answers', () => {
    const clock = new FakeClock();
    const gate = new FrameGate(clock);
    const commits: string[] = [];
    gate.commit('ui', () => commits.push('first'));
    expect(commits).toEqual(['first']);
    gate.asked();
    gate.commit('ui', () => commits.push('second'));
    clock.advance(REPLY_TIMEOUT_MS - 1);
    expect(commits).toEqual(['first']);
    gate.answered();
    expect(commits).toEqual(['first', 'second']);
    gate.dispose();
  });

  it('lets the waiting commits go after the timeout when the terminal never answers', () => {
    const clock = new FakeClock();
    const gate = new FrameGate(clock);
    const commits: string[] = [];
    gate.asked();
    gate.commit('ui', () => commits.push('ui'));
    gate.commit('snapshot', () => commits.push('snapshot'));
    clock.advance(REPLY_TIMEOUT_MS - 1);
    expect(commits).toEqual([]);
    clock.advance(1);
    expect(commits).toEqual(['ui', 'snapshot']);
    gate.dispose();
  });

  it('keeps only the newest commit per key while it waits, and waits for every answer outstanding', () => {
    const clock = new FakeClock();
    const gate = new FrameGate(clock);
    const commits: number[] = [];
    gate.asked();
    gate.asked();
    for (const n of [1, 2, 3]) gate.commit('ui', () => commits.push(n));
    gate.answered();
    expect(commits).toEqual([]);
    gate.answered();
    expect(commits).toEqual([3]);
    gate.dispose();
  });

  it('settles when every question has its answer, or when the last one timed out (the dashboard closes then)', async () => {
    const clock = new FakeClock();
    const gate = new FrameGate(clock);
    const settled: string[] = [];
    await gate.settled(); // nothing asked: at once
    gate.asked();
    gate.asked();
    void gate.settled().then(() => settled.push('answered'));
    gate.answered();
    await settle();
    expect(settled).toEqual([]);
    gate.answered();
    await settle();
    expect(settled).toEqual(['answered']);
    gate.asked();
    void gate.settled().then(() => settled.push('timed out'));
    clock.advance(REPLY_TIMEOUT_MS - 1);
    await settle();
    expect(settled).toEqual(['answered']);
    clock.advance(1);
    await settle();
    expect(settled).toEqual(['answered', 'timed out']);
    gate.dispose();
  });
});

describe('DashboardStore behind a FrameGate', () => {
  it('a snapshot waits for the answer; those built meanwhile coalesce, and the newest is drawn', async () => {
    const { clock, gate, control, store, drawn } = gated();
    gate.asked(); // a frame is in flight
    control.setState('web.1', { status: 'failed', pid: undefined, reason: 'command not found: bundle' });
    clock.advance(MIN_INTERVAL);
    await settle();
    control.setState('web.1', EXITED);
    clock.advance(MIN_INTERVAL);
    await settle();
    expect(drawn).toEqual([]);
    expect(store.getSnapshot().rows[0]!.statusText).not.toContain('exited');
    gate.answered();
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toContain('exited');
  });

  it('a terminal that never answers still gets the newest snapshot, REPLY_TIMEOUT_MS after the frame', async () => {
    const { clock, gate, control, drawn } = gated();
    gate.asked();
    control.setState('web.1', EXITED);
    clock.advance(MIN_INTERVAL);
    await settle();
    expect(drawn).toEqual([]);
    clock.advance(REPLY_TIMEOUT_MS - MIN_INTERVAL);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toContain('exited');
  });
});
