import { describe, expect, it } from 'vitest';
import { ByteRing } from '../../src/engine/byte-ring.js';

const text = (ring: ByteRing) => ring.bytes().toString();

describe('ByteRing', () => {
  it.each([
    [['abc'], 'abc'],
    [['abc', 'def'], 'cdef'.slice(-4)],
    [['ab', 'cd', 'ef'], 'cdef'],
    [['abcdefgh'], 'efgh'],
    [['a', 'bcdefghij', 'k'], 'hijk'],
    [[], ''],
  ])('keeps the last 4 bytes of %j', (chunks, expected) => {
    const ring = new ByteRing(4);
    for (const c of chunks) ring.push(Buffer.from(c));
    expect(text(ring)).toBe(expected);
  });

  it('copies: it never keeps the chunk (a view on a larger allocation) itself', () => {
    const ring = new ByteRing(8);
    const big = Buffer.alloc(64 * 1024, 'x');
    const chunk = big.subarray(0, 4);
    ring.push(chunk);
    big.fill('y');
    expect(text(ring)).toBe('xxxx');
  });

  it('clear empties it', () => {
    const ring = new ByteRing(4);
    ring.push(Buffer.from('abc'));
    ring.clear();
    expect(text(ring)).toBe('');
    ring.push(Buffer.from('z'));
    expect(text(ring)).toBe('z');
  });

  it('grows from a small buffer to its capacity, always keeping the last bytes in order', () => {
    const ring = new ByteRing(1000, 16);
    let all = '';
    for (let i = 0; i < 400; i++) {
      const chunk = `${i}:${'ab'.repeat(i % 7)};`;
      ring.push(Buffer.from(chunk));
      all += chunk;
      expect(text(ring)).toBe(all.slice(-1000));
    }
  });

  it('keeps a few bytes in a few KB, not the whole capacity', () => {
    // What 50 rings that each got one line add to the process's ArrayBuffer memory (filled, 50 × 256 KB).
    const before = process.memoryUsage().arrayBuffers;
    const rings = Array.from({ length: 50 }, () => new ByteRing(256 * 1024));
    for (const ring of rings) ring.push(Buffer.from('started\n'));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 64 * 1024);
    expect(rings.map(text)).toEqual(rings.map(() => 'started\n'));
  });
});
