import { describe, expect, it } from 'vitest';
import { ScreenEmulator } from '../../src/engine/screen-emulator.js';
import { waitFor } from '../helpers/wait.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('ScreenEmulator', () => {
  it('renders cursor addressing, clears and colours as a terminal would', async () => {
    let changes = 0;
    const emu = new ScreenEmulator(20, 5, () => (changes += 1));
    emu.write(Buffer.from('junk\x1b[2J\x1b[H\x1b[3;5H\x1b[31mred\x1b[0m\x1b[1;1Htop\x1b[5;1H\x1b[1;44mbold on blue'));
    await waitFor(() => changes > 0, { what: 'the write to be parsed' });
    const lines = emu.lines();
    expect(lines.map(plain)).toEqual(['top', '', '    red', '', 'bold on blue ']);
    expect(lines[4]).toMatch(/\x1b\[0;7m \x1b\[0m$/); // the cursor, after the text
    expect(lines[2]).toContain('\x1b[0;31mred\x1b[0m');
    expect(lines[4]).toContain('\x1b[0;1;44mbold on blue');
    emu.dispose();
  });

  it('keeps only the screen (no scrollback) and follows a resize', async () => {
    let changes = 0;
    const emu = new ScreenEmulator(10, 2, () => (changes += 1));
    emu.write(Buffer.from('a\r\nb\r\nc\r\nd'));
    await waitFor(() => changes > 0, { what: 'parse' });
    expect(emu.lines().map(plain)).toEqual(['c', 'd ']);
    emu.resize(10, 3);
    expect(emu.lines()).toHaveLength(3);
    emu.dispose();
  });
});
