import { describe, expect, it } from 'vitest';
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

  it('a batch reads as its lines one by one: times and tags formatted once per run of equal ones', () => {
    const lines = [
      { ts, stream: 'stdout' as const, text: 'one' },
      { ts, stream: 'stdout' as const, text: '\x1b[1mtwo\x1b[0m' },
      { ts, stream: 'stderr' as const, text: 'three' },
      { ts: ts + 5, stream: 'stderr' as const, text: 'four' },
      { ts: ts + 5, stream: 'system' as const, text: 'five' },
    ];
    const pieces: string[] = [];
    plain.formatBatch(lines, (piece) => pieces.push(piece));
    expect(pieces.join('')).toBe(lines.map((line) => plain.format(line)).join(''));
    expect(pieces).toHaveLength(4 * 3);
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
