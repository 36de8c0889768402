import { describe, expect, test } from 'vitest';
import { expandFormation, parseFormation } from '../../src/config/formation.js';
import type { ProcfileEntry } from '../../src/config/types.js';

describe('parseFormation', () => {
  const valid: Array<[spec: string, counts: Record<string, number>]> = [
    ['web=2', { web: 2 }],
    ['all=1,web=2,worker=0', { all: 1, web: 2, worker: 0 }],
    [' all = 1 , web=2\t,worker =0 ', { all: 1, web: 2, worker: 0 }],
    ['web=007', { web: 7 }],
    ['foo-bar=1,foo_bar=2,Web2=3', { 'foo-bar': 1, foo_bar: 2, Web2: 3 }],
    ['__proto__=2', Object.fromEntries([['__proto__', 2]])],
  ];
  test.each(valid)('%j', (spec, counts) => {
    const result = parseFormation(spec);
    expect(result).toEqual({ counts });
    expect(Object.keys(result.counts)).toEqual(Object.keys(counts));
  });

  const invalid: Array<[spec: string, error: RegExp]> = [
    // Not the default formation in disguise: an empty -m is a mistake (an unset variable, say).
    ['', /^formation is empty: write name=count, e\.g\. all=1,web=2$/],
    ['   ', /^formation is empty/],
    [',', /^formation is empty/],
    [' , ,', /^formation is empty/],
    ['web', /^invalid formation item "web": write name=count/],
    ['web=', /^invalid formation item "web="/],
    ['web=-1', /^invalid formation item "web=-1"/],
    ['web=1.5', /^invalid formation item "web=1.5"/],
    ['web=two', /^invalid formation item "web=two"/],
    ['web=1,,worker=1', /^invalid formation item ""/],
    ['web=1,', /^invalid formation item ""/],
    ['web:1', /^invalid formation item "web:1"/],
    ['my web=1', /^invalid formation item "my web=1"/],
    ['web=1,web=2', /^"web" appears twice in the formation/],
    ['web=99999999999999999999', /^formation count for "web" is too large/],
  ];
  test.each(invalid)('%j is an error', (spec, error) => {
    const result = parseFormation(spec);
    expect(result.error).toMatch(error);
    expect(result.counts).toEqual({});
  });
});

describe('expandFormation', () => {
  const entries: ProcfileEntry[] = [
    { name: 'web', command: 'serve', line: 1 },
    { name: 'worker', command: 'work', line: 2 },
    { name: 'clock', command: 'tick', line: 4 },
  ];

  /** Expected specs as `name@port`, the rest checked separately. */
  const table: Array<[counts: Record<string, number>, specs: string[]]> = [
    [{}, ['web.1@5000', 'worker.1@5100', 'clock.1@5200']],
    [{ all: 1 }, ['web.1@5000', 'worker.1@5100', 'clock.1@5200']],
    [{ web: 2 }, ['web.1@5000', 'web.2@5001', 'worker.1@5100', 'clock.1@5200']],
    [{ all: 0, worker: 3 }, ['worker.1@5100', 'worker.2@5101', 'worker.3@5102']],
    // A disabled entry keeps its position, so the ports of later entries do not move.
    [{ web: 0 }, ['worker.1@5100', 'clock.1@5200']],
    [{ all: 2, clock: 1 }, ['web.1@5000', 'web.2@5001', 'worker.1@5100', 'worker.2@5101', 'clock.1@5200']],
    [{ all: 0 }, []],
  ];
  test.each(table)('%j', (counts, expected) => {
    const { specs, error } = expandFormation(entries, counts, 5000);
    expect(error).toBeUndefined();
    expect(specs.map((s) => `${s.name}@${s.port}`)).toEqual(expected);
  });

  test('a spec carries its entry, position, instance and command', () => {
    const { specs } = expandFormation(entries, { web: 0, worker: 2 }, 3000);
    expect(specs[1]).toEqual({ name: 'worker.2', entry: 'worker', index: 1, instance: 2, command: 'work', port: 3101 });
  });

  test('the count is looked up as an own key only', () => {
    const odd: ProcfileEntry[] = [{ name: 'constructor', command: 'x', line: 1 }];
    expect(expandFormation(odd, {}, 5000).specs.map((s) => s.name)).toEqual(['constructor.1']);
  });

  const errors: Array<[counts: Record<string, number>, basePort: number, error: string]> = [
    [{ db: 1 }, 5000, 'formation names unknown process "db": the Procfile defines web, worker, clock'],
    [{ all: 1, Web: 1 }, 5000, 'formation names unknown process "Web": the Procfile defines web, worker, clock'],
    [{ web: 2 }, 65_535, 'port 65536 for web.2 is above 65535: use a lower base port'],
    [{ worker: 9_000_000_000 }, 5000, 'port 9000005099 for worker.9000000000 is above 65535: use a lower base port'],
  ];
  test.each(errors)('%j from port %i is an error', (counts, basePort, error) => {
    expect(expandFormation(entries, counts, basePort)).toEqual({ specs: [], error });
  });

  test('an empty Procfile names no processes in the error', () => {
    expect(expandFormation([], { web: 1 }, 5000).error).toBe('formation names unknown process "web": the Procfile defines no processes');
  });
});
