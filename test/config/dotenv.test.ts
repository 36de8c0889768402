import { readdirSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { describe, expect, test } from 'vitest';
import { parseDotenv } from '../../src/config/dotenv.js';

// npm dotenv is a devDependency only: it is the oracle for the values, never a runtime import.

const casesDir = new URL('../fixtures/parser-cases/env/', import.meta.url);
const caseIds = readdirSync(casesDir)
  .filter((name) => name.endsWith('.env'))
  .map((name) => name.replace(/\.env$/, ''))
  .sort();
const readCase = (id: string): string => readFileSync(new URL(`${id}.env`, casesDir), 'utf8');

const NOT_AN_ENTRY = 'not a KEY=value line, so it is ignored: write KEY=value or start it with #';
const HASH_CUT = 'value is cut at "#", which starts a comment: quote the value to keep the "#"';

/** The cases that get diagnostics, as [line, message]; every other case gets none. */
const expectedDiagnostics: Record<string, Array<[number, string]>> = {
  '06-hash-no-space': [[1, HASH_CUT]],
  '26-unterminated': [[1, 'unterminated quoted value: add the closing "']],
  '30-export-no-value': [[2, NOT_AN_ENTRY]],
  '35-url-with-hash': [[1, HASH_CUT]],
};

/** Strings beyond the case files where dotenv's pattern does surprising things. */
const trickyInputs = [
  '',
  '\uFEFF',
  'KEY=\n"quoted on the next line"\n',
  'KEY:\nvalue\n',
  'export\nKEY=1\n',
  "A='multi\nline'\nB=`x\ny`\n",
  'A="x" # c\nB="y"#c\nC=#fff\n',
  'A="a"b\nB=\'a\' \'b\'\nC="unterminated\nD="spans\nE=1"\n',
  'A="\\r\\n\\t"\nB=\'\\n\'\n',
  'junk\u2028KEY=1\nK2="a"\u2028K3=2\n',
  "KEY='a' 'b'\u2028z\n",
  'A=1\rB=2\r\rC=3',
  '  export   SPACED  =  "  padded  "  \n',
  'KEY=  \t\n',
  '#!/bin/sh\n# KEY=commented\nREAL=1\n',
  'A=1\n\n\n   \nB=2',
  'KEY=\u00a0nbsp\u00a0\n',
  'KEY="a\\"b\\\\"c"\n',
  'my key=1\nKEY:value\n=nokey\n',
];

/** Deterministic pseudo-random inputs built from the fragments dotenv's pattern cares about. */
function fuzzInputs(count: number): string[] {
  const fragments = [
    'A=',
    'b.c=',
    'export D=',
    'E: ',
    'F =',
    '\n',
    '\n',
    '\r\n',
    '\r',
    ' ',
    '\t',
    '#',
    ' #',
    '"',
    "'",
    '`',
    '\\',
    '\\n',
    'x',
    'y z',
    '=',
    ':',
    'export ',
    '\u2028',
    '\uFEFF',
  ];
  // mulberry32: small, seeded, good enough to spread choices.
  let seed = 0x2545f491;
  const random = (below: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % below;
  };
  return Array.from({ length: count }, () => Array.from({ length: random(30) }, () => fragments[random(fragments.length)]).join(''));
}

describe('parseDotenv values match dotenv.parse', () => {
  test.each(caseIds)('%s', (id) => {
    const text = readCase(id);
    expect(parseDotenv(text, '.env').vars).toEqual(dotenv.parse(text));
  });

  test.each(trickyInputs)('%j', (text) => {
    expect(parseDotenv(text, '.env').vars).toEqual(dotenv.parse(text));
  });

  test('on 3000 generated inputs', () => {
    for (const text of fuzzInputs(3000)) {
      const { vars, diagnostics } = parseDotenv(text, '.env');
      expect(vars, JSON.stringify(text)).toEqual(dotenv.parse(text));
      const lineCount = text.split(/\r\n|\n|\r/).length;
      const outside = diagnostics.filter((d) => d.line < 1 || d.line > lineCount);
      expect(outside, JSON.stringify(text)).toEqual([]);
    }
  });
});

describe('parseDotenv diagnostics', () => {
  test('the expectations name existing cases', () => {
    expect(caseIds).toEqual(expect.arrayContaining(Object.keys(expectedDiagnostics)));
  });

  test.each(caseIds)('%s', (id) => {
    const { diagnostics } = parseDotenv(readCase(id), '.env');
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual(expectedDiagnostics[id] ?? []);
    for (const d of diagnostics) expect(d.file).toBe('.env');
  });

  const UNTERMINATED = /^unterminated quoted value/;
  const AFTER_QUOTE = /^text after the closing/;
  const inputs: Array<[input: string, expected: Array<[number, string | RegExp]>]> = [
    ['A=1\n# comment\n   \n  # indented comment\nB=2 # trailing\n', []],
    ['KEY=\n"quoted on the next line"\n', []],
    ['A="multi\nline"\ngarbage\n', [[3, NOT_AN_ENTRY]]],
    ['A=1\rgarbage\r\nB=2', [[2, NOT_AN_ENTRY]]],
    ['\n\nexport A\n', [[3, NOT_AN_ENTRY]]],
    [
      'my key=1\nKEY:value\n=nokey\n',
      [
        [1, NOT_AN_ENTRY],
        [2, NOT_AN_ENTRY],
        [3, NOT_AN_ENTRY],
      ],
    ],
    [
      "A='abc\nB=`abc\n",
      [
        [1, UNTERMINATED],
        [2, UNTERMINATED],
      ],
    ],
    [
      'A="a"b\nB="a" b\n',
      [
        [1, AFTER_QUOTE],
        [2, AFTER_QUOTE],
      ],
    ],
    ["A='a' 'b'\n", []],
    ['A=#fff\nB= #comment\nC="x"#c\nD=x #c\n', [[1, HASH_CUT]]],
    ['junk\u2028KEY=1\n', [[1, NOT_AN_ENTRY]]],
    ['\n\nexport\nKEY="x\n', [[4, UNTERMINATED]]],
  ];

  test.each(inputs)('%j', (input, expected) => {
    const { diagnostics } = parseDotenv(input, '.env');
    expect(diagnostics.map((d) => d.line)).toEqual(expected.map(([line]) => line));
    for (const [i, d] of diagnostics.entries()) expect(d.message).toMatch(expected[i]?.[1] ?? '');
  });
});
