import { describe, expect, it } from 'vitest';
import {
  allMatches,
  bottomIndex,
  findMatch,
  type LogView,
  lineMatches,
  plainText,
  scrolledAnchor,
  topAnchor,
  logView as viewOf,
  visibleWindow,
} from '../../src/control/log-view.js';
import { LogStore } from '../../src/engine/log-store.js';

/** The tables speak the dashboard's terms (view, filter, selected process): the scope they ask for. */
function logView(logs: LogStore, ui: { view: 'process' | 'merged'; filter: ReadonlySet<string> | null }, selected: string | undefined) {
  return viewOf(
    logs,
    ui.view === 'process' ? { kind: 'process', name: selected ?? '' } : { kind: 'merged', only: ui.filter && [...ui.filter] },
  );
}

/** A real LogStore holding `lines` ([proc, text]) in order: seqs are 1, 2, 3... across all processes. */
function storeOf(lines: Array<[string, string]>, capacity?: number): LogStore {
  const logs = new LogStore(capacity === undefined ? {} : { capacity });
  for (const [proc, text] of lines) logs.append(proc, 'stdout', text, 0);
  return logs;
}

/** a1 b1 a2 b2 ... a20 b20: process a's lines have odd seqs, so an index mistaken for a seq shows up. */
const interleaved = storeOf(
  Array.from({ length: 20 }, (_, i) => [['a', `a${i + 1}`] as [string, string], ['b', `b${i + 1}`] as [string, string]]).flat(),
);
const viewA = logView(interleaved, { view: 'process', filter: null }, 'a');
const emptyView = logView(new LogStore(), { view: 'process', filter: null }, 'a');

const texts = (view: LogView) => Array.from({ length: view.size }, (_, i) => view.at(i)!.text);
/** The seq of the line with this text (tables are written in texts, the code speaks seqs). */
function seq(text: string, logs: LogStore = interleaved): number {
  const line = logs
    .lines()
    .toArray()
    .find((l) => l.text === text);
  if (!line) throw new Error(`no line ${text}`);
  return line.seq;
}
/** An anchor as the text of the line it names, 'follow' for null. */
const named = (view: LogView, anchor: number | null) => (anchor === null ? 'follow' : view.at(bottomIndex(view, anchor))!.text);

describe('logView', () => {
  it.each([
    { name: 'process view: one process', ui: { view: 'process', filter: null }, selected: 'b', size: 20, first: 'b1', last: 'b20' },
    { name: 'process view: a process that never printed', ui: { view: 'process', filter: null }, selected: 'nope', size: 0 },
    { name: 'process view with nothing selected', ui: { view: 'process', filter: null }, selected: undefined, size: 0 },
    { name: 'merged view: everything', ui: { view: 'merged', filter: null }, selected: 'a', size: 40, first: 'a1', last: 'b20' },
    {
      name: 'merged view filtered to b',
      ui: { view: 'merged', filter: new Set(['b']) },
      selected: 'a',
      size: 20,
      first: 'b1',
      last: 'b20',
    },
    { name: 'merged view with everything hidden', ui: { view: 'merged', filter: new Set<string>() }, selected: 'a', size: 0 },
    {
      name: 'the filter is ignored in the process view',
      ui: { view: 'process', filter: new Set(['b']) },
      selected: 'a',
      size: 20,
      first: 'a1',
      last: 'a20',
    },
  ] as const)('$name', ({ ui, selected, size, ...ends }) => {
    const view = logView(interleaved, ui, selected);
    expect(view.size).toBe(size);
    if ('first' in ends) expect([view.at(0)!.text, view.at(size - 1)!.text]).toEqual([ends.first, ends.last]);
  });

  it('a filtered merged view keeps merged order and scrolls like any other view', () => {
    const logs = storeOf([
      ['web', 'w1'],
      ['db', 'd1'],
      ['worker', 'k1'],
      ['web', 'w2'],
      ['worker', 'k2'],
      ['db', 'd2'],
    ]);
    const view = logView(logs, { view: 'merged', filter: new Set(['web', 'worker']) }, undefined);
    expect(texts(view)).toEqual(['w1', 'k1', 'w2', 'k2']);
    expect(named(view, scrolledAnchor(view, null, -1, 2))).toBe('w2');
    expect(visibleWindow(view, seq('w2', logs), 2).lines.map((l) => l.text)).toEqual(['k1', 'w2']);
  });
});

