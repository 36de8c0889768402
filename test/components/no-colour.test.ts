import { describe, expect, it } from 'vitest';
import { noColourWanted, stripColours } from '../../src/components/no-colour.js';

describe('stripColours (NO_COLOR)', () => {
  it.each([
    ['\x1b[31mred\x1b[39m', 'red'],
    ['\x1b[1;32mbold green\x1b[22;39m', '\x1b[1mbold green\x1b[22m'],
    ['\x1b[7;33minverse yellow\x1b[27;39m', '\x1b[7minverse yellow\x1b[27m'],
    ['\x1b[38;5;196mx\x1b[48;2;1;2;3;4my', 'x\x1b[4my'],
    ['\x1b[38:2::1:2:3;1mx', '\x1b[1mx'],
    ['\x1b[94;100mbright\x1b[0m', 'bright\x1b[0m'],
    ['\x1b[mreset \x1b[2mdim', '\x1b[mreset \x1b[2mdim'],
    ['plain', 'plain'],
  ])('%j -> %j', (input, output) => {
    expect(stripColours(input)).toBe(output);
  });

  it('NO_COLOR counts when set to anything but empty', () => {
    expect(noColourWanted({ NO_COLOR: '1' })).toBe(true);
    expect(noColourWanted({ NO_COLOR: '' })).toBe(false);
    expect(noColourWanted({})).toBe(false);
  });
});
