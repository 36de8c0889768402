import { describe, expect, it } from 'vitest';
import { LineBatch } from '../../../src/engine/line-batch.js';
import { LogFileFormatter, parseLogFileLine, runHeader } from '../../../src/engine/log-files/line-format.js';

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d /;

describe('log file lines', () => {
  const ts = Date.parse('2026-12-01T09:30:05.007Z');
  const plain = new LogFileFormatter({ colors: false });

  it('start with the local time, milliseconds and UTC offset, which reads back as the same instant', () => {
    const line = plain.format({ ts, stream: 'stdout', text: 'hello' });
    expect(line).toMatch(STAMP);
    expect(line.endsWith(' hello\n')).toBe(true);
    expect(line.slice(20, 23)).toBe('007');
    expect(parseLogFileLine(line.slice(0, -1))).toEqual({ ts, text: 'hello' });
    // The next millisecond and the next second, through the per-second cache.
    expect(parseLogFileLine(plain.format({ ts: ts + 1, stream: 'stdout', text: 'a' }).slice(0, -1))?.ts).toBe(ts + 1);
    expect(parseLogFileLine(plain.format({ ts: ts + 1000, stream: 'stdout', text: 'a' }).slice(0, -1))?.ts).toBe(ts + 1000);
  });

  it('keep the offset of the zone devrun runs in', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kolkata';
      const line = new LogFileFormatter({ colors: false }).format({ ts, stream: 'stdout', text: 'x' });
      expect(line.startsWith('2026-12-01T15:00:05.007+05:30 x')).toBe(true);
      process.env.TZ = 'America/New_York';
      expect(new LogFileFormatter({ colors: false }).format({ ts, stream: 'stdout', text: 'x' })).toBe('2026-12-01T04:30:05.007-05:00 x\n');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it.each([
    ['stdout', 'text', ' text'],
    ['stderr', 'oops', ' [err] oops'],
    ['system', 'crashed (exit 1), restarting in 1s', ' [devrun] crashed (exit 1), restarting in 1s'],
    ['input', 'yes', ' [in] yes'],
  ] as const)('tag %s lines', (stream, text, expected) => {
    expect(plain.format({ ts, stream, text }).slice(29)).toBe(`${expected}\n`);
  });

  it('strip colour codes, unless asked to keep them', () => {
    const text = '\x1b[31mred\x1b[0m and plain';
    expect(plain.format({ ts, stream: 'stdout', text }).slice(30)).toBe('red and plain\n');
    expect(new LogFileFormatter({ colors: true }).format({ ts, stream: 'stdout', text }).slice(30)).toBe(`${text}\n`);
  });

  it('a batch reads as its lines one by one: plain lines copied as bytes, the others formatted as text', () => {
    const chunk = Buffer.from('one\nthree é\n');
    const content = { bytes: chunk, starts: [0, 0, 4], ends: [3, 0, chunk.length - 1], texts: [undefined, '\x1b[1mtwo\x1b[0m', undefined] };
    const batch = new LineBatch('web.1', 'stderr', ts, 1, content);
    const out = { pieces: [] as Buffer[] };
    const sink = {
      append: (text: string) => out.pieces.push(Buffer.from(text)),
      appendLines: (prefix: Buffer, bytes: Buffer, starts: readonly number[], ends: readonly number[], from: number, to: number) => {
        for (let i = from; i < to; i++) out.pieces.push(Buffer.concat([prefix, bytes.subarray(starts[i], ends[i]), Buffer.from('\n')]));
      },
    };
    plain.formatBatch(batch, sink);
    const expected = ['one', 'two', 'three é'].map((text) => plain.format({ ts, stream: 'stderr', text })).join('');
    expect(Buffer.concat(out.pieces).toString()).toBe(expected);
  });

  it("keep devrun's own and typed lines on one line", () => {
    expect(plain.format({ ts, stream: 'input', text: 'a\nb\r\nc' }).slice(30)).toBe('[in] a b c\n');
  });

  it('headers name the version, the run and its start, and are not read as lines', () => {
    const header = runHeader('1.2.3', 'run-id', '2026-12-01T09:30:05.007+00:00');
    expect(header).toBe('=== devrun 1.2.3 · run run-id · started 2026-12-01T09:30:05.007+00:00 ===\n');
    expect(parseLogFileLine(header.trimEnd())).toBeUndefined();
    expect(parseLogFileLine('2026-12-01T09:30:05.007+00:00')).toBeUndefined();
    expect(parseLogFileLine('not a line')).toBeUndefined();
  });
});
