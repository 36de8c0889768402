import { describe, expect, it } from 'vitest';
import { type UiAction, uiReducer } from '../../src/state/ui-reducer.js';
import { initialUiState, type UiState } from '../../src/state/ui-state.js';

/** A state with the given fields, frozen so a reducer that mutates its input fails loudly. */
const state = (fields: Partial<UiState> = {}): UiState => Object.freeze({ ...initialUiState, ...fields });
const reduce = (from: Partial<UiState>, action: UiAction) => uiReducer(state(from), action);

/** Scrolled away from the end, with a match: what a selection or view change must (or must not) reset. */
const scrolled = { anchorSeq: 42, matchSeq: 40 };

describe('select', () => {
  it.each([
    { name: 'moves down', from: { selected: 0 }, delta: 1, count: 3, selected: 1 },
    { name: 'moves up', from: { selected: 2 }, delta: -1, count: 3, selected: 1 },
    { name: 'clamps at the last process', from: { selected: 1 }, delta: 5, count: 3, selected: 2 },
    { name: 'clamps at the first process', from: { selected: 1 }, delta: -5, count: 3, selected: 0 },
    { name: 'stays at 0 with no processes', from: { selected: 0 }, delta: 1, count: 0, selected: 0 },
    { name: 'pulls a stale selection back into range', from: { selected: 7 }, delta: 1, count: 3, selected: 2 },
  ])('$name', ({ from, delta, count, selected }) => {
    expect(reduce(from, { type: 'select', delta, count }).selected).toBe(selected);
  });

  it('a new process in the process view shows its latest lines: anchor and match are reset', () => {
    const next = reduce({ ...scrolled, view: 'process', selected: 0 }, { type: 'select', delta: 1, count: 3 });
    expect(next).toMatchObject({ selected: 1, anchorSeq: null, matchSeq: null });
  });

  it('in the merged view the scroll position is kept (the log shown does not change)', () => {
    const next = reduce({ ...scrolled, view: 'merged', selected: 0 }, { type: 'select', delta: 1, count: 3 });
    expect(next).toMatchObject({ selected: 1, ...scrolled });
  });

  it.each([
    { name: 'at the top', selected: 0, delta: -1 },
    { name: 'at the bottom', selected: 2, delta: 1 },
    { name: 'with delta 0', selected: 1, delta: 0 },
  ])('a select that does not move ($name) keeps the anchor and returns the same state', ({ selected, delta }) => {
    const from = state({ ...scrolled, view: 'process', selected });
    expect(uiReducer(from, { type: 'select', delta, count: 3 })).toBe(from);
  });
});

describe('toggle-view', () => {
  it.each([
    { from: 'process', to: 'merged' },
    { from: 'merged', to: 'process' },
  ] as const)('$from -> $to follows the end again and forgets the match', ({ from, to }) => {
    expect(reduce({ ...scrolled, view: from }, { type: 'toggle-view' })).toMatchObject({ view: to, anchorSeq: null, matchSeq: null });
  });
});

describe('mode', () => {
  it.each([
    { mode: 'search', query: 'timeout', draft: 'old', expected: '' },
    { mode: 'search', query: '', draft: 'old', expected: '' },
    { mode: 'input', query: 'timeout', draft: 'old', expected: '' },
    { mode: 'help', query: 'timeout', draft: 'old', expected: '' },
    { mode: 'filter', query: 'timeout', draft: 'old', expected: '' },
    { mode: 'normal', query: 'timeout', draft: 'old', expected: '' },
    { mode: 'confirm-stop', query: 'timeout', draft: 'old', expected: '' },
  ] as const)('entering $mode with query "$query" starts the draft as "$expected"', ({ mode, query, draft, expected }) => {
    const next = reduce({ query, draft, notice: 'no match for "x"' }, { type: 'mode', mode });
    expect(next).toMatchObject({ mode, draft: expected, query, notice: null });
  });
});

describe('search-commit', () => {
  it('the draft becomes the query, back to normal mode, the next n starts from the bottom', () => {
    const next = reduce({ mode: 'search', draft: 'ERROR', query: 'old', matchSeq: 12 }, { type: 'search-commit' });
    expect(next).toMatchObject({ mode: 'normal', query: 'ERROR', draft: '', matchSeq: null });
  });

  it('an empty draft clears the search', () => {
    expect(reduce({ mode: 'search', draft: '', query: 'old' }, { type: 'search-commit' })).toMatchObject({ query: '', mode: 'normal' });
  });
});

