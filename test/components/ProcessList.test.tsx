import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { computeLayout } from '../../src/components/layout.js';
import { columnsOf, LIST_COLUMNS, listWidthOf } from '../../src/components/list-columns.js';
import { ProcessList } from '../../src/components/ProcessList.js';

import { processRows } from '../../src/state/process-rows.js';
import { plain, state } from './rows.js';

const NOW = 125_000;
const states = [
  state('web.1', 0, { startedAt: NOW - 3 * 60_000 }),
  state('worker.1', 1, { status: 'crashed', pid: undefined, lastExit: { code: 1, signal: null, at: 0, byUser: false } }),
  state('flaky.1', 2, { status: 'backoff', pid: undefined, restarts: 3, restartAt: NOW + 3200 }),
  state('db.1', 3, { status: 'stopped', pid: undefined }),
  state('setup.1', 4, { status: 'exited', pid: undefined, lastExit: { code: 0, signal: null, at: 0, byUser: false } }),
  state('mail.1', 5, { status: 'failed', pid: undefined, restarts: 10, lastExit: { code: null, signal: 'SIGSEGV', at: 0, byUser: false } }),
  state('css.1', 6, { status: 'stopping' }),
];
const usage = new Map([['web.1', { cpu: 12.4, rss: 45 * 1024 * 1024 }]]);
const rows = processRows(states, usage, NOW);

const frame = (columns: number, selected = 0) => {
  const layout = computeLayout(columns, 24, 8);
  const { lastFrame } = render(<ProcessList rows={rows} selected={selected} layout={layout} />);
  return plain(lastFrame() ?? '').split('\n');
};

describe('ProcessList', () => {
  it('shows every status in words with its glyph, and the numbers, at full width', () => {
    const lines = frame(120);
    expect(lines[0]).toMatch(/NAME +STATUS +↻ +CPU +MEM +UP/);
    expect(lines[1]).toMatch(/^●›web\.1 +running +0 +12% +45 MB +3m/);
    expect(lines[2]).toMatch(/^✗ worker\.1 +crashed \(exit 1\) +0/);
    expect(lines[3]).toMatch(/^↻ flaky\.1 +restarting in 4s +3/);
    expect(lines[4]).toMatch(/^○ db\.1 +stopped/);
    expect(lines[5]).toMatch(/^✓ setup\.1 +exited 0/);
    expect(lines[6]).toMatch(/^✗ mail\.1 +failed \(SIGSEGV\) +10/);
    expect(lines[7]).toMatch(/^◍ css\.1 +stopping…/);
  });

  it('drops the number columns at 80 columns and keeps name and status', () => {
    const lines = frame(80, 1);
    expect(lines[0]).toMatch(/^● web\.1 +running +│/);
    expect(lines[1]).toMatch(/^✗›worker\.1 +crashed \(exit 1\) +│/);
    expect(lines.join('\n')).not.toContain('CPU');
  });

  it('collapses to names below 72 columns and disappears below 40', () => {
    const lines = frame(60);
    expect(lines[0]).toMatch(/^●›web\.1 +│$/);
    expect(lines.join('\n')).not.toContain('running');
    expect(frame(30).join('')).toBe('');
  });

  it('colours a crashed process red so it cannot be missed', () => {
    const layout = computeLayout(120, 24, 8);
    const { lastFrame } = render(<ProcessList rows={rows} selected={0} layout={layout} />);
    const worker = lastFrame()!.split('\n')[2]!;
    expect(worker).toContain('\x1b[31m');
  });
});

describe('ProcessList columns', () => {
  it.each([
    [120, 'full'],
    [80, 'compact'],
    [60, 'names'],
  ] as const)('at %i columns (%s) the rows fill the width layout.ts gives the list, exactly', (columns, mode) => {
    const layout = computeLayout(columns, 24, 8);
    expect(layout.listMode).toBe(mode);
    expect(layout.listWidth).toBe(listWidthOf(mode, 8));
    const { lastFrame } = render(<ProcessList rows={rows} selected={0} layout={layout} />);
    const lines = plain(lastFrame() ?? '').split('\n');
    // Every row ends in the border at the list's last column: no cell is wider than its share.
    for (const line of lines) expect([...line].length).toBe(layout.listWidth);
    for (const line of lines) expect(line.at(-1)).toBe('│');
  });

  it('the header is the table: every title, aligned as its cells', () => {
    const header = frame(120)[0]!;
    for (const column of LIST_COLUMNS) expect(header).toContain(column.title);
    const widths = columnsOf('full', 8).map((c) => c.width);
    expect(listWidthOf('full', 8)).toBe(2 + widths.reduce((a, b) => a + b, 0) + widths.length - 1 + 1);
    expect(listWidthOf('names', 40)).toBe(2 + 21 + 1);
  });
});
