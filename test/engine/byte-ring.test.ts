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
});
