// The bundle replaces Ink's Output with ink-row-output.ts and Ink's text caches with
// ink-text-caches.ts (scripts/build.mjs): both must give exactly what Ink's own modules give, frame
// after frame (the replacements cache across frames; Ink starts afresh each time).

import inkSliceAnsi from 'slice-ansi';
import { describe, expect, it } from 'vitest';
import inkWidestLine from 'widest-line';
import inkMeasureText from '../../node_modules/ink/build/measure-text.js';
import InkOutput from '../../node_modules/ink/build/output.js';
import inkSanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';
import inkWrapText from '../../node_modules/ink/build/wrap-text.js';
import RowOutput from '../../src/components/ink-row-output.js';
import { measureText, sanitizeAnsi, sliceAnsi, widestLine, wrapText } from '../../src/components/ink-text-caches.js';
import { TwoGenerationCache } from '../../src/components/two-generation-cache.js';

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'tick',
  ' ',
  'web.1',
  '│',
  '●',
  '日本',
  '👍',
  'é',
  '\x1b[31m',
  '\x1b[39m',
  '\x1b[1m',
  '\x1b[22m',
  '\x1b[7m',
  '\x1b[27m',
  '\x1b[38;5;208m',
  'x',
];

type Op =
  | { type: 'write'; x: number; y: number; text: string; upper: boolean }
  | { type: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { type: 'unclip' };

function randomOps(next: () => number, width: number, height: number): Op[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const text = () => Array.from({ length: int(1, 3) }, () => Array.from({ length: int(1, 8) }, () => pick(PIECES)).join('')).join('\n');
  const ops: Op[] = [];
  let depth = 0;
  for (let i = 0; i < int(3, 25); i++) {
    const r = next();
    if (r < 0.15) {
      const clip = next() < 0.5 ? { x1: int(-2, width), x2: int(0, width + 2) } : {};
      if (next() < 0.7) Object.assign(clip, { y1: int(-2, height), y2: int(0, height + 2) });
      ops.push({ type: 'clip', clip });
      depth++;
    } else if (r < 0.22 && depth > 0) {
      ops.push({ type: 'unclip' });
      depth--;
    } else ops.push({ type: 'write', x: int(-3, width + 2), y: int(-2, height + 1), text: text(), upper: next() < 0.2 });
  }
  return ops;
}

function frame(Output: typeof InkOutput | typeof RowOutput, width: number, height: number, ops: Op[]) {
  const output = new Output({ width, height });
  for (const op of ops) {
    if (op.type === 'write') {
      const transformers = op.upper ? [(line: string, index: number) => `${index}${line.toUpperCase()}`] : [];
      output.write(op.x, op.y, op.text, { transformers });
    }
    // Ink's Clip type wants all four keys; an absent one means "not clipped on that axis".
    if (op.type === 'clip') output.clip(op.clip as Parameters<InkOutput['clip']>[0]);
    if (op.type === 'unclip') output.unclip();
  }
  return output.get();
}

describe("ink-row-output: Ink's Output, rows cached across frames", () => {
  it('gives what Ink gives for random writes, clips, styles, wide characters and transformers', () => {
    const next = random(12);
    for (let i = 0; i < 400; i++) {
      const [width, height] = [1 + Math.floor(next() * 30), 1 + Math.floor(next() * 8)];
      const ops = randomOps(next, width, height);
      expect(frame(RowOutput, width, height, ops), JSON.stringify({ width, height, ops })).toEqual(frame(InkOutput, width, height, ops));
    }
  });

  it('stays right frame after frame as one row changes, the width changes, or the same frame repeats', () => {
    const next = random(7);
    let ops = randomOps(next, 20, 6);
    for (let i = 0; i < 300; i++) {
      const width = i % 50 < 25 ? 20 : 21;
      if (next() < 0.6) {
        const at = Math.floor(next() * ops.length);
        ops = [...ops.slice(0, at), ...randomOps(next, width, 6).slice(0, 1), ...ops.slice(at + 1)];
      }
      expect(frame(RowOutput, width, 6, ops)).toEqual(frame(InkOutput, width, 6, ops));
    }
  });

  it('redraws a row whose text changed even when its length did not, and one in a grid of another width', () => {
    const write = (text: string) => [{ type: 'write' as const, x: 0, y: 0, text, upper: false }];
    expect(frame(RowOutput, 10, 1, write('abc')).output).toBe('abc');
    expect(frame(RowOutput, 10, 1, write('abd')).output).toBe('abd');
    expect(frame(RowOutput, 10, 1, write('\x1b[31mabd\x1b[39m')).output).toBe(frame(InkOutput, 10, 1, write('\x1b[31mabd\x1b[39m')).output);
    // Past the grid's width Ink leaves holes that close up: the same write reads differently in a wider grid.
    const beyond = [{ type: 'write' as const, x: 5, y: 0, text: 'a', upper: false }];
    expect(frame(RowOutput, 3, 1, beyond).output).toBe('   a');
    expect(frame(RowOutput, 6, 1, beyond).output).toBe('     a');
  });
});

describe("ink-text-caches: Ink's measuring, with caches that forget", () => {
  it('measures and wraps as Ink does', () => {
    for (const text of ['', 'tick', 'a\nlonger line', '日本語\n👍', '\x1b[31mred\x1b[39m and more words here']) {
      expect(widestLine(text)).toBe(inkWidestLine(text));
      expect(measureText(text)).toEqual(inkMeasureText(text));
      for (const wrap of ['wrap', 'truncate', 'truncate-middle', 'truncate-start', 'end'] as const)
        for (const width of [1, 3, 8]) expect(wrapText(text, width, wrap)).toBe(inkWrapText(text, width, wrap));
      for (const [from, to] of [
        [0, 3],
        [2, 9],
        [5, 5],
      ] as const)
        expect(sliceAnsi(text, from, to)).toBe(inkSliceAnsi(text, from, to));
    }
  });

  it('sanitizes as Ink does, twice in a row', () => {
    for (const text of ['plain', '\x1b[31mred\x1b[39m', 'a\x1b[2Jb\x1b[Hc', '\x1b]8;;http://x\x07link\x1b]8;;\x07', 'x\x1b[?25ly'])
      for (let i = 0; i < 2; i++) expect(sanitizeAnsi(text)).toBe(inkSanitizeAnsi(text));
  });

  it('keeps at most two generations: a text not used for a while is made again', () => {
    const cache = new TwoGenerationCache<number>(3);
    let made = 0;
    const get = (key: string) => cache.get(key, () => ++made);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) get(key);
    expect(cache.size).toBeLessThanOrEqual(6);
    expect(made).toBe(7);
    get('g'); // still cached
    expect(made).toBe(7);
    get('a'); // long gone
    expect(made).toBe(8);
    // A key in use moves to the current generation and survives the next rotation.
    cache.rotate();
    get('g');
    cache.rotate();
    get('g');
    expect(made).toBe(8);
  });
});
