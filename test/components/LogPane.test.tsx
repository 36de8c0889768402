import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LogPane, type PaneLine } from '../../src/components/LogPane.js';
import { plain } from './rows.js';

let seq = 0;
const line = (proc: string, text: string, stream: PaneLine['line']['stream'] = 'stdout'): PaneLine => ({
  line: { seq: ++seq, ts: Date.UTC(2026, 0, 1, 12, 0, 0), proc, stream, text },
  colour: 'cyan',
});

const pane = (lines: PaneLine[], over: Partial<Parameters<typeof LogPane>[0]> = {}) =>
  render(
    <LogPane
      title="web.1 · running"
      position="following"
      following
      lines={lines}
      width={60}
      height={10}
      prefixWidth={0}
      query=""
      timestamps={false}
      emptyText="no output yet"
      {...over}
    />,
  ).lastFrame()!;

describe('LogPane', () => {
  it('shows the title, then the lines; colours from the child are kept', () => {
    const frame = pane([line('web.1', 'plain'), line('web.1', '\x1b[32mgreen\x1b[0m text')]);
    const rows = plain(frame).split('\n');
    expect(rows[0]).toBe(' web.1 · running · following');
    expect(rows[1]).toBe(' plain');
    expect(rows[2]).toBe(' green text');
    expect(frame).toContain('\x1b[32mgreen');
  });

  it('prefixes merged lines with the process name, and system and input lines are marked', () => {
    const frame = plain(
      pane([line('web.1', 'hello'), line('worker.1', 'started with pid 3', 'system'), line('echo.1', 'Ada', 'input')], { prefixWidth: 8 }),
    );
    expect(frame).toContain(' web.1    hello');
    expect(frame).toContain(' worker.1 started with pid 3');
    expect(frame).toContain(' echo.1   › Ada');
  });

  it('highlights every match of the search, case-insensitively', () => {
    const frame = pane([line('web.1', 'GET /api ok, get /api again')], { query: 'get' });
    expect(frame.match(/\x1b\[7m/g)).toHaveLength(2);
    expect(plain(frame)).toContain('GET /api ok, get /api again');
  });

  it('cuts long and wide lines at the pane width', () => {
    const frame = plain(pane([line('web.1', 'x'.repeat(16_000)), line('web.1', '日本語'.repeat(40)), line('web.1', 'after')]));
    const rows = frame.split('\n');
    expect(rows[1]!.length).toBeLessThanOrEqual(60);
    const columns = [...rows[2]!].reduce((n, ch) => n + (/[\u3000-\u9fff]/.test(ch) ? 2 : 1), 0);
    expect(columns).toBeLessThanOrEqual(60);
    expect(columns).toBeGreaterThan(50);
    expect(rows[3]).toBe(' after');
  });

  it('says so when paused, and when there is nothing yet', () => {
    const frame = plain(pane([], { following: false, position: 'paused · 12 newer · End follows' }));
    expect(
      frame
        .split('\n')
        .map((l) => l.trimEnd())
        .filter(Boolean),
    ).toEqual([' web.1 · running · paused · 12 newer · End follows', ' no output yet']);
  });

  it('shows timestamps when asked', () => {
    expect(plain(pane([line('web.1', 'x')], { timestamps: true }))).toMatch(/\n \d\d:\d\d:\d\d x/);
  });
});
