import { describe, expect, it } from 'vitest';
import { logView, visibleWindow } from '../../src/control/log-view.js';
import type { LogScope, LogWindow } from '../../src/control/process-control.js';
import { heldOf, spliceWindow, type WindowAnswer, windowDelta } from '../../src/control/window-delta.js';
import { LogStore } from '../../src/engine/log-store.js';

const a: LogScope = { kind: 'process', name: 'a' };
const merged: LogScope = { kind: 'merged', only: null };

function print(logs: LogStore, proc: string, ...texts: string[]): void {
  for (const text of texts) logs.append(proc, 'stdout', text, 0);
}

const numbered = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${from + i}`);
const texts = (window: LogWindow) => window.lines.map((line) => line.text);

/** What the server answers a client holding `held`, and what the client builds from it. */
function pull(logs: LogStore, scope: LogScope, anchorSeq: number | null, height: number, held: LogWindow | undefined) {
  const view = logView(logs, scope);
  const whole = visibleWindow(view, anchorSeq, height);
  const have = held && heldOf(held);
  const answer: WindowAnswer = (have && windowDelta(view, whole, have)) ?? whole;
  return { whole, answer, window: spliceWindow(held, answer) };
}

describe('spliceWindow (the client side)', () => {
  const held: LogWindow = {
    lines: [1, 2, 3].map((seq) => ({ seq, ts: 0, proc: 'a', stream: 'stdout', text: `t${seq}` })),
    following: true,
    below: 0,
  };
  const line4 = { seq: 4, ts: 0, proc: 'a', stream: 'stdout' as const, text: 't4' };

  it('keeps the last `keep` lines held, then the new ones; following and below come from the answer', () => {
    expect(texts(spliceWindow(held, { lines: [line4], following: true, below: 0, keep: 2 }))).toEqual(['t2', 't3', 't4']);
    expect(texts(spliceWindow(held, { lines: [], following: false, below: 7, keep: 3 }))).toEqual(['t1', 't2', 't3']);
    expect(spliceWindow(held, { lines: [], following: false, below: 7, keep: 3 })).toMatchObject({ following: false, below: 7 });
    expect(texts(spliceWindow(held, { lines: [line4], following: true, below: 0, keep: 0 }))).toEqual(['t4']);
  });

  it('an answer without keep is the whole window, whatever was held', () => {
    expect(spliceWindow(held, { lines: [line4], following: true, below: 0 })).toEqual({ lines: [line4], following: true, below: 0 });
    expect(spliceWindow(undefined, { lines: [line4], following: true, below: 0 }).lines).toEqual([line4]);
  });

  it('throws on a keep that does not fit what is held, and never changes the held window', () => {
    expect(() => spliceWindow(held, { lines: [], following: true, below: 0, keep: 4 })).toThrow(/keeps 4 lines of the 3/);
    expect(() => spliceWindow(undefined, { lines: [], following: true, below: 0, keep: 1 })).toThrow(/of the 0 held/);
    expect(() => spliceWindow(held, { lines: [], following: true, below: 0, keep: -1 })).toThrow();
    expect(() => spliceWindow(held, { lines: [], following: true, below: 0, keep: 1.5 })).toThrow();
    spliceWindow(held, { lines: [line4], following: true, below: 0, keep: 1 });
    expect(texts(held)).toEqual(['t1', 't2', 't3']);
  });
});

describe('windowDelta (the server side)', () => {
  it('following a trickle: only the new lines, and the client builds the same window', () => {
    const logs = new LogStore();
    print(logs, 'a', ...numbered(1, 5));
    const first = pull(logs, a, null, 3, undefined);
    expect(texts(first.window)).toEqual(['line 3', 'line 4', 'line 5']);
    print(logs, 'a', 'line 6');
    const next = pull(logs, a, null, 3, first.window);
    expect(next.answer).toMatchObject({ keep: 2, following: true, below: 0 });
    expect(texts(next.answer)).toEqual(['line 6']);
    expect(next.window).toEqual(next.whole);
    const same = pull(logs, a, null, 3, next.window); // nothing new: nothing but the counts
    expect(same.answer).toMatchObject({ lines: [], keep: 3 });
    expect(same.window).toEqual(same.whole);
  });

  it('a window that is not full yet grows by the new lines', () => {
    const logs = new LogStore();
    print(logs, 'a', 'one');
    const first = pull(logs, a, null, 5, undefined);
    print(logs, 'a', 'two', 'three');
    const next = pull(logs, a, null, 5, first.window);
    expect(next.answer).toMatchObject({ keep: 1 });
    expect(texts(next.window)).toEqual(['one', 'two', 'three']);
    expect(next.window).toEqual(next.whole);
  });

  it('scrolled up while lines come: the same lines, only `below` changes', () => {
    const logs = new LogStore();
    print(logs, 'a', ...numbered(1, 10));
    const anchor = logs.lines('a').at(5)!.seq;
    const first = pull(logs, a, anchor, 3, undefined);
    print(logs, 'a', ...numbered(11, 4));
    const next = pull(logs, a, anchor, 3, first.window);
    expect(next.answer).toMatchObject({ lines: [], keep: 3, following: false, below: 8 });
    expect(next.window).toEqual(next.whole);
  });

  it('more than a pane of new lines: the window goes whole', () => {
    const logs = new LogStore();
    print(logs, 'a', ...numbered(1, 3));
    const first = pull(logs, a, null, 3, undefined);
    print(logs, 'a', ...numbered(4, 3));
    const next = pull(logs, a, null, 3, first.window);
    expect(next.answer.keep).toBeUndefined();
    expect(texts(next.window)).toEqual(['line 4', 'line 5', 'line 6']);
  });

  it('a client whose last line fell out of the ring gets the whole window', () => {
    const logs = new LogStore({ capacity: 10 });
    print(logs, 'a', ...numbered(1, 3));
    const first = pull(logs, a, null, 3, undefined);
    print(logs, 'a', ...numbered(4, 20));
    expect(logs.lines('a').at(0)!.seq).toBeGreaterThan(first.window.lines.at(-1)!.seq);
    const next = pull(logs, a, null, 3, first.window);
    expect(next.answer.keep).toBeUndefined();
    expect(next.window).toEqual(next.whole);
    expect(texts(next.window)).toEqual(['line 21', 'line 22', 'line 23']);
  });

  it('a client whose first line fell out of a small ring gets the whole window, never a wrong one', () => {
    const logs = new LogStore({ capacity: 4 });
    print(logs, 'a', ...numbered(1, 4));
    const first = pull(logs, a, null, 4, undefined);
    print(logs, 'a', 'line 5'); // line 1 leaves the ring
    const next = pull(logs, a, null, 4, first.window);
    expect(next.answer.keep).toBeUndefined();
    expect(texts(next.window)).toEqual(['line 2', 'line 3', 'line 4', 'line 5']);
  });

  it("a clear of another process's lines inside the merged window: whole, so the cleared lines go", () => {
    const logs = new LogStore();
    print(logs, 'a', 'a1');
    print(logs, 'b', 'b1');
    print(logs, 'a', 'a2');
    const first = pull(logs, merged, null, 3, undefined);
    expect(texts(first.window)).toEqual(['a1', 'b1', 'a2']);
    logs.clear('b');
    print(logs, 'a', 'a3');
    const next = pull(logs, merged, null, 3, first.window);
    expect(next.answer.keep).toBeUndefined();
    expect(texts(next.window)).toEqual(['a1', 'a2', 'a3']);
  });

  it('any run of prints, clears and pane sizes: the spliced window is always the whole one', () => {
    // A fixed pseudo-random sequence (no Math.random: a failure must replay).
    let state = 7;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return (state >>> 12) % n;
    };
    const logs = new LogStore({ capacity: 10 });
    const scopes: LogScope[] = [a, merged, { kind: 'merged', only: ['b'] }];
    const held = new Map<LogScope, LogWindow>();
    let deltas = 0;
    for (let step = 0; step < 2000; step++) {
      const action = random(10);
      if (action < 6) print(logs, random(2) === 0 ? 'a' : 'b', ...numbered(step, random(4)));
      else if (action === 6) logs.clear(random(4) === 0 ? undefined : 'b');
      const scope = scopes[random(scopes.length)]!;
      const view = logView(logs, scope);
      const anchor = random(4) === 0 && view.size > 0 ? view.at(random(view.size))!.seq : null;
      const result = pull(logs, scope, anchor, 1 + random(5), held.get(scope));
      if (result.answer.keep !== undefined) deltas++;
      expect(result.window).toEqual(result.whole);
      held.set(scope, result.window);
    }
    expect(deltas).toBeGreaterThan(100); // the delta path was taken, not only whole windows
  });
});
