import { describe, expect, it } from 'vitest';
import { cutRow, wrapRows } from '../../src/state/clip.js';

const RED = '\x1b[31m';
const RESET = '\x1b[0m';

describe('wrapRows', () => {
  it('fills every row, splitting words, like a terminal', () => {
    expect(wrapRows('hello world', 4)).toEqual(['hell', 'o wo', 'rld']);
    expect(wrapRows('', 10)).toEqual(['']);
    expect(wrapRows('exact', 5)).toEqual(['exact']);
  });

  it('ends a colour at the row end and opens it again on the next row', () => {
    expect(wrapRows(`${RED}abcdef${RESET}gh`, 4)).toEqual([`${RED}abcd${RESET}`, `${RED}ef${RESET}gh${RESET}`]);
  });

  it('counts wide characters as two columns and combining marks as none', () => {
    expect(wrapRows('日本語テ', 4)).toEqual(['日本', '語テ']);
    expect(wrapRows('e\u0301e\u0301e\u0301', 2)).toEqual(['e\u0301e\u0301', 'e\u0301']);
  });

  it('stops at 200 rows however long the line', () => {
    expect(wrapRows('x'.repeat(16_000), 10)).toHaveLength(200);
  });
});

describe('cutRow', () => {
  it('cuts with a mark only when something is cut', () => {
    expect(cutRow('abcdef', 6)).toBe('abcdef');
    expect(cutRow('abcdefg', 6)).toBe('abcde…');
    expect(cutRow('日本語テキスト', 6)).toBe('日本…');
    expect(cutRow('日本語', 6)).toBe('日本語');
  });

  it('cuts a line of wide characters no longer than the width in code units but wider in columns', () => {
    expect(cutRow('日本語テキ', 6)).toBe('日本…');
    expect(cutRow(`${RED}日本語テキ${RESET}`, 6)).toBe(`${RED}日本${RESET}…`);
  });
});
