import { describe, expect, it } from 'vitest';
import { sanitizeLine, stripAnsi } from '../../src/engine/sanitize.js';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

const cases: { name: string; input: string; expected: string }[] = [
  // SGR stays byte for byte
  { name: 'basic colour', input: `${ESC}[31mred${ESC}[0m`, expected: `${ESC}[31mred${ESC}[0m` },
  { name: 'reset without params', input: `${ESC}[1;4mX${ESC}[m`, expected: `${ESC}[1;4mX${ESC}[m` },
  { name: '256 colours', input: `${ESC}[38;5;208mX`, expected: `${ESC}[38;5;208mX` },
  { name: 'truecolour with colons', input: `${ESC}[38:2::255:0:0mX`, expected: `${ESC}[38:2::255:0:0mX` },
  // other CSI
  { name: 'clear screen and home', input: `${ESC}[2J${ESC}[Hhello`, expected: 'hello' },
  { name: 'cursor moves and erase line', input: `${ESC}[10;20Hx${ESC}[3Ay${ESC}[K${ESC}[2K`, expected: 'xy' },
  { name: 'hide cursor (private mode)', input: `${ESC}[?25lhidden${ESC}[?25h`, expected: 'hidden' },
  { name: 'alternate screen', input: `${ESC}[?1049hz`, expected: 'z' },
  { name: 'private m is not SGR', input: `${ESC}[>4;2mtext`, expected: 'text' },
  { name: 'intermediate byte is not SGR', input: `${ESC}[0 mtext`, expected: 'text' },
  { name: 'scroll region', input: `${ESC}[1;10rok`, expected: 'ok' },
  // OSC
  { name: 'window title, BEL', input: `${ESC}]0;evil title${BEL}after`, expected: 'after' },
  { name: 'window title, ST', input: `${ESC}]2;evil title${ST}after`, expected: 'after' },
  {
    name: 'OSC 8 hyperlink keeps its text',
    input: `see ${ESC}]8;;https://example.com${ST}the docs${ESC}]8;;${ST}.`,
    expected: 'see the docs.',
  },
  { name: 'OSC 8 with BEL and params', input: `${ESC}]8;id=1;https://x.y${BEL}link${ESC}]8;;${BEL}`, expected: 'link' },
  { name: 'clipboard write', input: `${ESC}]52;c;ZXZpbA==${BEL}ok`, expected: 'ok' },
  { name: 'unterminated OSC runs to the end', input: `before${ESC}]0;never ends`, expected: 'before' },
  { name: 'ESC inside OSC starts a new sequence', input: `${ESC}]0;t${ESC}[31mred`, expected: `${ESC}[31mred` },
  // DCS, SOS, PM, APC
  { name: 'DCS', input: `${ESC}P1$r0m${ST}ok`, expected: 'ok' },
  { name: 'APC (kitty graphics)', input: `${ESC}_Gf=100;AAAA${ST}ok`, expected: 'ok' },
  { name: 'PM', input: `${ESC}^private${ST}ok`, expected: 'ok' },
  { name: 'SOS', input: `${ESC}Xstring${ST}ok`, expected: 'ok' },
  { name: 'BEL does not end a DCS', input: `${ESC}Pa${BEL}b${ST}ok`, expected: 'ok' },
  // two-byte and charset ESC sequences
  { name: 'save and restore cursor', input: `${ESC}7saved${ESC}8`, expected: 'saved' },
  { name: 'full reset', input: `${ESC}cx`, expected: 'x' },
  { name: 'charset designation', input: `${ESC}(Bx${ESC})0y`, expected: 'xy' },
  { name: 'keypad modes', input: `${ESC}=x${ESC}>`, expected: 'x' },
  { name: 'reverse index', input: `${ESC}Mx`, expected: 'x' },
  { name: 'lone ESC at the end', input: `abc${ESC}`, expected: 'abc' },
  { name: 'unfinished CSI at the end', input: `abc${ESC}[31`, expected: 'abc' },
  { name: 'ESC before a non-ASCII character', input: `${ESC}éx`, expected: 'éx' },
  // C0 and DEL
  { name: 'bells', input: `${BEL}ding${BEL}`, expected: 'ding' },
  { name: 'backspace', input: 'ab\bc', expected: 'abc' },
  { name: 'NUL', input: 'a\0b', expected: 'ab' },
  { name: 'DEL', input: 'a\x7fb', expected: 'ab' },
  { name: 'CR, LF, VT, FF', input: 'a\rb\nc\vd\fe', expected: 'abcde' },
  { name: 'CAN and SUB', input: 'a\x18b\x1ac', expected: 'abc' },
  // C1 (as decoded code points)
  { name: 'NEL', input: 'a\u0085b', expected: 'ab' },
  { name: '8-bit CSI with params', input: '\u009b2Jclear\u009b31mred', expected: 'clearred' },
  { name: '8-bit OSC with 8-bit ST', input: '\u009d0;title\u009cafter', expected: 'after' },
  { name: '8-bit DCS', input: '\u0090data\u009cok', expected: 'ok' },
  { name: '8-bit APC ended by 7-bit ST', input: `\u009fdata${ST}ok`, expected: 'ok' },
  // tabs
  { name: 'tab at line start', input: '\tx', expected: `${' '.repeat(8)}x` },
  { name: 'tab mid column', input: 'ab\tc', expected: `ab${' '.repeat(6)}c` },
  { name: 'tab at a tab stop', input: '12345678\tx', expected: `12345678${' '.repeat(8)}x` },
  { name: 'two tabs', input: 'a\tb\tc', expected: `a${' '.repeat(7)}b${' '.repeat(7)}c` },
  { name: 'tab after SGR counts only text', input: `${ESC}[31mab${ESC}[0m\tc`, expected: `${ESC}[31mab${ESC}[0m${' '.repeat(6)}c` },
  { name: 'tab after a dropped sequence', input: `${ESC}[2Jab\tc`, expected: `ab${' '.repeat(6)}c` },
  { name: 'tab after an astral character', input: '𝄞\tx', expected: `𝄞${' '.repeat(7)}x` },
];

