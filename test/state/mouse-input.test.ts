import { describe, expect, it } from 'vitest';
import { MouseParser } from '../../src/state/mouse-input.js';

const WHEEL_UP = '\x1b[<64;80;10M';

describe('MouseParser', () => {
  it('takes a report out and leaves the keys around it', () => {
    const parser = new MouseParser();
    const { text, reports } = parser.push(`j${WHEEL_UP}k`);
    expect(text).toBe('jk');
    expect(reports).toEqual([{ kind: 'wheel', button: 0, x: 80, y: 10, shift: false, meta: false, ctrl: false, code: 64 }]);
  });

  it('reads several reports in one read: press, release, wheel down, modifiers', () => {
    const parser = new MouseParser();
    const { text, reports } = parser.push('\x1b[<0;3;4M\x1b[<0;3;4m\x1b[<65;1;2M\x1b[<20;7;8M');
    expect(text).toBe('');
    expect(reports.map((r) => [r.kind, r.button, r.x, r.y])).toEqual([
      ['press', 0, 3, 4],
      ['release', 0, 3, 4],
      ['wheel', 1, 1, 2],
      ['press', 0, 7, 8],
    ]);
    expect(reports[3]).toMatchObject({ shift: true, ctrl: true, meta: false });
  });

  it('puts a report split across reads back together, at every split point', () => {
    const whole = `a${WHEEL_UP}b`;
    for (let at = 1; at < whole.length; at++) {
      const parser = new MouseParser();
      const first = parser.push(whole.slice(0, at));
      const second = parser.push(whole.slice(at));
      expect(first.text + second.text, `split at ${at}`).toBe('ab');
      expect([...first.reports, ...second.reports], `split at ${at}`).toHaveLength(1);
      expect(parser.holding).toBe(false);
    }
  });

  it('leaves other escape sequences to Ink: arrows, Esc, a device status reply, a non-mouse CSI with <', () => {
    const parser = new MouseParser();
    const keys = '\x1b[A\x1b[5~\x1bx\x1b[0n\x1b[<1;2X\x1b[<;;M';
    expect(parser.push(keys)).toEqual({ text: keys, reports: [] });
  });

  it('holds a trailing Esc until more comes, and gives it up on flush (the Esc key)', () => {
    const parser = new MouseParser();
    expect(parser.push('q\x1b')).toEqual({ text: 'q', reports: [] });
    expect(parser.holding).toBe(true);
    expect(parser.flush()).toBe('\x1b');
    expect(parser.holding).toBe(false);
    // Held, then not a report after all: given back with what followed.
    parser.push('\x1b[<6');
    expect(parser.push('4x')).toEqual({ text: '\x1b[<64x', reports: [] });
  });
});
