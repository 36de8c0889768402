import { describe, expect, it } from 'vitest';
import { MouseParser } from '../../src/state/mouse-input.js';
import { ReplyParser } from '../../src/state/terminal-replies.js';

const STATUS_OK = '\x1b[0n';
const ATTRIBUTES = '\x1b[?1;2c';
const WHEEL_UP = '\x1b[<64;80;10M';

describe('ReplyParser', () => {
  it('takes both reply forms out and counts them, leaving the keys around them', () => {
    const parser = new ReplyParser();
    expect(parser.push(`j${STATUS_OK}k${ATTRIBUTES}\x1b[?62;22c`)).toEqual({ text: 'jk', replies: 3 });
    expect(parser.holding).toBe(false);
  });

  it('leaves keys and mouse reports alone: arrows, Alt+letter, a cursor-position-like Ctrl+F3, SGR mouse', () => {
    const parser = new ReplyParser();
    const keys = `\x1b[A\x1bx\x1b[1;5R${WHEEL_UP}\x1b[5~q`;
    expect(parser.push(keys)).toEqual({ text: keys, replies: 0 });
  });

  it('puts a reply split across reads back together, at every split point, mixed with keys and a mouse report', () => {
    for (const reply of [STATUS_OK, ATTRIBUTES]) {
      const whole = `a${reply}${WHEEL_UP}b`;
      for (let at = 1; at < whole.length; at++) {
        const parser = new ReplyParser();
        const first = parser.push(whole.slice(0, at));
        const second = parser.push(whole.slice(at));
        expect(first.text + second.text, `split at ${at}`).toBe(`a${WHEEL_UP}b`);
        expect(first.replies + second.replies, `split at ${at}`).toBe(1);
      }
    }
  });

  it('holds back what may start a reply, and gives it up as keys when nothing follows', () => {
    const parser = new ReplyParser();
    expect(parser.push('x\x1b[?1;')).toEqual({ text: 'x', replies: 0 });
    expect(parser.holding).toBe(true);
    expect(parser.flush()).toBe('\x1b[?1;');
    expect(parser.holding).toBe(false);
    expect(parser.push('\x1b')).toEqual({ text: '', replies: 0 });
    expect(parser.push('[0x')).toEqual({ text: '\x1b[0x', replies: 0 });
  });

  it('feeds a mouse parser after it: replies gone, reports found, keys kept', () => {
    const replies = new ReplyParser();
    const mouse = new MouseParser();
    const { text } = replies.push(`j${STATUS_OK}${WHEEL_UP}${ATTRIBUTES}k`);
    const { text: keys, reports } = mouse.push(text);
    expect(keys).toBe('jk');
    expect(reports.map((r) => r.kind)).toEqual(['wheel']);
  });
});
