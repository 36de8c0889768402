import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, BLOCK_LINES } from '../../src/engine/line-block.js';
import { LineRing } from '../../src/engine/line-ring.js';

const NAMES = ['web', 'db'];
const texts = (ring: LineRing) => ring.toArray().map((line) => line.text);

/** A ring holding `lines` as strings, seqs 1, 2, 3..., every other line from db. */
function ringOf(capacity: number, lines: string[], maxBytes = 1 << 30): LineRing {
  const ring = new LineRing(capacity, maxBytes, NAMES);
  for (const [i, text] of lines.entries()) ring.pushString(i + 1, 1000 + i, i % 2, i % 2, text);
  return ring;
}

describe('LineRing', () => {
  it('keeps the newest lines when it wraps, oldest first, as LogLines', () => {
    const ring = ringOf(3, ['1', '2', '3', '4', '5']);
    expect(ring.size).toBe(3);
    expect(texts(ring)).toEqual(['3', '4', '5']);
    expect(ring.at(0)).toEqual({ seq: 3, ts: 1002, proc: 'web', stream: 'stdout', text: '3' });
    expect(ring.at(1)).toEqual({ seq: 4, ts: 1003, proc: 'db', stream: 'stderr', text: '4' });
    expect(ring.seqAt(2)).toBe(5);
    expect(ring.procName(1)).toBe('db');
  });

  it.each([
    { index: 0, expected: '3' },
    { index: 2, expected: '5' },
    { index: 3, expected: undefined },
    { index: -1, expected: '5' },
    { index: -3, expected: '3' },
    { index: -4, expected: undefined },
  ])('at($index) after wrapping', ({ index, expected }) => {
    expect(ringOf(3, ['1', '2', '3', '4', '5']).at(index)?.text).toBe(expected);
  });

  it.each([
    { start: 1, end: 3, expected: ['4', '5'] },
    { start: 0, end: 2, expected: ['3', '4'] },
    { start: -2, end: undefined, expected: ['4', '5'] },
    { start: 2, end: 99, expected: ['5'] },
    { start: 3, end: 1, expected: [] },
  ])('slice($start, $end) after wrapping', ({ start, end, expected }) => {
    expect(
      ringOf(3, ['1', '2', '3', '4', '5'])
        .slice(start, end)
        .map((line) => line.text),
    ).toEqual(expected);
  });

  it('copies bytes from the chunk they arrive in, multi-byte characters included', () => {
    const ring = new LineRing(10, 1000, NAMES);
    const chunk = Buffer.from('héllo\n日本語\n');
    ring.push(1, 0, 0, 0, chunk, 0, 6);
    ring.push(2, 0, 0, 0, chunk, 7, 16);
    chunk.fill(0);
    expect(texts(ring)).toEqual(['héllo', '日本語']);
  });

  it('holds many blocks of lines and reads every one back, across evictions', () => {
    const capacity = BLOCK_LINES * 3 + 17;
    const lines = Array.from({ length: capacity * 2 + 5 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`);
    const ring = ringOf(capacity, lines);
    expect(ring.size).toBe(capacity);
    expect(texts(ring)).toEqual(lines.slice(-capacity));
    // Random access in any order finds the same lines.
    for (const i of [0, capacity - 1, 1, BLOCK_LINES, BLOCK_LINES - 1, 2 * BLOCK_LINES + 3]) {
      expect(ring.at(i)?.text).toBe(lines[lines.length - capacity + i]);
      expect(ring.seqAt(i)).toBe(lines.length - capacity + i + 1);
    }
  });

  it('gives a line longer than a block a block of its own', () => {
    const long = 'L'.repeat(BLOCK_BYTES * 2 + 3);
    const ring = ringOf(10, ['a', long, 'b']);
    expect(texts(ring)).toEqual(['a', long, 'b']);
  });

  it('evicts the oldest lines past the byte budget, keeping the newest even alone', () => {
    const ring = ringOf(100, ['aaaa', 'bbbb', 'cccc'], 10);
    expect(texts(ring)).toEqual(['bbbb', 'cccc']);
    ring.pushString(4, 0, 0, 0, 'much too long');
    expect(texts(ring)).toEqual(['much too long']);
    ring.pushString(5, 0, 0, 0, 'z');
    expect(texts(ring)).toEqual(['z']);
  });

  it('pushFrom copies another ring line as it is', () => {
    const from = ringOf(5, ['a', 'béta', 'c']);
    const to = new LineRing(5, 1000, NAMES);
    to.pushFrom(from, 1);
    expect(to.toArray()).toEqual([from.at(1)]);
  });

  it('clear empties it and it fills again', () => {
    const ring = ringOf(3, ['1', '2', '3', '4']);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.at(0)).toBeUndefined();
    ring.pushString(9, 0, 0, 0, 'd');
    expect(texts(ring)).toEqual(['d']);
    expect(ring.seqAt(0)).toBe(9);
  });

  it('stays bounded whatever is appended', () => {
    const ring = new LineRing(100, 1000, NAMES);
    for (let i = 0; i < 50_000; i++) ring.pushString(i, 0, 0, 0, 'x'.repeat(i % 50));
    expect(ring.size).toBeLessThanOrEqual(100);
    expect(ring.toArray().reduce((sum, line) => sum + line.text.length, 0)).toBeLessThanOrEqual(1000);
    expect(ring.seqAt(ring.size - 1)).toBe(49_999);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects capacity %s', (capacity) => {
    expect(() => new LineRing(capacity, 10, NAMES)).toThrow(RangeError);
  });
});