describe('bottomIndex', () => {
  it.each([
    { name: 'following: the last line', anchor: null, expected: 'a20' },
    { name: 'anchor on a line', anchor: 'a10', expected: 'a10' },
    { name: 'anchor on the first line', anchor: 'a1', expected: 'a1' },
    { name: 'anchor on the last line', anchor: 'a20', expected: 'a20' },
    { name: 'anchor between two lines of the view (another process)', anchor: 'b10', expected: 'a10' },
    { name: 'anchor newer than everything', anchor: 10_000, expected: 'a20' },
    { name: 'anchor older than everything', anchor: 0, expected: 'a1' },
  ])('$name -> $expected', ({ anchor, expected }) => {
    const seqOrNull = typeof anchor === 'string' ? seq(anchor) : anchor;
    expect(viewA.at(bottomIndex(viewA, seqOrNull))!.text).toBe(expected);
  });

  it('is -1 for an empty view, whatever the anchor', () => {
    expect([null, 0, 5].map((anchor) => bottomIndex(emptyView, anchor))).toEqual([-1, -1, -1]);
  });

  it('after eviction, an anchor on a dropped line clamps to the oldest line kept', () => {
    const logs = storeOf(
      Array.from({ length: 10 }, (_, i) => ['a', `line${i + 1}`] as [string, string]),
      4,
    );
    const view = logs.lines('a');
    expect(texts(view)).toEqual(['line7', 'line8', 'line9', 'line10']);
    expect(view.at(bottomIndex(view, 3))!.text).toBe('line7');
    expect(view.at(bottomIndex(view, 8))!.text).toBe('line8');
    expect(view.at(bottomIndex(view, null))!.text).toBe('line10');
    expect(visibleWindow(view, 3, 2).lines.map((l) => l.text)).toEqual(['line7', 'line8']);
  });
});

describe('visibleWindow', () => {
  const window = (view: LogView, anchor: number | string | null, height: number) => {
    const w = visibleWindow(view, typeof anchor === 'string' ? seq(anchor) : anchor, height);
    return { texts: w.lines.map((l) => l.text), following: w.following, below: w.below };
  };

  it.each([
    { name: 'following', anchor: null, height: 5, texts: ['a16', 'a17', 'a18', 'a19', 'a20'], following: true, below: 0 },
    { name: 'scrolled to the middle', anchor: 'a10', height: 5, texts: ['a6', 'a7', 'a8', 'a9', 'a10'], following: false, below: 10 },
    { name: 'anchor between lines', anchor: 'b10', height: 3, texts: ['a8', 'a9', 'a10'], following: false, below: 10 },
    {
      name: 'anchor near the top still fills the pane',
      anchor: 'a2',
      height: 5,
      texts: ['a1', 'a2', 'a3', 'a4', 'a5'],
      following: false,
      below: 15,
    },
    {
      name: 'anchor before every line fills the pane',
      anchor: 0,
      height: 5,
      texts: ['a1', 'a2', 'a3', 'a4', 'a5'],
      following: false,
      below: 15,
    },
    {
      name: 'anchor on the last line is following',
      anchor: 'a20',
      height: 5,
      texts: ['a16', 'a17', 'a18', 'a19', 'a20'],
      following: true,
      below: 0,
    },
    { name: 'one-line pane', anchor: 'a7', height: 1, texts: ['a7'], following: false, below: 13 },
  ])('$name', ({ name: _name, anchor, height, ...expected }) => {
    expect(window(viewA, anchor, height)).toEqual(expected);
  });

  it('a view smaller than the pane shows every line, wherever the anchor is', () => {
    const small = logView(
      storeOf([
        ['a', 'x1'],
        ['a', 'x2'],
        ['a', 'x3'],
      ]),
      { view: 'process', filter: null },
      'a',
    );
    for (const anchor of [null, 0, 1, 2, 3]) {
      expect(window(small, anchor, 5)).toEqual({ texts: ['x1', 'x2', 'x3'], following: true, below: 0 });
    }
  });

  it('an empty view shows nothing and follows', () => {
    expect(window(emptyView, null, 5)).toEqual({ texts: [], following: true, below: 0 });
    expect(window(emptyView, 7, 5)).toEqual({ texts: [], following: true, below: 0 });
  });

  it('never hands out more than height lines (only the visible lines reach React)', () => {
    for (const height of [1, 2, 7, 19, 20, 21, 100]) {
      for (const anchor of [null, 0, seq('a1'), seq('a10'), seq('a20')]) {
        const w = visibleWindow(viewA, anchor, height);
        expect(w.lines.length).toBe(Math.min(height, viewA.size));
        expect(w.below + w.lines.length).toBeLessThanOrEqual(viewA.size);
      }
    }
  });
});

