import { describe, expect, it } from 'vitest';
import { describeUnknown, resolveNames } from '../../src/control/names.js';

const PROCS = ['web.1', 'web.2', 'worker.1', 'css.1'];

describe('resolveNames', () => {
  it.each([
    [['web'], ['web.1', 'web.2']],
    [['web.2'], ['web.2']],
    [
      ['worker', 'web.1'],
      ['web.1', 'worker.1'],
    ],
    [[], []],
  ])('%j -> %j', (wanted, names) => {
    expect(resolveNames(PROCS, wanted)).toEqual({ names });
  });

  it.each([
    ['wbe', 'web'],
    ['wrker', 'worker'],
    ['work', 'worker'],
    ['web.3', 'web'],
    ['database', undefined],
  ])('unknown %s suggests %s', (name, suggestion) => {
    const r = resolveNames(PROCS, ['web', name]);
    expect(r).toEqual({ unknown: name, suggestion, known: ['web', 'worker', 'css', 'web.1', 'web.2', 'worker.1', 'css.1'] });
  });

  it('describes an unknown name in one line', () => {
    const r = resolveNames(PROCS, ['wbe']);
    if (!('unknown' in r)) throw new Error('expected unknown');
    expect(describeUnknown(r)).toBe('no process named wbe: did you mean web? (processes: web, worker, css, web.1, web.2, worker.1, css.1)');
  });
});
