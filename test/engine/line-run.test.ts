// Runs of lines copied at once (line-run.ts, LineRing.pushRun) must give exactly what copying them one
// by one gives: every terminator kind, runs that do not lie back to back, block borders, evictions.
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, BLOCK_LINES } from '../../src/engine/line-block.js';
import { LineRing } from '../../src/engine/line-ring.js';
import { copyPrefixedLines, linesThatFit, prefixedLength, terminatorLength } from '../../src/engine/line-run.js';

/** A chunk of `lines` each ended by `terminator`, and where each line's text starts and ends. */
function chunkOf(lines: string[], terminator: string | ((i: number) => string)) {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const [i, line] of lines.entries()) {
    const text = Buffer.from(line);
    const end = Buffer.from(typeof terminator === 'string' ? terminator : terminator(i));
    starts.push(at);
    ends.push(at + text.length);
    parts.push(text, end);
    at += text.length + end.length;
  }
  return { bytes: Buffer.concat(parts), starts, ends };
}

const LINES = ['web.1 listening', '', 'héllo wörld ✓', 'x'.repeat(300), 'last'];

describe('copyPrefixedLines', () => {
  it.each([
    ['\\n', '\n', 1],
    ['\\r\\n', '\r\n', 2],
  ])('copies lines ended by %s behind the prefix, each with its newline', (_name, terminator, gap) => {
    const { bytes, starts, ends } = chunkOf(LINES, terminator);
    expect(terminatorLength(bytes, starts, ends, 0, LINES.length)).toBe(gap);
    const prefix = Buffer.from('2026-12-02T10:00:00.000+00:00 [err] ');
    const target = Buffer.alloc(prefixedLength(prefix.length, starts, ends, 0, LINES.length) + 10, '#');
    const written = copyPrefixedLines(target, 3, prefix, bytes, starts, ends, 0, LINES.length);
    const expected = LINES.map((line) => `${prefix}${line}\n`).join('');
    expect(written).toBe(Buffer.byteLength(expected));
    expect(target.toString('utf8', 3, 3 + written)).toBe(expected);
    // Nothing written outside its space.
    expect(target.toString('latin1', 0, 3)).toBe('###');
    expect(target.toString('latin1', 3 + written)).toBe('#'.repeat(7));
  });

  it('copies a part of a run, and lines that are not back to back (mixed terminators, a gap), one by one', () => {
    const mixed = chunkOf(LINES, (i) => (i % 2 ? '\r\n' : '\n'));
    const spaced = chunkOf(LINES, '\n\n');
    for (const { bytes, starts, ends } of [mixed, spaced]) {
      expect(terminatorLength(bytes, starts, ends, 0, LINES.length)).toBeUndefined();
      const target = Buffer.alloc(1000);
      const written = copyPrefixedLines(target, 0, Buffer.from('> '), bytes, starts, ends, 1, 4);
      expect(target.toString('utf8', 0, written)).toBe(
        LINES.slice(1, 4)
          .map((line) => `> ${line}\n`)
          .join(''),
      );
    }
  });

  it('linesThatFit counts the lines whose prefixed copies fit', () => {
    const { starts, ends } = chunkOf(['aaaa', 'bb', 'c'], '\n');
    // "> aaaa\n" 7, "> bb\n" 5, "> c\n" 4
    expect(linesThatFit(2, starts, ends, 0, 3, 6)).toBe(0);
    expect(linesThatFit(2, starts, ends, 0, 3, 12)).toBe(2);
    expect(linesThatFit(2, starts, ends, 0, 3, 16)).toBe(3);
    expect(linesThatFit(2, starts, ends, 1, 3, 9)).toBe(2);
  });
});

describe('LineRing.pushRun', () => {
  const NAMES = ['web'];
  const read = (ring: LineRing) => ring.toArray();

  it('stores what pushing line by line stores, across block borders and evictions', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i} ${'y'.repeat((i * 37) % 200)}${i % 7 === 0 ? ' ✓' : ''}`);
    for (const terminator of ['\n', '\r\n']) {
      for (const [capacity, maxBytes] of [
        [100_000, 1 << 30],
        [3000, 1 << 30],
        [100_000, 200_000],
      ] as const) {
        const one = new LineRing(capacity, maxBytes, NAMES);
        const run = new LineRing(capacity, maxBytes, NAMES);
        let seq = 1;
        // Chunks of varied sizes, as a pipe gives them.
        for (let from = 0; from < lines.length; ) {
          const to = Math.min(lines.length, from + 1 + ((from * 13) % 900));
          const { bytes, starts, ends } = chunkOf(lines.slice(from, to), terminator);
          for (let i = 0; i < to - from; i++) one.push(seq + i, 5, 0, 0, bytes, starts[i]!, ends[i]!);
          run.pushRun(seq, 5, 0, 0, { bytes, starts, ends, from: 0, to: to - from, gap: terminator.length });
          seq += to - from;
          from = to;
        }
        expect(run.size).toBe(one.size);
        expect(read(run)).toEqual(read(one));
      }
    }
  });

  it('fills a block up to its line and byte limits, and gives a line longer than a block a block of its own', () => {
    const ring = new LineRing(100_000, 1 << 30, NAMES);
    const many = Array.from({ length: BLOCK_LINES + 10 }, (_, i) => `line ${i}`);
    const big = ['a', 'z'.repeat(BLOCK_BYTES + 5), 'b'];
    let seq = 1;
    for (const lines of [many, big]) {
      const { bytes, starts, ends } = chunkOf(lines, '\n');
      ring.pushRun(seq, 1, 0, 0, { bytes, starts, ends, from: 0, to: lines.length, gap: 1 });
      seq += lines.length;
    }
    expect(read(ring).map((line) => line.text)).toEqual([...many, ...big]);
    expect(read(ring).map((line) => line.seq)).toEqual(Array.from({ length: many.length + big.length }, (_, i) => i + 1));
  });
});
