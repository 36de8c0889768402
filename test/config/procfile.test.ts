import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseProcfile } from '../../src/config/procfile.js';

const casesDir = new URL('../fixtures/parser-cases/procfile/', import.meta.url);
const readCase = (id: string): string => readFileSync(new URL(`${id}.Procfile`, casesDir), 'utf8');

/** `name: command` at a line. */
type Entry = [name: string, command: string, line: number];

/**
 * Every case in fixtures/parser-cases (see its procfile-matrix.md): the entries are foreman's unless a
 * comment says otherwise, and `diagnostics` lists the lines reported (0 = the file as a whole).
 */
const cases: Array<{ id: string; entries: Entry[]; diagnostics: number[] }> = [
  {
    id: '01-basic',
    entries: [
      ['web', 'bundle exec rails s', 1],
      ['worker', 'bundle exec sidekiq', 2],
    ],
    diagnostics: [],
  },
  {
    id: '02-no-final-newline',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  { id: '03-comment-hash-space', entries: [['web', 'a', 2]], diagnostics: [] },
  { id: '04-comment-hash-nospace', entries: [['web', 'a', 2]], diagnostics: [] },
  { id: '05-indented-comment', entries: [['web', 'a', 2]], diagnostics: [] },
  { id: '06-blank-and-ws-lines', entries: [['web', 'a', 4]], diagnostics: [] },
  { id: '07-leading-ws-entry', entries: [['worker', 'b', 2]], diagnostics: [1] },
  { id: '08-tab-after-colon', entries: [['web', 'a', 1]], diagnostics: [] },
  {
    id: '09-no-space-after-colon',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  { id: '10-extra-spaces', entries: [['web', 'a  --x   y', 1]], diagnostics: [] },
  // foreman keeps the trailing `   \t`; we trim it.
  {
    id: '11-trailing-ws',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  {
    id: '12-crlf',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  // foreman gives one entry `web` -> `a\rworker: b\r`; we split on a bare CR, as honcho does.
  {
    id: '13-lone-cr',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  {
    id: '14-mixed-eol',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  // foreman keeps both; we keep the first and report the second.
  { id: '15-duplicate', entries: [['web', 'a', 1]], diagnostics: [2] },
  {
    id: '16-dup-case',
    entries: [
      ['web', 'a', 1],
      ['Web', 'b', 2],
    ],
    diagnostics: [],
  },
  { id: '17-dash-name', entries: [['foo-bar', 'a', 1]], diagnostics: [] },
  { id: '18-underscore-name', entries: [['foo_bar', 'a', 1]], diagnostics: [] },
  { id: '19-dot-name', entries: [], diagnostics: [0, 1] },
  { id: '20-leading-dash-name', entries: [['-web', 'a', 1]], diagnostics: [] },
  { id: '21-upper-digit-name', entries: [['Web2', 'a', 1]], diagnostics: [] },
  { id: '22-unicode-name', entries: [], diagnostics: [0, 1] },
  { id: '23-space-in-name', entries: [], diagnostics: [0, 1] },
  { id: '24-space-before-colon', entries: [], diagnostics: [0, 1] },
  { id: '25-colon-in-cmd', entries: [['worker', 'bundle exec rake jobs:work', 1]], diagnostics: [] },
  { id: '26-url-in-cmd', entries: [['web', 'curl http://localhost:5000/health', 1]], diagnostics: [] },
  { id: '27-hash-in-cmd', entries: [['web', 'echo a#b', 1]], diagnostics: [] },
  { id: '28-trailing-comment', entries: [['web', 'echo a # trailing comment', 1]], diagnostics: [] },
  { id: '29-quoted-hash', entries: [['web', "echo 'a # b'", 1]], diagnostics: [] },
  {
    id: '30-port-vars',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell command, not a template
    entries: [['web', 'srv -p $PORT -q ${PORT} -r ${PORT:-3000} -s $PORT_X', 1]],
    diagnostics: [],
  },
  // The indented line 2 is folded into the diagnostic of line 1.
  {
    id: '31-line-continuation',
    entries: [
      ['web', 'a \\', 1],
      ['worker', 'b', 3],
    ],
    diagnostics: [1],
  },
  { id: '32-empty-cmd', entries: [['worker', 'b', 2]], diagnostics: [1] },
  // foreman keeps `web` -> ` `; we report it and drop it.
  { id: '33-space-only-cmd', entries: [['worker', 'b', 2]], diagnostics: [1] },
  {
    id: '34-bom',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 2],
    ],
    diagnostics: [],
  },
  { id: '35-legacy-no-colon', entries: [], diagnostics: [0, 1, 2] },
  { id: '36-slash-comment', entries: [['web', 'a', 2]], diagnostics: [] },
  { id: '37-only-comments', entries: [], diagnostics: [0] },
  { id: '38-empty-file', entries: [], diagnostics: [0] },
  // The indented lines 2-3 are folded into the diagnostic of line 1.
  {
    id: '39-yaml-block',
    entries: [
      ['release', '|', 1],
      ['web', 'a', 4],
    ],
    diagnostics: [1],
  },
  { id: '40-long-name', entries: [['a'.repeat(64), 'x', 1]], diagnostics: [] },
  { id: '41-long-line', entries: [['web', `echo ${'x'.repeat(70_000)}`, 1]], diagnostics: [] },
  {
    id: '42-garbage-line',
    entries: [
      ['web', 'a', 1],
      ['worker', 'b', 3],
    ],
    diagnostics: [2],
  },
  { id: '43-colon-only-name', entries: [['web', 'b', 2]], diagnostics: [1] },
  {
    id: '44-numeric-name',
    entries: [
      ['1', 'a', 1],
      ['web', 'b', 2],
    ],
    diagnostics: [],
  },
  {
    id: '45-numeric-name-order',
    entries: [
      ['web', 'a', 1],
      ['2', 'b', 2],
    ],
    diagnostics: [],
  },
  {
    id: '46-dup-dash-underscore',
    entries: [
      ['foo-bar', 'a', 1],
      ['foo_bar', 'b', 2],
    ],
    diagnostics: [],
  },
];

describe('parseProcfile on the shared parser cases', () => {
  test('the table covers every case file', () => {
    const files = readdirSync(casesDir).map((name) => name.replace(/\.Procfile$/, ''));
    expect(cases.map((c) => c.id)).toEqual(files.sort());
  });

  test.each(cases)('$id', ({ id, entries, diagnostics }) => {
    const result = parseProcfile(readCase(id), 'Procfile');
    expect(result.entries).toEqual(entries.map(([name, command, line]) => ({ name, command, line })));
    expect(result.diagnostics.map((d) => d.line)).toEqual(diagnostics);
    for (const d of result.diagnostics) {
      expect(d.file).toBe('Procfile');
      expect(d.message).toMatch(/^[a-z"][^\n]*$/);
      expect(d.message.length).toBeLessThan(120);
    }
  });
});

describe('parseProcfile messages', () => {
  const messages: Array<[input: string, line: number, message: string | RegExp]> = [
    ['  web: a\n', 1, 'entry is indented, so it is ignored: remove the indentation'],
    ['foo.bar: a\n', 1, 'invalid process name "foo.bar": use only A-Z, a-z, 0-9, "_" and "-"'],
    ['wéb: a\n', 1, /invalid process name "wéb"/],
    ['my web: a\n', 1, /invalid process name "my web"/],
    ['web : a\n', 1, 'space before ":": write "web:"'],
    ['web ./web\n', 1, 'missing ":" after the process name: write name: command'],
    [': a\n', 1, 'missing process name before ":": write name: command'],
    ['web:\n', 1, 'process "web" has no command: put it after ":" on the same line'],
    ['web: \t \n', 1, 'process "web" has no command: put it after ":" on the same line'],
    ['web: a\nweb: b\n', 2, 'duplicate process name "web" (first defined on line 1)'],
    ['# nothing\n', 0, 'no process entries found'],
    ['web: a \\\n  --flag\n', 1, /^line continuation with "\\" is not supported.*\(line 2 ignored\)$/],
    ['release: |\n  a\n  b\nweb: a\n', 1, /^"\|" starts a YAML block.*\(lines 2-3 ignored\)$/],
    ['release: >-\n  a\nweb: a\n', 1, /^">-" starts a YAML block/],
    [`${'x '.repeat(40)}: a\n`, 1, /^invalid process name "(x ){20}…"/],
  ];

  test.each(messages)('%j', (input, line, message) => {
    const { diagnostics } = parseProcfile(input, 'Procfile');
    const found = diagnostics.find((d) => d.line === line);
    expect(found?.message).toMatch(message);
  });
});

describe('parseProcfile details', () => {
  test('a continuation folds the run of indented lines after it, and a blank line ends the run', () => {
    const { entries, diagnostics } = parseProcfile('web: a \\\n  b \\\n  c\n\n  d\nworker: x\n', 'P');
    expect(entries.map((e) => e.name)).toEqual(['web', 'worker']);
    expect(diagnostics.map((d) => d.line)).toEqual([1, 5]);
    expect(diagnostics[0]?.message).toMatch(/\(lines 2-3 ignored\)$/);
  });

  test('an entry after a continuation is still an entry', () => {
    const { entries } = parseProcfile('web: a \\\nworker: b\n', 'P');
    expect(entries.map((e) => e.name)).toEqual(['web', 'worker']);
  });

  test('an empty command folds an indented command below it (YAML habit)', () => {
    const { diagnostics } = parseProcfile('web:\n  npm start\n', 'P');
    expect(diagnostics.map((d) => d.line)).toEqual([0, 1]);
    expect(diagnostics[1]?.message).toMatch(/has no command.*\(line 2 ignored\)$/);
  });

  test('an escaped backslash at the end is not a continuation', () => {
    expect(parseProcfile('web: echo a\\\\\n', 'P').diagnostics).toEqual([]);
  });

  test('indented `//` comments are comments', () => {
    expect(parseProcfile('  // web: old\nweb: a\n', 'P').diagnostics).toEqual([]);
  });

  test('names that are Object.prototype keys are ordinary names', () => {
    const { entries, diagnostics } = parseProcfile('constructor: a\n__proto__: b\nconstructor: c\n', 'P');
    expect(entries.map((e) => e.name)).toEqual(['constructor', '__proto__']);
    expect(diagnostics.map((d) => d.line)).toEqual([3]);
  });

  test('a bare CR, CRLF and LF all end a line, and blank lines count', () => {
    const { entries } = parseProcfile('a: 1\r\rb: 2\r\n\nc: 3\n', 'P');
    expect(entries.map((e) => [e.name, e.line])).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 5],
    ]);
  });
});