describe('sanitizeLine', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  it('returns clean text as is', () => {
    const clean = 'GET /api/users 200 12ms – héllo 日本 𝄞';
    expect(sanitizeLine(clean)).toBe(clean);
  });

  it('never lets through a control except ESC opening an SGR sequence (fuzz)', () => {
    const pieces = [
      'a',
      'é',
      '𝄞',
      '\t',
      ESC,
      '[',
      ']',
      'P',
      '_',
      '^',
      'X',
      '\\',
      '0',
      '1',
      ';',
      ':',
      '?',
      '>',
      ' ',
      'm',
      'H',
      'J',
      BEL,
      '\b',
      '\0',
      '\r',
      '\x7f',
      '\u009b',
      '\u009c',
      '\u009d',
      '\u0090',
      `${ESC}[31m`,
      `${ESC}]0;`,
      ST,
    ];
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let round = 0; round < 5000; round++) {
      let input = '';
      const length = Math.floor(random() * 20);
      for (let i = 0; i < length; i++) input += pieces[Math.floor(random() * pieces.length)];
      const output = sanitizeLine(input);
      const withoutSgr = output.replace(/\x1b\[[0-9:;]*m/g, '');
      expect(withoutSgr, JSON.stringify(input)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      expect(stripAnsi(output), JSON.stringify(input)).toBe(stripAnsi(input));
    }
  });
});

describe('stripAnsi', () => {
  it.each([
    { name: 'drops SGR too', input: `${ESC}[1;31mred${ESC}[0m text`, expected: 'red text' },
    { name: 'drops other sequences', input: `${ESC}[2J${ESC}]0;t${BEL}x${BEL}`, expected: 'x' },
    { name: 'expands tabs', input: `${ESC}[31mab${ESC}[0m\tc`, expected: `ab${' '.repeat(6)}c` },
    { name: 'keeps hyperlink text', input: `${ESC}]8;;https://a.b${ST}link${ESC}]8;;${ST}`, expected: 'link' },
  ])('$name', ({ input, expected }) => {
    expect(stripAnsi(input)).toBe(expected);
  });

  it('returns clean text as is', () => {
    const clean = 'plain text';
    expect(stripAnsi(clean)).toBe(clean);
  });
});
