import { describe, expect, test } from 'vitest';
import { diagnosticLines, MAX_PRINTED_DIAGNOSTICS } from '../../src/commands/diagnostics.js';
import type { Diagnostic } from '../../src/config/types.js';

const problems = (count: number): Diagnostic[] =>
  Array.from({ length: count }, (_, i) => ({ file: 'Procfile', line: i + 1, message: 'bad' }));
const printed = (count: number) => Array.from({ length: count }, (_, i) => `devrun: Procfile:${i + 1}: bad`);

describe('diagnosticLines', () => {
  test('the cap is 10', () => expect(MAX_PRINTED_DIAGNOSTICS).toBe(10));

  const table: Array<[count: number, lines: string[]]> = [
    [0, []],
    [1, printed(1)],
    [10, printed(10)],
    [11, [...printed(10), 'devrun: … and 1 more']],
    [700, [...printed(10), 'devrun: … and 690 more']],
  ];
  test.each(table)('%i problems', (count, lines) => {
    expect(diagnosticLines(problems(count))).toEqual(lines);
  });

  test('a whole-file problem has no line number', () => {
    expect(diagnosticLines([{ file: '.env', line: 0, message: 'no such env file' }])).toEqual(['devrun: .env: no such env file']);
  });
});