describe('filter-toggle', () => {
  const all = ['web.1', 'worker.1', 'db.1'];
  const toggle = (filter: string[] | null, name: string) =>
    reduce({ filter: filter && new Set(filter), anchorSeq: 9 }, { type: 'filter-toggle', name, all }).filter;

  it.each([
    { name: 'from no filter, hides one process', filter: null, toggle: 'worker.1', expected: ['web.1', 'db.1'] },
    { name: 'hides another one', filter: ['web.1', 'db.1'], toggle: 'db.1', expected: ['web.1'] },
    { name: 'shows one again', filter: ['web.1'], toggle: 'db.1', expected: ['web.1', 'db.1'] },
    { name: 'hiding the last shown process leaves an empty filter, not null', filter: ['db.1'], toggle: 'db.1', expected: [] },
    { name: 'showing the last hidden process gives null (no filter)', filter: ['web.1', 'db.1'], toggle: 'worker.1', expected: null },
  ])('$name', ({ filter, toggle: name, expected }) => {
    const next = toggle(filter, name);
    expect(next === null ? null : [...next].sort()).toEqual(expected === null ? null : [...expected].sort());
  });

  it('follows the end again and never mutates the previous filter set', () => {
    const before = new Set(['web.1', 'db.1']);
    const next = reduce({ filter: before, anchorSeq: 9 }, { type: 'filter-toggle', name: 'web.1', all });
    expect(next.anchorSeq).toBeNull();
    expect([...before]).toEqual(['web.1', 'db.1']);
  });
});

describe('filter-move', () => {
  it.each([
    { from: 0, delta: 1, count: 3, expected: 1 },
    { from: 2, delta: 1, count: 3, expected: 2 },
    { from: 0, delta: -1, count: 3, expected: 0 },
    { from: 0, delta: 1, count: 0, expected: 0 },
  ])('cursor $from + $delta of $count -> $expected', ({ from, delta, count, expected }) => {
    expect(reduce({ filterCursor: from }, { type: 'filter-move', delta, count }).filterCursor).toBe(expected);
  });
});

describe('notice, anchor, match, draft, timestamps', () => {
  it.each([
    { name: 'shows a notice', from: null, text: 'no match for "x"', expected: 'no match for "x"' },
    { name: 'replaces a notice', from: 'a', text: 'b', expected: 'b' },
    { name: 'clears a notice', from: 'a', text: null, expected: null },
  ])('$name', ({ from, text, expected }) => {
    expect(reduce({ notice: from }, { type: 'notice', text }).notice).toBe(expected);
  });

  it.each([
    { name: 'an unchanged notice', from: { notice: 'same' }, action: { type: 'notice', text: 'same' } },
    { name: 'an unchanged anchor', from: { anchorSeq: 5 }, action: { type: 'anchor', seq: 5 } },
    { name: 'following while following', from: { anchorSeq: null }, action: { type: 'anchor', seq: null } },
  ] satisfies Array<{ name: string; from: Partial<UiState>; action: UiAction }>)(
    '$name returns the same state (no re-render)',
    ({ from, action }) => {
      const before = state(from);
      expect(uiReducer(before, action)).toBe(before);
    },
  );

  it('anchor sets the scroll position; match sets the match and its anchor together', () => {
    expect(reduce({}, { type: 'anchor', seq: 17 }).anchorSeq).toBe(17);
    expect(reduce({ anchorSeq: 3 }, { type: 'match', matchSeq: 30, anchorSeq: null })).toMatchObject({ matchSeq: 30, anchorSeq: null });
  });

  it('cleared follows the end and forgets the match, but keeps the search', () => {
    expect(reduce({ ...scrolled, query: 'err' }, { type: 'cleared' })).toMatchObject({ anchorSeq: null, matchSeq: null, query: 'err' });
  });

  it('draft replaces the line; toggle-timestamps flips', () => {
    expect(reduce({ draft: 'ab' }, { type: 'draft', text: 'abc' }).draft).toBe('abc');
    expect(reduce({ timestamps: false }, { type: 'toggle-timestamps' }).timestamps).toBe(true);
    expect(reduce({ timestamps: true }, { type: 'toggle-timestamps' }).timestamps).toBe(false);
  });
});
