import { describe, expect, it } from 'vitest';
import { resolveNames } from '../../src/control/names.js';

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
    ['database', null],
  ])('unknown %s suggests %s', (name, suggestion) => {
    const r = resolveNames(PROCS, ['web', name]);
    expect(r).toEqual({ unknown: name, suggestion, known: ['web', 'worker', 'css', 'web.1', 'web.2', 'worker.1', 'css.1'] });
  });
});
