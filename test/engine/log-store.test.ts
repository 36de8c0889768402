import { describe, expect, it } from 'vitest';
import { type LogLines, LogStore } from '../../src/engine/log-store.js';

const texts = (ring: LogLines): string[] => ring.toArray().map((line) => line.text);

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

  it('keeps plain lines given as bytes of a chunk, and copies them out of it', () => {
    const store = new LogStore();
    const chunk = Buffer.from('one\ntwo\n');
    store.appendBatch('web', 'stdout', { bytes: chunk, starts: [0, 4], ends: [3, 7], texts: [undefined, 'zwei'] }, 5);
    chunk.fill('x');
    expect(store.lines('web').toArray()).toEqual([
      { seq: 1, ts: 5, proc: 'web', stream: 'stdout', text: 'one' },
      { seq: 2, ts: 5, proc: 'web', stream: 'stdout', text: 'zwei' },
    ]);
    expect(texts(store.lines())).toEqual(['one', 'zwei']);
  });

  it('counts the byte budget in UTF-8 bytes', () => {
    const store = new LogStore({ maxBytesPerRing: 8 });
    store.append('web', 'stdout', 'ab');
    store.append('web', 'stdout', 'ééé'); // 6 bytes
    expect(texts(store.lines('web'))).toEqual(['ab', 'ééé']);
    store.append('web', 'stdout', 'c');
    expect(texts(store.lines('web'))).toEqual(['ééé', 'c']);
  });

  it('returns an empty ring for a process that never printed', () => {
    const store = new LogStore();
    expect(store.lines('ghost').size).toBe(0);
  });
});
