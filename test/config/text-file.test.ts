import { describe, expect, test } from 'vitest';
import { decodeText } from '../../src/config/text-file.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

describe('decodeText', () => {
  const texts: Array<[name: string, input: Buffer, text: string]> = [
    ['empty', bytes(''), ''],
    ['ASCII', bytes('web: serve\n'), 'web: serve\n'],
    ['multi-byte UTF-8', bytes('GREETING=héllo wörld €𝄞\n'), 'GREETING=héllo wörld €𝄞\n'],
    // The parsers skip the byte order mark themselves, so it is handed on.
    ['a byte order mark is kept', bytes([0xef, 0xbb, 0xbf], 'A=1\n'), '\uFEFFA=1\n'],
    ['a real U+FFFD is text', bytes('A=\uFFFD\n'), 'A=\uFFFD\n'],
    // Only the first 8 KB are looked at for NUL bytes, as git and grep do.
    ['a NUL byte after the first 8 KB', bytes('#'.repeat(8192), [0]), `${'#'.repeat(8192)}\0`],
  ];
  test.each(texts)('%s', (_name, input, text) => {
    expect(decodeText(input)).toEqual({ text });
  });

  const binaries: Array<[name: string, input: Buffer, problem: string]> = [
    ['an ELF header', bytes([0x7f], 'ELF', [2, 1, 1, 0]), 'not a text file: a NUL byte at offset 7'],
    ['a NUL byte first', bytes([0], 'web: x\n'), 'not a text file: a NUL byte at offset 0'],
    ['a NUL byte at the end of the first 8 KB', bytes('#'.repeat(8191), [0]), 'not a text file: a NUL byte at offset 8191'],
    ['Latin-1', bytes('A=caf', [0xe9], '\n'), 'not a text file: invalid UTF-8 at offset 5'],
    ['a lone continuation byte', bytes('é', [0x80]), 'not a text file: invalid UTF-8 at offset 2'],
    ['an overlong encoding', bytes('ab', [0xc0, 0x80]), 'not a text file: invalid UTF-8 at offset 2'],
    ['an encoded surrogate', bytes('x', [0xed, 0xa0, 0x80]), 'not a text file: invalid UTF-8 at offset 1'],
    ['a sequence cut at the end', bytes('€', [0xe2, 0x82]), 'not a text file: invalid UTF-8 at offset 3'],
    ['a real U+FFFD before a bad byte', bytes('\uFFFD\uFFFDx', [0xff]), 'not a text file: invalid UTF-8 at offset 7'],
    ['a bad byte after the first 8 KB', bytes('#'.repeat(9000), [0xff]), 'not a text file: invalid UTF-8 at offset 9000'],
    ['UTF-16 LE (PowerShell 5 `>`)', Buffer.from('\uFEFFweb: x\n', 'utf16le'), 'is UTF-16 text: save it as UTF-8'],
    ['UTF-16 BE', bytes([0xfe, 0xff, 0, 0x77]), 'is UTF-16 text: save it as UTF-8'],
  ];
  test.each(binaries)('%s', (_name, input, problem) => {
    expect(decodeText(input)).toEqual({ problem });
  });
});
