import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LogPane } from '../../src/components/LogPane.js';
import type { LogLine } from '../../src/control/process-control.js';
import { logPaneModel } from '../../src/state/pane-model.js';
import { processRows } from '../../src/state/process-rows.js';
import type { DashboardSnapshot } from '../../src/state/store.js';
import { initialUiState, type UiState } from '../../src/state/ui-state.js';
import { plain, state } from './rows.js';

let seq = 0;
const line = (proc: string, text: string, stream: LogLine['stream'] = 'stdout'): LogLine => ({
  seq: ++seq,
  ts: Date.UTC(2026, 0, 1, 12, 0, 0),
  proc,
  stream,
  text,
});

const NAMES = ['web.1', 'worker.1', 'echo.1'];

/** The pane as the dashboard draws it: the model from a snapshot holding `lines`, then the component. */
const pane = (lines: LogLine[], ui: Partial<UiState> = {}, size = { width: 58, height: 10 }) => {
  const snapshot: DashboardSnapshot = {
    rows: processRows(
      NAMES.map((name, i) => state(name, i)),
      new Map(),
      0,
    ),
    totals: '',
    window: {
      lines,
      following: true,
      below: 0,
      request: { scope: { kind: 'process', name: 'web.1' }, anchorSeq: null, height: size.height },
    },
    shutdown: null,
    screen: null,
  };
  const full = { ...initialUiState, ...ui };
  const model = logPaneModel(snapshot, full, size);
  return render(<LogPane {...model} width={size.width + 2} height={size.height} />).lastFrame()!;
};

describe('LogPane', () => {
  it('shows the title, then the lines; colours from the child are kept', () => {
    const frame = pane([line('web.1', 'plain'), line('web.1', '\x1b[32mgreen\x1b[0m text')]);
    const rows = plain(frame).split('\n');
    expect(rows[0]).toMatch(/^ web\.1 · running/);
    expect(rows[1]).toBe(' plain');
    expect(rows[2]).toBe(' green text');
    expect(frame).toContain('\x1b[32mgreen');
  });

  it("a seq another log store used for another line shows this store's line (rows are cached by seq)", () => {
    const first = line('web.1', 'from the first store');
    expect(plain(pane([first]))).toContain('from the first store');
    const again = plain(pane([{ ...first, text: 'from the second store' }]));
    expect(again).toContain('from the second store');
    expect(again).not.toContain('from the first store');
  });

  it('prefixes merged lines with the process name, and system and input lines are marked', () => {
    const frame = plain(
      pane([line('web.1', 'hello'), line('worker.1', 'started with pid 3', 'system'), line('echo.1', 'Ada', 'input')], { view: 'merged' }),
    );
    expect(frame).toContain(' web.1    hello');
    expect(frame).toContain(' worker.1 started with pid 3');
    expect(frame).toContain(' echo.1   › Ada');
  });

  it('highlights every match of the search, case-insensitively, keeping the line’s colours', () => {
    const frame = pane([line('web.1', '\x1b[31mGET /api ok, get /api again')], { query: 'get' });
    expect(frame.match(/\x1b\[7m/g)).toHaveLength(2);
    expect(plain(frame)).toContain('GET /api ok, get /api again');
    // After the first match the text is red again (the highlight only turned inverse off).
    expect(frame).toMatch(/\x1b\[27m[\s\S]*\/api ok/);
    expect(frame).toContain('\x1b[31m');
  });

  it('wraps a long line onto as many rows as it needs, every character kept', () => {
    const long = Array.from({ length: 300 }, (_, i) => String(i % 10)).join('');
    const rows = plain(pane([line('web.1', long), line('web.1', 'after')]))
      .split('\n')
      .slice(1, 8);
    expect(rows.map((r) => r.slice(1).trimEnd()).join('')).toBe(`${long}after`);
    expect(rows[0]).toHaveLength(59);
  });

  it('keeps the name column on continuation rows in the merged view', () => {
    const rows = plain(pane([line('worker.1', 'w'.repeat(100))], { view: 'merged' })).split('\n');
    expect(rows[1]).toBe(` worker.1 ${'w'.repeat(49)}`);
    expect(rows[2]).toBe(` ${' '.repeat(9)}${'w'.repeat(49)}`);
    expect(rows[3]).toBe(` ${' '.repeat(9)}ww`);
  });

  it('ends on the newest row, cutting the oldest line shown from the top', () => {
    const rows = plain(pane([line('web.1', 'a'.repeat(58 * 3)), line('web.1', 'b'.repeat(58 * 2))], {}, { width: 58, height: 4 }))
      .split('\n')
      .slice(1);
    expect(rows).toEqual([` ${'a'.repeat(58)}`, ` ${'a'.repeat(58)}`, ` ${'b'.repeat(58)}`, ` ${'b'.repeat(58)}`]);
  });

  it('with wrap off, cuts long and wide lines at the pane width with a mark', () => {
    const frame = plain(
      pane([line('web.1', 'x'.repeat(16_000)), line('web.1', '日本語'.repeat(40)), line('web.1', 'after')], { wrap: false }),
    );
    const rows = frame.split('\n');
    expect(rows[1]).toBe(` ${'x'.repeat(57)}…`);
    const columns = [...rows[2]!].reduce((n, ch) => n + (/[\u3000-\u9fff]/.test(ch) ? 2 : 1), 0);
    expect(columns).toBeLessThanOrEqual(59);
    expect(columns).toBeGreaterThan(50);
    expect(rows[3]).toBe(' after');
  });

  it('says so when there is nothing yet', () => {
    const frame = plain(pane([]));
    expect(frame).toContain(' no output from web.1 yet');
  });

  it('shows timestamps when asked, and blank under them on continuation rows', () => {
    const rows = plain(pane([line('web.1', 'y'.repeat(60))], { timestamps: true })).split('\n');
    expect(rows[1]).toMatch(/^ \d\d:\d\d:\d\d y{49}$/);
    expect(rows[2]).toBe(` ${' '.repeat(9)}${'y'.repeat(11)}`);
  });

  it('copy mode: the cursor line and the selected lines are inverse on every row they wrap onto, in plain text', () => {
    const lines = [
      line('web.1', 'before'),
      line('web.1', `\x1b[32m${'a'.repeat(70)}\x1b[0m`),
      line('web.1', 'cursor here'),
      line('web.1', 'after'),
    ];
    const [, long, cursor] = lines.map((l) => l.seq);
    const frame = pane(lines, { mode: 'copy', copy: { cursor: cursor!, mark: long!, follow: true } });
    const rows = frame.split('\n');
    const inverse = rows.filter((r) => r.includes('\x1b[7m')).map(plain);
    // The long line wraps onto two rows at 58 columns: both are selected, and its green is gone there.
    expect(inverse).toEqual([` ${'a'.repeat(58)}`, ` ${'a'.repeat(12)}`, ' cursor here'].map((r) => expect.stringContaining(r.trim())));
    expect(frame).not.toContain('\x1b[32m');
    expect(rows.find((r) => plain(r).includes('cursor here'))).toContain('\x1b[1m'); // the cursor is bold too
    expect(rows.find((r) => plain(r).includes('before'))).not.toContain('\x1b[7m');
    expect(rows.find((r) => plain(r).includes('after'))).not.toContain('\x1b[7m');
  });
});
