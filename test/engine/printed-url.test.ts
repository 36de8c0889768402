import { describe, expect, it } from 'vitest';
import { findPrintedUrl } from '../../src/engine/printed-url.js';

describe('findPrintedUrl', () => {
  it.each([
    [['  ➜  Local:   http://localhost:5173/'], 'http://localhost:5173/'],
    [['Listening on https://0.0.0.0:8443.'], 'https://0.0.0.0:8443'],
    [['\x1b[32mready\x1b[0m at \x1b[1mhttp://127.0.0.1:3000\x1b[22m (press h)'], 'http://127.0.0.1:3000'],
    [['no url here', 'see "http://a.test/x?y=1", then'], 'http://a.test/x?y=1'],
    [['first http://one.test', 'then http://two.test'], 'http://one.test'],
    [['ftp://nope.test', 'httpd started'], undefined],
  ])('%j -> %s', (texts, url) => {
    expect(findPrintedUrl(texts)).toBe(url);
  });
});
