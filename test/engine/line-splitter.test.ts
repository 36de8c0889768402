import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../src/engine/clock.js';
import { LineSplitter, TRUNCATION_MARKER } from '../../src/engine/line-splitter.js';

/** Timers that run only when the test advances time. */
class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; fn: () => void; handle: TimerHandle }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { unref: () => handle };
    this.timers.push({ at: this.time + ms, fn, handle });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.handle !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = until;
  }
}

function makeSplitter(options: { maxLineBytes?: number; idleFlushMs?: number } = {}) {
  const lines: string[] = [];
  const clock = new FakeClock();
  // Fake time has no I/O phase to wait for: the idle check runs at once (the real wait has its own test).
  const splitter = new LineSplitter({ onLine: (text) => lines.push(text), clock, afterIo: (check) => check(), ...options });
  return { lines, clock, splitter };
}

function splitChunks(chunks: Uint8Array[], maxLineBytes?: number): string[] {
  const { lines, splitter } = makeSplitter(maxLineBytes === undefined ? {} : { maxLineBytes });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The same bytes cut at every offset, and also fed one byte at a time. */
function everyChunking(data: Buffer): Buffer[][] {
  const cuts: Buffer[][] = [];
  for (let k = 0; k <= data.length; k++) cuts.push([data.subarray(0, k), data.subarray(k)]);
  cuts.push([...data].map((byte) => Buffer.from([byte])));
  return cuts;
}

const cases: { name: string; input: string; expected: string[]; maxLineBytes?: number }[] = [
  { name: 'plain lines', input: 'a\nbb\n', expected: ['a', 'bb'] },
  { name: 'empty lines are kept', input: '\n\nx\n', expected: ['', '', 'x'] },
  { name: 'partial last line flushed by end()', input: 'a\nrest', expected: ['a', 'rest'] },
  { name: 'CRLF', input: 'one\r\ntwo\r\n', expected: ['one', 'two'] },
  { name: 'CRLF on an empty line', input: '\r\n', expected: [''] },
  { name: 'several trailing CRs do not erase', input: 'abc\r\r\n', expected: ['abc'] },
  { name: 'progress bar keeps the last state', input: '10%\r20%\r30%\n', expected: ['30%'] },
  { name: 'CR at line start', input: '\rloading\n', expected: ['loading'] },
  { name: 'progress bar then CRLF', input: '10%\r20%\r\n', expected: ['20%'] },
  { name: 'overwrite at end of stream', input: 'old\rnew', expected: ['new'] },
  { name: 'trailing CR at end of stream', input: 'done\r', expected: ['done'] },
  {
    name: 'multibyte characters',
    input: 'héllo wörld\n€uro 𝄞 clef\n日本語テキスト\n',
    expected: ['héllo wörld', '€uro 𝄞 clef', '日本語テキスト'],
  },
  { name: 'multibyte with CR', input: 'ä\r€\r\n', expected: ['€'] },
  { name: 'truncated ASCII', input: 'abcdefghijklmnop\nxy\n', maxLineBytes: 10, expected: [`abcdefghij${TRUNCATION_MARKER}`, 'xy'] },
  { name: 'exactly at the cap', input: 'abcdefghij\n', maxLineBytes: 10, expected: ['abcdefghij'] },
  { name: 'truncation never splits a character', input: '€€€€\n', maxLineBytes: 10, expected: [`€€€${TRUNCATION_MARKER}`] },
  { name: 'truncation before a 4-byte character', input: 'abcdefg𝄞\n', maxLineBytes: 10, expected: [`abcdefg${TRUNCATION_MARKER}`] },
  { name: 'cap counts only text after a bare CR', input: '123456789\r12345\n', maxLineBytes: 10, expected: ['12345'] },
  { name: 'truncated partial line at end', input: 'abcdefghijklmnop', maxLineBytes: 10, expected: [`abcdefghij${TRUNCATION_MARKER}`] },
];

describe('LineSplitter', () => {
  it.each(cases)('$name, at every chunk border', ({ input, expected, maxLineBytes }) => {
    for (const chunks of everyChunking(bytes(input))) {
      expect(splitChunks(chunks, maxLineBytes)).toEqual(expected);
    }
  });

  it('after a cut line, a bare CR starts what overwrites it, whatever the chunk borders', () => {
    const enc = (t: string) => Buffer.from(t);
    // The cut part was already emitted when the CR arrives: the overwrite shows as the next line.
    expect(splitChunks([enc('aaaaaaa'), enc('\rbb\n')], 4)).toEqual([`aaaa${TRUNCATION_MARKER}`, 'bb']);
    expect(splitChunks([enc('aaaaaaa\r'), enc('bb\n')], 4)).toEqual([`aaaa${TRUNCATION_MARKER}`, 'bb']);
    expect(splitChunks([enc('aaaaaaa'), enc('aa\r\n')], 4)).toEqual([`aaaa${TRUNCATION_MARKER}`]);
    // Seen whole, the CR overwrites before anything is emitted.
    expect(splitChunks([enc('aaaaaaa\rbb\n')], 4)).toEqual(['bb']);
  });

  it('accepts a Uint8Array that is a view into a larger buffer', () => {
    const backing = new Uint8Array([0x78, 0x61, 0x0a, 0x62, 0x0a, 0x78]);
    expect(splitChunks([backing.subarray(1, 5)])).toEqual(['a', 'b']);
  });

  it.each([
    { name: 'stray continuation byte', input: [0x61, 0x80, 0x62, 0x0a], expected: ['a\uFFFDb'] },
    { name: 'invalid byte 0xff', input: [0xff, 0x61, 0x0a], expected: ['\uFFFDa'] },
    { name: 'lead byte cut by newline', input: [0x61, 0xe2, 0x82, 0x0a, 0x62, 0x0a], expected: ['a\uFFFD', 'b'] },
    { name: 'incomplete character at end of stream', input: [0x61, 0xf0, 0x9d], expected: ['a\uFFFD'] },
    { name: 'overlong encoding', input: [0xc0, 0xaf, 0x0a], expected: ['\uFFFD\uFFFD'] },
  ])('invalid UTF-8 becomes U+FFFD: $name', ({ input, expected }) => {
    for (const chunks of everyChunking(Buffer.from(input))) {
      expect(splitChunks(chunks)).toEqual(expected);
    }
  });

  it('binary garbage in random chunks matches a simple reference', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const decoder = new TextDecoder();
    for (let round = 0; round < 20; round++) {
      const data = Buffer.from(Array.from({ length: 4000 }, () => Math.floor(random() * 256)));
      const chunks: Buffer[] = [];
      for (let pos = 0; pos < data.length; ) {
        const size = 1 + Math.floor(random() * 300);
        chunks.push(data.subarray(pos, pos + size));
        pos += size;
      }
      const expected: string[] = [];
      const rawLines = data.toString('latin1').split('\n');
      rawLines.forEach((raw, index) => {
        if (index === rawLines.length - 1 && raw === '') return;
        const line = decoder.decode(Buffer.from(raw, 'latin1')).replace(/\r+$/, '');
        expected.push(line.slice(line.lastIndexOf('\r') + 1));
      });
      expect(splitChunks(chunks)).toEqual(expected);
    }
  });

  it('keeps memory flat on 100 MB without a newline, emitting one truncated line', () => {
    const { lines, splitter } = makeSplitter();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let maxBuffered = 0;
    for (let i = 0; i < 1600; i++) {
      splitter.push(chunk);
      maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
    }
    splitter.push(bytes('tail of the long line\nnext\n'));
    expect(maxBuffered).toBeLessThanOrEqual(16384);
    expect(lines).toEqual([`${'x'.repeat(16384)}${TRUNCATION_MARKER}`, 'next']);
  });

  describe('idle flush', () => {
    it('emits a prompt after idleFlushMs without data, and what follows as a new line', () => {
      const { lines, clock, splitter } = makeSplitter();
      splitter.push(bytes('Name? '));
      clock.advance(149);
      expect(lines).toEqual([]);
      clock.advance(1);
      expect(lines).toEqual(['Name? ']);
      splitter.push(bytes('Bob\n'));
      expect(lines).toEqual(['Name? ', 'Bob']);
    });

    it('waits for idleFlushMs after the last chunk', () => {
      const { lines, clock, splitter } = makeSplitter({ idleFlushMs: 100 });
      splitter.push(bytes('abc'));
      clock.advance(80);
      splitter.push(bytes('def'));
      clock.advance(80);
      expect(lines).toEqual([]);
      clock.advance(20);
      expect(lines).toEqual(['abcdef']);
    });

    it('a newline that only ends an idle-flushed line emits nothing', () => {
      const { lines, clock, splitter } = makeSplitter();
      splitter.push(bytes('Working...'));
      clock.advance(150);
      splitter.push(bytes('\r\nnext\n'));
      expect(lines).toEqual(['Working...', 'next']);
    });

    it('keeps an incomplete character until its other bytes arrive', () => {
      const { lines, clock, splitter } = makeSplitter();
      const euro = bytes('€');
      splitter.push(Buffer.concat([bytes('ab'), euro.subarray(0, 1)]));
      clock.advance(150);
      expect(lines).toEqual(['ab']);
      splitter.push(Buffer.concat([euro.subarray(1), bytes('\n')]));
      expect(lines).toEqual(['ab', '€']);
    });

    it('shows each state of a slow progress bar', () => {
      const { lines, clock, splitter } = makeSplitter();
      splitter.push(bytes('10%\r'));
      clock.advance(150);
      splitter.push(bytes('20%\r'));
      clock.advance(150);
      splitter.push(bytes('done\n'));
      expect(lines).toEqual(['10%', '20%', 'done']);
    });

    it('arms no timer for complete lines, and end() stops a pending one', () => {
      const { lines, clock, splitter } = makeSplitter();
      splitter.push(bytes('a\nb\n'));
      expect(clock.pending).toBe(0);
      splitter.push(bytes('partial'));
      expect(clock.pending).toBe(1);
      splitter.end();
      expect(clock.pending).toBe(0);
      clock.advance(1000);
      expect(lines).toEqual(['a', 'b', 'partial']);
    });
  });
});
