import { describe, expect, it } from 'vitest';
import { type HelpLine, helpLayout, helpSections, wrapWords } from '../../src/state/help-layout.js';
import { displayKey } from '../../src/state/keymap.js';

const SIZES = [
  [80, 20],
  [120, 36],
  [60, 10],
  [40, 8],
  [200, 50],
] as const;

/** The bindings back as whole key lists and texts (their wrapped rows joined). */
function bindingsOf(columns: HelpLine[][]): Array<{ key: string; text: string }> {
  const out: Array<{ key: string; text: string }> = [];
  for (const line of columns.flat()) {
    if (line.kind !== 'binding') continue;
    if (line.first) out.push({ key: line.key, text: line.text });
    else {
      const last = out.at(-1)!;
      if (line.key) last.key += ` ${line.key}`;
      if (line.text) last.text += ` ${line.text}`;
    }
  }
  return out;
}

describe('help layout', () => {
  it.each(SIZES)('at %ix%i every description is whole (wrapped, never cut) and fits its column', (width, height) => {
    const layout = helpLayout(width, height);
    const bindings = bindingsOf(layout.columns);
    const expected = helpSections().flatMap(([, entries]) => entries.map((b) => ({ key: b.keys.map(displayKey).join(' '), text: b.help })));
    expect(bindings).toEqual(expected);
    for (const column of layout.columns)
      for (const line of column) {
        if (line.kind === 'binding') expect(layout.keyWidth + line.text.length).toBeLessThanOrEqual(layout.columnWidth);
        if (line.kind === 'heading') expect(line.text.length).toBeLessThanOrEqual(layout.columnWidth);
      }
    expect(layout.columns.length * layout.columnWidth).toBeLessThanOrEqual(width - 1);
  });

  it.each(SIZES)('at %ix%i a heading never ends a column, and each section starts with its heading', (width, height) => {
    const { columns } = helpLayout(width, height);
    for (const column of columns) {
      expect(column.at(-1)!.kind).toBe('binding');
      column.forEach((line, i) => {
        if (line.kind === 'heading') expect(column[i + 1]!.kind).toBe('binding');
      });
    }
    const headings = columns.flat().filter((l) => l.kind === 'heading');
    expect(headings.map((h) => (h.kind === 'heading' ? h.text : ''))).toEqual(helpSections().map(([title]) => title));
  });

  it('scrolls only when the columns are taller than the view: at 80x24 (20 rows) it does, at 120x40 not', () => {
    const small = helpLayout(80, 20);
    expect(small.columns.length).toBe(2);
    expect(small.maxOffset).toBe(small.rows - 20);
    expect(small.maxOffset).toBeGreaterThan(0);
    expect(helpLayout(120, 36).maxOffset).toBe(0);
  });

  it('wrapWords breaks at spaces, and cuts only a word longer than the width', () => {
    expect(wrapWords(['a', 'bb', 'ccc', 'dddd'], 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrapWords(['abcdefgh'], 3)).toEqual(['abc', 'def', 'gh']);
    expect(wrapWords([], 5)).toEqual(['']);
  });
});
