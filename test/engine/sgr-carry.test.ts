import { describe, expect, test } from 'vitest';
import { SgrCarry } from '../../src/engine/sgr-carry.js';

const RED = '\x1b[31m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

describe('SgrCarry', () => {
  test('a colour left on carries to the next lines until a reset', () => {
    const c = new SgrCarry();
    expect(c.carry(`${RED}Error: boom`)).toBe(`${RED}Error: boom`);
    expect(c.carry('    at main (app.js:1)')).toBe(`${RED}    at main (app.js:1)`);
    expect(c.carry(`    at run (app.js:2)${RESET} done`)).toBe(`${RED}    at run (app.js:2)${RESET} done`);
    expect(c.carry('plain again')).toBe('plain again');
  });

  test('attributes add up; ESC[m, ESC[0m and ESC[00m reset; ESC[0;32m resets and sets', () => {
    const c = new SgrCarry();
    c.carry(`${RED}a${BOLD}b`);
    expect(c.carry('x')).toBe(`${RED}${BOLD}x`);
    c.carry('\x1b[m');
    expect(c.carry('x')).toBe('x');
    c.carry(`${RED}\x1b[00m`);
    expect(c.carry('x')).toBe('x');
    c.carry(`${RED}\x1b[0;32mgreen`);
    expect(c.carry('x')).toBe('\x1b[0;32mx');
  });

  test('a program that never resets does not make lines grow without bound', () => {
    const c = new SgrCarry();
    for (let i = 0; i < 1000; i++) c.carry(`\x1b[3${i % 8}mline`);
    expect(c.carry('x').length).toBeLessThan(8 * 6 + 2);
  });
});
