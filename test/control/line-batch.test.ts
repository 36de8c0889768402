import { describe, expect, it } from 'vitest';
import { decodeLines, encodeLines, wireLines } from '../../src/control/line-batch.js';
import type { LogLineReport } from '../../src/control/target.js';

const line = (seq: number, ts: number, proc: string, stream: string, text: string): LogLineReport => ({ seq, ts, proc, stream, text });

describe('LineBatch: log lines by column (protocol 2)', () => {
  it('one process on one stream: differences for seq and ts, no proc or stream column', () => {
    const lines = [line(41, 1000, 'web.1', 'stdout', 'a'), line(42, 1000, 'web.1', 'stdout', 'b'), line(45, 1003, 'web.1', 'stdout', 'c')];
    const batch = encodeLines(lines);
    expect(batch).toEqual({ seq: [41, 1, 3], ts: [1000, 0, 3], procs: ['web.1'], streams: ['stdout'], text: ['a', 'b', 'c'] });
    expect(decodeLines(JSON.parse(JSON.stringify(batch)))).toEqual(lines);
  });

  it('several processes and streams, text of any kind, a clock that steps back: the same lines come back', () => {
    const lines = [
      line(7, 5000, 'web.1', 'stdout', 'plain'),
      line(8, 4990, 'api.1', 'stderr', 'é 😀 "quoted" \\ \x1b[31mred\x1b[0m'),
      line(9, 4990, 'web.1', 'system', ''),
      line(12, 6000, 'devrun', 'input', 'typed'),
      line(13, 6000, 'api.1', 'stdout', 'again'),
    ];
    const batch = encodeLines(lines);
    expect(batch.procs).toEqual(['web.1', 'api.1', 'devrun']);
    expect(batch.proc).toEqual([0, 1, 0, 2, 1]);
    expect(batch.streams).toEqual(['stdout', 'stderr', 'system', 'input']);
    expect(decodeLines(JSON.parse(JSON.stringify(batch)))).toEqual(lines);
  });

  it('costs the text and a few bytes per line, not sixty', () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      line(1000 + i, 1764576000000, 'a', 'stdout', `a ${String(i).padStart(8, '0')} ${'x'.repeat(60)}`),
    );
    const text = lines.reduce((n, l) => n + l.text.length, 0);
    expect(JSON.stringify(encodeLines(lines)).length).toBeLessThan(text + 10 * lines.length);
    expect(JSON.stringify(lines).length).toBeGreaterThan(text + 50 * lines.length);
  });

  it('an empty list', () => {
    expect(decodeLines(JSON.parse(JSON.stringify(encodeLines([]))))).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['not an object', [1, 2]],
    ['no text', { seq: [], ts: [], procs: [], streams: [] }],
    ['a column shorter than text', { seq: [1], ts: [0, 0], procs: ['a'], streams: ['stdout'], text: ['x', 'y'] }],
    ['seqs that do not rise', { seq: [5, 0], ts: [0, 0], procs: ['a'], streams: ['stdout'], text: ['x', 'y'] }],
    ['a fractional ts', { seq: [5], ts: [0.5], procs: ['a'], streams: ['stdout'], text: ['x'] }],
    ['a proc index out of its table', { seq: [1, 1], ts: [0, 0], procs: ['a', 'b'], proc: [0, 2], streams: ['stdout'], text: ['x', 'y'] }],
    ['two procs and no proc column', { seq: [1, 1], ts: [0, 0], procs: ['a', 'b'], streams: ['stdout'], text: ['x', 'y'] }],
    ['no proc at all for a line', { seq: [1], ts: [0], procs: [], streams: ['stdout'], text: ['x'] }],
    ['a text that is not a string', { seq: [1], ts: [0], procs: ['a'], streams: ['stdout'], text: [3] }],
  ])('refuses %s', (_, value) => {
    expect(decodeLines(value)).toBeUndefined();
  });

  it('wireLines: protocol 1 gets plain copies with only the protocol fields, 2 a batch', () => {
    const ring = [{ ...line(1, 0, 'a', 'stdout', 'x'), extra: true }];
    expect(wireLines(ring, 1)).toEqual([line(1, 0, 'a', 'stdout', 'x')]);
    expect(wireLines(ring, 2)).toEqual(encodeLines([line(1, 0, 'a', 'stdout', 'x')]));
  });
});
