import { describe, expect, it } from 'vitest';
import { type LineContent, lineText } from '../../src/engine/line-batch.js';
import { LineSplitter } from '../../src/engine/line-splitter.js';
import { ProcessOutput } from '../../src/engine/process-output.js';
import { sanitizeLine } from '../../src/engine/sanitize.js';
import { SgrCarry } from '../../src/engine/sgr-carry.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** Today's text path alone (no byte path): every line decoded, sanitized and given its carried colours. */
function textPath(chunks: readonly Buffer[]): string[] {
  const colours = new SgrCarry();
  const out: string[] = [];
  const splitter = new LineSplitter({ clock: new FakeClock(), onLine: (text) => out.push(colours.carry(sanitizeLine(text))) });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

/** ProcessOutput's batches: every line's text, and how many came as bytes. */
function bytePath(chunks: readonly Buffer[]): { texts: string[]; plain: number; batches: number } {
  const texts: string[] = [];
  let plain = 0;
  let batches = 0;
  const output = new ProcessOutput(new FakeClock(), (_stream, lines: LineContent) => {
    batches++;
    for (let i = 0; i < lines.texts.length; i++) {
      if (lines.texts[i] === undefined) plain++;
      texts.push(lineText(lines, i));
    }
  });
  const onChunk = output.beginRun(false);
  for (const chunk of chunks) onChunk(chunk, 'stdout');
  output.endRun();
  return { texts, plain, batches };
}

/** The bytes cut at random places (a seeded generator: a failure can be replayed). */
function randomChunks(data: Buffer, seed: number, maxSize = 40): Buffer[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = 1 + (next() % maxSize);
    chunks.push(Buffer.from(data.subarray(at, at + size)));
    at += size;
  }
  return chunks;
}

const HOSTILE = Buffer.concat([
  Buffer.from('plain line\nüñí©ødé line\n'),
  Buffer.from('\x1b[31mred starts\nstill red, no escape\n\x1b[0mreset\nplain again\n'),
  Buffer.from('a\x1b[2J\x1b[Hb\x1b]0;evil title\x07c\x07\x1b[5;5Hd\n'),
  Buffer.from('tab\there\nprogress 10%\rprogress 100%\ncrlf line\r\n'),
  Buffer.from([0x63, 0x31, 0xc2, 0x85, 0x21, 0x0a]), // a C1 control (NEL) as UTF-8
  Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x0a]), // invalid UTF-8
  Buffer.from('del\x7fhere\nbell\x07\n'),
  Buffer.from(`${'x'.repeat(20_000)}\nafter long\n`),
  Buffer.from('trailing prompt> '),
]);

describe('ProcessOutput: the byte path for plain lines', () => {
  it('gives the same lines as the text path for hostile, coloured, CR and plain input', () => {
    const whole = bytePath([HOSTILE]);
    expect(whole.texts).toEqual(textPath([HOSTILE]));
    // plain line, ü line, plain again, crlf line (a terminal's ending), after long: bytes; the red lines
    // carry colour, so they are texts.
    expect(whole.plain).toBe(5);
    expect(whole.texts[3]).toBe('\x1b[31mstill red, no escape');
  });

  it.each([1, 2, 3, 42, 1234])('gives the same lines whatever the chunk borders (seed %i)', (seed) => {
    const chunks = randomChunks(HOSTILE, seed);
    expect(bytePath(chunks).texts).toEqual(textPath(chunks));
  });

  it('joins a UTF-8 character split between chunks, keeps order, one batch per chunk', () => {
    const text = Buffer.from('first\nsé\nthird\n');
    const split = text.indexOf(0xc3) + 1; // between the two bytes of é
    const result = bytePath([text.subarray(0, split), text.subarray(split)]);
    expect(result.texts).toEqual(['first', 'sé', 'third']);
    expect(result.batches).toBe(2);
  });

  it('keeps every line of a flood in order', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 90)}`);
    const chunks = randomChunks(Buffer.from(`${lines.join('\n')}\n`), 7, 4096);
    const result = bytePath(chunks);
    expect(result.texts).toEqual(lines);
    expect(result.plain).toBeGreaterThan(4000); // most lines lie whole in one chunk
  });
});