describe('scrolledAnchor', () => {
  const H = 5;
  const PAGE = H - 1;
  it.each([
    { name: 'up a line from follow', from: null, delta: -1, expected: 'a19' },
    { name: 'up a page from follow', from: null, delta: -PAGE, expected: 'a16' },
    { name: 'down from follow stays following', from: null, delta: 1, expected: 'follow' },
    { name: 'up a line when scrolled', from: 'a10', delta: -1, expected: 'a9' },
    { name: 'down a line when scrolled', from: 'a10', delta: 1, expected: 'a11' },
    { name: 'down a page when scrolled', from: 'a10', delta: PAGE, expected: 'a14' },
    { name: 'down onto the last line follows again', from: 'a19', delta: 1, expected: 'follow' },
    { name: 'down past the end follows again', from: 'a10', delta: 50, expected: 'follow' },
    { name: 'up past the top clamps to a full first page', from: 'a10', delta: -50, expected: 'a5' },
    { name: 'up at the top stays at the top', from: 'a5', delta: -1, expected: 'a5' },
    { name: 'from an anchor between lines', from: 'b10', delta: -1, expected: 'a9' },
    { name: 'from an anchor before every line, down a line', from: 0, delta: 1, expected: 'a5' },
  ])('$name -> $expected', ({ from, delta, expected }) => {
    const anchor = typeof from === 'string' ? seq(from) : from;
    expect(named(viewA, scrolledAnchor(viewA, anchor, delta, H))).toBe(expected);
  });

  it('a page up then a page down comes back to following', () => {
    const up = scrolledAnchor(viewA, null, -PAGE, H);
    expect(scrolledAnchor(viewA, up, PAGE, H)).toBeNull();
  });

  it('returns null when everything fits in the pane or the view is empty', () => {
    const small = logView(
      storeOf([
        ['a', 'x1'],
        ['a', 'x2'],
      ]),
      { view: 'process', filter: null },
      'a',
    );
    expect(scrolledAnchor(small, null, -1, H)).toBeNull();
    expect(scrolledAnchor(emptyView, null, -1, H)).toBeNull();
  });
});

describe('topAnchor', () => {
  it('puts the oldest line at the top of a full pane', () => {
    expect(named(viewA, topAnchor(viewA, 5))).toBe('a5');
    expect(visibleWindow(viewA, topAnchor(viewA, 5), 5).lines[0]!.text).toBe('a1');
  });

  it('is null (follow) when everything fits, or nothing is there', () => {
    expect(topAnchor(viewA, 20)).toBeNull();
    expect(topAnchor(viewA, 50)).toBeNull();
    expect(topAnchor(emptyView, 5)).toBeNull();
  });
});

