import { describe, expect, test } from 'vitest';
import { parseProcfile } from '../../src/config/procfile.js';
import { formatDiagnostic } from '../../src/config/types.js';
import { VERBS, verbNamedEntries } from '../../src/config/verb-names.js';

const warn = (text: string) => verbNamedEntries(parseProcfile(text, 'Procfile').entries, 'Procfile').map(formatDiagnostic);

describe('verbNamedEntries', () => {
  test('one warning per entry named like a verb, at its line, in Procfile order', () => {
    expect(warn('web: serve\n# a comment\nstatus: ./bin/status\nworker: work\nlogs: tail -f log\n')).toEqual([
      'Procfile:3: entry "status" has a verb\'s name: `devrun status` runs the verb; use `devrun start status` to run only this entry',
      'Procfile:5: entry "logs" has a verb\'s name: `devrun logs` runs the verb; use `devrun start logs` to run only this entry',
    ]);
  });

  test('every verb is caught; `start` names what it does', () => {
    const names = [...VERBS];
    expect(names.sort()).toEqual([
      'attach',
      'check',
      'completion',
      'connect',
      'kill',
      'logs',
      'reload',
      'restart',
      'run',
      'send',
      'start',
      'status',
      'stop',
      'wait',
    ]);
    const warnings = warn(names.map((n) => `${n}: echo ${n}\n`).join(''));
    expect(warnings).toHaveLength(names.length);
    expect(warnings.find((w) => w.includes('"start"'))).toBe(
      'Procfile:11: entry "start" has a verb\'s name: `devrun start` runs every entry; use `devrun start start` to run only this entry',
    );
  });

  test('only exact names: case, prefixes and instances differ from the verb', () => {
    expect(warn('Status: a\nstatuses: b\nstop-all: c\nrestart_web: d\nsend2: e\n')).toEqual([]);
    expect(verbNamedEntries([], 'Procfile')).toEqual([]);
  });
});
