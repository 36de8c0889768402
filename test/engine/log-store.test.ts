import { describe, expect, it } from 'vitest';
import { type LogLine, LogStore, RingBuffer } from '../../src/engine/log-store.js';

const texts = (ring: RingBuffer<LogLine>): string[] => ring.toArray().map((line) => line.text);

describe('RingBuffer', () => {
  it('keeps the newest items when it wraps, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    const evicted = [1, 2, 3, 4, 5].map((n) => ring.push(n));
    expect(evicted).toEqual([undefined, undefined, undefined, 1, 2]);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });

  it.each([
    { index: 0, expected: 3 },
    { index: 2, expected: 5 },
    { index: 3, expected: undefined },
    { index: -1, expected: 5 },
    { index: -3, expected: 3 },
    { index: -4, expected: undefined },
  ])('at($index) after wrapping', ({ index, expected }) => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    expect(ring.at(index)).toBe(expected);
  });

  it.each([
    { start: 1, end: 3, expected: [4, 5] },
    { start: 0, end: 2, expected: [3, 4] },
    { start: -2, end: undefined, expected: [4, 5] },
    { start: 2, end: 99, expected: [5] },
    { start: 3, end: 1, expected: [] },
  ])('slice($start, $end) after wrapping', ({ start, end, expected }) => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    expect(ring.slice(start, end)).toEqual(expected);
  });

  it('shift removes the oldest; clear empties', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.push('b');
    ring.push('c');
    expect(ring.shift()).toBe('b');
    expect(ring.toArray()).toEqual(['c']);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.shift()).toBeUndefined();
    ring.push('d');
    expect(ring.toArray()).toEqual(['d']);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects capacity %s', (capacity) => {
    expect(() => new RingBuffer(capacity)).toThrow(RangeError);
  });
});

describe('LogStore', () => {
  it('numbers lines with an increasing seq across processes and keeps the merged order', () => {
    const store = new LogStore();
    store.append('web', 'stdout', 'w1', 1000);
    store.append('worker', 'stderr', 'k1', 1001);
    const last = store.append('web', 'system', 'w2');
    expect(last.seq).toBe(3);
    expect(
      store
        .lines()
        .toArray()
        .map((line) => [line.seq, line.proc, line.text]),
    ).toEqual([
      [1, 'web', 'w1'],
      [2, 'worker', 'k1'],
      [3, 'web', 'w2'],
    ]);
    expect(texts(store.lines('web'))).toEqual(['w1', 'w2']);
    expect(store.lines('worker').at(0)).toMatchObject({ stream: 'stderr', ts: 1001 });
  });

  it('keeps seq monotonic through evictions and clears', () => {
    const store = new LogStore({ capacity: 2 });
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push(store.append(i % 2 ? 'a' : 'b', 'stdout', `${i}`).seq);
    store.clear('a');
    store.clear();
    seqs.push(store.append('a', 'stdout', 'x').seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('evicts the oldest lines past the line capacity, per ring', () => {
    const store = new LogStore({ capacity: 3 });
    for (let i = 1; i <= 5; i++) store.append('web', 'stdout', `w${i}`);
    store.append('db', 'stdout', 'd1');
    expect(texts(store.lines('web'))).toEqual(['w3', 'w4', 'w5']);
    expect(texts(store.lines('db'))).toEqual(['d1']);
    expect(texts(store.lines())).toEqual(['w4', 'w5', 'd1']);
  });

  it('evicts the oldest lines past the byte budget', () => {
    const store = new LogStore({ maxBytesPerRing: 10 });
    for (const text of ['aaaa', 'bbbb', 'cccc']) store.append('web', 'stdout', text);
    expect(texts(store.lines('web'))).toEqual(['bbbb', 'cccc']);
    store.append('web', 'stdout', '123456789');
    expect(texts(store.lines('web'))).toEqual(['123456789']);
  });

  it('keeps a single line larger than the budget rather than nothing', () => {
    const store = new LogStore({ maxBytesPerRing: 4 });
    store.append('web', 'stdout', 'small');
    store.append('web', 'stdout', 'much too long');
    expect(texts(store.lines('web'))).toEqual(['much too long']);
  });

  it('stays bounded whatever is appended', () => {
    const store = new LogStore({ capacity: 100, maxBytesPerRing: 1000 });
    for (let i = 0; i < 100_000; i++) store.append(`p${i % 3}`, 'stdout', 'x'.repeat(i % 50));
    for (const proc of [undefined, 'p0', 'p1', 'p2']) {
      const ring = store.lines(proc);
      expect(ring.size).toBeLessThanOrEqual(100);
      expect(ring.toArray().reduce((sum, line) => sum + line.text.length, 0)).toBeLessThanOrEqual(1000);
    }
  });

  it('clearing one process removes its lines from the merged view only', () => {
    const store = new LogStore();
    store.append('web', 'stdout', 'w1');
    store.append('db', 'stdout', 'd1');
    store.append('web', 'stdout', 'w2');
    store.append('db', 'stdout', 'd2');
    store.clear('web');
    expect(store.lines('web').size).toBe(0);
    expect(texts(store.lines('db'))).toEqual(['d1', 'd2']);
    expect(texts(store.lines())).toEqual(['d1', 'd2']);
    store.append('web', 'stdout', 'w3');
    expect(texts(store.lines())).toEqual(['d1', 'd2', 'w3']);
  });

  it('clear() with no process empties everything', () => {
    const store = new LogStore();
    store.append('web', 'stdout', 'w1');
    store.append('db', 'stdout', 'd1');
    store.clear();
    expect(store.lines().size).toBe(0);
    expect(store.lines('web').size).toBe(0);
    expect(store.lines('db').size).toBe(0);
  });

  it('byte budget still holds after a merged-view rebuild', () => {
    const store = new LogStore({ maxBytesPerRing: 8 });
    store.append('a', 'stdout', 'aaaa');
    store.clear('a');
    store.append('b', 'stdout', 'bbbb');
    store.append('b', 'stdout', 'cccc');
    expect(texts(store.lines())).toEqual(['bbbb', 'cccc']);
    store.append('b', 'stdout', 'dddd');
    expect(texts(store.lines())).toEqual(['cccc', 'dddd']);
  });

  it('returns an empty ring for a process that never printed', () => {
    const store = new LogStore();
    expect(store.lines('ghost').size).toBe(0);
  });
});