describe('findMatch', () => {
  const logs = storeOf([
    ['web', 'GET /users 200'], //               1
    ['db', '\x1b[31mERROR\x1b[39m db timeout'], // 2  coloured
    ['web', 'GET /health 200'], //              3
    ['db', 'retrying'], //                      4
    ['web', 'Error: \x1b[1mboom\x1b[22m'], //   5
    ['db', 'warn: slow'], //                    6
    ['web', 'error again'], //                  7
    ['web', 'done'], //                         8
  ]);
  const merged = logView(logs, { view: 'merged', filter: null }, undefined);
  const H = 4;
  const find = (
    view: LogView,
    position: { anchorSeq: number | null; matchSeq: number | null },
    query: string,
    direction: 'older' | 'newer',
  ) => findMatch(view, position, query, direction, H)?.matchSeq;
  /** Presses n (or N) until there is no further match: the seqs visited in order. */
  function walk(view: LogView, query: string, direction: 'older' | 'newer', from: { anchorSeq: number | null; matchSeq: number | null }) {
    const seen: number[] = [];
    let position = from;
    for (let found = findMatch(view, position, query, direction, H); found; found = findMatch(view, position, query, direction, H)) {
      seen.push(found.matchSeq);
      position = found;
      if (seen.length > view.size) throw new Error(`walked in a loop: ${seen.join(',')}`);
    }
    return seen;
  }

  it.each([
    { name: 'n from follow: the newest match', from: { anchorSeq: null, matchSeq: null }, dir: 'older', expected: 7 },
    { name: 'N from follow: nothing is newer than the end', from: { anchorSeq: null, matchSeq: null }, dir: 'newer', expected: undefined },
    { name: 'n when scrolled: the nearest match above the bottom line', from: { anchorSeq: 4, matchSeq: null }, dir: 'older', expected: 2 },
    { name: 'N when scrolled: the nearest match below the bottom line', from: { anchorSeq: 4, matchSeq: null }, dir: 'newer', expected: 5 },
    { name: 'n when the bottom line itself matches', from: { anchorSeq: 5, matchSeq: null }, dir: 'older', expected: 5 },
    { name: 'n from a match: the previous one', from: { anchorSeq: null, matchSeq: 7 }, dir: 'older', expected: 5 },
    { name: 'N from a match: the next one', from: { anchorSeq: 1, matchSeq: 2 }, dir: 'newer', expected: 5 },
    { name: 'n from the oldest match: none', from: { anchorSeq: null, matchSeq: 2 }, dir: 'older', expected: undefined },
    { name: 'N from the newest match: none', from: { anchorSeq: null, matchSeq: 7 }, dir: 'newer', expected: undefined },
  ] as const)('$name', ({ from, dir, expected }) => {
    expect(find(merged, from, 'error', dir)).toBe(expected);
  });

  it('repeated n visits every match once, newest first, then reports none; N walks back', () => {
    const older = walk(merged, 'error', 'older', { anchorSeq: null, matchSeq: null });
    expect(older).toEqual([7, 5, 2]);
    expect(walk(merged, 'error', 'newer', { anchorSeq: null, matchSeq: 2 })).toEqual([5, 7]);
  });

  it.each([
    { query: 'ERROR', expected: [7, 5, 2] },
    { query: 'error db', expected: [2] }, // the colour codes between "ERROR" and " db" are not text
    { query: 'error: boom', expected: [5] },
    { query: '31m', expected: [] }, // nor are they searchable
    { query: '[1m', expected: [] },
    { query: 'GET', expected: [3, 1] },
    { query: 'nothing like it', expected: [] },
  ])('"$query" is case-insensitive and ignores SGR colour codes', ({ query, expected }) => {
    expect(walk(merged, query, 'older', { anchorSeq: null, matchSeq: null })).toEqual(expected);
  });

  it('an empty query or an empty view finds nothing', () => {
    expect(find(merged, { anchorSeq: null, matchSeq: null }, '', 'older')).toBeUndefined();
    expect(find(emptyView, { anchorSeq: null, matchSeq: null }, 'x', 'older')).toBeUndefined();
  });

  it('the anchor it returns puts the match inside the pane', () => {
    const long = storeOf(Array.from({ length: 60 }, (_, i) => ['a', i % 7 === 3 ? `hit ${i}` : `line ${i}`] as [string, string]));
    const view = long.lines('a');
    const visits: number[] = [];
    let position: { anchorSeq: number | null; matchSeq: number | null } = { anchorSeq: null, matchSeq: null };
    for (let found = findMatch(view, position, 'hit', 'older', 10); found; found = findMatch(view, position, 'hit', 'older', 10)) {
      const shown = visibleWindow(view, found.anchorSeq, 10).lines.map((l) => l.seq);
      expect(shown).toContain(found.matchSeq);
      visits.push(found.matchSeq);
      position = found;
    }
    expect(visits).toHaveLength(9); // i = 3, 10, ..., 59
  });

  it('in a filtered merged view, matches in hidden processes are skipped', () => {
    const webOnly = logView(logs, { view: 'merged', filter: new Set(['web']) }, undefined);
    expect(walk(webOnly, 'error', 'older', { anchorSeq: null, matchSeq: null })).toEqual([7, 5]);
  });

  // The previous match may have left the view: its process was hidden by the filter, or it was
  // cleared or evicted. The search must go on from where it was, not skip the nearest line.
  it.each([
    { name: 'n from a match in a now hidden process', filter: ['web'], matchSeq: 6, dir: 'older', expected: 5 },
    { name: 'N from a match in a now hidden process', filter: ['web'], matchSeq: 4, dir: 'newer', expected: 5 },
    { name: 'N from a match older than every line of the view', filter: ['db'], matchSeq: 1, dir: 'newer', expected: 2 },
    { name: 'n from a match older than every line of the view', filter: ['db'], matchSeq: 1, dir: 'older', expected: undefined },
  ] as const)('$name', ({ filter, matchSeq, dir, expected }) => {
    const view = logView(logs, { view: 'merged', filter: new Set(filter) }, undefined);
    expect(find(view, { anchorSeq: null, matchSeq }, 'error', dir)).toBe(expected);
  });

  it('after the matched line was evicted, N finds the oldest line kept', () => {
    const small = storeOf(
      Array.from({ length: 10 }, (_, i) => ['a', `error ${i + 1}`] as [string, string]),
      4,
    );
    const view = small.lines('a');
    expect(find(view, { anchorSeq: null, matchSeq: 2 }, 'error', 'newer')).toBe(7);
  });

  it('lineMatches takes a lower-case query', () => {
    const line = merged.at(1)!;
    expect(lineMatches(line, 'error db')).toBe(true);
    expect(lineMatches(line, '\x1b[31m')).toBe(false);
  });
});

describe('allMatches and plainText (count and copy)', () => {
  it('allMatches lists every matching seq of the view, oldest first', () => {
    expect(allMatches(viewA, 'A1')).toEqual([1, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37]);
    expect(allMatches(viewA, '')).toEqual([]);
    expect(allMatches(emptyView, 'a')).toEqual([]);
  });

  it('plainText gives the whole lines of a seq range, colours removed, only from the view', () => {
    const logs = storeOf([
      ['a', '\x1b[31mred\x1b[0m one'],
      ['b', 'hidden'],
      ['a', 'two'],
      ['a', 'three'],
    ]);
    const a = viewOf(logs, { kind: 'process', name: 'a' });
    expect(plainText(a, 1, 3)).toBe('red one\ntwo');
    expect(plainText(a, 2, 4)).toBe('two\nthree');
    expect(plainText(a, 5, 9)).toBe('');
    expect(plainText(viewOf(logs, { kind: 'merged', only: null }), 2, 2)).toBe('hidden');
  });
});
