import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { InputFilter } from '../../src/components/input-filter.js';
import type { MouseReport } from '../../src/state/mouse-input.js';
import { waitFor } from '../helpers/wait.js';

let filter: InputFilter | undefined;
afterEach(() => filter?.detach());

/** The filter over a stream standing for the terminal, read as Ink reads it ('readable' + read()). */
function setup() {
  const terminal = new PassThrough();
  filter = new InputFilter(terminal as unknown as NodeJS.ReadStream);
  const keys: string[] = [];
  const reports: MouseReport[] = [];
  const replies: number[] = [];
  filter.on('readable', () => {
    for (let chunk = filter!.read() as string | null; chunk !== null; chunk = filter!.read() as string | null) keys.push(chunk);
  });
  filter.onMouse((r) => reports.push(r));
  filter.onReply(() => replies.push(keys.join('').length));
  return { terminal, keys, reports, replies };
}

describe('InputFilter', () => {
  it('hands keys to the reader unchanged and mouse reports to its listener, also split across reads', async () => {
    const { terminal, keys, reports } = setup();
    terminal.write('j\x1b[<64;10;');
    terminal.write('5Mk\x1b[A');
    await waitFor(() => keys.join('') === 'jk\x1b[A', { what: 'the keys' });
    expect(reports.map((r) => [r.kind, r.x, r.y])).toEqual([['wheel', 10, 5]]);
  });

  it('an Esc alone (the start of a report, perhaps) reaches the reader once nothing follows', async () => {
    const { terminal, keys, reports } = setup();
    terminal.write('\x1b');
    await waitFor(() => keys.join('') === '\x1b', { what: 'the Esc key' });
    expect(reports).toEqual([]);
  });

  it("takes the terminal's replies out, also split across reads and next to mouse reports: they never reach the reader", async () => {
    const { terminal, keys, reports, replies } = setup();
    terminal.write('j\x1b[');
    terminal.write('0n\x1b[<64;10;5M\x1b[?1;2');
    terminal.write('ck');
    await waitFor(() => keys.join('') === 'jk', { what: 'the keys' });
    expect(replies).toHaveLength(2);
    expect(reports.map((r) => r.kind)).toEqual(['wheel']);
  });

  it('the held start of a reply that turns out to be keys (Alt+[) reaches the reader', async () => {
    const { terminal, keys, replies } = setup();
    terminal.write('\x1b[');
    await waitFor(() => keys.join('') === '\x1b[', { what: 'Alt+[' });
    expect(replies).toEqual([]);
  });
});
